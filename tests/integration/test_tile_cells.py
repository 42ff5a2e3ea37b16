"""Clustered tiles from the pre-aggregated cell counts (migration 0021, services/public/tile_cells):
the same features as the tiles built from the units (written-out counts on a small town), every
change of a unit, building, ownership or consent in the very next tile (no stale counts), the
counts kept at commit equal to a rebuild from scratch, and a one-unit cell carrying that unit's
public properties and nothing internal."""

from __future__ import annotations

from datetime import UTC, datetime

import mapbox_vector_tile
import pytest
from sqlalchemy import select, text

from leerstand.db import db
from leerstand.models import Building, Consent, Municipality, Unit
from leerstand.services.public.geojson import UNIT_PROPERTIES
from tests import factories as f
from tests.conftest import make_app, truncate_volatile

# A, B and H (hidden: not publishable) share a cell down to zoom 16; C lies 1.4 km east of them
# (another cell from zoom 12 on), D 6 km north-east (another cell from zoom 10 on).
A, B, H = (11.1000, 51.7000), (11.1003, 51.7001), (11.1001, 51.7000)
C, D = (11.1200, 51.7000), (11.1800, 51.7300)
Z8, Z10, Z12, Z14 = (8, 135, 84), (10, 543, 339), (12, 2174, 1358), (14, 8697, 5433)
Z16 = (16, 34788, 21735)
STAFF_PROPERTIES = {
    "id", "kind", "kind_label", "vacancy_state", "vacancy_label", "interim_planned", "address",
    "name", "district", "url", "count",
}  # fmt: skip
SECRET = "INTERNALSECRET-cells"


def _town(s, muni) -> dict:
    """Units A, B (its owner consented), H (hidden), C, D: town-owned unless said otherwise."""
    town = f.owner(s, muni, name="Stadt Ballenstedt", is_municipality=True)
    person = f.owner(s, muni, name="OWNERSECRET Zelle", email="owner-secret@example.org")
    f.consent(s, person)
    ids = {"person": person.id}
    for name, lonlat in (("A", A), ("B", B), ("H", H), ("C", C), ("D", D)):
        building = f.building(s, muni, lonlat=lonlat, notes="BUILDINGNOTESECRET")
        f.ownership(s, building, person if name == "B" else town)
        unit = f.unit(
            s, building, name=f"EG {name}", publishable=name != "H", internal_notes=SECRET
        )
        ids[name], ids[f"building_{name}"] = unit.id, building.id
    return ids


@pytest.fixture
def town(session, base):
    ids = _town(session, base.municipality)
    session.flush()
    return ids


def _features(client, layer: str, tile, query: str = "") -> list[dict]:
    z, x, y = tile
    response = client.get(f"/tiles/{layer}/{z}/{x}/{y}.mvt" + (f"?{query}" if query else ""))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    layers = mapbox_vector_tile.decode(response.get_data())
    return layers[layer]["features"] if layers else []


def _summary(client, layer: str, tile, query: str = "") -> tuple[list[int], set[int]]:
    """(the clusters' counts sorted, the ids of the single units) of a tile."""
    found = _features(client, layer, tile, query)
    clusters = sorted(x["properties"]["count"] for x in found if x["properties"]["count"] > 1)
    return clusters, {x["id"] for x in found if x["properties"]["count"] == 1}


def _shapes(client, layer, tile, query="") -> list[tuple]:
    found = _features(client, layer, tile, query)
    return sorted((x.get("id"), x["properties"]["count"], str(x["geometry"])) for x in found)


def test_counts_from_the_cells_are_those_of_the_live_tile(client, town):
    expected = {
        (0, 0, 0): ([4], set()),
        Z8: ([4], set()),
        Z10: ([3], {town["D"]}),  # A, B, C | D
        Z12: ([2], {town["C"]}),  # A, B | C (D is in the tile to the north-east)
        Z14: ([2], set()),
        Z16: ([2], set()),
    }
    for tile, summary in expected.items():
        assert _summary(client, "units", tile) == summary, tile
        # every unit is a shop: ?kind=shop builds the same tile from the units
        assert _shapes(client, "units", tile) == _shapes(client, "units", tile, "kind=shop")


