"""What the benchmarks (scripts/bench_*.py) share: their own database on the local cluster
(``LEERSTAND_PGPORT``, default 55432) or ``BENCH_DATABASE_URL`` (a database whose name contains
"bench"), migrated and with Ballenstedt, bulk filling with SQL, interleaved timing (``BENCH_RUNS``
runs, default 15) and the command line."""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNS = int(os.environ.get("BENCH_RUNS", "15"))


def database_url(name: str) -> str:
    """``BENCH_DATABASE_URL`` or the database ``name`` on the local cluster. The benchmarks
    empty tables of that database, so its name must contain "bench" (else: exit)."""
    from sqlalchemy.engine import make_url

    port = os.environ.get("LEERSTAND_PGPORT", "55432")
    default = f"postgresql+psycopg://leerstand@127.0.0.1:{port}/{name}"
    url = os.environ.get("BENCH_DATABASE_URL", default)
    database = make_url(url).database or ""
    if "bench" not in database:
        raise SystemExit(
            f"Datenbank {database!r} abgelehnt: die Benchmarks leeren Tabellen ihrer Datenbank, "
            "deshalb muss ihr Name „bench“ enthalten (z. B. BENCH_DATABASE_URL=…/leerstand_bench)."
        )
    return url


def arguments(doc: str, sizes: list[int]) -> argparse.ArgumentParser:
    """A parser for ``[sizes…]`` (default ``sizes``); add further options before parsing."""
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "sizes", nargs="*", type=int, default=sizes, help=f"numbers of units (default {sizes})"
    )
    return parser


def plain(url: str) -> str:
    """The SQLAlchemy URL as psycopg takes it."""
    return url.replace("postgresql+psycopg://", "postgresql://")


def say(text: str) -> None:
    print(text, flush=True)


def create_database(url: str) -> None:
    base, _, name = plain(url).rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            say(f"Datenbank {name} gibt es schon")
            return
        conn.execute(f'CREATE DATABASE "{name}"')
        say(f"Datenbank {name} angelegt")


def migrate_and_base(app, more: Callable | None = None) -> None:
    """Migrate; in an empty database add Ballenstedt with its real boundary and call
    ``more(session, municipality)`` for further base rows."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from leerstand.db import db
    from leerstand.geodata import load_boundary
    from leerstand.models import Municipality
    from leerstand.spatial.geometry import to_db

    with app.app_context():
        upgrade()
        if db.session.scalar(select(Municipality.id).limit(1)) is None:
            props, boundary = load_boundary()
            muni = Municipality(name="Ballenstedt", ags=props["AGS"], boundary=to_db(boundary))
            db.session.add(muni)
            db.session.flush()
            if more is not None:
                more(db.session, muni)
            db.session.commit()
    say("Migration … ok")


def fill(url: str, script: str, n: int) -> None:
    """Run the SQL ``script`` (statements ending in ``;`` + newline, ``%(n)s`` the size)."""
    started = time.perf_counter()
    with psycopg.connect(plain(url), autocommit=True) as conn:
        for statement in filter(str.strip, script.split(";\n")):
            conn.execute(statement.replace("%(n)s", str(n)).replace("%%", "%"))
    say(f"  {n} Einheiten angelegt in {time.perf_counter() - started:.1f} s")


def _ms(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def medians_ms(first, second, runs: int = RUNS, warm_up: int = 6) -> tuple[float, float]:
    """Medians of ``runs`` (RUNS) calls each, interleaved (first, second, first, …) so drift
    hits both alike; ``warm_up`` calls first (psycopg prepares a statement after its fifth
    run)."""
    for _ in range(warm_up):
        first(), second()
    times = [(_ms(first), _ms(second)) for _ in range(runs)]
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def explain(conn, sql: str, params) -> str:
    """PostgreSQL's plan of ``sql`` as text."""
    return "\n".join(r[0] for r in conn.execute("EXPLAIN " + sql, params))


def start_gunicorn(
    url: str, port: int, ready: Callable[[], object], app: str = "leerstand:create_app()"
) -> subprocess.Popen:
    """gunicorn as in the README (3 workers, masking logger) on the database ``url``; returns
    once ``ready()`` no longer raises OSError (else exits with gunicorn's last words). ``app``:
    e.g. ``leerstand:create_app({'API_MAX_LIMIT': 100000})`` for a setting outside the
    environment."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "LEERSTAND_ENV": "development",
        "LEERSTAND_ENV_FILE": os.devnull,
        "BASE_URL": f"http://127.0.0.1:{port}",
        "TILE_URL": "",
    }
    command = [
        str(ROOT / ".venv/bin/gunicorn"), "-w", "3", "-b", f"127.0.0.1:{port}",
        "--access-logfile", os.devnull,
        "--logger-class", "leerstand.gunicorn_logging.MaskingLogger", app,
    ]  # fmt: skip
    log = tempfile.TemporaryFile()  # noqa: SIM115 (gunicorn writes to it while it runs)
    process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=log)
    for _ in range(300):
        try:
            ready()
            return process
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.2)
    process.terminate()
    process.wait(10)
    log.seek(0)
    raise SystemExit("gunicorn startete nicht:\n" + log.read().decode(errors="replace")[-3000:])


def free_port() -> int:
    """A free TCP port on the loopback address."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port: int, method: str, path: str, cookie: str = "", body: str | None = None,
            timeout: float = 300):  # fmt: skip
    """(status, headers, body) of one request to 127.0.0.1:``port`` on a new connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def log_in(port: int, email: str, password: str) -> str:
    """The Cookie header of a logged-in staff session (the login form with its CSRF token)."""
    status, headers, body = request(port, "GET", "/login")
    jar = SimpleCookie(headers.get("Set-Cookie", ""))
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body)
    assert status == 200 and token, "Anmeldeformular ohne CSRF-Token"
    form = urlencode({"email": email, "password": password, "csrf_token": token[1].decode()})
    cookie = "; ".join(f"{k}={v.value}" for k, v in jar.items())
    status, headers, _body = request(port, "POST", "/login", cookie, form)
    assert status == 302, f"Anmeldung: HTTP {status}"
    jar.load(headers.get("Set-Cookie", ""))
    return "; ".join(f"{k}={v.value}" for k, v in jar.items())


def stop_gunicorn(server) -> None:
    """End gunicorn (on a loaded machine its workers may take a while to let go)."""
    server.terminate()
    try:
        server.wait(60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(10)
