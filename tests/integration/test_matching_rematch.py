"""Stored matches follow data changes through the services: units created, edited and moved,
proposals published and withdrawn, owners declining; reviews (status) survive a re-match, reviewed
matches that no longer fit stay with ``fits = false``, unreviewed ones go."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from leerstand.dates import local_today
from leerstand.models import AuditEvent, Match, UseRequest
from leerstand.services.contact import cases as contact
from leerstand.services.errors import ServiceError
from leerstand.services.matching import service as matching
from leerstand.services.matching.reasons import reason_text
from leerstand.services.proposals import service as proposals
from leerstand.services.register import buildings
from leerstand.views.staff.buildings import building_form, unit_form
from tests import factories as f


def stored(session, **where) -> dict[int, Match]:
    stmt = select(Match).filter_by(**where).execution_options(populate_existing=True)
    rows = session.scalars(stmt).all()
    key = "unit_id" if "proposal_id" in where else "proposal_id"
    return {getattr(m, key): m for m in rows}


def edit_unit(session, base, unit, **changes):
    values = {**unit_form(unit), **changes}
    buildings.update_unit(session, base.staff.id, unit, values)


def test_rematch_proposal_stores_matches_and_keeps_reviews(session, base):
    a, b = (f.unit(session, f.building(session, base.municipality)) for _ in range(2))
    p = f.proposal_in(session, base.municipality, area_min=Decimal(40), area_max=Decimal(120))
    assert matching.rematch_proposal(session, p) == 2
    rows = stored(session, proposal_id=p.id)
    assert set(rows) == {a.id, b.id}
    assert all(m.status == "suggested" and m.fits and len(m.reasons) == 6 for m in rows.values())
    assert rows[a.id].municipality_id == base.municipality.id and rows[a.id].distance_m >= 0

    matching.set_status(session, rows[a.id], "shortlisted", base.staff.id)
    matching.set_status(session, rows[b.id], "dismissed", base.staff.id)
    edit_unit(session, base, a, area_m2="500")  # far outside 40–120 m²
    edit_unit(session, base, b, rent_eur_month="100", owner_expectation="rent")
    rows = stored(session, proposal_id=p.id)
    assert rows[a.id].status == "shortlisted" and rows[a.id].fits is False
    assert rows[b.id].status == "dismissed" and rows[b.id].fits is True
    assert reason_text(rows[b.id].reasons[3]) == "Miete erwartet – die Idee trägt nur Nebenkosten"

    edit_unit(session, base, a, area_m2="100")
    rows = stored(session, proposal_id=p.id)
    assert rows[a.id].status == "shortlisted" and rows[a.id].fits is True
    assert rows[a.id].reviewed_by_id == base.staff.id


def test_new_and_edited_units_are_matched_and_unreviewed_misfits_go(session, base):
    p = f.proposal_in(session, base.municipality)
    building = f.building(session, base.municipality)
    values = {"name": "EG", "kind": "shop", "area_m2": "80", "vacancy_state": "vacant"}
    unit = buildings.create_unit(session, base.staff.id, building, values)
    assert set(stored(session, proposal_id=p.id)) == {unit.id}
    edit_unit(session, base, unit, vacancy_state="occupied")
    assert stored(session, proposal_id=p.id) == {}
    edit_unit(session, base, unit, vacancy_state="vacant")
    assert set(stored(session, proposal_id=p.id)) == {unit.id}


def test_irrelevant_unit_edit_does_not_rematch(session, base):
    unit = f.unit(session, f.building(session, base.municipality))
    p = f.proposal_in(session, base.municipality)
    matching.rematch_proposal(session, p)
    old = datetime(2000, 1, 1, tzinfo=UTC)
    session.execute(update(Match).where(Match.proposal_id == p.id).values(computed_at=old))
    edit_unit(session, base, unit, internal_notes="nur eine Notiz", public_description="Hell")
    assert stored(session, proposal_id=p.id)[unit.id].computed_at == old
    edit_unit(session, base, unit, power="1")
    assert stored(session, proposal_id=p.id)[unit.id].computed_at > old


def test_rematch_keeps_when_a_match_was_first_found(session, base):
    """``created_at`` (the statistics' "first match") stays when a re-match moves computed_at."""
    unit = f.unit(session, f.building(session, base.municipality))
    p = f.proposal_in(session, base.municipality)
    matching.rematch_proposal(session, p)
    first = datetime(2001, 2, 3, tzinfo=UTC)
    session.execute(
        update(Match).where(Match.proposal_id == p.id).values(created_at=first, computed_at=first)
    )
    edit_unit(session, base, unit, power="1")
    row = stored(session, proposal_id=p.id)[unit.id]
    assert row.created_at == first and row.computed_at > first


def test_moving_a_building_rematches_its_units(session, base, app):
    building = f.building(session, base.municipality)
    unit = f.unit(session, building)
    p = f.proposal_in(session, base.municipality)
    matching.rematch_proposal(session, p)
    form = {**building_form(building), "coord_x": "11.2439", "coord_y": "51.7619"}  # Badeborn
    with app.test_request_context():  # geometry messages are translated
        buildings.update_building(session, base.staff.id, building, form)
    assert unit.id not in stored(session, proposal_id=p.id)


def test_publish_and_withdraw_a_proposal(session, base):
    near = f.unit(session, f.building(session, base.municipality))
    other = f.unit(session, f.building(session, base.municipality))
    p = f.proposal_in(session, base.municipality, state="submitted")
    assert stored(session, proposal_id=p.id) == {}
    proposals.publish(session, p)
    rows = stored(session, proposal_id=p.id)
    assert set(rows) == {near.id, other.id}
    matching.set_status(session, rows[near.id], "shortlisted", base.staff.id)
    proposals.withdraw(session, p)
    rows = stored(session, proposal_id=p.id)
    assert set(rows) == {near.id} and rows[near.id].status == "shortlisted"
    assert matching.rank_proposals(session, near) == []  # withdrawn proposals take no part


def test_owner_declining_removes_the_building_and_back(session, base):
    building = f.building(session, base.municipality)
    unit, second = f.unit(session, building), f.unit(session, building, name="OG")
    owner = f.owner(session, base.municipality)
    f.ownership(session, building, owner)
    case = f.contact_case(session, building, owner, state="in_dialogue")
    today = local_today()
    p = f.proposal_in(session, base.municipality)
    matching.rematch_proposal(session, p)
    rows = stored(session, proposal_id=p.id)
    assert reason_text(rows[unit.id].reasons[4]) == "Eigentümer:in im Gespräch"
    matching.set_status(session, rows[second.id], "shortlisted", base.staff.id)

    contact.transition(session, case, base.staff.id, "declined", contact.Contact(today), 1)
    rows = stored(session, proposal_id=p.id)
    assert unit.id not in rows and rows[second.id].fits is False

    contact.transition(session, case, base.staff.id, "in_dialogue", contact.Contact(today), 2)
    rows = stored(session, proposal_id=p.id)
    assert rows[unit.id].status == "suggested" and rows[second.id].fits is True
    contact.transition(
        session, case, base.staff.id, "open_to_interim_use", contact.Contact(today), 3
    )
    rows = stored(session, proposal_id=p.id)
    assert reason_text(rows[unit.id].reasons[4]) == "Eigentümer:in offen für Zwischennutzung"


def test_a_match_with_a_use_request_is_never_deleted(session, base):
    building = f.building(session, base.municipality)
    unit = f.unit(session, building)
    owner = f.owner(session, base.municipality)
    f.ownership(session, building, owner)
    p = f.proposal_in(session, base.municipality)
    matching.rematch_proposal(session, p)
    match = stored(session, proposal_id=p.id)[unit.id]
    request = f.use_request(session, match, owner, channel="letter")
    edit_unit(session, base, unit, vacancy_state="interim_use")
    rows = stored(session, proposal_id=p.id)
    assert rows[unit.id].fits is False and rows[unit.id].status == "suggested"
    assert session.get(UseRequest, request.id) is not None


def test_rematch_unit_and_rematch_all(session, base):
    unit = f.unit(session, f.building(session, base.municipality))
    first, second = (
        f.proposal_in(session, base.municipality),
        f.proposal_in(session, base.municipality, use_kind="popup"),
    )
    stale = f.proposal_in(session, base.municipality, state="expired")
    session.add(Match(municipality_id=base.municipality.id, proposal_id=stale.id, unit_id=unit.id,
                      score=50, reasons=[]))  # fmt: skip
    session.flush()
    assert matching.rematch_unit(session, unit) == 2
    assert set(stored(session, unit_id=unit.id)) == {first.id, second.id}
    assert matching.rematch_all(session, base.municipality.id) == 2
    assert stored(session, unit_id=unit.id).keys() == {first.id, second.id}


def test_set_status_is_audited_and_validated(session, base):
    unit = f.unit(session, f.building(session, base.municipality))
    p = f.proposal_in(session, base.municipality)
    matching.rematch_proposal(session, p)
    match = stored(session, proposal_id=p.id)[unit.id]
    with pytest.raises(ServiceError, match="Unbekannter Status"):
        matching.set_status(session, match, "requested", base.staff.id)
    assert match.status == "suggested"
    matching.set_status(session, match, "shortlisted", base.staff.id)
    matching.set_status(session, match, "shortlisted", base.staff.id)  # no change, no event
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "match", AuditEvent.entity_id == match.id)
    ).all()
    assert [(e.action, e.changes) for e in events] == [
        ("status", {"status": ["suggested", "shortlisted"]})
    ]
    assert match.reviewed_at is not None


def test_linking_and_unlinking_an_owner_rematches_the_building(session, base):
    from leerstand.services.owners import service as owners

    building = f.building(session, base.municipality)
    unit = f.unit(session, building)
    p = f.proposal_in(session, base.municipality)
    matching.rematch_proposal(session, p)
    assert reason_text(stored(session, proposal_id=p.id)[unit.id].reasons[4]) != (
        "Eigentümer:in offen für Zwischennutzung"
    )
    town = f.owner(session, base.municipality, name="Stadt Ballenstedt", is_municipality=True)
    link = owners.link_owner(
        session, base.municipality.id, base.staff.id, building.id, town.id, "owner", ""
    )
    assert stored(session, proposal_id=p.id)[unit.id].reasons[4]["points"] == 15
    owners.unlink_owner(session, base.municipality.id, base.staff.id, link.id)
    assert stored(session, proposal_id=p.id)[unit.id].reasons[4]["points"] < 15
