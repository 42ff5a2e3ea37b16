"""The whole loop in real Chromium with real SMTP on loopback: staff publish an initiative's
proposal, which is matched to a vacant shop on the Allee; staff shortlist the match and send a use
request by e-mail; the owner opens the personal link from the captured mail (no account) and
answers "yes with conditions", agreeing to the public map and to passing on the contact; staff
see the answer and record the interim use; the initiative gets its mails; the public map shows
the unit "in Zwischennutzung"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from shapely.geometry import Point

from leerstand.dates import local_today
from leerstand.db import db
from leerstand.models import Initiative, Municipality, Proposal, Unit
from leerstand.spatial.geometry import to_db
from tests import factories as f
from tests.browser.conftest import browser_login
from tests.smtp import body, links

OWNER_EMAIL = "erika.eigentuemerin@example.org"
INITIATIVE_EMAIL = "kunstverein-loop@example.org"
TITLE = "Galerie auf Zeit"


@dataclass
class World:
    proposal_id: int
    unit_id: int


def _world(app) -> World:
    with app.app_context():
        session = db.session
        muni = session.query(Municipality).filter_by(ags="15085040").one()
        building = f.building(session, muni, street="Allee", house_number="21")
        unit = f.unit(
            session, building, name="Laden im EG", area_m2=Decimal("85"), publishable=True
        )
        owner = f.owner(
            session, muni, name="Erika Eigentümerin", email=OWNER_EMAIL, preferred_channel="email"
        )
        f.ownership(session, building, owner)
        ini = Initiative(
            municipality_id=muni.id,
            name="Kunstverein Loop e.V.",
            contact_person="Karla Kunst",
            email=INITIATIVE_EMAIL,
            email_confirmed_at=datetime.now(UTC),
        )
        ini.set_password("initiative-geheim-123")
        session.add(ini)
        session.flush()
        today = local_today()
        proposal = Proposal(
            municipality_id=muni.id,
            initiative_id=ini.id,
            title=TITLE,
            description="Wechselnde Ausstellungen regionaler Kunst.",
            use_kind="exhibition",
            area_min=Decimal("50"),
            area_max=Decimal("120"),
            street_level=True,
            time_from=today + timedelta(days=30),
            time_to=today + timedelta(days=150),
            location_kind="point",
            point=to_db(Point(f.ALLEE[0] + 0.002, f.ALLEE[1])),
            radius_m=500,
            state="submitted",
            submitted_at=datetime.now(UTC),
        )
        session.add(proposal)
        session.commit()
        return World(proposal.id, unit.id)


def _publish_and_shortlist(page, server, world: World) -> None:
    browser_login(page, server, "staff@test.example")
    page.goto(f"{server.url}/verwaltung/ideen-pruefen/{world.proposal_id}")
    page.click("button[name=publish]")
    page.goto(f"{server.url}/verwaltung/ideen/{world.proposal_id}/treffer")
    row = page.locator(f"tr[data-unit-id='{world.unit_id}']")
    reasons = row.inner_text()
    assert "85 m² – passt (gesucht 50–120 m²)" in reasons
    assert " m vom Wunschort" in reasons
    row.locator("button[value=shortlisted]").click()
    row = page.locator(f"tr[data-unit-id='{world.unit_id}']")
    assert "vorgemerkt" in row.inner_text()
    row.locator("a").first.click()
    page.wait_for_url(f"{server.url}/verwaltung/treffer/*")


def _send_request(page, smtp_server) -> str:
    form = page.locator("form.send-requests")
    assert form.locator("select").input_value() == "email"
    form.locator("textarea[name=message]").fill("Wir würden uns über Ihre Antwort freuen.")
    form.locator("button[type=submit]").click()
    assert "offen" in page.locator("table.requests-of-match").inner_text()
    mails = [m for m in smtp_server.wait_for(1) if m["To"] == OWNER_EMAIL]
    (mail,) = mails
    (link,) = [url for url in links(mail) if "/antwort/" in url]
    return link


def _owner_answers(browser, link: str) -> None:
    context = browser.new_context(locale="de-DE")
    owner = context.new_page()
    owner.goto(link)
    text = owner.locator("main").inner_text()
    assert TITLE in text and "Kunstverein Loop e.V." in text
    assert "karla" not in text.lower()  # the initiative's contact data stay private
    owner.check("input[name=answer][value=yes_conditions]")
    owner.fill("textarea[name=message]", "Gern, wenn der Verein die Nebenkosten trägt.")
    owner.check("input[name=consent_public_map]")
    owner.check("input[name=consent_share_contact]")
    owner.click("form.answer-form button[type=submit]")
    assert owner.locator(".given-answer").inner_text() == "Ja, unter Bedingungen"
    owner.goto(link)  # one answer only: the link is dead now
    assert "Ja, unter Bedingungen" not in owner.content()
    assert TITLE not in owner.content()
    context.close()


def _record_interim_use(page, server) -> date:
    page.reload()
    assert "Ja, unter Bedingungen" in page.locator("table.requests-of-match").inner_text()
    page.click("#zwischennutzung a.button")
    start = local_today() + timedelta(days=30)
    page.fill("input[name=starts_on]", start.isoformat())
    page.fill("input[name=ends_on]", (start + timedelta(days=120)).isoformat())
    page.fill("textarea[name=costs]", "nur Nebenkosten, 80 € im Monat")
    page.fill("textarea[name=insurance]", "Haftpflicht des Vereins")
    page.fill("textarea[name=key_handover]", "Schlüssel im Bürgerbüro")
    page.click("button:has-text('Zwischennutzung speichern')")
    page.wait_for_url(f"{server.url}/verwaltung/zwischennutzungen/*")
    assert "Haftpflicht des Vereins" in page.content()
    return start


def _initiative_mails(smtp_server) -> list[str]:
    return [body(m) for m in smtp_server.messages if m["To"] == INITIATIVE_EMAIL]


def test_proposal_to_interim_use_in_the_browser(page, browser, mail_server, smtp_server):
    world = _world(mail_server.app)
    _publish_and_shortlist(page, mail_server, world)
    smtp_server.clear()  # the "published" mail to the initiative
    link = _send_request(page, smtp_server)
    assert link.startswith(mail_server.url + "/antwort/")

    _owner_answers(browser, link)
    answer_mail = next(b for b in _initiative_mails(smtp_server) if "Ja, unter Bedingungen" in b)
    assert OWNER_EMAIL in answer_mail and "Nebenkosten trägt" in answer_mail

    start = _record_interim_use(page, mail_server)
    smtp_server.wait_for(4)
    assert any("Schlüssel im Bürgerbüro" in b for b in _initiative_mails(smtp_server))

    page.goto(mail_server.url + "/")
    item = page.locator(f"#public-list li[data-unit-id='{world.unit_id}']")
    # the agreed use starts in 30 days: planned, not yet running
    assert item.locator(".badge").inner_text() == f"Zwischennutzung geplant ab {start:%d.%m.%Y}"
    with mail_server.app.app_context():
        unit = db.session.get(Unit, world.unit_id)
        assert unit.vacancy_state == "interim_use"
        assert db.session.get(Proposal, world.proposal_id).state == "realised"
    # the map's tiles and list are in before the test's data is emptied (no request in flight)
    page.wait_for_selector("#public-map[data-marker-count]:not([data-loading])")
    assert page.js_errors == [] and page.dialogs == []
