"""Initiative accounts: registration with a confirmation mail (real SMTP on loopback), the
confirmation link, login with lockout, profile; no access to the staff area; rate limit."""

import time

from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select

from leerstand.models import Initiative
from leerstand.services.accounts import initiatives as service
from tests.conftest import post_form
from tests.initiatives import (
    INITIATIVE_PASSWORD,
    XSS,
    initiative,
    login_initiative,
    rate_limited_app,
    reload,
)
from tests.smtp import body, links

REGISTRATION = {
    "name": "Jugendclub Test e.V.",
    "contact_person": "Jana Test",
    "email": "Jana@Example.org",
    "password": "sehr-geheim-42",
    "password2": "sehr-geheim-42",
    "website": "https://jugendclub.example.org",
    "profile": "Wir suchen einen Raum.",
}


def _register(client, **overrides):
    return post_form(client, "/initiative/registrieren", {**REGISTRATION, **overrides})


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Initiative))


def test_register_confirm_by_mail_and_login(mail_client, smtp_server, session):
    response = _register(mail_client)
    assert response.status_code == 302
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "jana@example.org"
    assert message.get_content_type() == "text/plain"
    (link,) = links(message)
    assert "/initiative/bestaetigen/" in link

    response = login_initiative(mail_client, "jana@example.org", "sehr-geheim-42")
    assert response.status_code == 401
    assert "bestätigen Sie zuerst" in response.get_data(as_text=True)

    page = mail_client.get(link)  # opening the link changes nothing
    assert page.status_code == 200
    created = session.scalar(select(Initiative).where(Initiative.email == "jana@example.org"))
    assert created.email_confirmed_at is None
    response = post_form(mail_client, link, {})
    assert response.status_code == 302
    created = reload(session, created)
    assert created.confirmed

    response = login_initiative(mail_client, "jana@example.org", "sehr-geheim-42")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/initiative/ideen")
    assert mail_client.get("/initiative/ideen").status_code == 200


def test_registration_errors_are_german_and_write_nothing(client, base, session):
    before = _count(session)
    cases = [
        ({"password": "kurz", "password2": "kurz"}, "mindestens 10 Zeichen"),
        ({"password2": "anders-als-oben"}, "stimmen nicht überein"),
        ({"email": "keine-adresse"}, "gültige E-Mail-Adresse"),
        ({"name": ""}, "Namen der Initiative"),
        ({"website": "javascript:alert(1)"}, "http:// oder https://"),
        ({"website": "ftp://example.org"}, "http:// oder https://"),
    ]
    for overrides, message in cases:
        response = _register(client, **overrides)
        assert response.status_code == 422, overrides
        assert message in response.get_data(as_text=True)
    assert _count(session) == before


def test_expired_and_tampered_tokens(client, app, base, session, monkeypatch):
    ini = initiative(session, base.municipality, confirmed=False)
    token = service.confirmation_token(app.config["SECRET_KEY"], ini)
    response = client.get(f"/initiative/bestaetigen/{token}x")
    assert response.status_code == 400
    assert "Bestätigungslink ist ungültig" in response.get_data(as_text=True)

    serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=service.CONFIRM_SALT)
    four_days_ago = time.time() - 4 * 24 * 3600
    with monkeypatch.context() as patch:
        patch.setattr("itsdangerous.timed.time.time", lambda: four_days_ago)
        expired = serializer.dumps({"id": ini.id, "email": ini.email})
    response = post_form(
        client, f"/initiative/bestaetigen/{expired}", {}, page="/initiative/anmelden"
    )
    assert response.status_code == 400
    assert "abgelaufen" in response.get_data(as_text=True)
    ini = reload(session, ini)
    assert ini.email_confirmed_at is None


def test_resend_link(mail_client, smtp_server, base, session):
    ini = initiative(session, base.municipality, confirmed=False)
    response = post_form(
        mail_client,
        "/initiative/bestaetigung-senden",
        {"email": ini.email},
        page="/initiative/anmelden",
    )
    assert response.status_code == 302
    (message,) = smtp_server.wait_for(1)
    assert "/initiative/bestaetigen/" in body(message)