def test_register_cells_count_every_unit_of_the_town(staff_client, town):
    assert _summary(staff_client, "register", Z10) == ([4], {town["D"]})
    assert _summary(staff_client, "register", Z12) == ([3], {town["C"]})
    assert _summary(staff_client, "register", Z16) == ([3], set())


def test_changes_are_in_the_next_tile(client, session, town):
    unit = session.get(Unit, town["C"])
    unit.publishable = False  # C no longer public
    session.flush()
    assert _summary(client, "units", Z12) == ([2], set())
    assert _summary(client, "units", Z10) == ([2], {town["D"]})
    session.get(Building, town["building_D"]).location = "SRID=4326;POINT(11.1002 51.7000)"
    session.flush()  # D moved next to A and B
    assert _summary(client, "units", Z12) == ([3], set())
    assert _summary(client, "units", Z10) == ([3], set())
    building_c = session.get(Building, town["building_C"])
    new = f.unit(session, building_c, name="EG neu", publishable=True)
    session.flush()  # a new public unit where C is: alone in its cell
    assert _summary(client, "units", Z12) == ([3], {new.id})
    consent = session.scalar(select(Consent).where(Consent.owner_id == town["person"]))
    consent.withdrawn_at = datetime.now(UTC)
    session.flush()  # B's owner withdrew the map consent
    assert _summary(client, "units", Z12) == ([2], {new.id})
    assert _summary(client, "units", Z16) == ([2], set())
    session.delete(session.get(Unit, town["A"]))
    session.flush()
    assert _summary(client, "units", Z16) == ([], {town["D"]})
    assert _summary(client, "units", Z12) == ([], {town["D"], new.id})


def test_register_cells_follow_changes_whatever_the_public_rule(staff_client, session, town):
    session.get(Unit, town["C"]).vacancy_state = "occupied"  # not public, still registered
    session.flush()
    assert _summary(staff_client, "register", Z12) == ([3], {town["C"]})
    session.get(Unit, town["H"]).building_id = town["building_C"]  # H moves into C's building
    session.flush()
    assert _summary(staff_client, "register", Z12) == ([2, 2], set())


def _cells(session, municipality_id: int) -> list[tuple]:
    return session.execute(
        text("SELECT * FROM tile_cell WHERE municipality_id = :m ORDER BY z, cx, cy"),
        {"m": municipality_id},
    ).all()


def test_the_counts_kept_at_each_change_equal_a_rebuild(session, base, town):
    session.get(Unit, town["C"]).publishable = False
    session.get(Building, town["building_D"]).location = "SRID=4326;POINT(11.1002 51.7000)"
    session.delete(session.get(Unit, town["A"]))
    f.unit(session, session.get(Building, town["building_C"]), publishable=True)
    session.flush()
    session.execute(text("SELECT leerstand_tile_flush()"))
    kept = _cells(session, base.municipality.id)
    assert [row.pn for row in kept if row.z == 0] == [3]  # B, D, the new unit
    assert [row.n for row in kept if row.z == 0] == [5]  # and C, H
    session.execute(text("SELECT leerstand_tile_rebuild()"))
    assert _cells(session, base.municipality.id) == kept


def test_a_single_unit_cell_carries_its_public_properties_only(client, town):
    response = client.get("/tiles/units/{}/{}/{}.mvt".format(*Z12))
    for secret in (SECRET, "BUILDINGNOTESECRET", "OWNERSECRET", "owner-secret@example.org"):
        assert secret.encode() not in response.get_data(), secret
    (single,) = [x for x in _features(client, "units", Z12) if x["properties"]["count"] == 1]
    assert set(single["properties"]) <= {*UNIT_PROPERTIES, "count"}
    assert single["properties"]["kind_label"] == "Ladenlokal"
    assert single["properties"]["url"] == f"/leerstand/{town['C']}"
    (cluster,) = [x for x in _features(client, "units", Z12) if x["properties"]["count"] > 1]
    assert cluster["properties"] == {"count": 2} and not cluster.get("id")


