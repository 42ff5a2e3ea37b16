"""Zwischennutzung from a unit's page: initiative and optional proposal chosen, the same fields and
service as from a match; refusals write nothing. A planned interim use (start after today)
reads "Zwischennutzung geplant ab …"; free units never count units in interim use; after the
end, the interim use's page offers the contact cases with their natural next state."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from leerstand.dates import local_today
from leerstand.models import ContactCase, InterimUse, Municipality, Proposal, Unit
from leerstand.services.interim_uses import state as interim_state
from tests import factories as f
from tests.conftest import post_form
from tests.integration.test_interim_use import counts, form, ident, in_days, make_world, reload


def _unit_world(session, base, **unit_kw):
    municipality = session.get(Municipality, ident(base.municipality))
    unit = f.unit(session, f.building(session, municipality), **unit_kw)
    initiative = f.initiative(session, municipality, confirmed=True, name="Jugendtreff Allee")
    session.commit()
    return unit, initiative


def _url(unit_id: int) -> str:
    return f"/verwaltung/einheiten/{unit_id}/zwischennutzung"


def _text(response) -> str:
    return response.get_data(as_text=True)


# --- recording from a unit --------------------------------------------------------------------


def test_record_from_unit_without_proposal(staff_client, session, base):
    unit, ini = _unit_world(session, base, vacancy_state="vacant")
    page = _text(staff_client.get(_url(unit.id)))
    assert "Jugendtreff Allee" in page and 'name="initiative_id"' in page
    data = form(initiative_id=str(ini.id), proposal_id="", starts_on=in_days(0))
    response = post_form(staff_client, _url(unit.id), data)
    assert response.status_code == 302, _text(response)[:500]
    use = session.scalars(select(InterimUse)).one()
    assert response.headers["Location"].endswith(f"/verwaltung/zwischennutzungen/{use.id}")
    assert (use.unit_id, use.initiative_id, use.proposal_id) == (unit.id, ini.id, None)
    assert (use.starts_on, use.ends_on) == (local_today(), local_today() + timedelta(days=100))
    assert use.insurance == "Haftpflicht des Vereins" and use.created_by_id == ident(base.staff)
    assert reload(session, unit).vacancy_state == "interim_use"


def test_record_from_unit_with_proposal_realises_it(staff_client, session, base):
    unit, ini = _unit_world(session, base)
    proposal = f.proposal(session, ini, title="Jugendcafé")
    session.commit()
    data = form(initiative_id=str(ini.id), proposal_id=str(proposal.id))
    assert post_form(staff_client, _url(unit.id), data).status_code == 302
    use = session.scalars(select(InterimUse)).one()
    assert use.proposal_id == proposal.id and use.use_request_id is None
    assert reload(session, proposal).state == "realised"


def test_proposal_with_a_yes_on_this_unit_records_like_the_match(staff_client, session, base):
    """Same effects as from the match: the yes is linked, the owner's case becomes agreement."""
    w = make_world(session, base)
    proposal = reload(session, w.proposal)
    initiative_id = proposal.initiative_id
    proposal.initiative.email_confirmed_at = proposal.created_at  # only confirmed ones are listed
    session.commit()
    data = form(initiative_id=str(initiative_id), proposal_id=str(w.proposal_id))
    response = post_form(staff_client, _url(w.unit_id), data)
    assert response.status_code == 302, _text(response)[:500]
    use = session.scalars(select(InterimUse)).one()
    assert use.use_request_id is not None
    assert reload(session, w.case).state == "agreement"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"initiative_id": ""}, "Bitte wählen Sie die Initiative aus der Liste."),
        ({"initiative_id": "999999"}, "Bitte wählen Sie die Initiative aus der Liste."),
        ({"initiative_id": "abc"}, "Initiative: „abc“ ist keine ganze Zahl."),
        ({"proposal_id": "999999"}, "Bitte wählen Sie die Idee aus der Liste (oder keine)."),
        ({"ends_on": in_days(-1), "starts_on": in_days(0)}, "liegt vor dem Beginn"),
        ({"starts_on": ""}, "Bitte geben Sie das Datum „Beginn“ an."),
    ],
    ids=[
        "no-initiative",
        "unknown-initiative",
        "not-a-number",
        "unknown-proposal",
        "end-first",
        "no-start",
    ],
)
def test_bad_input_is_refused_and_nothing_written(staff_client, session, base, change, message):
    unit, ini = _unit_world(session, base)
    before = counts(session)
    data = form(initiative_id=str(ini.id), proposal_id="")
    data.update(change)
    response = post_form(staff_client, _url(unit.id), data)
    assert response.status_code == 422
    assert message in _text(response)
    assert counts(session) == before
    assert reload(session, unit).vacancy_state == "vacant"


