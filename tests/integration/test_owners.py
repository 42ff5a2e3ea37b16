"""Owners (Eigentümer:innen): CRUD, linking to buildings with shares, roles, scoping, conflicts."""

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from leerstand.models import AuditEvent, ContactCase, Match, Owner, Ownership
from leerstand.services.errors import ServiceError
from leerstand.services.matching import service as matching
from leerstand.services.matching.reasons import reason_text
from leerstand.services.owners import service as owners_service
from leerstand.services.owners.service import parse_share
from tests import factories
from tests.conftest import csrf_token, post_form

OWNER_FORM = {
    "kind": "heirs",
    "name": "Erbengemeinschaft Schulze",
    "contact_person": "Petra Schulze",
    "street": "Allee 12",
    "postcode": "06493",
    "city": "Ballenstedt",
    "email": "petra@example.org",
    "phone": "039483 1234",
    "preferred_channel": "email",
    "notes": "Erreichbar abends",
}


def _owner_id(session, base, **kw) -> int:
    owner = factories.owner(session, base.municipality, **kw)
    session.commit()
    return owner.id


def _building_id(session, base) -> int:
    building = factories.building(session, base.municipality)
    session.commit()
    return building.id


def test_owner_list_and_search(staff_client, session, base):
    _owner_id(session, base, name="Anna Apfel")
    _owner_id(session, base, name="Bernd Birne")
    factories.owner(session, base.other_municipality, name="Anna Fremd")
    session.commit()
    page = staff_client.get("/verwaltung/eigentuemer").get_data(as_text=True)
    assert "Anna Apfel" in page and "Bernd Birne" in page
    assert "Anna Fremd" not in page
    found = staff_client.get("/verwaltung/eigentuemer?q=apf").get_data(as_text=True)
    assert "Anna Apfel" in found and "Bernd Birne" not in found


def test_create_owner_writes_row_and_audit(staff_client, session, base):
    response = post_form(staff_client, "/verwaltung/eigentuemer/neu", OWNER_FORM)
    assert response.status_code == 302
    owner = session.scalar(select(Owner).where(Owner.name == OWNER_FORM["name"]))
    assert owner.kind == "heirs" and owner.preferred_channel == "email"
    assert owner.municipality_id == base.municipality.id
    assert response.headers["Location"].endswith(f"/verwaltung/eigentuemer/{owner.id}")
    audit = session.scalar(
        select(AuditEvent).where(AuditEvent.entity == "owner", AuditEvent.entity_id == owner.id)
    )
    assert audit.action == "create" and audit.user_id == base.staff.id
    assert audit.changes["name"] == [None, OWNER_FORM["name"]]
    page = staff_client.get(f"/verwaltung/eigentuemer/{owner.id}").get_data(as_text=True)
    assert "Petra Schulze" in page and "Erbengemeinschaft" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "  ", "Bitte geben Sie einen Namen an."),
        ("email", "kein-at-zeichen", "E-Mail-Adresse sieht nicht gültig aus"),
        ("email", "a@b.de,c@d.de", "E-Mail-Adresse sieht nicht gültig aus"),
        ("email", "a@b.de c", "E-Mail-Adresse sieht nicht gültig aus"),
        ("kind", "alien", "gültige Art"),
    ],
)
def test_create_owner_refuses_bad_input(staff_client, session, field, value, message):
    data = dict(OWNER_FORM, **{field: value})
    response = post_form(staff_client, "/verwaltung/eigentuemer/neu", data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert "Petra Schulze" in page  # the input is kept
    assert session.scalar(select(Owner).where(Owner.contact_person == "Petra Schulze")) is None


def test_edit_owner_updates_and_audits(staff_client, session, base):
    owner_id = _owner_id(session, base)
    url = f"/verwaltung/eigentuemer/{owner_id}/bearbeiten"
    response = post_form(staff_client, url, dict(OWNER_FORM, version="1"))
    assert response.status_code == 302
    owner = session.get(Owner, owner_id)
    assert owner.name == OWNER_FORM["name"] and owner.version == 2
    actions = session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.entity == "owner", AuditEvent.entity_id == owner_id
        )
    ).all()
    assert "update" in actions


