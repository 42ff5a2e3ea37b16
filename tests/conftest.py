"""Test fixtures on a real PostGIS.

The schema is built once per run by the Alembic migrations (``TEST_DATABASE_URL``, set by
scripts/test). Base data (Ballenstedt with its real boundary, districts, three users) is
committed once; every test runs inside an outer transaction that is rolled back at the end
(SQLAlchemy's "join a session into an external transaction" recipe, savepoint per commit).
Browser tests use a live server and commit for real; their fixture truncates afterwards."""

from __future__ import annotations

import os
import re
import tempfile

import pytest
from sqlalchemy import create_engine, text

from leerstand import create_app
from leerstand.db import db
from tests import factories

pytest_plugins = ["tests.smtp"]

TEST_DATABASE_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://leerstand@127.0.0.1:55432/leerstand_test"
)
PASSWORD = "richtig-geheim-123"
OUTBOX = tempfile.mkdtemp(prefix="leerstand-test-outbox-")  # mail without SMTP lands here
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
    }
    config.update(overrides)
    return create_app(config)


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
        factories.base_data(db.session, PASSWORD)
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
def base(session):
    return factories.Base.load(session)


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