def test_proposal_of_another_initiative_unconfirmed_or_other_town_is_refused(
    staff_client, session, base
):
    unit, ini = _unit_world(session, base)
    municipality = session.get(Municipality, ident(base.municipality))
    foreign_proposal = f.proposal(session, f.initiative(session, municipality), title="Fremde Idee")
    unconfirmed = f.initiative(session, municipality, name="Unbestätigt")
    elsewhere = f.initiative(
        session, session.get(Municipality, ident(base.other_municipality)), confirmed=True
    )
    draft = f.proposal(session, ini, title="Entwurf", state="draft")
    session.commit()
    before = counts(session)
    cases = [
        ({"proposal_id": str(foreign_proposal.id)}, "ist nicht von „Jugendtreff Allee“"),
        ({"initiative_id": str(unconfirmed.id)}, "Bitte wählen Sie die Initiative aus der Liste."),
        ({"initiative_id": str(elsewhere.id)}, "Bitte wählen Sie die Initiative aus der Liste."),
        ({"proposal_id": str(draft.id)}, "Die Idee „Entwurf“ ist nicht veröffentlicht."),
    ]
    for change, message in cases:
        data = {**form(initiative_id=str(ini.id), proposal_id=""), **change}
        response = post_form(staff_client, _url(unit.id), data)
        assert response.status_code == 422 and message in _text(response), change
    assert counts(session) == before
    assert session.get(Proposal, draft.id).state == "draft"


def test_occupied_unit_and_overlap_are_refused(staff_client, session, base):
    occupied, ini = _unit_world(session, base, vacancy_state="occupied")
    response = post_form(staff_client, _url(occupied.id), form(initiative_id=str(ini.id)))
    assert response.status_code == 422 and "als „genutzt“ erfasst" in _text(response)
    busy = f.unit(session, f.building(session, session.get(Municipality, ident(base.municipality))))
    f.interim_use(session, busy)  # runs from 30 days ago for another 60 days
    session.commit()
    before = counts(session)
    response = post_form(staff_client, _url(busy.id), form(initiative_id=str(ini.id)))
    assert response.status_code == 422
    assert "läuft im gewählten Zeitraum schon eine Zwischennutzung" in _text(response)
    assert counts(session) == before


def test_viewer_and_other_town_cannot_record(viewer_client, session, base):
    unit, _ini = _unit_world(session, base)
    assert viewer_client.get(_url(unit.id)).status_code == 403
    other = f.unit(
        session, f.building(session, session.get(Municipality, ident(base.other_municipality)))
    )
    session.commit()
    assert viewer_client.get(_url(other.id)).status_code in (403, 404)


def test_unit_page_links_to_the_form(staff_client, session, base):
    unit, _ini = _unit_world(session, base)
    link = f'href="{_url(unit.id)}"'
    assert link in _text(staff_client.get(f"/verwaltung/einheiten/{unit.id}"))


# --- planned: "Zwischennutzung geplant ab …" --------------------------------------------------