def test_wrong_password_locks_after_five_failures(client, base, session):
    ini = initiative(session, base.municipality)
    for _ in range(5):
        assert login_initiative(client, ini.email, "falsch-falsch").status_code == 401
    assert reload(session, ini).locked_until is not None
    response = login_initiative(client, ini.email)
    assert response.status_code == 401
    assert "für einige Minuten gesperrt" in response.get_data(as_text=True)


def test_profile_edit(client, base, session):
    ini = initiative(session, base.municipality)
    login_initiative(client, ini.email)
    page = client.get("/initiative/profil").get_data(as_text=True)
    assert ini.email in page
    data = {
        "name": XSS,
        "contact_person": "Neue Person",
        "website": "http://neu.example.org",
        "profile": "Kurzprofil",
        "version": str(ini.version),
    }
    response = post_form(client, "/initiative/profil", data)
    assert response.status_code == 302
    ini = reload(session, ini)
    assert ini.name == XSS and ini.contact_person == "Neue Person"
    html = client.get("/initiative/profil").get_data(as_text=True)
    assert XSS not in html and "&lt;img src=x onerror=alert(1)&gt;" in html

    bad = {**data, "website": "javascript:alert(1)", "version": str(ini.version)}
    response = post_form(client, "/initiative/profil", bad)
    assert response.status_code == 422
    assert "http:// oder https://" in response.get_data(as_text=True)
    ini = reload(session, ini)
    assert ini.website == "http://neu.example.org"


def test_password_change_needs_the_current_password(client, base, session):
    ini = initiative(session, base.municipality)
    login_initiative(client, ini.email)
    data = {
        "name": ini.name,
        "version": str(ini.version),
        "password": "ganz-neues-pw-1",
        "password2": "ganz-neues-pw-1",
        "current_password": "falsch",
    }
    response = post_form(client, "/initiative/profil", data)
    assert response.status_code == 422
    data["current_password"] = INITIATIVE_PASSWORD
    assert post_form(client, "/initiative/profil", data).status_code == 302
    ini = reload(session, ini)
    assert ini.check_password("ganz-neues-pw-1")


def test_initiative_cannot_reach_staff_area(client, base, session):
    ini = initiative(session, base.municipality)
    login_initiative(client, ini.email)
    assert client.get("/verwaltung/").status_code == 403
    assert client.get("/verwaltung/ideen-pruefen").status_code == 403
    assert client.get("/verwaltung/register").status_code == 403


def test_staff_cannot_use_initiative_pages(staff_client):
    assert staff_client.get("/initiative/ideen").status_code == 403


def test_anonymous_is_sent_to_initiative_login(client):
    response = client.get("/initiative/ideen")
    assert response.status_code == 302
    assert "/initiative/anmelden" in response.headers["Location"]


def test_unconfirmed_session_is_not_loaded(mail_client, base, session):
    # mail_client's app gets a fresh app context (and user) per request
    ini = initiative(session, base.municipality)
    login_initiative(mail_client, ini.email)
    assert mail_client.get("/initiative/ideen").status_code == 200
    ini = reload(session, ini)
    ini.email_confirmed_at = None
    session.commit()
    assert mail_client.get("/initiative/ideen").status_code == 302


def test_registration_is_rate_limited(base):
    with rate_limited_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=1) as limited:
        client = limited.test_client()
        codes = [
            _register(client, email=f"flut{i}@example.org", password="x", password2="x")
            for i in range(6)
        ]
        assert [r.status_code for r in codes[:5]] == [422] * 5
        assert codes[5].status_code == 429
        assert "Zu viele Versuche" in codes[5].get_data(as_text=True)


def test_initiative_login_is_rate_limited(base):
    with rate_limited_app() as limited:
        client = limited.test_client()
        codes = [login_initiative(client, "x@example.org", "y").status_code for _ in range(21)]
    assert set(codes[:20]) == {401}
    assert codes[20] == 429
