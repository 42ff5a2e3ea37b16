"""Zwischennutzung, the recording from a match with a yes: unit, proposal and contact case follow,
audit and the initiative's mail (real SMTP); refusals write nothing; the public map shows the
unit "in Zwischennutzung". Helpers here are shared by the other test_interim_use_* modules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, select

from leerstand.dates import local_today
from leerstand.models import (
    AuditEvent,
    ContactCase,
    ContactEvent,
    InterimUse,
    Match,
    Municipality,
    Owner,
    Proposal,
    Unit,
)
from leerstand.services.errors import ServiceError
from leerstand.services.interim_uses import service
from leerstand.services.matching import service as matching
from tests import factories as f
from tests.conftest import post_form
from tests.integration.public_world import consent
from tests.smtp import body


@dataclass
class World:
    """The objects and their ids (requests of another app detach the objects)."""

    unit: Unit
    owner: Owner
    case: ContactCase
    proposal: Proposal
    match: Match
    unit_id: int
    proposal_id: int
    new_url: str


def ident(obj) -> int:
    """The id of a row, also when the object is detached and expired."""
    return inspect(obj).identity[0]


def make_world(session, base, answer="yes", case_state="open_to_interim_use", **unit_kw):
    municipality = session.get(Municipality, ident(base.municipality))
    building = f.building(session, municipality)
    unit = f.unit(session, building, **unit_kw)
    owner = f.owner(session, municipality)
    f.ownership(session, building, owner)
    case = f.contact_case(session, building, owner, state=case_state)
    initiative = f.interim_initiative(session, municipality)
    proposal = f.interim_proposal(session, initiative)
    match = f.interim_match(session, proposal, unit)
    f.answered_request(session, match, owner, answer=answer, case_id=case.id)
    session.commit()
    url = f"/verwaltung/treffer/{match.id}/zwischennutzung"
    return World(unit, owner, case, proposal, match, unit.id, proposal.id, url)


def in_days(days: int) -> str:
    """ISO date ``days`` from the town's today (negative: before)."""
    return (local_today() + timedelta(days=days)).isoformat()


def dated(values: dict) -> dict:
    """``values`` with every int taken as days from today (for parametrize, read at import)."""
    return {k: in_days(v) if isinstance(v, int) else v for k, v in values.items()}


def form(**overrides) -> dict:
    data = {
        "starts_on": in_days(10),
        "ends_on": in_days(100),
        "costs": "nur Nebenkosten, 80 € im Monat",
        "insurance": "Haftpflicht des Vereins",
        "key_handover": "am 1. des Monats im Rathaus",
        "notes": "",
    }
    data.update(overrides)
    return data


def counts(session) -> tuple:
    return tuple(
        session.scalar(select(func.count()).select_from(model))
        for model in (InterimUse, AuditEvent, ContactEvent)
    )


def reload(session, obj):
    return session.get(type(obj), ident(obj), populate_existing=True)


# --- recording ---------------------------------------------------------------------------


def test_record_from_match_with_yes(mail_staff, session, base, smtp_server):
    today = local_today()
    w = make_world(session, base)
    page = mail_staff.get(w.new_url).get_data(as_text=True)
    assert (today + timedelta(days=10)).isoformat() in page  # prefilled from the proposal
    assert "Gern, bitte Schlüssel bei mir abholen." in page  # the owner's yes with its message
    response = post_form(mail_staff, w.new_url, form(notes="INTERNE NOTIZ"))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    use = session.scalars(select(InterimUse)).one()
    assert response.headers["Location"].endswith(f"/verwaltung/zwischennutzungen/{use.id}")
    assert (use.unit_id, use.proposal_id) == (w.unit_id, w.proposal_id)
    assert use.initiative_id == reload(session, w.proposal).initiative_id
    assert use.use_request_id is not None
    assert use.starts_on == today + timedelta(days=10) and use.costs.startswith("nur Neben")
    assert use.created_by_id == ident(base.staff) and use.active
    assert reload(session, w.unit).vacancy_state == "interim_use"
    assert reload(session, w.proposal).state == "realised"
    case = reload(session, w.case)
    assert case.state == "agreement"
    (event,) = session.scalars(select(ContactEvent).where(ContactEvent.case_id == case.id))
    assert (event.from_state, event.to_state, event.direction) == (
        "open_to_interim_use",
        "agreement",
        "internal",
    )
    assert event.summary.startswith("Zwischennutzung vereinbart") and event.channel is None
    audits = set(session.execute(select(AuditEvent.entity, AuditEvent.action)).all())
    assert {("interim_use", "create"), ("unit", "update"), ("proposal", "update")} <= audits
    assert ("contact_case", "transition") in audits
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == reload(session, w.proposal).initiative.email
    text = body(message)
    assert (today + timedelta(days=10)).strftime("%d.%m.%Y") in text
    assert (today + timedelta(days=100)).strftime("%d.%m.%Y") in text
    assert "Haftpflicht des Vereins" in text and "am 1. des Monats im Rathaus" in text
    assert "INTERNE NOTIZ" not in text and reload(session, w.owner).name not in text
    detail = mail_staff.get(f"/verwaltung/zwischennutzungen/{use.id}")
    assert detail.status_code == 200 and "Haftpflicht des Vereins" in detail.get_data(as_text=True)


