"""An initiative's proposals: draft, submit, edit, withdraw; every kind of place; bad places and
bad input get a German message and write nothing; another initiative's proposal is a 404."""

import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from leerstand.models import Proposal
from tests import factories
from tests.conftest import post_form
from tests.initiatives import (
    BOWTIE,
    OUTSIDE_SQUARE,
    XSS,
    area_form,
    initiative,
    login_initiative,
    proposal_form,
    reload,
)

ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture
def me(client, base, session):
    ini = initiative(session, base.municipality)
    login_initiative(client, ini.email)
    return ini


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Proposal))


def _new(client, data: dict):
    return post_form(client, "/initiative/ideen/neu", data)


def _created(response, session) -> Proposal:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    proposal_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    return session.get(Proposal, proposal_id, populate_existing=True)


def test_draft_submit_edit_withdraw(client, me, session):
    proposal = _created(_new(client, proposal_form()), session)
    assert proposal.state == "draft"
    assert proposal.initiative_id == me.id
    assert proposal.area_min == Decimal("40.0") and proposal.area_max == Decimal("120.5")
    assert proposal.street_level and proposal.power and not proposal.water
    assert proposal.time_from.isoformat() == "2027-03-01"
    assert proposal.radius_m == 500
    url = f"/initiative/ideen/{proposal.id}"

    assert post_form(client, url + "/einreichen", {}, page=url).status_code == 302
    proposal = reload(session, proposal)
    assert proposal.state == "submitted" and proposal.submitted_at is not None

    edit = proposal_form(title="Repair-Café (geändert)", version=str(proposal.version))
    assert post_form(client, url + "/bearbeiten", edit).status_code == 302
    proposal = reload(session, proposal)
    assert proposal.title == "Repair-Café (geändert)"
    assert proposal.state == "submitted"

    assert post_form(client, url + "/zurueckziehen", {}, page=url).status_code == 302
    proposal = reload(session, proposal)
    assert proposal.state == "withdrawn"
    response = post_form(client, url + "/einreichen", {}, page=url, follow_redirects=True)
    assert "kann nicht" in response.get_data(as_text=True)
    assert reload(session, proposal).state == "withdrawn"
    assert client.get(url + "/bearbeiten").status_code == 200  # shows, but saving is refused
    edit = proposal_form(version=str(proposal.version))
    response = post_form(client, url + "/bearbeiten", edit)
    assert response.status_code == 422
    assert "nicht mehr bearbeitet" in response.get_data(as_text=True)


def test_save_and_submit_at_once_and_list(client, me, session):
    proposal = _created(_new(client, proposal_form(action="submit")), session)
    assert proposal.state == "submitted"
    html = client.get("/initiative/ideen").get_data(as_text=True)
    assert "Repair-Café in der Allee" in html and "eingereicht" in html


def test_published_proposal_cannot_be_edited(client, me, session):
    proposal = _created(_new(client, proposal_form(action="submit")), session)
    proposal.state = "published"
    session.commit()
    url = f"/initiative/ideen/{proposal.id}/bearbeiten"
    response = post_form(client, url, proposal_form(title="neu", version=str(proposal.version)))
    assert response.status_code == 422
    assert reload(session, proposal).title == "Repair-Café in der Allee"


def test_drawn_area(client, me, session):
    proposal = _created(_new(client, area_form()), session)
    assert proposal.location_kind == "area"
    assert proposal.point is None and proposal.area is not None
    valid = session.scalar(select(func.ST_IsValid(Proposal.area)).where(Proposal.id == proposal.id))
    assert valid


def test_districts(client, me, base, session):
    ids = [str(base.districts["Badeborn"].id), str(base.districts["Rieder"].id)]
    data = proposal_form(location_kind="districts", district_ids=ids)
    proposal = _created(_new(client, data), session)
    assert sorted(d.name for d in proposal.districts) == ["Badeborn", "Rieder"]
    assert proposal.point is None


