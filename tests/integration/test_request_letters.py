"""Letters and mails of use requests: the greeting by salutation, periods in words (never
"– –" or "offen bis offen"), the reply slip (Antwortbogen) on its own page; the owner form's
"Anrede"."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from leerstand.models import Owner, Proposal
from tests.conftest import post_form
from tests.integration.use_requests_common import (
    reload,
    send_form,
    world_fixture,  # noqa: F401 (the fixture "world")
)
from tests.smtp import body

CODE_RE = re.compile(r'class="answer-code">([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})<')
PLACEHOLDERS = ("– –", "offen bis offen", "Zeitraum: –", "<dd>–</dd>", "<dd> – </dd>")


def _set(
    session, world, *, salutation="neutral", name="Erika Eigen", contact="", dates=(None, None)
):
    owner = session.get(Owner, world.owner_id)
    owner.salutation, owner.name, owner.contact_person = salutation, name, contact
    proposal = session.get(Proposal, world.proposal_id)
    proposal.time_from, proposal.time_to = dates
    proposal.frequency = ""
    session.commit()


def _letter(staff_client, world) -> str:
    response = send_form(staff_client, world.match_id, {world.owner_id: "letter"})
    assert response.status_code == 200, response.get_data(as_text=True)[:800]
    return response.get_data(as_text=True)


def _parts(html: str) -> tuple[str, str]:
    """(the letter, the reply slip) of a page with one letter."""
    start = html.index('<article class="letter"')
    slip = html.index('<article class="letter reply-slip"')
    return html[start:slip], html[slip : html.index("</article>", slip)]


@pytest.mark.parametrize(
    "salutation, name, contact, greeting",
    [
        ("frau", "Sabine Testfrau", "", "Sehr geehrte Frau Testfrau,"),
        ("herr", "Max Muster", "", "Sehr geehrter Herr Muster,"),
        ("frau", "Erbengemeinschaft Probe", "Dr. Petra Probe", "Sehr geehrte Frau Dr. Probe,"),
        ("neutral", "Sabine Testfrau", "", "Sehr geehrte Damen und Herren,"),
        ("organisation", "Musterbau GmbH", "Herr Beispiel", "Sehr geehrte Damen und Herren,"),
    ],
)
def test_letter_greets_by_salutation(
    staff_client, world, session, salutation, name, contact, greeting
):
    _set(session, world, salutation=salutation, name=name, contact=contact)
    letter, _slip = _parts(_letter(staff_client, world))
    assert f'<p class="greeting">{greeting}</p>' in letter
    assert "Guten Tag" not in letter
    assert letter.count("Sehr geehrte") == 1  # one greeting, no other form


def test_letter_for_a_proposal_without_dates_has_no_placeholders(staff_client, world, session):
    _set(session, world, salutation="frau", name="Sabine Testfrau")
    html = _letter(staff_client, world)
    letter, slip = _parts(html)
    assert "<dt>Zeitraum</dt><dd>nach Absprache</dd>" in letter
    for placeholder in PLACEHOLDERS:
        assert placeholder not in letter and placeholder not in slip, placeholder
    assert "Sehr geehrte Frau Testfrau," in letter


@pytest.mark.parametrize(
    "dates, wording",
    [
        ((date(2027, 3, 1), date(2027, 6, 30)), "01.03.2027 bis 30.06.2027"),
        ((date(2027, 3, 1), None), "ab 01.03.2027"),
        ((None, date(2027, 6, 30)), "bis 30.06.2027"),
    ],
)
def test_letter_period_with_dates(staff_client, world, session, dates, wording):
    _set(session, world, dates=dates)
    letter, _slip = _parts(_letter(staff_client, world))
    assert f"<dt>Zeitraum</dt><dd>{wording}</dd>" in letter
    assert "nach Absprache" not in letter


def test_the_reply_slip_is_in_the_letter(staff_client, world, session):
    _set(session, world, salutation="frau", name="Sabine Testfrau")
    html = _letter(staff_client, world)
    letter, slip = _parts(html)
    request_id = int(re.search(r'data-reply-slip="(\d+)"', slip).group(1))
    assert f'data-request="{request_id}"' in letter
    for expected in (
        "Antwortbogen",
        f"Nutzungsanfrage NA-{request_id} vom",
        "1. Ihre Antwort (bitte eines ankreuzen)",
        "Ja, unter Bedingungen",
        "Nein",
        "Ich brauche mehr Informationen",
        "3. Der Raum ist verfügbar",
        "Bisher bei uns eingetragen: nach Absprache.",
        "öffentlichen Leerstandskarte",  # the consent texts of the answer page
        "an die anfragende Initiative weitergeben",
        "Sabine Testfrau",
        "Ort, Datum",
        "Unterschrift",
        "Bitte zurück an:",
        "Rathausplatz 12, 06493 Ballenstedt",  # the town's return address (letterhead)
        "039483 123-45",
    ):
        assert expected in slip, expected
    assert slip.count('<span class="tick" aria-hidden="true"></span>') == 4 + 2
    # the letter names the reference too; the answer code is printed once, never on the slip
    assert f"Unser Zeichen: NA-{request_id}" in letter
    (code,) = CODE_RE.findall(html)
    assert html.count(code) == 1
    assert code not in slip and code.replace("-", "") not in slip
    assert "Ohne Internet?" in letter


def test_print_css_puts_the_slip_on_its_own_a4_page(client):
    css = client.get("/static/map/letter.css").get_data(as_text=True)
    assert "@page { size: A4; margin: 0; }" in css
    assert re.search(r"\.reply-slip \{[^}]*break-before: page", css)


def test_request_mail_greets_and_words_the_period(mail_staff, world, session, smtp_server):
    _set(session, world, salutation="herr", name="Max Muster")
    response = send_form(mail_staff, world.match_id, {world.owner_id: "email"})
    assert response.status_code == 302
    (message,) = smtp_server.wait_for(1)
    text = body(message).replace("\r\n", "\n")
    assert text.startswith("Sehr geehrter Herr Muster,\n")
    assert "Zeitraum: nach Absprache\n" in text
    assert "offen" not in text and "– –" not in text


def test_request_mail_neutral_greeting(mail_staff, world, session, smtp_server):
    _set(session, world, salutation="neutral", name="Max Muster", dates=(date(2027, 3, 1), None))
    send_form(mail_staff, world.match_id, {world.owner_id: "email"})
    (message,) = smtp_server.wait_for(1)
    text = body(message).replace("\r\n", "\n")
    assert text.startswith("Sehr geehrte Damen und Herren,\n")
    assert "Zeitraum: ab 01.03.2027\n" in text


# --- the owner form's "Anrede" ---------------------------------------------------------------


def _owner_count(session) -> int:
    return session.scalar(select(func.count()).select_from(Owner))


def test_owner_form_stores_and_shows_the_salutation(staff_client, session):
    page = staff_client.get("/verwaltung/eigentuemer/neu").get_data(as_text=True)
    assert "Anrede" in page and '<option value="neutral" selected>' in page
    data = {"name": "Sabine Testfrau", "kind": "person", "salutation": "frau"}
    data["preferred_channel"] = "letter"
    response = post_form(staff_client, "/verwaltung/eigentuemer/neu", data)
    assert response.status_code == 302
    owner_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert reload(session, Owner, owner_id).salutation == "frau"
    view = staff_client.get(f"/verwaltung/eigentuemer/{owner_id}").get_data(as_text=True)
    assert (
        "<dt>Anrede</dt><dd>Frau" in view
        and "Briefe beginnen mit „Sehr geehrte Frau Testfrau,“" in view
    )
    edit_url = f"/verwaltung/eigentuemer/{owner_id}/bearbeiten"
    edit = staff_client.get(edit_url).get_data(as_text=True)
    assert '<option value="frau" selected>' in edit
    version = reload(session, Owner, owner_id).version
    data.update(salutation="herr", name="Max Muster", version=str(version))
    assert post_form(staff_client, edit_url, data).status_code == 302
    assert reload(session, Owner, owner_id).salutation == "herr"


def test_owner_form_refuses_an_unknown_salutation(staff_client, session):
    before = _owner_count(session)
    data = {"name": "X", "kind": "person", "salutation": "madame", "preferred_channel": "letter"}
    response = post_form(staff_client, "/verwaltung/eigentuemer/neu", data)
    assert response.status_code == 422
    assert "Bitte wählen Sie eine Anrede aus der Liste." in response.get_data(as_text=True)
    assert _owner_count(session) == before


def test_owner_without_salutation_in_the_form_is_neutral(staff_client, session):
    data = {"name": "Verein Beispiel e.V.", "kind": "association", "preferred_channel": "email"}
    response = post_form(staff_client, "/verwaltung/eigentuemer/neu", data)
    assert response.status_code == 302
    owner_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert reload(session, Owner, owner_id).salutation == "neutral"