def test_case_that_cannot_move_gets_a_log_entry(session, base):
    w = make_world(session, base, answer="yes_conditions", case_state="agreement")
    heir = f.owner(session, base.municipality)
    f.ownership(session, w.unit.building, heir, role="heir")
    heir_case = f.contact_case(session, w.unit.building, heir, state="in_dialogue")
    f.answered_request(session, w.match, heir, answer="no", case_id=heir_case.id)
    session.refresh(w.match)
    service.record_interim_use(session, w.match, base.staff.id, form(), local_today())
    assert w.case.state == "agreement" and w.case.version == 2
    (event,) = w.case.events
    assert event.to_state is None and event.summary.startswith("Zwischennutzung vereinbart")
    assert heir_case.state == "in_dialogue" and heir_case.events == []  # said no: untouched


@pytest.mark.parametrize("answer", [None, "no", "more_info"])
def test_refused_without_a_yes(mail_staff, session, base, smtp_server, answer):
    w = make_world(session, base, answer=answer)
    before = counts(session)
    page = mail_staff.get(w.new_url).get_data(as_text=True)
    assert "noch keine Zusage" in page and 'name="starts_on"' not in page
    response = post_form(mail_staff, w.new_url, form(), page="/verwaltung/zwischennutzungen")
    assert response.status_code == 422
    assert "erst nach einem „Ja“" in response.get_data(as_text=True)
    assert counts(session) == before
    assert reload(session, w.unit).vacancy_state == "vacant"
    assert reload(session, w.proposal).state == "published"
    assert reload(session, w.case).state == "open_to_interim_use"
    assert smtp_server.messages == []


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"ends_on": 5}, "liegt vor dem Beginn"),
        ({"starts_on": ""}, "Bitte geben Sie das Datum „Beginn“ an."),
        ({"ends_on": "31.02.2027"}, "„31.02.2027“ ist kein Datum"),
        ({"starts_on": "morgen"}, "„morgen“ ist kein Datum"),
        ({"ends_on": "9999-12-31"}, "liegt nicht zwischen 2000 und 2100"),
        ({"costs": "x" * 2001}, "zu lang"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    mail_staff, session, base, smtp_server, overrides, words
):
    w = make_world(session, base)
    before = counts(session)
    response = post_form(mail_staff, w.new_url, form(**dated(overrides)))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert words in html
    assert "Haftpflicht des Vereins" in html  # the form keeps what was typed
    assert counts(session) == before
    assert reload(session, w.unit).vacancy_state == "vacant"
    assert reload(session, w.case).state == "open_to_interim_use"
    assert smtp_server.messages == []


def test_overlapping_interim_use_is_refused(mail_staff, session, base, smtp_server):
    w = make_world(session, base)
    today = local_today()
    f.interim_use(
        session, w.unit, starts_on=today + timedelta(days=50), ends_on=today + timedelta(days=70)
    )
    session.commit()
    before = counts(session)
    response = post_form(mail_staff, w.new_url, form())
    assert response.status_code == 422
    assert "schon eine Zwischennutzung" in response.get_data(as_text=True)
    assert counts(session) == before and smtp_server.messages == []
    # after that period, or next to an ended one, it is fine
    later = form(starts_on=in_days(71), ends_on=in_days(90))
    assert post_form(mail_staff, w.new_url, later).status_code == 302


def test_ended_use_does_not_block(session, base):
    w = make_world(session, base)
    f.interim_use(session, w.unit, outcome="back_to_vacant", ended_on=local_today())
    use = service.record_interim_use(session, w.match, base.staff.id, form(), local_today())
    assert use.id and w.unit.vacancy_state == "interim_use"


def test_public_map_shows_the_unit_in_interim_use(client, session, base):
    w = make_world(session, base, publishable=True, public_description="Laden")
    consent(session, w.owner)
    session.commit()
    service.record_interim_use(
        session, reload(session, w.match), base.staff.id, form(), local_today()
    )
    session.commit()
    data = client.get("/api/units.geojson").get_json()
    (feature,) = [item for item in data["features"] if item["id"] == w.unit.id]
    assert feature["properties"]["vacancy_state"] == "interim_use"
    start = local_today() + timedelta(days=10)  # form() starts in 10 days: planned, not running
    assert feature["properties"]["vacancy_label"] == f"Zwischennutzung geplant ab {start:%d.%m.%Y}"


def test_service_refusals_raise_service_error(session, base):
    w = make_world(session, base, answer="no")
    with pytest.raises(ServiceError, match="keine Zusage"):
        service.record_interim_use(session, w.match, None, form(), local_today())


def count_rematches(monkeypatch) -> dict[str, list[int]]:
    """Spy on the re-matching (the real functions still run): ids re-matched, in order."""
    calls: dict[str, list[int]] = {"unit": [], "proposal": []}
    for kind in calls:
        real = getattr(matching, f"rematch_{kind}")

        def spy(session, obj, today=None, _real=real, _kind=kind):
            calls[_kind].append(obj.id)
            return _real(session, obj, today)

        monkeypatch.setattr(matching, f"rematch_{kind}", spy)
    return calls


def test_recording_rematches_each_unit_and_the_proposal_once(session, base, monkeypatch):
    """Unit, proposal and two yes-owners' contact cases change: still one re-match each."""
    w = make_world(session, base)
    other_unit = f.unit(session, w.unit.building, name="OG")
    heir = f.owner(session, base.municipality)
    f.ownership(session, w.unit.building, heir, role="heir")
    heir_case = f.contact_case(session, w.unit.building, heir, state="in_dialogue")
    f.answered_request(session, w.match, heir, answer="yes", case_id=heir_case.id)
    session.refresh(w.match)
    calls = count_rematches(monkeypatch)
    service.record_interim_use(session, w.match, base.staff.id, form(), local_today())
    assert sorted(calls["unit"]) == sorted([w.unit_id, other_unit.id])
    assert calls["proposal"] == [w.proposal_id]
    assert heir_case.state == "agreement" and reload(session, w.case).state == "agreement"