@pytest.mark.parametrize(
    ("start_in", "planned"), [(0, False), (1, True)], ids=["today", "tomorrow"]
)
def test_interim_use_starting_tomorrow_is_planned_today_is_running(
    staff_client, session, base, start_in, planned
):
    unit, ini = _unit_world(session, base)
    data = form(initiative_id=str(ini.id), starts_on=in_days(start_in))
    assert post_form(staff_client, _url(unit.id), data).status_code == 302
    use = session.scalars(select(InterimUse)).one()
    html = _text(staff_client.get(f"/verwaltung/zwischennutzungen/{use.id}"))
    start = (local_today() + timedelta(days=start_in)).strftime("%d.%m.%Y")
    assert (f"Zwischennutzung geplant ab {start}" in html) is planned
    assert (f"geplant ab {start}</span>" in html) is planned  # the use's own badge
    assert ('">in Zwischennutzung</span>' in html) is (not planned)
    expected = {unit.id: local_today() + timedelta(days=1)} if planned else {}
    assert interim_state.planned_starts(session, [unit.id], local_today()) == expected


def test_running_use_with_a_later_one_is_not_planned(session, base):
    unit, _ini = _unit_world(session, base, vacancy_state="interim_use")
    today = local_today()
    f.interim_use(
        session, unit, starts_on=today - timedelta(days=5), ends_on=today + timedelta(days=5)
    )
    f.interim_use(
        session, unit, starts_on=today + timedelta(days=10), ends_on=today + timedelta(days=20)
    )
    session.commit()
    assert interim_state.planned_start(session, reload(session, unit), today) is None
    assert interim_state.planned_start(
        session, reload(session, unit), today - timedelta(days=6)
    ) == (today - timedelta(days=5))


# --- free units never include interim uses ----------------------------------------------------


def _free(html: str) -> str:
    marker = "<dt>Leere Nutzungseinheiten</dt><dd>"
    start = html.index(marker) + len(marker)
    return html[start : html.index("</dd>", start)]


def test_free_count_excludes_units_in_or_before_interim_use(staff_client, session, base):
    mid = ident(base.municipality)
    before = interim_state.free_unit_count(session, mid)
    assert _free(_text(staff_client.get("/verwaltung/"))) == str(before)
    municipality = session.get(Municipality, mid)
    f.unit(session, f.building(session, municipality), vacancy_state="vacant")
    f.unit(session, f.building(session, municipality), vacancy_state="interim_use")
    planned = f.unit(session, f.building(session, municipality), vacancy_state="vacant")
    f.interim_use(session, planned, starts_on=local_today() + timedelta(days=3))
    ended = f.unit(session, f.building(session, municipality), vacancy_state="vacant")
    f.interim_use(
        session, ended, outcome="back_to_vacant", ended_on=local_today() - timedelta(days=1)
    )
    session.commit()
    # one new free unit and the one whose interim use has ended: 2 more, not 4
    assert interim_state.free_unit_count(session, mid) == before + 2
    assert _free(_text(staff_client.get("/verwaltung/"))) == str(before + 2)


# --- ending offers the contact cases ----------------------------------------------------------


def test_after_the_end_the_page_offers_the_cases_with_their_next_state(staff_client, session, base):
    w = make_world(session, base)
    assert (
        post_form(
            staff_client, w.new_url, form(starts_on=in_days(-20), ends_on=in_days(-1))
        ).status_code
        == 302
    )
    use = session.scalars(select(InterimUse)).one()
    url = f"/verwaltung/zwischennutzungen/{use.id}"
    assert "Ansprache aktualisieren" not in _text(staff_client.get(url))  # still running
    end = {"version": str(use.version), "outcome": "back_to_vacant", "ended_on": in_days(-1)}
    assert post_form(staff_client, url + "/beenden", end, page=url).status_code == 302
    html = _text(staff_client.get(url))
    case = reload(session, w.case)
    assert case.state == "agreement"
    assert "Ansprache aktualisieren" in html
    assert f'href="/verwaltung/ansprache/{case.id}?naechster=closed"' in html
    assert "nächster Schritt: abgeschlossen" in html
    case_page = _text(staff_client.get(f"/verwaltung/ansprache/{case.id}?naechster=closed"))
    assert '<option value="closed" selected' in case_page
    assert (
        session.scalars(select(ContactCase).where(ContactCase.id == case.id)).one().state
        == "agreement"
    )
    assert reload(session, w.unit).vacancy_state == "vacant"
    assert session.get(Unit, w.unit_id) is not None
