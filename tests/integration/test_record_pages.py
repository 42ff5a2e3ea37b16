"""The read-only pages of a unit and a building: facts, owners with their contact state,
matches, use requests, interim uses (a planned one reads "Zwischennutzung geplant ab …"), a
small map, the history; "Bearbeiten" only for editors; the register links to the unit page."""

from __future__ import annotations

import html as html_lib
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from leerstand.dates import local_today
from leerstand.models import AuditEvent
from tests import factories


def _text(page: str) -> str:
    no_tags = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html_lib.unescape(no_tags)).replace(" ,", ",").replace(" :", ":")


def _world(session, base):
    world = factories.request_world(session, base.municipality)
    unit = world.unit
    unit.rent_eur_month = Decimal("450.50")
    unit.suitable_uses = ["atelier", "popup"]
    unit.internal_notes = "Schlüssel beim Nachbarn"
    case = factories.contact_case(session, world.building, world.owner, state="in_dialogue")
    req = factories.use_request(session, world.match, world.owner, answer="yes", case_id=case.id)
    past = factories.interim_use(
        session,
        unit,
        starts_on=local_today() - timedelta(days=200),
        ends_on=local_today() - timedelta(days=100),
        ended_on=local_today() - timedelta(days=100),
        outcome="back_to_vacant",
    )
    session.add(
        AuditEvent(
            municipality_id=base.municipality.id,
            user_id=base.staff.id,
            action="update",
            entity="unit",
            entity_id=unit.id,
            changes={"rent_eur_month": [400, 450.5]},
            at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        )
    )
    session.flush()
    return world, case, req, past


def test_unit_page_shows_every_section_with_real_data(viewer_client, session, base):
    world, case, req, past = _world(session, base)
    page = viewer_client.get(f"/verwaltung/einheiten/{world.unit.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    text = _text(html)
    # facts
    assert "EG Ladenlokal" in text and "92,0 m²" in text and "450,50 €" in text
    assert "Atelier, Pop-up-Laden" in text and "Schlüssel beim Nachbarn" in text
    # owners with their contact state (viewers are staff too)
    assert world.owner.name in text and world.heir.name in text and "im Gespräch" in text
    assert f'href="/verwaltung/ansprache/{case.id}"' in html
    # matches, use requests, the past interim use
    assert (
        "Galerie im Schaufenster" in text and f'href="/verwaltung/treffer/{world.match.id}"' in html
    )
    assert f'href="/verwaltung/anfragen/{req.id}"' in html
    assert f'href="/verwaltung/zwischennutzungen/{past.id}"' in html and "wieder leer" in text
    # map (configuration in data- attributes, no inline script) and history
    assert 'id="building-map"' in html and 'data-mode="view"' in html
    assert "<script>" not in html
    assert "02.03.2026 10:30 – Test Staff änderte Nutzungseinheit" in text
    assert "Miete (€/Monat) 400,00 € → 450,50 €" in text
    # a viewer sees no edit control
    assert "Bearbeiten" not in text and "/bearbeiten" not in html


def test_unit_page_offers_editing_to_editors(staff_client, session, base):
    world, *_ = _world(session, base)
    html = staff_client.get(f"/verwaltung/einheiten/{world.unit.id}").get_data(as_text=True)
    assert f'href="/verwaltung/einheiten/{world.unit.id}/bearbeiten"' in html
    assert "Bearbeiten" in html


def test_planned_interim_use_reads_planned(staff_client, session, base):
    building = factories.building(session, base.municipality)
    unit = factories.unit(session, building, vacancy_state="interim_use")  # set when recorded
    start = local_today() + timedelta(days=10)
    factories.interim_use(session, unit, starts_on=start, ends_on=start + timedelta(days=30))
    text = _text(staff_client.get(f"/verwaltung/einheiten/{unit.id}").get_data(as_text=True))
    assert f"Zwischennutzung geplant ab {start:%d.%m.%Y}" in text
    assert "geplant" in text


def test_running_interim_use_is_not_planned(staff_client, session, base):
    building = factories.building(session, base.municipality)
    unit = factories.unit(session, building, vacancy_state="interim_use")
    factories.interim_use(session, unit, starts_on=local_today())  # starts today: running
    text = _text(staff_client.get(f"/verwaltung/einheiten/{unit.id}").get_data(as_text=True))
    assert "Zwischennutzung geplant" not in text and "in Zwischennutzung" in text


def test_building_page_links_units_and_shows_history(viewer_client, session, base):
    world, *_ = _world(session, base)
    session.add(
        AuditEvent(
            municipality_id=base.municipality.id,
            user_id=base.admin.id,
            action="update",
            entity="building",
            entity_id=world.building.id,
            changes={"listed": [False, True], "condition": [None, "poor"]},
            at=datetime(2026, 7, 1, 6, 0, tzinfo=UTC),
        )
    )
    session.flush()
    html = viewer_client.get(f"/verwaltung/gebaeude/{world.building.id}").get_data(as_text=True)
    text = _text(html)
    assert f'href="/verwaltung/einheiten/{world.unit.id}"' in html
    assert (
        f"01.07.2026 08:00 – Test Admin änderte Gebäude „{world.building.address}“: "
        "Denkmal nein → ja, Zustand: schlecht" in text
    )
    assert world.owner.name in text and 'data-mode="view"' in html


def test_register_links_to_the_unit_page(viewer_client, session, base):
    world, *_ = _world(session, base)
    html = viewer_client.get("/verwaltung/register").get_data(as_text=True)
    assert f'href="/verwaltung/einheiten/{world.unit.id}"' in html


def test_unit_of_another_town_is_404(staff_client, session, base):
    foreign = factories.building(session, base.other_municipality, lonlat=(10.05, 50.05))
    unit = factories.unit(session, foreign)
    assert staff_client.get(f"/verwaltung/einheiten/{unit.id}").status_code == 404
