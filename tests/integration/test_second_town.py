"""A second town set up through the CLI (boundary in EPSG:25832 written by the test) works at
once: its admin (create-user --ags) places a building inside its boundary, its public map,
unit page and API show its unit; it sees nothing of Ballenstedt and Ballenstedt nothing of it."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from leerstand.models import Building, Municipality, User
from tests import factories as f
from tests.conftest import PASSWORD, login, post_form
from tests.integration.test_towns_cli import run
from tests.towns_files import UTM_SQUARE, WGS_CENTRE, utm_districts, write

AGS = "15083040"
LON, LAT = WGS_CENTRE  # the middle of the 5 km square near Wolmirstedt
ITEM_RE = re.compile(r'data-unit-id="(\d+)"')


@pytest.fixture
def town(app, session, tmp_path):
    boundary = write(tmp_path / "grenze.gpkg", [UTM_SQUARE], {"GEN": ["Zweitstadt"]}, "EPSG:25832")
    geoms, fields = utm_districts()
    districts = write(tmp_path / "ot.gpkg", geoms, fields, "EPSG:25832")
    result = run(app, "municipality", "add", "--ags", AGS, "--name", "Zweitstadt",
                 "--boundary", str(boundary), "--districts", str(districts))  # fmt: skip
    assert result.exit_code == 0, result.output
    result = run(app, "create-user", "--ags", AGS, "--role", "admin",
                 "--email", "admin@zweitstadt.example", stdin=f"{PASSWORD}\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    session.expire_all()
    return session.scalars(select(Municipality).where(Municipality.ags == AGS)).one()


@pytest.fixture
def world(client, session, base, town):
    """Zweitstadt's admin places a building by the form (and logs out); a public unit in it;
    a public unit in Ballenstedt."""
    login(client, "admin@zweitstadt.example")
    form = {"street": "Neue Straße", "house_number": "1", "coord_crs": "4326",
            "coord_x": f"{LON}", "coord_y": f"{LAT}"}  # fmt: skip
    response = post_form(client, "/verwaltung/gebaeude/neu", form)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    building = session.scalars(select(Building).where(Building.street == "Neue Straße")).one()
    assert building.municipality_id == town.id
    assert building.district.name == "Mitte"
    mine = f.unit(session, building, publishable=True, name="Zweitladen")
    owner = f.owner(session, town, name="Zweitstadt selbst", is_municipality=True)
    f.ownership(session, building, owner)
    ours = f.building(session, base.municipality, street="Ballenstedter Weg")
    theirs = f.unit(session, ours, publishable=True)
    f.ownership(
        session, ours, f.owner(session, base.municipality, name="Stadt B", is_municipality=True)
    )
    session.commit()
    assert post_form(client, "/logout", {}, page="/verwaltung/").status_code == 302
    return {"building": building.id, "unit": mine.id, "ballenstedt_unit": theirs.id,
            "ballenstedt_building": ours.id}  # fmt: skip


def text(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def test_building_outside_the_new_boundary_is_refused(client, session, town):
    login(client, "admin@zweitstadt.example")
    form = {"street": "Ballenstedter Allee", "house_number": "1", "coord_crs": "4326",
            "coord_x": "11.2265", "coord_y": "51.7192"}  # fmt: skip
    response = post_form(client, "/verwaltung/gebaeude/neu", form)
    assert response.status_code == 422
    assert "außerhalb von Zweitstadt" in response.get_data(as_text=True)


def test_its_staff_see_only_their_own_register_owners_and_audit(client, world):
    login(client, "admin@zweitstadt.example")
    register = text(client, "/verwaltung/register")
    assert "Neue Straße" in register and "Ballenstedter Weg" not in register
    owners = text(client, "/verwaltung/eigentuemer")
    assert "Zweitstadt selbst" in owners and "Stadt B" not in owners
    audit = text(client, "/verwaltung/protokoll")
    assert "Neue Straße" in audit and "Ballenstedter Weg" not in audit
    text(client, f"/verwaltung/gebaeude/{world['ballenstedt_building']}", 404)
    assert "Neue Straße" in text(client, f"/verwaltung/gebaeude/{world['building']}")
    assert f'href="/k/{AGS}/"' in register  # "Öffentliche Karte" leads to its own map


def test_ballenstedt_staff_do_not_see_it(client, base, world):
    login(client, base.staff.email)
    register = text(client, "/verwaltung/register")
    assert "Ballenstedter Weg" in register and "Neue Straße" not in register
    assert "Zweitstadt selbst" not in text(client, "/verwaltung/eigentuemer")
    assert "Neue Straße" not in text(client, "/verwaltung/protokoll")
    text(client, f"/verwaltung/gebaeude/{world['building']}", 404)


def test_public_map_unit_page_and_api_are_per_town(client, world):
    mine, theirs = world["unit"], world["ballenstedt_unit"]
    html = text(client, f"/k/{AGS}/")
    assert "Freie Räume in Zweitstadt" in html
    assert {int(i) for i in ITEM_RE.findall(html)} == {mine}
    assert f'data-units-url="/api/units.geojson?ags={AGS}"' in html
    assert f'href="/k/{AGS}/leerstand/{mine}"' in html
    assert {int(i) for i in ITEM_RE.findall(text(client, "/"))} == {theirs}
    api = json.loads(text(client, f"/api/units.geojson?ags={AGS}"))
    assert [feat["id"] for feat in api["features"]] == [mine]
    assert api["features"][0]["properties"]["url"] == f"http://localhost/k/{AGS}/leerstand/{mine}"
    assert [feat["id"] for feat in json.loads(text(client, "/api/units.geojson"))["features"]] == [
        theirs
    ]
    districts = json.loads(text(client, f"/api/districts.geojson?ags={AGS}"))
    assert sorted(feat["properties"]["name"] for feat in districts["features"]) == [
        "Mitte", "Ostdorf", "Westdorf"]  # fmt: skip
    unit_page = text(client, f"/k/{AGS}/leerstand/{mine}")
    assert "Zweitstadt" in unit_page and f'href="/k/{AGS}/"' in unit_page
    text(client, f"/leerstand/{mine}", 404)  # not under Ballenstedt's address
    text(client, f"/k/{AGS}/leerstand/{theirs}", 404)
    text(client, "/k/15083049/", 404)  # no such town


def test_new_admin_is_in_the_new_town(session, town):
    user = session.scalars(select(User).where(User.email == "admin@zweitstadt.example")).one()
    assert (user.role, user.municipality_id) == ("admin", town.id)


def test_proposal_pages_and_api_are_per_town(client, session, base, town):
    from shapely.geometry import Point

    from leerstand.spatial.geometry import to_db

    mine = f.proposal_in(session, town, title="Zweitidee", point=to_db(Point(LON, LAT))).id
    theirs = f.proposal_in(session, base.municipality, title="Ballenstedter Idee").id
    session.commit()
    assert "Zweitidee" in text(client, f"/k/{AGS}/ideen/{mine}")
    text(client, f"/ideen/{mine}", 404)
    text(client, f"/k/{AGS}/ideen/{theirs}", 404)
    api = json.loads(text(client, f"/api/proposals.geojson?ags={AGS}"))
    assert [feat["id"] for feat in api["features"]] == [mine]
    assert api["features"][0]["properties"]["url"] == f"http://localhost/k/{AGS}/ideen/{mine}"
    ids = [feat["id"] for feat in json.loads(text(client, "/api/proposals.geojson"))["features"]]
    assert ids == [theirs]


def test_the_building_form_map_starts_in_the_new_town(client, town):
    login(client, "admin@zweitstadt.example")
    html = text(client, "/verwaltung/gebaeude/neu")
    centre = re.search(r'data-center="\[([\d.]+), ([\d.]+)\]"', html)
    lat, lon = float(centre.group(1)), float(centre.group(2))
    assert 52.31 < lat < 52.36 and 11.93 < lon < 12.02  # inside Zweitstadt, not on the Allee
    assert f"/api/boundary.geojson?ags={AGS}" in html