def test_a_register_single_carries_the_staff_properties_only(staff_client, town):
    response = staff_client.get("/tiles/register/{}/{}/{}.mvt".format(*Z12))
    for secret in (SECRET, "BUILDINGNOTESECRET", "OWNERSECRET", "owner-secret@example.org"):
        assert secret.encode() not in response.get_data(), secret
    (single,) = [x for x in _features(staff_client, "register", Z12) if x.get("id")]
    assert set(single["properties"]) <= STAFF_PROPERTIES
    assert single["properties"]["name"] == "EG C"


@pytest.fixture
def committed(session):
    """An app on the test database whose writes commit for real; emptied afterwards."""
    live = make_app()
    engine = live.extensions["leerstand_db"]
    db.session.remove()  # leave the rolled-back test transaction
    db.sessionmaker.configure(bind=None, join_transaction_mode="conditional_savepoint")
    truncate_volatile(engine)
    try:
        with live.app_context():
            yield live
    finally:
        db.session.remove()
        truncate_volatile(engine)
        engine.dispose()


def test_a_committed_change_is_in_the_next_tile_of_every_reader(committed):
    s = db.session
    muni = s.scalar(select(Municipality).where(Municipality.ags == "15085040"))
    ids = _town(s, muni)
    s.commit()
    client = committed.test_client()
    assert _summary(client, "units", Z12) == ([2], {ids["C"]})
    assert s.scalar(text("SELECT count(*) FROM tile_pending")) == 0  # applied at the commit
    s.get(Unit, ids["C"]).publishable = False
    s.commit()
    assert _summary(client, "units", Z12) == ([2], set())
    s.get(Unit, ids["C"]).publishable = True
    s.get(Building, ids["building_C"]).location = "SRID=4326;POINT(11.1002 51.7000)"
    s.commit()
    assert _summary(client, "units", Z12) == ([3], set())
    assert _summary(client, "units", (0, 0, 0)) == ([4], set())


def _public_cell_counts(conn) -> list[tuple]:
    return conn.execute(
        text("SELECT z, cx, cy, n, pn, psid FROM tile_cell WHERE z IN (0, 16) ORDER BY 1, 2, 3")
    ).all()


def test_two_writers_crossing_tables_leave_the_counts_of_a_rebuild(committed):
    """T1 withdraws an owner's consent while T2 makes that owner the owner of another building;
    whichever commits first, the counts end as a rebuild from scratch has them."""
    s = db.session
    muni = s.scalar(select(Municipality).where(Municipality.ags == "15085040"))
    ids = _town(s, muni)
    ownerless = f.building(s, muni, lonlat=(11.1500, 51.7100))
    lonely = f.unit(s, ownerless, name="EG ohne Eigentümer", publishable=True).id
    s.commit()
    engine = committed.extensions["leerstand_db"]
    with engine.connect() as t1, engine.connect() as t2:
        t1.execute(
            text("UPDATE consent SET withdrawn_at = now() WHERE owner_id = :o"),
            {"o": ids["person"]},
        )
        t2.execute(
            text("INSERT INTO ownership (building_id, owner_id, role) VALUES (:b, :o, 'owner')"),
            {"b": ownerless.id, "o": ids["person"]},
        )
        t2.commit()  # sees the consent still given: the lonely unit becomes public
        t1.commit()  # resolves the owner's buildings at its commit, the new one included
    with engine.connect() as conn:
        kept = _public_cell_counts(conn)
        assert [row.pn for row in kept if row.z == 0] == [3]  # A, C, D (not B, not lonely)
        assert lonely not in {row.psid for row in kept}
        conn.execute(text("SELECT leerstand_tile_rebuild()"))
        assert _public_cell_counts(conn) == kept
        conn.rollback()
