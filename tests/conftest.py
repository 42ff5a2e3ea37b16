"""Test fixtures on a real PostGIS.

The schema is built once per run by the Alembic migrations (``TEST_DATABASE_URL``, set by
scripts/test). The base data (tests/base_data.py: Ballenstedt with its real boundary and
districts, users) is committed once; every test runs inside an outer transaction that is
rolled back at the end (SQLAlchemy's "join a session into an external transaction" recipe,
savepoint per commit). Tests that commit for real (browser tests with a live server) clean up
with ``truncate_volatile``. ``make_app`` pins every setting a test may depend on, so that the
developer's environment (MAIL_SERVER, BASE_URL, …) never leaks into the suite."""

from __future__ import annotations

import logging
import os
import re
import tempfile

import pytest
from sqlalchemy import create_engine, text

from leerstand import create_app
from leerstand.db import db
from tests.base_data import Base, base_data
from tests.factories import ident

pytest_plugins = ["tests.smtp"]

TEST_DATABASE_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://leerstand@127.0.0.1:55432/leerstand_test"
)
PASSWORD = "richtig-geheim-123"
OUTBOX = tempfile.mkdtemp(prefix="leerstand-test-outbox-")  # mail without SMTP lands here
MEDIA_DIR = tempfile.mkdtemp(prefix="leerstand-test-media-")  # the disk store of the tests
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def make_app(**overrides):
    config = {
        "TESTING": True,
        "DATABASE_URL": TEST_DATABASE_URL,
        "SECRET_KEY": "test-secret",
        "RATELIMIT_ENABLED": False,
        "TILE_URL": "",
        "SERVER_NAME": None,
        "OUTBOX_DIR": OUTBOX,
        "MEDIA_STORE": "disk",
        "MEDIA_DIR": MEDIA_DIR,  # photos of the demo seeded by some tests; never the repo's
        "MAIL_SERVER": "",
        "MAIL_USE_TLS": False,
        "MAIL_USERNAME": "",
        "MAIL_PASSWORD": "",
        "MAIL_FROM": "leerstand@localhost",
        "BASE_URL": "http://localhost",  # the test client's host: links look like url_for's
        "REQUEST_VALID_DAYS": 30,
        "REQUEST_REMINDER_DAYS": 14,
        "INTERIM_END_REMINDER_DAYS": 14,
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_LOCK_MINUTES": 10,
        "PAGE_SIZE": 25,
        "BABEL_DEFAULT_LOCALE": "de",
        "RATELIMIT_STORAGE_URI": "memory://",
        "SESSION_COOKIE_SECURE": False,
    }
    config.update(overrides)
    application = create_app(config)
    application.teardown_request(_forget_user)
    return application


def _forget_user(exc=None) -> None:
    """Flask-Login caches the user in ``g``, and Flask-Babel the locale; ``g`` lives in the app
    context. The tests keep one app context open across requests, so without this a request
    could reuse the user (a copied cookie after logout would seem to work or fail for the wrong
    reason) or the language of the previous one. In production every request has its own app
    context."""
    from flask import g

    g.pop("_login_user", None)
    g.pop("_flask_babel", None)


def reload(session, obj):
    """The row of ``obj`` as stored now (requests end with ``session.remove()``, which detaches
    and expires the test's objects)."""
    return session.get(type(obj), ident(obj), populate_existing=True)


# the base data (``tests.base_data``) stays; everything else goes
BASE_TABLES = frozenset({"municipality", "district", "app_user"})
LETTER_FIELDS = ("letterhead", "contact_email", "contact_phone", "letter_signature")


def truncate_volatile(engine) -> None:
    """Empty every table but the base data, for tests that commit for real (browser tests,
    concurrency): all tables of the models except ``BASE_TABLES``, the municipalities' letter
    fields reset, users other than the base data's deleted."""
    import leerstand.models  # noqa: F401  (every model in the metadata)

    quote = engine.dialect.identifier_preparer.quote
    tables = [quote(t.name) for t in db.metadata.sorted_tables if t.name not in BASE_TABLES]
    reset = ", ".join(f"{name} = NULL" for name in LETTER_FIELDS)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        conn.execute(text(f"UPDATE municipality SET {reset}"))
        conn.execute(text("UPDATE app_user SET last_login_at = NULL"))  # logins of the run
        conn.execute(
            text(
                "DELETE FROM app_user WHERE email NOT LIKE '%@test.example'"
                " AND email <> 'staff@anderswo.example'"
            )
        )


