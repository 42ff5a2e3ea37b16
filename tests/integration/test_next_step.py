"""The next step is one click away: a shortlisted match offers "Anfrage senden" in the match
tables and on its page while an owner may still get a request; an owner with an open request or
an answer gets none (the page says so, the service refuses); an expired or revoked request does
not block. The contact-case form preselects the natural next state, never a step back."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from leerstand.models import ContactCase, Match, Municipality, UseRequest
from tests import factories as f
from tests.integration.use_requests_common import (
    counts,
    ident,
    issue,
    send_form,
    world_fixture,  # noqa: F401 (the fixture "world")
)

SEND_LINK = 'href="/verwaltung/treffer/{id}#anfragen">Anfrage senden</a>'


def _set(session, request_id: int, **values) -> None:
    req = session.get(UseRequest, request_id)
    for key, value in values.items():
        setattr(req, key, value)
    session.commit()


def _owner_cell(html: str, owner_id: int) -> str:
    found = re.search(rf'<tr data-owner="{owner_id}">(.*?)</tr>', html, re.S)
    assert found, f"owner {owner_id} not in the send form"
    return found.group(1)


def _checkbox(cell: str) -> str:
    """The owner's checkbox (its attributes, with whitespace squeezed)."""
    found = re.search(r'<input type="checkbox" name="owner"[^>]*>', cell)
    assert found, "no checkbox"
    return " ".join(found.group(0).split())


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


# --- "Anfrage senden" in the tables and on the match page -----------------------------------


def test_shortlisted_match_offers_the_request_everywhere(staff_client, world):
    link = SEND_LINK.format(id=world.match_id)
    for url in (
        "/verwaltung/treffer",
        f"/verwaltung/ideen/{world.proposal_id}/treffer",
        f"/verwaltung/einheiten/{world.unit_id}/treffer",
        f"/verwaltung/treffer/{world.match_id}",
    ):
        assert link in _page(staff_client, url), url


def test_suggested_match_offers_no_request(staff_client, session, world):
    match = session.get(Match, world.match_id)
    match.status = "suggested"
    session.commit()
    html = _page(staff_client, f"/verwaltung/ideen/{world.proposal_id}/treffer")
    assert "Anfrage senden</a>" not in html


def test_viewer_sees_no_send_link(viewer_client, world):
    assert "Anfrage senden</a>" not in _page(viewer_client, "/verwaltung/treffer")


def test_open_requests_of_all_owners_replace_the_link_by_their_state(staff_client, session, world):
    issue(session, world, {world.owner_id: "email", world.heir_id: "letter"})
    html = _page(staff_client, "/verwaltung/treffer")
    assert SEND_LINK.format(id=world.match_id) not in html
    assert "2 Anfragen offen" in html
    page = _page(staff_client, f"/verwaltung/treffer/{world.match_id}")
    assert "Alle Eigentümer:innen haben zu diesem Treffer bereits eine offene Anfrage" in page


def test_answered_owner_gets_no_new_request_but_the_other_does(staff_client, session, world):
    (item,) = issue(session, world, {world.owner_id: "email"})
    _set(session, item.request_id, answer="no", answered_at=datetime.now(UTC))
    page = _page(staff_client, f"/verwaltung/treffer/{world.match_id}")
    owner_cell = _owner_cell(page, world.owner_id)
    assert "disabled" in _checkbox(owner_cell) and "hat bereits geantwortet" in owner_cell
    heir_box = _checkbox(_owner_cell(page, world.heir_id))
    assert "disabled" not in heir_box and "checked" in heir_box
    assert SEND_LINK.format(id=world.match_id) in page  # the heir is still to ask
    assert "1 Antwort" in _page(staff_client, "/verwaltung/treffer")


def test_sending_to_an_owner_who_answered_is_refused(staff_client, session, world):
    (item,) = issue(session, world, {world.owner_id: "email"})
    _set(session, item.request_id, answer="yes", answered_at=datetime.now(UTC))
    before = counts(session)
    response = send_form(staff_client, world.match_id, {world.owner_id: "email"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f"„{world.owner_name}“ hat zu diesem Treffer bereits geantwortet." in html
    assert counts(session) == before


@pytest.mark.parametrize(
    ("change", "blocks"),
    [
        # offsets from the moment the test runs (a time taken at collection was 5 minutes
        # in the past once the suite took longer than that)
        ({"expires_at": timedelta(minutes=5)}, True),  # still open
        ({"expires_at": timedelta(minutes=-5)}, False),  # expired
        ({"revoked_at": timedelta(0)}, False),
    ],
    ids=["open", "expired", "revoked"],
)
def test_open_request_blocks_an_expired_or_revoked_one_does_not(
    staff_client, session, world, change, blocks
):
    (item,) = issue(session, world, {world.owner_id: "email"})
    now = datetime.now(UTC)
    _set(session, item.request_id, **{column: now + offset for column, offset in change.items()})
    cell = _owner_cell(_page(staff_client, f"/verwaltung/treffer/{world.match_id}"), world.owner_id)
    assert ("disabled" in _checkbox(cell)) is blocks
    assert ("hat bereits eine offene Anfrage" in cell) is blocks
    response = send_form(staff_client, world.match_id, {world.owner_id: "email"})
    assert response.status_code == (422 if blocks else 302)
    stmt = select(UseRequest.id).where(UseRequest.match_id == world.match_id)
    assert len(session.scalars(stmt).all()) == (1 if blocks else 2)


# --- the contact case form preselects the natural next state --------------------------------


def _selected(html: str) -> list[str]:
    form = re.search(r'<select name="to_state"[^>]*>(.*?)</select>', html, re.S)
    assert form, "no state form"
    return re.findall(r'<option value="(\w+)" selected', form.group(1))


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("not_contacted", "contacted"),
        ("contacted", "in_dialogue"),
        ("in_dialogue", "open_to_interim_use"),
        ("open_to_interim_use", "agreement"),  # listed after "im Gespräch": not a step back
        ("declined", "closed"),
        ("agreement", "closed"),
        ("unreachable", "contacted"),
    ],
)
def test_case_form_preselects_the_next_state(staff_client, session, base, state, expected):
    municipality = session.get(Municipality, ident(base.municipality))
    building = f.building(session, municipality)
    owner = f.owner(session, municipality)
    case = f.contact_case(session, building, owner, state=state)
    session.commit()
    assert _selected(_page(staff_client, f"/verwaltung/ansprache/{case.id}")) == [expected]


def test_case_link_may_ask_for_an_allowed_state_only(staff_client, session, base):
    municipality = session.get(Municipality, ident(base.municipality))
    case = f.contact_case(
        session, f.building(session, municipality), f.owner(session, municipality), state="declined"
    )
    session.commit()
    url = f"/verwaltung/ansprache/{case.id}"
    assert _selected(_page(staff_client, url + "?naechster=in_dialogue")) == ["in_dialogue"]
    assert _selected(_page(staff_client, url + "?naechster=agreement")) == ["closed"]  # not allowed
    assert _selected(_page(staff_client, url + "?naechster=quatsch")) == ["closed"]


def test_closed_case_has_no_state_form(staff_client, session, base):
    municipality = session.get(Municipality, ident(base.municipality))
    case = f.contact_case(
        session, f.building(session, municipality), f.owner(session, municipality), state="closed"
    )
    session.commit()
    html = _page(staff_client, f"/verwaltung/ansprache/{case.id}")
    assert "Diese Ansprache ist abgeschlossen." in html
    assert session.get(ContactCase, case.id).state == "closed"
