"""A gunicorn worker killed in the middle of a save leaves nothing half-written.

A real gunicorn (the shipped settings, one worker) on the test database; staff save a new
building. The test holds the audit log's table lock, so the save stops after its building row
was written and before its audit entry: then the worker is killed (SIGKILL). Neither the
building nor its audit entry may be there, and the master's new worker serves the same
signed-in staff."""

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from http.cookiejar import CookieJar

import psycopg

from tests.conftest import PASSWORD, TEST_DATABASE_URL
from tests.smtp import free_port

PLAIN = TEST_DATABASE_URL.replace("+psycopg", "")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
STREET = "Abbruchgasse"  # only this test writes it


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def post(self, path: str, form: dict, page: str | None = None) -> int:
        form = {**form, "csrf_token": CSRF.search(self.get(page or path)).group(1)}
        data = urllib.parse.urlencode(form).encode()
        try:
            with self.opener.open(self.base + path, data=data, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except (ConnectionError, urllib.error.URLError):
            return 0  # the worker died under the request


def _buildings(conn) -> int:
    return conn.execute("SELECT count(*) FROM building WHERE street = %s", [STREET]).fetchone()[0]


def _waiting_save(conn) -> bool:
    return bool(
        conn.execute(
            "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            " AND query ILIKE 'INSERT INTO audit_event%%'"
        ).fetchone()
    )


STAFF = "staff@test.example"


def test_a_killed_worker_leaves_no_partial_rows():
    started = datetime.now(UTC)
    with psycopg.connect(PLAIN) as conn:  # put back at the end: other tests read it
        (last_login,) = conn.execute(
            "SELECT last_login_at FROM app_user WHERE email = %s", [STAFF]
        ).fetchone()
    port = free_port()
    env = dict(
        os.environ, DATABASE_URL=TEST_DATABASE_URL, LEERSTAND_ENV="development",
        LEERSTAND_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1", DB_LOCK_TIMEOUT_MS="30000",
        BASE_URL=f"http://127.0.0.1:{port}",
    )  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:leerstand.gunicorn_conf",
         "--access-logfile", os.devnull, "leerstand:create_app()"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    browser = Browser(f"http://127.0.0.1:{port}")
    form = {"street": STREET, "house_number": "1", "postcode": "06493", "place": "Ballenstedt",
            "coord_crs": "4326", "coord_x": "11.2265", "coord_y": "51.7192",
            "condition": "fair"}  # fmt: skip
    try:
        for _ in range(150):
            try:
                browser.get("/healthz")
                break
            except OSError:
                time.sleep(0.1)
        assert browser.post("/login", {"email": STAFF, "password": PASSWORD}) in (
            200,
            302,
        )
        assert "Abmelden" in browser.get("/verwaltung/")
        with psycopg.connect(PLAIN, autocommit=True) as watcher, psycopg.connect(PLAIN) as holder:
            assert _buildings(watcher) == 0
            holder.execute("LOCK TABLE audit_event IN ACCESS EXCLUSIVE MODE")
            answers = []
            save = threading.Thread(
                target=lambda: answers.append(browser.post("/verwaltung/gebaeude/neu", form))
            )
            save.start()
            for _ in range(300):
                if _waiting_save(watcher):
                    break
                time.sleep(0.05)
            assert _waiting_save(watcher)  # the building row is written, the audit entry waits
            (worker,) = subprocess.run(
                ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
            ).stdout.split()
            os.kill(int(worker), signal.SIGKILL)
            save.join(30)
            holder.rollback()
            assert answers == [0]  # the connection broke: no answer
            for _ in range(100):  # PostgreSQL notices the dead connection and rolls back
                if not _waiting_save(watcher):
                    break
                time.sleep(0.05)
            assert _buildings(watcher) == 0
            assert (
                watcher.execute(
                    "SELECT count(*) FROM audit_event WHERE entity = 'building' AND changes::text"
                    " LIKE %s",
                    [f"%{STREET}%"],
                ).fetchone()[0]
                == 0
            )
        # the master started a new worker; the session cookie is still valid
        for _ in range(150):
            try:
                assert "Abmelden" in browser.get("/verwaltung/")
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("no new worker")
    finally:
        server.terminate()
        server.wait(30)
        with psycopg.connect(PLAIN, autocommit=True) as conn:  # the suite counts open sessions
            conn.execute(
                "DELETE FROM login_session WHERE created_at >= %s"
                " AND user_id = (SELECT id FROM app_user WHERE email = %s)",
                [started, STAFF],
            )
            conn.execute(
                "UPDATE app_user SET last_login_at = %s WHERE email = %s", [last_login, STAFF]
            )