def _reset_schema(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def app():
    from flask_migrate import upgrade

    _reset_schema(TEST_DATABASE_URL)
    application = make_app()
    with application.app_context():
        upgrade()
        base_data(db.session, PASSWORD)
        db.session.commit()
        db.session.remove()
    return application


@pytest.fixture(autouse=True)
def session(request, app):
    """A session bound to one connection inside a transaction rolled back after the test."""
    if request.node.get_closest_marker("browser"):
        with app.app_context():
            yield db.session
        return
    ctx = app.app_context()
    ctx.push()
    connection = db.get_engine().connect()
    outer = connection.begin()
    db.sessionmaker.configure(bind=connection, join_transaction_mode="create_savepoint")
    db.session.remove()
    try:
        yield db.session
    finally:
        ctx.pop()
        db.session.remove()
        outer.rollback()
        connection.close()
        db.sessionmaker.configure(bind=None, join_transaction_mode="conditional_savepoint")


@pytest.fixture(autouse=True)
def _rate_limits_off_again():
    """The limiter is one object for every app in this process: a test that builds an app with
    RATELIMIT_ENABLED=True switches it on for all of them, so switch it off after each test."""
    yield
    from leerstand.extensions import limiter

    if limiter.enabled:
        limiter.reset()
        limiter.enabled = False


@pytest.fixture
def throwaway_app():
    """``throwaway_app(**overrides)`` builds a further app (e.g. rate limits on, a broken mail
    server); the engines of those apps are disposed after the test."""
    built = []

    def build(**overrides):
        application = make_app(**overrides)
        built.append(application)
        return application

    yield build
    for application in built:
        application.extensions["leerstand_db"].dispose()


@pytest.fixture
def base(session):
    return Base.load(session)


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def post_form(client, url: str, data: dict, page: str | None = None, **kwargs):
    """GET ``page`` (default ``url``), take its CSRF token, POST ``data`` to ``url``."""
    html = client.get(page or url).get_data(as_text=True)
    payload = dict(data)
    payload["csrf_token"] = csrf_token(html)
    return client.post(url, data=payload, **kwargs)


def login(client, email: str, password: str = PASSWORD):
    response = post_form(client, "/login", {"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def staff_client(client, base):
    login(client, base.staff.email)
    return client


@pytest.fixture
def admin_client(client, base):
    login(client, base.admin.email)
    return client


@pytest.fixture
def viewer_client(client, base):
    login(client, base.viewer.email)
    return client


# --- no secret in any log line of the whole suite -------------------------------------------
# Every record any logger of this process writes during the run is kept (message only) and
# searched at the end for the test password, the demo's answer code, and link or reset tokens in
# paths that the masking (leerstand/log_masking.py) should have replaced by ***.
SECRET_IN_LOG = re.compile(
    r"/antwort/(?!\*\*\*|anfrage)[A-Za-z0-9_-]{6,}|/passwort-neu/(?!\*\*\*)[A-Za-z0-9_-]{6,}"
    r"|HARZ-?ANTW-?RT23|" + re.escape(PASSWORD)
)


class _LogKeeper(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(f"{record.name}: {record.getMessage()}")
        except Exception:  # a record that cannot be formatted is not ours to fail
            self.lines.append(f"{record.name}: {record.msg!r}")


@pytest.fixture(scope="session")
def _log_keeper():
    keeper = _LogKeeper()
    yield keeper
    logging.getLogger().removeHandler(keeper)
    found = [line for line in keeper.lines if SECRET_IN_LOG.search(line)]
    assert found == [], f"{len(found)} log lines with a secret, e.g. {found[:3]}"


@pytest.fixture(autouse=True)
def _no_secret_in_any_log_line(_log_keeper):
    """Before every test: the keeper on the root logger (Alembic's env.py, run by every
    migration, replaces the root logger's handlers)."""
    root = logging.getLogger()
    if _log_keeper not in root.handlers:
        root.addHandler(_log_keeper)
