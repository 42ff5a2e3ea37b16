"""The database stops while the app runs: every visitor gets a polite 503, then the app recovers
by itself; a statement or a row lock over its time limit gets a clear page, nothing is written.

Against a PostgreSQL cluster of this module's own (tests/own_cluster.py), stopped and started
for real; the app is the production app object with the demo, served by Flask's test client
with one app context per request, as in production."""

import threading
import time

import psycopg
import pytest
from flask_migrate import upgrade

from leerstand.db import db
from tests.conftest import csrf_token, login, make_app
from tests.own_cluster import Cluster

STAFF, STAFF_PASSWORD = "demo@ballenstedt.example", "leerstand-demo"
PUBLIC = ["/", "/bericht", "/impressum"]
PAGES = [*PUBLIC, "/verwaltung/", "/verwaltung/register", "/verwaltung/statistik"]
UNAVAILABLE = "Die Datenbank ist gerade nicht erreichbar. Bitte versuchen Sie es in einer Minute"
UNAVAILABLE_EN = "The database cannot be reached right now. Please try again in a minute."


@pytest.fixture(scope="module")
def cluster():
    own = Cluster()
    own.start()
    own.create_database("leerstand")
    yield own
    own.remove()


@pytest.fixture
def own_session():
    """This module's app uses its own database: the suite's session binding is lifted."""
    db.session.remove()
    db.sessionmaker.configure(bind=None, join_transaction_mode="conditional_savepoint")
    yield
    db.session.remove()


@pytest.fixture(scope="module")
def outage_app(cluster):
    application = make_app(DATABASE_URL=cluster.url("leerstand"), DB_LOCK_TIMEOUT_MS=300)
    db.sessionmaker.configure(bind=None, join_transaction_mode="conditional_savepoint")
    with application.app_context():
        upgrade()
    result = application.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    yield application
    application.extensions["leerstand_db"].dispose()


def statuses(client, paths) -> dict:
    return {path: client.get(path).status_code for path in paths}


def test_a_stopped_database_gives_every_visitor_a_503_and_the_app_recovers(
    outage_app, cluster, own_session
):
    visitor, staff = outage_app.test_client(), outage_app.test_client()
    login(staff, STAFF, STAFF_PASSWORD)
    assert statuses(staff, PAGES) == dict.fromkeys(PAGES, 200)
    assert statuses(visitor, ["/", "/api/units.geojson", "/healthz"]) == {
        "/": 200, "/api/units.geojson": 200, "/healthz": 200,
    }  # fmt: skip

    token = csrf_token(staff.get("/verwaltung/gebaeude/neu").get_data(as_text=True))
    cluster.stop()
    try:
        for client, paths in ((visitor, PUBLIC), (staff, PAGES)):
            for path in paths:
                response = client.get(path)
                page = response.get_data(as_text=True)
                assert response.status_code == 503, (path, page[:300])
                assert response.headers["Retry-After"] == "30"
                assert UNAVAILABLE in page and "<html" in page, path
        api = visitor.get("/api/units.geojson")
        assert api.status_code == 503 and api.headers["Retry-After"] == "30"
        assert api.get_json() == {
            "error": "Die Datenbank ist gerade nicht erreichbar. Bitte versuchen Sie es in einer"
            " Minute erneut.",
            "status": 503,
        }
        assert visitor.get("/healthz").status_code == 503
        english = visitor.get("/?lang=en")
        assert english.status_code == 503
        assert UNAVAILABLE_EN in english.get_data(as_text=True)
        # a form sent during the outage (its token from before): 503 too; without a token the
        # CSRF page, drawn without the database
        saved = staff.post("/verwaltung/gebaeude/neu", data={"street": "x", "csrf_token": token})
        assert saved.status_code == 503
        assert staff.post("/verwaltung/gebaeude/neu", data={"street": "x"}).status_code == 400
    finally:
        cluster.start()

    # the same app, not restarted: the pool replaces its dead connections
    assert statuses(staff, PAGES) == dict.fromkeys(PAGES, 200)
    assert statuses(visitor, ["/", "/api/units.geojson", "/healthz"]) == {
        "/": 200, "/api/units.geojson": 200, "/healthz": 200,
    }  # fmt: skip
    assert "Abmelden" in staff.get("/verwaltung/").get_data(as_text=True)  # still signed in


class Holder:
    """Another connection holding a lock (``statement``) until the test lets it go."""

    def __init__(self, url: str, statement: str, args: list) -> None:
        self.locked, self.release = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._hold, args=(url, statement, args))

    def _hold(self, url, statement, args):
        with psycopg.connect(url) as conn:
            conn.execute(statement, args)
            self.locked.set()
            self.release.wait(20)
            conn.rollback()

    def __enter__(self):
        self.thread.start()
        assert self.locked.wait(10)
        return self

    def __exit__(self, *_exc):
        self.release.set()
        self.thread.join(20)


def unit_row(plain: str) -> tuple:
    with psycopg.connect(plain) as conn:
        return conn.execute(
            "SELECT u.id, u.name, u.kind, u.floor, u.area_m2, u.vacancy_state,"
            " u.owner_expectation, u.version,"
            " (SELECT count(*) FROM audit_event a WHERE a.entity = 'unit' AND a.entity_id = u.id)"
            " FROM unit u ORDER BY u.id LIMIT 1"
        ).fetchone()


def test_a_held_row_lock_gives_the_conflict_page_within_the_lock_timeout(
    outage_app, cluster, own_session
):
    plain = cluster.url("leerstand").replace("+psycopg", "")
    before = unit_row(plain)
    unit_id, name, kind, floor, area, state, expectation, version, _audits = before
    staff = outage_app.test_client()
    login(staff, STAFF, STAFF_PASSWORD)
    edit = f"/verwaltung/einheiten/{unit_id}/bearbeiten"
    form = {
        "name": name, "kind": kind, "floor": floor or "", "area_m2": str(area + 7),
        "vacancy_state": state, "owner_expectation": expectation, "version": str(version),
    }  # fmt: skip
    html = staff.get(edit).get_data(as_text=True)
    with Holder(plain, "SELECT 1 FROM unit WHERE id = %s FOR UPDATE", [unit_id]):
        started = time.monotonic()
        response = staff.post(edit, data={**form, "csrf_token": csrf_token(html)})
        waited = time.monotonic() - started
    assert response.status_code == 409
    assert "Der Datensatz wurde inzwischen von jemand anderem geändert" in response.get_data(
        as_text=True
    )
    assert waited < 5  # DB_LOCK_TIMEOUT_MS=300, not gunicorn's 30 s
    assert unit_row(plain) == before  # nothing written, no audit entry


def test_a_statement_over_its_time_limit_gives_a_503_saying_so(outage_app, cluster, own_session):
    slow = make_app(
        DATABASE_URL=cluster.url("leerstand"), DB_STATEMENT_TIMEOUT_MS=200, DB_LOCK_TIMEOUT_MS=0
    )
    plain = cluster.url("leerstand").replace("+psycopg", "")
    visitor = slow.test_client()
    try:
        with Holder(plain, "LOCK TABLE unit IN ACCESS EXCLUSIVE MODE", []):
            response = visitor.get("/api/units.geojson")
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "30"
        assert response.get_json()["error"] == (
            "Die Datenbank hat nicht rechtzeitig geantwortet; es wurde nichts gespeichert."
            " Bitte versuchen Sie es in einer Minute erneut."
        )
        assert visitor.get("/api/units.geojson").status_code == 200  # lock gone: fine again
    finally:
        slow.extensions["leerstand_db"].dispose()
