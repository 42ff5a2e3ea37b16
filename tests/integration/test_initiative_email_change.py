"""An initiative changes its e-mail address in its profile: the new address waits in
``pending_email`` until the link mailed to it is confirmed with a POST; the old address gets a
notice; an address another account uses gets the same answer, and that account is mailed
instead of a link."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leerstand.models import Initiative
from tests.conftest import post_form
from tests.initiatives import initiative, login_initiative, reload
from tests.smtp import body, links

PROFILE = "/initiative/profil"
SENT = "Wir haben einen Bestätigungslink an {} geschickt."


@pytest.fixture
def member(mail_app, base, session):
    """A logged-in initiative (verein@example.org) on the app that mails over SMTP."""
    ini = initiative(session, base.municipality, email="verein@example.org", name="Heimatverein")
    client = mail_app.test_client()
    assert login_initiative(client, "verein@example.org").status_code == 302
    return client, ini


def _change(client, new_email: str, password: str = "initiative-geheim-123"):
    form = {"new_email": new_email, "email_password": password}
    return post_form(client, "/initiative/profil/email", form, page=PROFILE)


def _by_to(messages) -> dict:
    return {m["To"]: m for m in messages}


def test_change_with_reconfirmation(member, mail_app, smtp_server, session):
    client, ini = member
    response = _change(client, "Neu@Example.org")
    assert response.status_code == 303 and response.headers["Location"] == PROFILE
    page = client.get(PROFILE).get_data(as_text=True)
    assert SENT.format("neu@example.org") in page
    assert "Neue Adresse neu@example.org wartet auf die Bestätigung" in page
    stored = reload(session, ini)
    assert (stored.email, stored.pending_email) == ("verein@example.org", "neu@example.org")

    mails = _by_to(smtp_server.wait_for(2))
    assert set(mails) == {"neu@example.org", "verein@example.org"}
    notice = body(mails["verein@example.org"])
    assert "neue\nE-Mail-Adresse eingetragen" in notice.replace("\r\n", "\n")
    assert "/initiative/email-bestaetigen/" not in notice
    (link,) = [x for x in links(mails["neu@example.org"]) if "/email-bestaetigen/" in x]
    path = link.removeprefix("http://localhost")

    other_browser = mail_app.test_client()  # the link also works without a login
    shown = other_browser.get(path)
    assert shown.status_code == 200
    assert "wechselt von verein@example.org zu neu@example.org" in shown.get_data(as_text=True)
    assert reload(session, ini).email == "verein@example.org"  # GET changes nothing

    confirmed = post_form(other_browser, path, {})
    assert confirmed.status_code == 303
    stored = reload(session, ini)
    assert (stored.email, stored.pending_email) == ("neu@example.org", None)
    assert login_initiative(mail_app.test_client(), "neu@example.org").status_code == 302
    assert login_initiative(mail_app.test_client(), "verein@example.org").status_code == 401
    assert mail_app.test_client().get(path).status_code == 400  # used: nothing pending


def test_wrong_password_or_same_address_changes_nothing(member, smtp_server, session):
    client, ini = member
    wrong = _change(client, "neu@example.org", "falsch-falsch")
    assert wrong.status_code == 422
    html = wrong.get_data(as_text=True)
    message = "Das Passwort ist falsch. Die E-Mail-Adresse bleibt unverändert."
    assert message in html and html.index(message) < html.index('name="new_email"')
    same = _change(client, "VEREIN@example.org")
    assert same.status_code == 422
    assert "Das ist schon Ihre E-Mail-Adresse." in same.get_data(as_text=True)
    bad = _change(client, "kein-at-zeichen")
    assert bad.status_code == 422
    assert reload(session, ini).pending_email is None
    assert smtp_server.messages == []


def test_a_taken_address_is_answered_alike_and_its_account_mailed(
    member, base, smtp_server, session
):
    client, ini = member
    initiative(session, base.municipality, email="belegt@example.org", name="Kunstverein")
    response = _change(client, "belegt@example.org")
    assert response.status_code == 303 and response.headers["Location"] == PROFILE
    assert SENT.format("belegt@example.org") in client.get(PROFILE).get_data(as_text=True)
    mails = _by_to(smtp_server.wait_for(2))
    assert set(mails) == {"belegt@example.org", "verein@example.org"}
    taken = body(mails["belegt@example.org"])
    assert "Kunstverein" in taken and "/email-bestaetigen/" not in taken
    emails = session.scalars(select(Initiative.email).order_by(Initiative.email)).all()
    assert "belegt@example.org" in emails and reload(session, ini).email == "verein@example.org"


def test_a_newer_request_voids_the_older_link(member, smtp_server, session):
    client, ini = member
    _change(client, "erst@example.org")
    first = _by_to(smtp_server.wait_for(2))["erst@example.org"]
    (old_link,) = [x for x in links(first) if "/email-bestaetigen/" in x]
    _change(client, "dann@example.org")
    smtp_server.wait_for(4)
    refused = client.get(old_link.removeprefix("http://localhost"))
    assert refused.status_code == 400
    assert "Der Bestätigungslink ist ungültig oder abgelaufen" in refused.get_data(as_text=True)
    assert reload(session, ini).email == "verein@example.org"


def test_a_tampered_link_is_refused(client):
    assert client.get("/initiative/email-bestaetigen/abc.def.ghi").status_code == 400
