"""The register: every filter includes and excludes the right units; the GeoJSON equals the list."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from shapely.geometry import MultiPolygon, box

from leerstand.dates import local_today
from leerstand.models import FocusArea
from leerstand.services.register import filters as register_filters
from leerstand.spatial.geometry import to_db
from tests import factories

URL = "/verwaltung/register"
GEOJSON = "/verwaltung/register.geojson"
TODAY = local_today()  # the town's calendar day, as the app counts (not the UTC date)
FAR = (11.2435, 51.7620)  # Badeborn, inside the municipality


@pytest.fixture
def data(session, base):
    m = base.municipality
    allee = factories.building(
        session, m, street="Allee", house_number="10", district_id=base.districts["Ballenstedt"].id
    )
    badeborn = factories.building(
        session,
        m,
        street="Hauptstraße",
        house_number="2",
        place="Badeborn",
        lonlat=FAR,
        district_id=base.districts["Badeborn"].id,
    )
    units = {
        "shop": factories.unit(session, allee, name="EG Laden", area_m2=Decimal("120.0")),
        "flat": factories.unit(
            session,
            allee,
            name="1. OG Wohnung",
            kind="flat",
            area_m2=Decimal("60.0"),
            vacancy_state="occupied",
            vacant_since=None,
        ),
        "hall": factories.unit(
            session,
            badeborn,
            name="Saal",
            kind="hall",
            area_m2=Decimal("300.0"),
            vacant_since=TODAY - timedelta(days=40),
        ),
    }
    owner = factories.owner(session, m)
    factories.contact_case(
        session, allee, owner, state="in_dialogue", next_follow_up=TODAY - timedelta(days=1)
    )
    factories.contact_case(
        session, allee, factories.owner(session, m), state="contacted", next_follow_up=None
    )
    factories.contact_case(
        session, badeborn, owner, state="declined", next_follow_up=TODAY + timedelta(days=10)
    )
    area = FocusArea(
        municipality_id=m.id,
        name="Schlossallee",
        area=to_db(MultiPolygon([box(11.225, 51.718, 11.228, 51.720)])),
    )
    session.add(area)
    foreign = factories.building(session, base.other_municipality, lonlat=(10.05, 50.05))
    factories.unit(session, foreign, name="Fremd")
    session.flush()
    return {**{k: u.id for k, u in units.items()}, "focus_area": area.id}


def _ids(client, query: str = "") -> list[int]:
    html = client.get(f"{URL}?{query}").get_data(as_text=True)
    return [int(i) for i in re.findall(r'data-unit-id="(\d+)"', html)]


def _map_ids(client, query: str = "") -> set[int]:
    response = client.get(f"{GEOJSON}?{query}")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    return {f["properties"]["unit_id"] for f in response.get_json()["features"]}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"shop", "flat", "hall"}),
        ("kind=shop", {"shop"}),
        ("vacancy_state=occupied", {"flat"}),
        ("vacant_months=6", {"shop"}),
        ("vacant_months=1", {"shop", "hall"}),
        ("vacant_months=0", {"shop", "hall"}),
        # the filter matches the column: the most advanced state of the building's cases
        ("contact_state=in_dialogue", {"shop", "flat"}),
        ("contact_state=contacted", set()),
        ("contact_state=declined", {"hall"}),
        ("contact_state=agreement", set()),
        ("follow_up_due=1", {"shop", "flat"}),
        ("q=allee+10", {"shop", "flat"}),
        ("q=badeborn", {"hall"}),
        ("q=saal", {"hall"}),
        ("q=%25", set()),
        ("kind=shop&vacancy_state=occupied", set()),
    ],
)
def test_filters(staff_client, data, query, expected):
    wanted = {data[k] for k in expected}
    assert set(_ids(staff_client, query)) == wanted
    assert _map_ids(staff_client, query) == wanted


def test_district_and_focus_area_filters(staff_client, data, base):
    district = base.districts["Badeborn"].id
    assert set(_ids(staff_client, f"district_id={district}")) == {data["hall"]}
    assert _map_ids(staff_client, f"district_id={district}") == {data["hall"]}
    focus = f"focus_area_id={data['focus_area']}"
    assert set(_ids(staff_client, focus)) == {data["shop"], data["flat"]}
    assert _map_ids(staff_client, focus) == {data["shop"], data["flat"]}


def test_other_municipality_never_listed(staff_client, data):
    html = staff_client.get(URL).get_data(as_text=True)
    assert "Fremd" not in html
    assert len(_map_ids(staff_client)) == 3


def test_table_shows_contact_state_follow_up_and_german_formats(staff_client, data):
    html = staff_client.get(f"{URL}?kind=shop").get_data(as_text=True)
    assert "im Gespräch" in html  # most advanced of in_dialogue / contacted
    assert (TODAY - timedelta(days=1)).strftime("%d.%m.%Y") in html
    assert "120,0 m²" in html and "Ladenlokal" in html
    assert 'data-geojson-url="/verwaltung/register.geojson?kind=shop"' in html
    assert "<script>" not in html and 'style="' not in html


@pytest.mark.parametrize(
    "sort, first",
    [
        ("sort=area&dir=asc", "flat"),
        ("sort=area&dir=desc", "hall"),
        ("sort=address", "shop"),
        ("sort=district", "hall"),
        ("sort=vacant_since", "shop"),
    ],
)
def test_sorting(staff_client, data, sort, first):
    assert _ids(staff_client, sort)[0] == data[first]


def test_paging_and_map_shows_all_pages(app, staff_client, data):
    app.config["PAGE_SIZE"] = 2
    try:
        first = _ids(staff_client, "sort=area&page=1")
        second = _ids(staff_client, "sort=area&page=2")
        beyond = _ids(staff_client, "sort=area&page=99")
    finally:
        app.config["PAGE_SIZE"] = 25
    assert len(first) == 2 and len(second) == 1 and beyond == second
    assert set(first + second) == _map_ids(staff_client, "sort=area&page=1")


@pytest.mark.parametrize(
    "query, message",
    [
        ("district_id=abc", "keine ganze Zahl"),
        ("focus_area_id=1.5", "keine ganze Zahl"),
        ("kind=castle", "unbekannter Wert"),
        ("vacancy_state=%3Cx%3E", "unbekannter Wert"),
        ("vacant_months=-3", "nicht erlaubt"),
        ("vacant_months=99999999999999", "nicht erlaubt"),
        ("page=0", "nicht erlaubt"),
        ("sort=evil", "Unbekannte Sortierung"),
        ("contact_state=x", "unbekannter Wert"),
    ],
)
def test_bad_filters_are_ignored_with_message(staff_client, data, query, message):
    response = staff_client.get(f"{URL}?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html and "<x>" not in html
    assert len(_ids(staff_client, query)) == 3
    assert staff_client.get(f"{GEOJSON}?{query}").status_code == 200


def test_geojson_properties(staff_client, data):
    feature = staff_client.get(f"{GEOJSON}?kind=hall").get_json()["features"][0]
    assert feature["geometry"]["type"] == "Point"
    assert feature["geometry"]["coordinates"] == list(FAR)
    props = feature["properties"]
    assert props["unit_id"] == data["hall"] and props["name"] == "Saal"
    assert props["address"] == "Hauptstraße 2" and props["kind_label"] == "Saal / Halle"
    assert props["vacancy_state"] == "vacant" and props["vacancy_label"] == "leer"
    assert re.fullmatch(r"/verwaltung/gebaeude/\d+", props["url"])


def test_empty_geojson(staff_client):
    body = staff_client.get(f"{GEOJSON}?q=nichtvorhanden").get_json()
    assert body == {
        "type": "FeatureCollection",
        "total": 0,
        "clustered": False,
        "extent": None,
        "features": [],
    }


def test_viewer_reads_register(viewer_client, data):
    response = viewer_client.get(URL)
    assert response.status_code == 200 and "Neues Gebäude" not in response.get_data(as_text=True)
    assert len(_map_ids(viewer_client)) == 3


def test_login_required(client):
    assert client.get(URL).status_code == 302
    assert client.get(GEOJSON).status_code == 302


def test_parse_filters_and_months_ago():
    f = register_filters.parse_filters({"district_id": " 3 ", "follow_up_due": "on", "q": " x "})
    assert (f.district_id, f.follow_up_due, f.q, f.errors) == (3, True, "x", [])
    assert register_filters.months_ago(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert register_filters.months_ago(date(2024, 1, 15), 13) == date(2022, 12, 15)


def test_contact_state_filter_agrees_with_the_column(staff_client, session, base):
    """Two cases in different states: the building shows and filters as the more advanced one;
    a building without cases is "nicht kontaktiert"; the property manager's case does not
    count (as in matching)."""
    m = base.municipality
    two = factories.building(session, m, street="Zweifallgasse", house_number="1")
    none = factories.building(session, m, street="Ohnefallgasse", house_number="2")
    managed = factories.building(session, m, street="Verwaltergasse", house_number="3")
    units = {b.street: factories.unit(session, b, name=b.street) for b in (two, none, managed)}
    for building, state in ((two, "declined"), (two, "open_to_interim_use")):
        factories.contact_case(session, building, factories.owner(session, m), state=state)
    manager, heir = factories.owner(session, m), factories.owner(session, m)
    factories.ownership(session, managed, manager, role="manager")
    factories.ownership(session, managed, heir, role="heir")
    factories.contact_case(session, managed, manager, state="agreement")
    factories.contact_case(session, managed, heir, state="contacted")
    session.commit()
    ids = {street: unit.id for street, unit in units.items()}
    expected = {
        "open_to_interim_use": {ids["Zweifallgasse"]},
        "declined": set(),
        "not_contacted": {ids["Ohnefallgasse"]},
        "contacted": {ids["Verwaltergasse"]},
        "agreement": set(),
    }
    for state, wanted in expected.items():
        assert set(_ids(staff_client, f"contact_state={state}")) == wanted, state
        assert _map_ids(staff_client, f"contact_state={state}") == wanted, state
    html = staff_client.get(f"{URL}?q=Zweifallgasse").get_data(as_text=True)
    assert "offen für Zwischennutzung" in html
    html = staff_client.get(f"{URL}?q=Ohnefallgasse").get_data(as_text=True)
    assert "nicht kontaktiert" in html.split("<tbody", 1)[1]