def test_published_unit(client, me, base, session):
    building = factories.building(session, base.municipality)
    town = factories.owner(session, base.municipality, name="Stadt", is_municipality=True)
    factories.ownership(session, building, town)
    hidden = factories.unit(session, building, publishable=False)
    public = factories.unit(session, building, publishable=True, name="EG links")
    private = factories.building(session, base.municipality)
    factories.ownership(session, private, factories.owner(session, base.municipality))
    no_consent = factories.unit(session, private, publishable=True)
    session.commit()
    form = client.get("/initiative/ideen/neu").get_data(as_text=True)
    assert f'<option value="{public.id}"' in form
    assert f'<option value="{hidden.id}"' not in form
    assert f'<option value="{no_consent.id}"' not in form
    proposal = _created(
        _new(client, proposal_form(location_kind="unit", unit_id=str(public.id))), session
    )
    assert proposal.unit_id == public.id and proposal.point is None
    response = _new(client, proposal_form(location_kind="unit", unit_id=str(hidden.id)))
    assert response.status_code == 422
    assert "öffentlichen Karte" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"location_kind": "area", "area_geojson": json.dumps(BOWTIE)},
            "überschneidet sich selbst",
        ),
        ({"location_kind": "area", "area_geojson": json.dumps(OUTSIDE_SQUARE)}, "außerhalb von"),
        ({"location_kind": "area", "area_geojson": "{kaputt"}, "kein gültiges GeoJSON"),
        ({"location_kind": "area", "area_geojson": ""}, "Gebiet auf der Karte zeichnen"),
        ({"point_lon": "11.05", "point_lat": "51.80"}, "außerhalb von"),
        ({"point_lat": "95"}, "zwischen -90 und 90"),
        ({"radius_m": "10"}, "zwischen 50 und 20.000 m"),
        ({"radius_m": "50000"}, "zwischen 50 und 20.000 m"),
        ({"radius_m": "viel"}, "keine ganze Zahl"),
        ({"location_kind": "districts"}, "mindestens einen Ortsteil"),
        ({"location_kind": "unit", "unit_id": "999999"}, "öffentlichen Karte"),
        ({"location_kind": "mond"}, "Wert aus der Liste"),
        ({"title": " "}, "Titel"),
        ({"use_kind": "casino"}, "Art der Nutzung"),
        ({"area_min": "100", "area_max": "50"}, "kleiner als"),
        ({"area_min": "-5"}, "zwischen 0,0 und 100.000,0 m²"),
        ({"area_min": "NaN"}, "endliche Zahl"),
        ({"area_min": "viel"}, "keine Zahl"),
        ({"time_from": "31.02.2027"}, "kein Datum"),
        ({"time_from": "01.05.2027", "time_to": "01.04.2027"}, "liegt vor"),
        ({"budget_kind": "rent", "budget_eur_month": ""}, "wie viel Miete"),
    ],
)
def test_bad_input_writes_nothing(client, me, session, overrides, message):
    before = _count(session)
    response = _new(client, proposal_form(**overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(session) == before


def test_district_of_another_municipality_is_refused(client, me, base, session):
    from leerstand.models import District

    foreign = District(municipality_id=base.other_municipality.id, name="Fremd")
    session.add(foreign)
    session.commit()
    data = proposal_form(location_kind="districts", district_ids=[str(foreign.id)])
    response = _new(client, data)
    assert response.status_code == 422
    assert "Ortsteile aus der Liste" in response.get_data(as_text=True)


def test_bad_edit_keeps_the_stored_proposal(client, me, session):
    proposal = _created(_new(client, area_form()), session)
    url = f"/initiative/ideen/{proposal.id}/bearbeiten"
    bad = area_form(BOWTIE, title="geändert", version=str(proposal.version))
    response = post_form(client, url, bad)
    assert response.status_code == 422
    stored = reload(session, proposal)
    assert stored.title == "Repair-Café in der Allee" and stored.area is not None


def test_stale_version_is_refused(client, me, session):
    proposal = _created(_new(client, proposal_form()), session)
    url = f"/initiative/ideen/{proposal.id}/bearbeiten"
    response = post_form(client, url, proposal_form(title="alt", version="0"))
    assert response.status_code == 409
    assert "inzwischen" in response.get_data(as_text=True)


def test_other_initiatives_proposals_are_404(client, me, base, session):
    other = initiative(session, base.municipality)
    theirs = Proposal(
        initiative_id=other.id,
        municipality_id=other.municipality_id,
        title="Geheim",
        use_kind="club",
        location_kind="districts",
    )
    session.add(theirs)
    session.commit()
    url = f"/initiative/ideen/{theirs.id}"
    assert client.get(url).status_code == 404
    assert client.get(url + "/bearbeiten").status_code == 404
    edit = proposal_form(title="gekapert", version="1")
    assert post_form(client, url + "/bearbeiten", edit, page="/initiative/ideen").status_code == 404
    for action in ("einreichen", "zurueckziehen"):
        assert post_form(client, f"{url}/{action}", {}, page="/initiative/ideen").status_code == 404
    assert "Geheim" not in client.get("/initiative/ideen").get_data(as_text=True)
    stored = reload(session, theirs)
    assert stored.title == "Geheim" and stored.state == "draft"


def test_script_in_title_is_shown_as_text(client, me, session):
    data = proposal_form(title=XSS, description=f'<a href="javascript:alert(1)">klick</a> {XSS}')
    proposal = _created(_new(client, data), session)
    for url in (
        f"/initiative/ideen/{proposal.id}",
        "/initiative/ideen",
        f"/initiative/ideen/{proposal.id}/bearbeiten",
    ):
        html = client.get(url).get_data(as_text=True)
        assert XSS not in html, url
        assert ESCAPED in html, url
        assert 'href="javascript:' not in html


def test_csrf_is_required(client, me, session):
    before = _count(session)
    response = client.post("/initiative/ideen/neu", data=proposal_form())
    assert response.status_code == 400
    assert "Formular ist abgelaufen" in response.get_data(as_text=True)
    assert _count(session) == before


def test_oversized_body_is_413_with_german_page(client, me, session):
    big = proposal_form(description="x" * (2 * 1024 * 1024 + 10))
    response = _new(client, big)
    assert response.status_code == 413
    assert "zu groß" in response.get_data(as_text=True)


def test_demo_seed_creates_initiatives_and_proposals(session):
    from leerstand.models import Initiative
    from leerstand.seed import seed

    result = seed(session, ags="15085998", name="Ballenstedt (Ideen)", echo=lambda _line: None)
    session.flush()
    mid = result.municipality.id
    rows = session.execute(
        select(Proposal.state, Proposal.location_kind).where(Proposal.municipality_id == mid)
    ).all()
    states = {state for state, _kind in rows}
    kinds = {kind for _state, kind in rows}
    assert {"draft", "submitted", "published", "rejected"} <= states
    assert {"point", "area", "districts"} <= kinds
    demo = session.scalar(
        select(Initiative).where(Initiative.email == "initiative@ballenstedt.example")
    )
    assert demo.confirmed and demo.check_password("leerstand-initiative")
    outside = session.scalar(
        select(func.count())
        .select_from(Proposal)
        .where(
            Proposal.municipality_id == mid,
            Proposal.area.is_not(None),
            ~func.ST_Within(Proposal.area, result.municipality.boundary),
        )
    )
    assert outside == 0


def test_submission_is_rate_limited(base, session):
    from tests.initiatives import rate_limited_app

    ini = initiative(session, base.municipality)
    with rate_limited_app() as limited:
        client = limited.test_client()
        assert login_initiative(client, ini.email).status_code == 302
        codes = [_new(client, proposal_form(title=" ")).status_code for _ in range(21)]
    assert set(codes[:20]) == {422}
    assert codes[20] == 429