def test_town_itself_is_set_in_the_owner_form(staff_client, session, base):
    form = dict(OWNER_FORM, kind="public", name="Stadt Ballenstedt", is_municipality="1")
    response = post_form(staff_client, "/verwaltung/eigentuemer/neu", form)
    assert response.status_code == 302
    owner = session.scalar(select(Owner).where(Owner.name == "Stadt Ballenstedt"))
    assert owner.is_municipality
    factories.ownership(session, factories.building(session, base.municipality), owner)
    session.commit()  # the edit below re-matches the town's building
    url = f"/verwaltung/eigentuemer/{owner.id}/bearbeiten"
    page = staff_client.get(url).get_data(as_text=True)
    assert re.search(r'name="is_municipality" value="1"\s+checked', page)
    assert "Die Stadt selbst" in page
    data = {key: value for key, value in form.items() if key != "is_municipality"}
    assert post_form(staff_client, url, dict(data, version="1")).status_code == 302
    session.expire_all()
    assert not session.get(Owner, owner.id).is_municipality
    audit = session.scalars(
        select(AuditEvent.changes).where(
            AuditEvent.entity == "owner", AuditEvent.entity_id == owner.id
        )
    ).all()
    assert {"is_municipality": [True, False]}.items() <= audit[-1].items()


def test_making_an_owner_the_town_rematches_its_buildings(session, base):
    building = factories.building(session, base.municipality)
    unit = factories.unit(session, building)
    owner = factories.owner(session, base.municipality)
    factories.ownership(session, building, owner)
    proposal = factories.proposal_in(session, base.municipality)
    matching.rematch_proposal(session, proposal)

    def openness() -> str:
        stmt = select(Match).where(Match.unit_id == unit.id, Match.proposal_id == proposal.id)
        match = session.scalars(stmt.execution_options(populate_existing=True)).one()
        return " ".join(str(reason_text(reason)) for reason in match.reasons)

    assert "im Eigentum der Kommune" not in openness()
    values = {key: getattr(owner, key) for key in owners_service.OWNER_FIELDS}
    owners_service.update_owner(
        session, owner, base.staff.id, {**values, "is_municipality": "1"}, owner.version
    )
    assert "im Eigentum der Kommune" in openness()


def test_concurrent_owner_edit_second_save_gets_409(client, staff_client, session, base):
    owner_id = _owner_id(session, base, name="Alt")
    url = f"/verwaltung/eigentuemer/{owner_id}/bearbeiten"
    first = staff_client.get(url).get_data(as_text=True)
    second = staff_client.get(url).get_data(as_text=True)
    assert 'name="version" value="1"' in first and 'name="version" value="1"' in second
    data = dict(OWNER_FORM, version="1", csrf_token=csrf_token(first))
    assert staff_client.post(url, data=dict(data, name="Erste Fassung")).status_code == 302
    response = staff_client.post(url, data=dict(data, name="Zweite Fassung"))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "inzwischen" in page and "Zweite Fassung" in page
    session.expire_all()
    assert session.get(Owner, owner_id).name == "Erste Fassung"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/2", Decimal("0.5")),
        ("0,5", Decimal("0.5")),
        ("0.5", Decimal("0.5")),
        ("50 %", Decimal("0.5")),
        ("1/3", Decimal("0.3333")),
        ("1", Decimal("1")),
        ("", None),
    ],
)
def test_parse_share(text, expected):
    assert parse_share(text) == expected


@pytest.mark.parametrize("text", ["0", "2", "150 %", "-1/2", "1/0", "halb"])
def test_parse_share_refuses(text):
    with pytest.raises(ServiceError):
        parse_share(text)


def test_link_owner_with_share_creates_case(staff_client, session, base):
    building_id = _building_id(session, base)
    owner_id = _owner_id(session, base)
    url = f"/verwaltung/gebaeude/{building_id}/eigentuemer"
    response = post_form(
        staff_client, url, {"owner_id": str(owner_id), "role": "co_owner", "share": "1/2"}
    )
    assert response.status_code == 302
    ownership = session.scalar(select(Ownership).where(Ownership.owner_id == owner_id))
    assert ownership.share == Decimal("0.5") and ownership.role == "co_owner"
    case = session.scalar(select(ContactCase).where(ContactCase.owner_id == owner_id))
    assert case.state == "not_contacted" and case.building_id == building_id
    page = staff_client.get(f"/verwaltung/eigentuemer/{owner_id}").get_data(as_text=True)
    assert "Miteigentümer:in" in page and "50 %" in page and "nicht kontaktiert" in page
    panel = staff_client.get(url).get_data(as_text=True)
    assert "nicht kontaktiert" in panel and f"/verwaltung/ansprache/{case.id}" in panel


