"""Password reset by mail (staff and initiatives) over the real loopback SMTP server: the link
works once, expires after 60 minutes, a new request voids the older link, only the token's
SHA-256 is stored, the token leaves the address bar, and every session of the account ends
after the reset. Unknown addresses: ``test_password_reset_no_enumeration``."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select, text

from leerstand.log_masking import mask
from leerstand.models import Initiative, PasswordReset, User
from leerstand.services.accounts import reset_tokens
from tests.conftest import PASSWORD, csrf_token, login, post_form
from tests.initiatives import initiative, login_initiative, reload
from tests.smtp import body, links

NEW = "ein-neues-passwort-42"
SENT = "Wenn es ein Konto mit dieser Adresse gibt, ist eine E-Mail mit einem Link unterwegs."
INVALID = "Dieser Link ist ungültig, abgelaufen oder wurde schon benutzt."


@pytest.fixture
def staff(base):
    return SimpleNamespace(email=base.staff.email, id=base.staff.id, obj=base.staff)


def _ask(client, url: str, email: str):
    """POST the form and close the answer as a WSGI server does: the mail goes out then."""
    response = post_form(client, url, {"email": email})
    response.close()
    return response


def _link(message) -> str:
    (link,) = [link for link in links(message) if "/passwort-neu/" in link]
    return link


def _path(link: str) -> str:
    assert link.startswith("http://localhost/passwort-neu/"), link
    return link.removeprefix("http://localhost")


def _set(client, password: str = NEW, password2: str | None = None):
    data = {"password": password, "password2": password if password2 is None else password2}
    return post_form(client, "/passwort-neu", data)


def _resets(session, **owner) -> list[PasswordReset]:
    (column,) = owner
    query = select(PasswordReset).where(getattr(PasswordReset, column) == owner[column])
    return list(session.scalars(query.order_by(PasswordReset.id)))


def _logged_in(client, url: str) -> bool:
    status = client.get(url).status_code
    assert status in (200, 302), status
    return status == 200


def test_staff_reset_end_to_end(mail_app, smtp_server, staff, session):
    other_browser = mail_app.test_client()
    login(other_browser, staff.email)
    client = mail_app.test_client()
    assert 'href="/passwort-vergessen"' in client.get("/login").get_data(as_text=True)

    answer = _ask(client, "/passwort-vergessen", staff.email)
    assert answer.status_code == 303 and answer.headers["Location"] == "/login"
    assert SENT in client.get("/login").get_data(as_text=True)
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == staff.email and message["Subject"] == "Neues Passwort festlegen"
    assert "60 Minuten gültig, nur einmal nutzbar" in body(message)
    link = _link(message)
    token = link.rsplit("/", 1)[1]

    (row,) = _resets(session, user_id=staff.id)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.expires_at - row.created_at == timedelta(minutes=60)
    assert row.used_at is None
    stored = session.execute(text("SELECT password_reset::text FROM password_reset")).scalars()
    assert all(token not in line for line in stored)

    opened = client.get(_path(link))  # opening changes nothing and drops the token from the URL
    assert opened.status_code == 303 and opened.headers["Location"] == "/passwort-neu"
    page = client.get("/passwort-neu")
    assert page.status_code == 200 and staff.email in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "private, no-store"
    assert reload(session, row).used_at is None
    assert reload(session, staff.obj).check_password(PASSWORD)

    short = _set(client, "kurz", "kurz")
    assert short.status_code == 422
    assert "mindestens 10 Zeichen" in short.get_data(as_text=True)
    assert reload(session, row).used_at is None

    done = _set(client)
    assert done.status_code == 303 and done.headers["Location"] == "/login"
    user = reload(session, staff.obj)
    assert user.check_password(NEW) and not user.check_password(PASSWORD)
    assert reload(session, row).used_at is not None
    assert not _logged_in(other_browser, "/verwaltung/")
    login(mail_app.test_client(), staff.email, NEW)

    # the link works once: neither the mailed link nor the remembered page open again
    again = mail_app.test_client().get(_path(link))
    assert again.status_code == 404 and INVALID in again.get_data(as_text=True)
    assert client.get("/passwort-neu").status_code == 404


def test_a_second_browser_cannot_use_the_link_after_the_first(
    mail_app, smtp_server, staff, session
):
    first, second = mail_app.test_client(), mail_app.test_client()
    _ask(first, "/passwort-vergessen", staff.email)
    link = _link(smtp_server.wait_for(1)[0])
    first.get(_path(link))
    second.get(_path(link))
    assert _set(first).status_code == 303
    token = csrf_token(second.get("/login").get_data(as_text=True))
    refused = second.post(
        "/passwort-neu",
        data={
            "password": "noch-ein-passwort-9",
            "password2": "noch-ein-passwort-9",
            "csrf_token": token,
        },
    )
    assert refused.status_code == 404
    assert reload(session, staff.obj).check_password(NEW)


def test_a_new_request_voids_the_older_link(mail_app, smtp_server, staff, session):
    client = mail_app.test_client()
    _ask(client, "/passwort-vergessen", staff.email)
    older = _link(smtp_server.wait_for(1)[0])
    _ask(client, "/passwort-vergessen", staff.email)
    newer = _link(smtp_server.wait_for(2)[1])
    assert older != newer
    assert client.get(_path(older)).status_code == 404
    assert client.get(_path(newer)).status_code == 303
    assert [r.used_at is None for r in _resets(session, user_id=staff.id)] == [False, True]


def test_a_password_change_voids_the_link(mail_app, smtp_server, staff, session):
    client = mail_app.test_client()
    _ask(client, "/passwort-vergessen", staff.email)
    link = _link(smtp_server.wait_for(1)[0])
    login(client, staff.email)
    changed = post_form(
        client, "/passwort", {"current_password": PASSWORD, "password": NEW, "password2": NEW}
    )
    assert changed.status_code == 302
    assert mail_app.test_client().get(_path(link)).status_code == 404


def test_the_link_expires_after_60_minutes(session, staff):
    issued = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    token = reset_tokens.issue(session, staff.obj, timedelta(minutes=60), issued)
    just_before = issued + timedelta(minutes=59, seconds=59)
    assert reset_tokens.find(session, token, just_before) is not None
    assert reset_tokens.find(session, token, issued + timedelta(minutes=60)) is None


def test_an_expired_link_does_not_open(mail_app, smtp_server, staff, session):
    client = mail_app.test_client()
    _ask(client, "/passwort-vergessen", staff.email)
    link = _link(smtp_server.wait_for(1)[0])
    (row,) = _resets(session, user_id=staff.id)
    row.expires_at = datetime.now(UTC) + timedelta(seconds=30)
    session.commit()
    assert client.get(_path(link)).status_code == 303  # still valid: opens
    row = reload(session, row)
    row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    session.commit()
    assert client.get("/passwort-neu").status_code == 404  # expired in the meantime
    assert mail_app.test_client().get(_path(link)).status_code == 404
    assert reload(session, staff.obj).check_password(PASSWORD)


def test_initiative_reset_end_to_end(mail_app, smtp_server, base, session):
    ini = initiative(session, base.municipality, email="verein@example.org")
    other_browser = mail_app.test_client()
    assert login_initiative(other_browser, "verein@example.org").status_code == 302
    client = mail_app.test_client()
    page = client.get("/initiative/anmelden").get_data(as_text=True)
    assert 'href="/initiative/passwort-vergessen"' in page

    answer = _ask(client, "/initiative/passwort-vergessen", "Verein@Example.org")
    assert answer.headers["Location"] == "/initiative/anmelden"
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "verein@example.org"
    link = _link(message)
    assert client.get(_path(link)).status_code == 303
    done = _set(client)
    assert done.status_code == 303 and done.headers["Location"] == "/initiative/anmelden"
    assert reload(session, ini).check_password(NEW)
    assert not _logged_in(other_browser, "/initiative/ideen")
    assert login_initiative(mail_app.test_client(), "verein@example.org", NEW).status_code == 302
    assert mail_app.test_client().get(_path(link)).status_code == 404


def test_the_link_confirms_an_unconfirmed_initiative(mail_app, smtp_server, base, session):
    ini = initiative(session, base.municipality, confirmed=False, email="neu@example.org")
    client = mail_app.test_client()
    _ask(client, "/initiative/passwort-vergessen", "neu@example.org")
    client.get(_path(_link(smtp_server.wait_for(1)[0])))
    assert _set(client).status_code == 303
    assert reload(session, ini).email_confirmed_at is not None
    assert session.get(Initiative, ini.id).check_password(NEW)


def test_a_reset_lifts_a_lockout_and_is_audited(mail_app, smtp_server, staff, session):
    user = staff.obj
    user.locked_until = datetime.now(UTC) + timedelta(minutes=10)
    session.commit()
    client = mail_app.test_client()
    _ask(client, "/passwort-vergessen", staff.email)
    client.get(_path(_link(smtp_server.wait_for(1)[0])))
    _set(client)
    assert reload(session, user).locked_until is None
    login(mail_app.test_client(), staff.email, NEW)
    from leerstand.models import AuditEvent

    events = session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.entity == "app_user", AuditEvent.entity_id == staff.id
        )
    ).all()
    assert events == ["password_changed"]
    assert session.get(User, staff.id).last_login_at is not None


def test_a_tampered_token_is_refused(client):
    for token in ("x", "a" * 43, "a" * 300):
        response = client.get(f"/passwort-neu/{token}")
        assert response.status_code == 404
    assert client.get("/passwort-neu").status_code == 404


def test_logs_mask_the_reset_token():
    assert (
        mask('"GET /passwort-neu/AbC-_12x HTTP/1.1" 303') == '"GET /passwort-neu/*** HTTP/1.1" 303'
    )
    assert mask('"POST /passwort-neu HTTP/1.1" 303') == '"POST /passwort-neu HTTP/1.1" 303'
