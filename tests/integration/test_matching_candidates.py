"""Matching on crafted fixtures in Ballenstedt: which units are candidates for a proposal (every
hard filter includes AND excludes the right units), distances against pyproj, location kinds."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from shapely.geometry import box

from leerstand.dates import local_today
from leerstand.services.matching import service as matching
from leerstand.services.matching.candidates import FLEXIBLE_START_DAYS
from leerstand.services.matching.reasons import reason_text
from leerstand.spatial.crs import geodesic_distance_m
from leerstand.spatial.geometry import to_db
from tests import factories as f

LON, LAT = f.ALLEE
M_PER_DEG_LAT = 111_250  # roughly, at 51.7° N; distances are checked against pyproj anyway


def north(metres: float, east: float = 0.0) -> tuple[float, float]:
    """A point about ``metres`` north (and ``east`` metres east) of the Allee point."""
    return LON + east / (M_PER_DEG_LAT * 0.62), LAT + metres / M_PER_DEG_LAT


def unit_at(session, base, lonlat=f.ALLEE, building_kw=None, **kw):
    building = f.building(session, base.municipality, lonlat=lonlat, **(building_kw or {}))
    return f.unit(session, building, **kw)


def ids(results) -> set[int]:
    return {r.unit_id for r in results}


def found_for(session, base, **proposal_kw) -> set[int]:
    """The ids of the units ranked for a new proposal (``factories.proposal_in`` with
    ``proposal_kw``)."""
    return ids(
        matching.rank_units(session, f.proposal_in(session, base.municipality, **proposal_kw))
    )


def test_distances_agree_with_pyproj_within_one_percent(session, base):
    offsets = [(30, 0), (120, 40), (480, -200), (950, 300), (1900, -700)]
    units = {unit_at(session, base, north(n, e)).id: north(n, e) for n, e in offsets}
    p = f.proposal_in(session, base.municipality, radius_m=3000)
    results = [r for r in matching.rank_units(session, p) if r.unit_id in units]
    assert ids(results) == set(units)
    for r in results:
        expected = geodesic_distance_m(LON, LAT, *units[r.unit_id])
        assert isinstance(r.distance_m, int)
        assert abs(r.distance_m - expected) <= max(1.0, 0.01 * expected), (r, expected)


def test_radius_includes_near_and_excludes_far(session, base):
    near = unit_at(session, base, north(200))
    edge = unit_at(session, base, north(280))
    far = unit_at(session, base, north(400))
    found = found_for(session, base, radius_m=300)
    assert {near.id, edge.id} <= found and far.id not in found


def test_area_range_with_fifteen_percent_tolerance(session, base):
    areas = {
        a: unit_at(session, base, area_m2=Decimal(a)) for a in ("50", "52", "90", "137", "140")
    }
    unknown = unit_at(session, base, area_m2=None)
    p = f.proposal_in(session, base.municipality, area_min=Decimal(60), area_max=Decimal(120))
    results = {r.unit_id: r for r in matching.rank_units(session, p)}
    assert {areas[a].id for a in ("52", "90", "137")} | {unknown.id} <= set(results)
    assert areas["50"].id not in results and areas["140"].id not in results
    area_points = {uid: r.reasons[1]["points"] for uid, r in results.items()}
    assert area_points[areas["90"].id] == 20
    assert area_points[areas["52"].id] < 20 and area_points[areas["137"].id] < 20
    assert area_points[unknown.id] < area_points[areas["137"].id]


def test_only_minimum_or_maximum(session, base):
    small = unit_at(session, base, area_m2=Decimal(30))
    big = unit_at(session, base, area_m2=Decimal(400))
    assert found_for(session, base, area_min=Decimal(100)) >= {big.id}
    assert small.id not in found_for(session, base, area_min=100)
    only_max = found_for(session, base, area_max=Decimal(50))
    assert small.id in only_max and big.id not in only_max


def test_availability_window(session, base):
    today = local_today()

    def at(**kw):
        return unit_at(session, base, **kw).id

    late_start = at(available_from=today + timedelta(days=60))
    early_start = at(available_from=today + timedelta(days=10))
    ends_early = at(available_to=today + timedelta(days=60))
    ends_late = at(available_to=today + timedelta(days=100))
    open_ended = at()
    window = {"time_from": today + timedelta(days=30), "time_to": today + timedelta(days=90)}
    found = found_for(session, base, **window)
    assert {early_start, ends_late, open_ended} <= found
    assert late_start not in found and ends_early not in found
    # no time given ("flexibel"): free today or within FLEXIBLE_START_DAYS
    beyond = at(available_from=today + timedelta(days=FLEXIBLE_START_DAYS + 1))
    now = found_for(session, base)
    assert {early_start, late_start, ends_early, open_ended} <= now and beyond not in now
    # only a start: must still be available on that day
    start_only = found_for(session, base, time_from=today + timedelta(days=70))
    assert {late_start, early_start, ends_late} <= start_only and ends_early not in start_only


def test_street_level_and_step_free(session, base):
    upstairs = unit_at(session, base, street_level=False, step_free=False)
    ground = unit_at(session, base, street_level=True, step_free=False)
    ramp = unit_at(session, base, street_level=True, step_free=True)
    lift = unit_at(session, base, street_level=False, step_free=True)
    assert found_for(session, base) >= {upstairs.id, ground.id, ramp.id, lift.id}
    street = found_for(session, base, street_level=True)
    assert {ground.id, ramp.id} <= street and not {upstairs.id, lift.id} & street
    step_free = found_for(session, base, step_free=True)
    assert {ramp.id, lift.id} <= step_free and not {upstairs.id, ground.id} & step_free


def test_kind_of_unit_for_kind_of_use(session, base):
    hall = unit_at(session, base, kind="hall")
    shop = unit_at(session, base, kind="shop")
    flat = unit_at(session, base, kind="flat")
    shop_for_events = unit_at(session, base, kind="shop", suitable_uses=["events"])
    # suitable_uses hold codes (migration 0005); a German word left over is no code
    shop_german = unit_at(session, base, kind="shop", suitable_uses=["Veranstaltungen"])
    flat_cafe = unit_at(session, base, kind="flat", suitable_uses=["atelier", "cafe"])
    events = found_for(session, base, use_kind="events")
    assert {hall.id, shop_for_events.id} <= events
    assert not {shop.id, flat.id, flat_cafe.id, shop_german.id} & events
    popup = found_for(session, base, use_kind="popup")
    assert {shop.id, shop_for_events.id} <= popup and not {hall.id, flat.id} & popup
    cafe = found_for(session, base, use_kind="cafe")
    assert flat_cafe.id in cafe and flat.id not in cafe


def test_vacancy_states(session, base):
    states = ("vacant", "partly_vacant", "vacancy_expected", "interim_use", "occupied")
    units = {s: unit_at(session, base, vacancy_state=s).id for s in states}
    found = found_for(session, base)
    assert {units["vacant"], units["partly_vacant"], units["vacancy_expected"]} <= found
    assert units["interim_use"] not in found and units["occupied"] not in found


def _owned(session, base, *owners):
    u = unit_at(session, base)
    for owner_kw, role, state in owners:
        owner = f.owner(session, base.municipality, **owner_kw)
        f.ownership(session, u.building, owner, role=role)
        if state:
            f.contact_case(session, u.building, owner, state=state)
    return u


def test_declined_owner_excludes_building_but_not_a_declined_manager(session, base):
    declined = _owned(session, base, ({}, "owner", "declined"))
    heir_declined = _owned(
        session, base, ({}, "heir", "open_to_interim_use"), ({}, "heir", "declined")
    )
    manager_declined = _owned(
        session, base, ({}, "owner", "in_dialogue"), ({}, "manager", "declined")
    )
    open_ = _owned(session, base, ({}, "owner", "open_to_interim_use"))
    found = found_for(session, base)
    assert {manager_declined.id, open_.id} <= found
    assert declined.id not in found and heir_declined.id not in found


def test_other_municipality_never_matches(session, base):
    """Same place, other town: only the municipality tells the two units apart."""
    stranger = f.unit(session, f.building(session, base.other_municipality, lonlat=f.ALLEE))
    own = unit_at(session, base, f.ALLEE)
    p = f.proposal_in(session, base.municipality, location_kind="point", radius_m=300)
    found = ids(matching.rank_units(session, p))
    assert own.id in found and stranger.id not in found
    assert p.id in {r.proposal_id for r in matching.rank_proposals(session, own)}
    assert p.id not in {r.proposal_id for r in matching.rank_proposals(session, stranger)}


def test_location_kind_area(session, base):
    inside = unit_at(session, base, (11.2250, 51.7190))
    outside = unit_at(session, base, (11.2350, 51.7190))
    area = to_db(box(11.2200, 51.7170, 11.2300, 51.7210))
    p = f.proposal_in(
        session, base.municipality, location_kind="area", area=area, point=None, radius_m=None
    )
    results = {r.unit_id: r for r in matching.rank_units(session, p)}
    assert inside.id in results and outside.id not in results
    assert reason_text(results[inside.id].reasons[0]).startswith("im gewünschten Gebiet")


def test_location_kind_districts(session, base):
    badeborn, rieder = base.districts["Badeborn"], base.districts["Rieder"]
    in_badeborn = unit_at(session, base, building_kw={"district_id": badeborn.id})
    in_rieder = unit_at(session, base, building_kw={"district_id": rieder.id})
    in_town = unit_at(session, base, building_kw={"district_id": base.districts["Ballenstedt"].id})
    p = f.proposal_in(
        session, base.municipality, location_kind="districts", point=None, radius_m=None
    )
    p.districts = [badeborn, rieder]
    results = {r.unit_id: r for r in matching.rank_units(session, p)}
    assert {in_badeborn.id, in_rieder.id} <= set(results) and in_town.id not in results
    assert reason_text(results[in_badeborn.id].reasons[0]).startswith(
        "im gewünschten Ortsteil Badeborn"
    )


def test_location_kind_unit(session, base):
    chosen = unit_at(session, base, kind="hall")
    neighbour = unit_at(session, base)
    p = f.proposal_in(
        session,
        base.municipality,
        location_kind="unit",
        unit_id=chosen.id,
        point=None,
        use_kind="popup",
    )
    results = matching.rank_units(session, p)
    assert ids(results) == {chosen.id}  # the initiative chose it: the kind rule does not apply
    assert results[0].distance_m is None and neighbour.id not in ids(results)
    chosen.vacancy_state = "occupied"
    assert matching.rank_units(session, p) == []
