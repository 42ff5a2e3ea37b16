"""The public map page's filter form keeps what was chosen, and the API's default limit."""

from __future__ import annotations

import re

import pytest

from tests.integration import public_world

ITEM_RE = re.compile(r'data-unit-id="(\d+)"')


@pytest.fixture
def world(session, base):
    return public_world.build(session, base)


def test_map_form_keeps_the_district_filter(client, base, world):
    badeborn = base.districts["Badeborn"].id
    html = client.get(f"/?district={badeborn}").get_data(as_text=True)
    assert re.search(rf'<option value="{badeborn}"\s+selected>Badeborn</option>', html)
    assert {int(i) for i in ITEM_RE.findall(html)} == {
        world.public["municipal"],
        world.public["interim"],
    }
    html = client.get("/").get_data(as_text=True)
    assert not re.search(rf'<option value="{badeborn}"\s+selected>', html)


def test_api_without_limit_returns_every_public_unit(client, world):
    data = client.get("/api/units.geojson").get_json()
    assert {f["id"] for f in data["features"]} == set(world.public.values())