def test_link_owner_bad_share_is_refused(staff_client, session, base):
    building_id = _building_id(session, base)
    owner_id = _owner_id(session, base)
    url = f"/verwaltung/gebaeude/{building_id}/eigentuemer"
    response = post_form(staff_client, url, {"owner_id": owner_id, "role": "owner", "share": "3/2"})
    assert response.status_code == 422
    assert "höchstens 1" in response.get_data(as_text=True)
    assert session.scalar(select(Ownership).where(Ownership.owner_id == owner_id)) is None
    assert session.scalar(select(ContactCase).where(ContactCase.owner_id == owner_id)) is None


def test_total_share_above_one_is_refused(staff_client, session, base):
    building_id = _building_id(session, base)
    first, second = _owner_id(session, base), _owner_id(session, base)
    url = f"/verwaltung/gebaeude/{building_id}/eigentuemer"
    ok = post_form(staff_client, url, {"owner_id": first, "role": "owner", "share": "60 %"})
    assert ok.status_code == 302
    response = post_form(staff_client, url, {"owner_id": second, "role": "owner", "share": "0,5"})
    assert response.status_code == 422
    assert "mehr als 1" in response.get_data(as_text=True)


def test_link_page_works_without_owners(staff_client, session, base):
    building_id = _building_id(session, base)
    page = staff_client.get(f"/verwaltung/gebaeude/{building_id}/eigentuemer")
    assert page.status_code == 200
    assert "noch keine Eigentümer:in zugeordnet" in page.get_data(as_text=True)


def test_unlink_keeps_case(staff_client, session, base):
    building = factories.building(session, base.municipality)
    owner = factories.owner(session, base.municipality)
    ownership = factories.ownership(session, building, owner, role="owner")
    factories.contact_case(session, building, owner)
    session.commit()
    ids = (ownership.id, owner.id)
    response = post_form(
        staff_client,
        f"/verwaltung/eigentuemer/zuordnung/{ids[0]}/entfernen",
        {},
        page=f"/verwaltung/eigentuemer/{ids[1]}",
    )
    assert response.status_code == 302
    assert session.get(Ownership, ids[0]) is None
    assert session.scalar(select(ContactCase).where(ContactCase.owner_id == ids[1])) is not None


def test_viewer_may_read_but_not_write(viewer_client, session, base):
    owner_id = _owner_id(session, base)
    building_id = _building_id(session, base)
    assert viewer_client.get("/verwaltung/eigentuemer").status_code == 200
    assert viewer_client.get(f"/verwaltung/eigentuemer/{owner_id}").status_code == 200
    token = csrf_token(viewer_client.get("/verwaltung/eigentuemer").get_data(as_text=True))
    for url in (
        "/verwaltung/eigentuemer/neu",
        f"/verwaltung/eigentuemer/{owner_id}/bearbeiten",
        f"/verwaltung/gebaeude/{building_id}/eigentuemer",
    ):
        assert viewer_client.get(url).status_code == 403
        posted = viewer_client.post(url, data=dict(OWNER_FORM, csrf_token=token, version="1"))
        assert posted.status_code == 403
    assert session.get(Owner, owner_id).version == 1


def test_other_municipality_gets_404(client, session, base):
    owner_id = _owner_id(session, base)
    building_id = _building_id(session, base)
    from tests.conftest import login

    login(client, base.stranger.email)
    assert client.get(f"/verwaltung/eigentuemer/{owner_id}").status_code == 404
    assert client.get(f"/verwaltung/eigentuemer/{owner_id}/bearbeiten").status_code == 404
    assert client.get(f"/verwaltung/gebaeude/{building_id}/eigentuemer").status_code == 404
    own = post_form(client, "/verwaltung/eigentuemer/neu", OWNER_FORM)
    assert own.status_code == 302
    foreign = session.scalar(select(Owner).where(Owner.name == OWNER_FORM["name"]))
    url = f"/verwaltung/gebaeude/{building_id}/eigentuemer"
    response = post_form(
        client, url, {"owner_id": foreign.id, "role": "owner"}, page="/verwaltung/eigentuemer"
    )
    assert response.status_code == 404


def test_building_page_lists_owners_with_case_state(staff_client, session, base):
    building = factories.building(session, base.municipality)
    owner = factories.owner(session, base.municipality, name="Zelda Zuordnung")
    factories.ownership(session, building, owner, role="heir", share=Decimal("0.25"))
    case = factories.contact_case(session, building, owner, next_follow_up=date(2031, 5, 4))
    session.commit()
    building_id, case_id = building.id, case.id
    page = staff_client.get(f"/verwaltung/gebaeude/{building_id}").get_data(as_text=True)
    assert "Zelda Zuordnung" in page and "Erb:in" in page and "25 %" in page
    assert "nicht kontaktiert" in page and "04.05.2031" in page
    assert f"/verwaltung/ansprache/{case_id}" in page
