"""Health check, login/logout, throttling, roles and the create-user command."""

from sqlalchemy import select

from leerstand.models import User
from tests.conftest import PASSWORD, login, make_app, post_form, reload


def test_healthz_reports_database_and_migration(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["database"] == "ok"
    assert body["migration"]
    assert body["postgis"].startswith("3")


def test_healthz_is_503_when_database_unreachable():
    broken = make_app(DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:9/nothing")
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_staff_pages_need_login(client):
    response = client.get("/verwaltung/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_login_with_wrong_password_is_refused_in_german(client, base):
    response = post_form(client, "/login", {"email": base.staff.email, "password": "falsch"})
    assert response.status_code == 401
    assert "E-Mail-Adresse oder Passwort ist falsch, oder das Konto" in response.get_data(
        as_text=True
    )


def test_login_without_csrf_token_is_refused(client, base):
    response = client.post("/login", data={"email": base.staff.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Formular ist abgelaufen" in response.get_data(as_text=True)


def test_login_and_logout(client, base):
    login(client, base.staff.email)
    home = client.get("/verwaltung/")
    assert home.status_code == 200
    assert "Wiedervorlage" in home.get_data(as_text=True)
    response = post_form(client, "/logout", {}, page="/verwaltung/")
    assert response.status_code == 302
    assert client.get("/verwaltung/").status_code == 302


def test_login_errors_follow_the_language(client, base):
    client.get("/login?lang=en")
    wrong = post_form(client, "/login", {"email": base.viewer.email, "password": "falsch"})
    assert wrong.status_code == 401
    assert "Sign-in failed: the email address or password is incorrect" in wrong.get_data(
        as_text=True
    )
    unknown = post_form(client, "/login", {"email": "niemand@test.example", "password": "x"})
    assert unknown.status_code == 401
    assert "Sign-in failed: the email address or password is incorrect" in unknown.get_data(
        as_text=True
    )


def test_failed_logins_lock_the_account(client, base, session):
    for _ in range(5):
        post_form(client, "/login", {"email": base.viewer.email, "password": "falsch"})
    assert reload(session, base.viewer).locked_until is not None
    response = post_form(client, "/login", {"email": base.viewer.email, "password": PASSWORD})
    assert response.status_code == 401
    assert "E-Mail-Adresse oder Passwort ist falsch, oder das Konto" in response.get_data(
        as_text=True
    )


def test_login_is_rate_limited_per_address(base):
    limited = make_app(RATELIMIT_ENABLED=True)
    client = limited.test_client()
    codes = [
        post_form(client, "/login", {"email": "x@example.org", "password": "y"}).status_code
        for _ in range(21)
    ]
    assert codes[-1] == 429
    assert set(codes[:20]) == {401}


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_create_user_reads_password_from_stdin(app, session):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-user", "--email", "neu@test.example", "--role", "viewer"],
        input="ein-langes-passwort\n",
    )
    assert result.exit_code == 0, result.output
    user = session.scalar(select(User).where(User.email == "neu@test.example"))
    assert user.role == "viewer"
    assert user.check_password("ein-langes-passwort")


def test_create_user_refuses_short_password(app, session):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "--email", "kurz@test.example"], input="kurz\n")
    assert result.exit_code != 0
    assert "mindestens 10 Zeichen" in result.output
    assert session.scalar(select(User).where(User.email == "kurz@test.example")) is None
