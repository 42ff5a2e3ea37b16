"""The register with more units than are counted exactly (``paging.EXACT_UP_TO``) or drawn one by
one (``map_view.MAX_FEATURES``): the page says its count is an estimate, the last pages are read
from the end, the map never sends more than MAX_FEATURES features and its counts still add up.
Also the exact path: a page in the back half (read in reverse) equals the forward order."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from leerstand.services.register import paging
from leerstand.services.register.map_view import MAX_FEATURES
from tests import factories

URL = "/verwaltung/register"
GEOJSON = "/verwaltung/register.geojson"
UNITS = 2100  # Rasterweg 1 … 2100, one unit "R<n>" each, every third an office

GRID = """
INSERT INTO building (municipality_id, street, house_number, postcode, place, location,
                      listed, notes, version)
SELECT :m, 'Rasterweg', g::text, '06493', 'Ballenstedt',
       ST_SetSRID(ST_MakePoint(11.2300 + (g %% 50) * 0.00002, 51.7200 + (g / 50) * 0.00002), 4326),
       false, '', 1
FROM generate_series(1, :n) AS g;
INSERT INTO unit (municipality_id, building_id, name, kind, floor, area_m2, street_level,
                  step_free, shop_window, power, water, wc, heating, vacancy_state,
                  owner_expectation, suitable_uses, publishable, public_description,
                  internal_notes, version)
SELECT :m, b.id, 'R' || b.house_number,
       CASE WHEN b.house_number::int %% 3 = 0 THEN 'office' ELSE 'shop' END, 'EG', 50,
       true, false, false, true, true, true, true, 'occupied', 'unknown', '{}', false, '', '', 1
FROM building b WHERE b.street = 'Rasterweg' AND b.municipality_id = :m;
"""


@pytest.fixture
def grid(session, base):
    for statement in filter(str.strip, GRID.split(";")):
        session.execute(text(statement.replace("%%", "%")), {"m": base.municipality.id, "n": UNITS})
    session.flush()


def _names(html: str) -> list[str]:
    return re.findall(r'data-unit-id="\d+">.*?>(R\d+)</a>', html, flags=re.S)


def _page(client, query: str = "") -> str:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_large_count_is_an_estimate_and_says_so(staff_client, grid):
    html = _page(staff_client)
    count = re.search(r'id="register-count">etwa ([\d.]+) Einheiten \(geschätzt; genau gezählt '
                      r"wird bis 1\.000\)", html)  # fmt: skip
    assert count, html[html.find("register-count") - 50 :][:300]
    assert int(count[1].replace(".", "")) > paging.EXACT_UP_TO
    assert _names(html) == [f"R{n}" for n in range(1, 26)]
    assert re.search(r"Seite 1 von etwa [\d.]+", html)
    assert 'href="/verwaltung/register?page=2">weiter' in html
    assert 'href="/verwaltung/register?page=-1">letzte Seite' in html


def test_last_pages_are_read_from_the_end(staff_client, grid):
    last = _page(staff_client, "page=-1")
    assert _names(last) == [f"R{n}" for n in range(2076, 2101)]
    assert "<span>letzte Seite</span>" in last and ">weiter »<" not in last
    assert 'href="/verwaltung/register?page=-2">« zurück' in last
    before = _page(staff_client, "page=-2")
    assert _names(before) == [f"R{n}" for n in range(2051, 2076)]
    assert "Seite 2 vom Ende" in before
    assert 'href="/verwaltung/register?page=-1">weiter' in before


def test_small_filtered_set_is_counted_exactly(staff_client, grid):
    html = _page(staff_client, "q=Rasterweg+21")  # 21, 210–219, 2100
    assert '<p class="muted" id="register-count">12 Einheiten</p>' in html
    assert _names(html) == ["R21", *(f"R{n}" for n in range(210, 220)), "R2100"]


def test_map_never_sends_more_than_the_cap(staff_client, grid):
    body = staff_client.get(f"{GEOJSON}?zoom=18").get_json()
    counts = [f["properties"].get("count", 1) for f in body["features"]]
    assert body["total"] == UNITS and sum(counts) == UNITS
    assert body["clustered"] is True and len(body["features"]) <= MAX_FEATURES
    offices = staff_client.get(f"{GEOJSON}?zoom=18&kind=office").get_json()
    assert offices["total"] == 700 and len(offices["features"]) == 700
    assert offices["clustered"] is False


def test_absurd_view_is_bounded_by_the_grid(staff_client, grid):
    """The whole world at zoom 22: at most 41 × 41 cells, whatever the zoom asks for."""
    body = staff_client.get(f"{GEOJSON}?bbox=-180,-90,180,90&zoom=22").get_json()
    assert body["total"] == UNITS and len(body["features"]) == 1
    assert body["features"][0]["properties"]["count"] == UNITS


@pytest.fixture
def five(session, base):
    b = factories.building(session, base.municipality, street="Kurzweg", house_number="1")
    ids = [factories.unit(session, b, name=f"K{n}").id for n in range(1, 6)]
    session.flush()
    return ids


@pytest.mark.parametrize("page, expected", [(1, [0, 1]), (2, [2, 3]), (3, [4]), (-1, [4]),
                                            (-2, [2, 3]), (-9, [0, 1]), (9, [4])])  # fmt: skip
def test_exact_pages_forward_and_from_the_end(app, staff_client, five, page, expected):
    app.config["PAGE_SIZE"] = 2
    try:
        html = _page(staff_client, f"page={page}")
    finally:
        app.config["PAGE_SIZE"] = 25
    assert [int(i) for i in re.findall(r'data-unit-id="(\d+)"', html)] == [
        five[i] for i in expected
    ]
    assert "5 Einheiten" in html and "geschätzt" not in html
