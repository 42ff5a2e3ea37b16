"""The register's vector tiles for staff (``/tiles/register/{z}/{x}/{y}.mvt``): login required
(401 without, 403 for an initiative), every unit of the staff member's own town whatever its
state or consent, never another town's, never owner data, and clusters that add up."""

from __future__ import annotations

import mapbox_vector_tile
import pytest

from tests.initiatives import initiative, login_initiative
from tests.integration import public_world
from tests.integration.public_world import SECRETS

ALLEE_17 = (17, 69623, 43460)
BOTH_10 = (10, 543, 339)
STAFF_PROPERTIES = {
    "id", "kind", "kind_label", "vacancy_state", "vacancy_label", "interim_planned", "address",
    "name", "district", "url", "count",
}  # fmt: skip


@pytest.fixture
def world(session, base):
    return public_world.build(session, base)


def url(tile) -> str:
    z, x, y = tile
    return f"/tiles/register/{z}/{x}/{y}.mvt"


def features(client, tile) -> list[dict]:
    response = client.get(url(tile))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert "Access-Control-Allow-Origin" not in response.headers
    layers = mapbox_vector_tile.decode(response.get_data())
    return layers["register"]["features"] if layers else []


def test_without_login_the_register_tiles_are_refused(client, world):
    response = client.get(url(ALLEE_17))
    assert response.status_code == 401
    assert response.get_json()["error"] == "Bitte melden Sie sich an, um das Register zu sehen."


def test_an_initiative_gets_no_register_tiles(client, session, base, world):
    account = initiative(session, base.municipality, email="tiles-ini@example.org")
    session.flush()
    login_initiative(client, account.email)
    response = client.get(url(ALLEE_17))
    assert response.status_code == 403
    assert response.get_json()["error"] == "Das Register ist nur für die Verwaltung sichtbar."


def test_staff_see_every_unit_of_their_town(staff_client, world):
    at_allee = {f["id"] for f in features(staff_client, ALLEE_17)}
    hidden = {key: world.hidden[key] for key in world.hidden if key != "other_municipality"}
    assert at_allee == {world.public["consent"], *hidden.values()}
    body = staff_client.get(url(ALLEE_17)).get_data()
    for secret in SECRETS:
        if secret not in ("in_dialogue", "im Gespräch"):  # the contact state is not in a tile
            assert secret.encode() not in body, secret
    assert b"in_dialogue" not in body
    unit = next(f for f in features(staff_client, ALLEE_17) if f["id"] == world.public["consent"])
    assert set(unit["properties"]) <= STAFF_PROPERTIES
    assert unit["properties"]["url"] == f"/verwaltung/einheiten/{world.public['consent']}"


def test_register_clusters_count_the_whole_town(staff_client, world):
    # 6 units at the Allee (1 public, 4 hidden: same building or the place), 2 in Badeborn
    total = sum(f["properties"]["count"] for f in features(staff_client, BOTH_10))
    assert total == 7
    total = sum(f["properties"]["count"] for f in features(staff_client, (0, 0, 0)))
    assert total == 7  # the other town's unit is not in this town's register


def test_viewers_see_the_register_tiles_too(viewer_client, world):
    assert len(features(viewer_client, ALLEE_17)) == 5
