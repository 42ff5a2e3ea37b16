"""Art. 14 DSGVO: the printed letter and the first mail to an owner carry a short privacy text
with the absolute link to the town's privacy notice, built from BASE_URL (never from the
request's host); the owner's answer page links the notice, and its language switch never
puts the secret into a further address."""

from __future__ import annotations

import re

import pytest

from leerstand.models import Municipality
from tests import factories as f
from tests.conftest import login
from tests.integration.use_requests_common import (
    ident,
    send_form,
    sent_fixture,  # noqa: F401 (the fixture "sent")
    world_fixture,  # noqa: F401 (the fixture "world")
)
from tests.smtp import body

BASE = "https://leerstand.ballenstedt.example"
SHORT = (
    "Datenschutz: Wir verarbeiten Ihre Daten als Eigentümer:in (Name, Anschrift, "
    "Kontaktdaten, Ihr Raum) für das Leerstandsmanagement der Stadtverwaltung Ballenstedt "
    "(Art. 6 Abs. 1 lit. e DSGVO)."
)


@pytest.fixture
def base_url_app(throwaway_app, _smtp_session):
    """An app with a public BASE_URL that sends mail through the loopback SMTP server."""
    return throwaway_app(
        BASE_URL=BASE, MAIL_SERVER=_smtp_session.host, MAIL_PORT=_smtp_session.port
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def test_letter_carries_the_notice_and_the_absolute_privacy_link(base_url_app, world, base):
    client = base_url_app.test_client()
    login(client, base.staff.email)
    response = send_form(client, world.match_id, {world.owner_id: "letter"})
    html = response.get_data(as_text=True)
    start = html.index('<article class="letter"')
    letter = html[start : html.index("</article>", start)]
    assert SHORT in _one_line(letter)
    assert f'<span class="privacy-url">{BASE}/datenschutz</span>' in letter
    assert "http://localhost" not in letter  # the request's host is not used


def test_letter_link_follows_the_configured_base_url(staff_client, world):
    # the test app's BASE_URL is http://localhost (the other side of the test above)
    response = send_form(staff_client, world.match_id, {world.owner_id: "letter"})
    html = response.get_data(as_text=True)
    assert '<span class="privacy-url">http://localhost/datenschutz</span>' in html


def test_first_mail_to_an_owner_carries_the_notice(base_url_app, world, base, smtp_server):
    client = base_url_app.test_client()
    login(client, base.staff.email)
    response = send_form(client, world.match_id, {world.owner_id: "email"})
    assert response.status_code == 302
    (message,) = smtp_server.wait_for(1)
    text = body(message).replace("\r\n", "\n")
    assert SHORT in _one_line(text)
    assert text.rstrip().endswith(f"Näheres: {BASE}/datenschutz")


def test_mail_of_a_second_town_links_its_page(base_url_app, session, base, smtp_server):
    other = session.get(Municipality, ident(base.other_municipality))
    w = f.request_world(session, other)
    session.commit()
    client = base_url_app.test_client()
    login(client, base.stranger.email)
    response = send_form(client, w.match.id, {w.owner.id: "email"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    (message,) = smtp_server.wait_for(1)
    assert body(message).rstrip().endswith(f"Näheres: {BASE}/k/99999999/datenschutz")


def test_answer_page_links_the_privacy_notice_and_switches_without_the_secret(client, sent):
    request_id, secret = sent
    html = client.get(f"/antwort/{secret}").get_data(as_text=True)
    assert '<p class="owner-privacy"><a href="/datenschutz">' in html
    assert f'href="/antwort/anfrage/{request_id}?lang=en"' in html
    assert [link for link in re.findall(r'href="([^"]*)"', html) if secret in link] == []
