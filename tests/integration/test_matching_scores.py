"""Scores and German reasons of real candidates, the order of the ranking, and both directions
(units for a proposal, proposals for a unit) giving the same score for the same pair."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from shapely.geometry import box

from leerstand.dates import local_today
from leerstand.services.matching import service as matching
from leerstand.services.matching.reasons import reason_text
from leerstand.spatial.geometry import to_db
from leerstand.vocab import MATCH_CRITERIA
from tests import factories as f


def months_ago(months: int) -> date:
    today = local_today()
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def owned_unit(session, base, lonlat=f.ALLEE, state="open_to_interim_use", building_kw=None, **kw):
    building = f.building(session, base.municipality, lonlat=lonlat, **(building_kw or {}))
    owner = f.owner(session, base.municipality)
    f.ownership(session, building, owner)
    if state:
        f.contact_case(session, building, owner, state=state)
    return f.unit(session, building, **kw)


def test_every_criterion_has_a_german_reason(session, base):
    unit = owned_unit(
        session, base, (11.2265, 51.7192 + 350 / 111_250), area_m2=Decimal("92.0"),
        power=True, wc=True, water=False, owner_expectation="costs_only",
        vacant_since=months_ago(14),
    )  # fmt: skip
    p = f.proposal_in(
        session, base.municipality, area_min=Decimal(60), area_max=Decimal(120), power=True,
        water=True, wc=True, budget_kind="costs_only", radius_m=1000,
    )  # fmt: skip
    [result] = matching.rank_units(session, p)
    assert result.unit_id == unit.id
    assert [r["criterion"] for r in result.reasons] == list(MATCH_CRITERIA)
    texts = {r["criterion"]: reason_text(r) for r in result.reasons}
    assert re.fullmatch(r"\d+ m vom Wunschort", texts["distance"])
    assert int(texts["distance"].split()[0]) == result.distance_m
    assert 345 <= result.distance_m <= 355
    assert texts["area"] == "92 m² – passt (gesucht 60–120 m²)"
    assert texts["utilities"] == "Strom und WC vorhanden, Wasser fehlt"
    assert texts["cost"] == "nur Nebenkosten – passt zum Budget"
    assert texts["openness"] == "Eigentümer:in offen für Zwischennutzung"
    assert texts["vacancy"] == "seit 14 Monaten leer"
    points = {r["criterion"]: r["points"] for r in result.reasons}
    assert points["utilities"] == 10.0 and points["area"] == 20 and points["cost"] == 15
    assert points["vacancy"] == round(10 * 14 / 24, 1)
    assert all(0 <= r["points"] <= r["max"] for r in result.reasons)
    assert sum(r["max"] for r in result.reasons) == 100
    assert result.score == round(sum(points.values()))


def test_german_numbers_and_other_texts(session, base):
    far = owned_unit(
        session, base, (11.2265, 51.7192 + 1300 / 111_250), area_m2=Decimal("130.5"),
        state="declined", owner_expectation="rent", rent_eur_month=Decimal("450"),
    )  # fmt: skip
    del far  # declined: not a candidate
    unit = owned_unit(
        session, base, (11.2265, 51.7192 + 1300 / 111_250), area_m2=Decimal("130.5"),
        state=None, owner_expectation="rent", rent_eur_month=Decimal("450"), vacant_since=None,
    )  # fmt: skip
    p = f.proposal_in(
        session, base.municipality, area_min=Decimal(60), area_max=Decimal(120), radius_m=2000,
        budget_kind="rent", budget_eur_month=Decimal("300"),
    )  # fmt: skip
    [result] = matching.rank_units(session, p)
    texts = {r["criterion"]: reason_text(r) for r in result.reasons}
    assert result.unit_id == unit.id
    assert re.fullmatch(r"1\.\d{3} m vom Wunschort", texts["distance"])
    assert texts["area"] == "130,5 m² – etwas größer als gesucht (gesucht 60–120 m²)"
    assert texts["utilities"] == "keine besondere Ausstattung gewünscht"
    assert texts["cost"] == "Miete 450 €/Monat – über dem Budget (bis 300 €)"
    assert texts["openness"] == "Eigentümer:in noch nicht kontaktiert"
    assert texts["vacancy"] == "leer, seit wann ist unbekannt"


def test_district_reason_names_the_district(session, base):
    badeborn = base.districts["Badeborn"]
    unit = owned_unit(session, base, (11.2439, 51.7619), building_kw={"district_id": badeborn.id})
    p = f.proposal_in(
        session, base.municipality, location_kind="districts", point=None, radius_m=None
    )
    p.districts = [badeborn]
    [result] = matching.rank_units(session, p)
    assert result.unit_id == unit.id
    assert re.fullmatch(
        r"im gewünschten Ortsteil Badeborn, \d+ m vom Ortskern", reason_text(result.reasons[0])
    )


def test_ranking_order(session, base):
    near = owned_unit(session, base, (11.2265, 51.7192 + 20 / 111_250))
    farther = owned_unit(session, base, (11.2265, 51.7192 + 250 / 111_250))
    closed_owner = owned_unit(session, base, (11.2265, 51.7192 + 20 / 111_250), state="unreachable")
    town = f.building(session, base.municipality, lonlat=(11.2266, 51.7192))
    f.ownership(session, town, f.owner(session, base.municipality, is_municipality=True))
    municipal = f.unit(session, town)
    p = f.proposal_in(session, base.municipality)
    results = matching.rank_units(session, p)
    order = [r.unit_id for r in results]
    assert order.index(near.id) < order.index(farther.id)
    assert order.index(near.id) < order.index(closed_owner.id)
    assert order[0] == municipal.id
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    openness = {r.unit_id: reason_text(r.reasons[4]) for r in results}
    assert openness[municipal.id] == "im Eigentum der Kommune"
    assert openness[closed_owner.id] == "Eigentümer:in nicht erreichbar"
    assert matching.rank_units(session, p, limit=2) == results[:2]


def test_several_owners_the_least_open_counts(session, base):
    unit = owned_unit(session, base, state="open_to_interim_use")
    heir = f.owner(session, base.municipality)
    f.ownership(session, unit.building, heir, role="heir")
    f.contact_case(session, unit.building, heir, state="contacted")
    [result] = matching.rank_units(session, f.proposal_in(session, base.municipality))
    assert reason_text(result.reasons[4]).startswith("Eigentümer:in kontaktiert, noch ohne Antwort")
    assert "2 Eigentümer:innen" in reason_text(result.reasons[4])


def test_both_directions_agree(session, base):
    badeborn, muni = base.districts["Badeborn"], base.municipality
    unit = owned_unit(session, base, building_kw={"district_id": badeborn.id}, kind="shop")
    point = f.proposal_in(session, muni, title="Punkt")
    area = f.proposal_in(
        session, muni, title="Gebiet", location_kind="area", point=None,
        area=to_db(box(11.2200, 51.7170, 11.2300, 51.7210)),
    )  # fmt: skip
    districts = f.proposal_in(
        session, muni, title="Ortsteil", location_kind="districts", point=None
    )
    districts.districts = [badeborn]
    chosen = f.proposal_in(
        session, muni, title="Einheit", location_kind="unit", point=None, unit_id=unit.id
    )
    elsewhere = f.proposal_in(
        session, muni, title="Woanders", point=to_db(box(11.24, 51.76, 11.25, 51.77).centroid)
    )
    too_big = f.proposal_in(session, muni, title="Zu groß", area_min=Decimal(500))
    wrong_kind = f.proposal_in(session, muni, title="Saal", use_kind="events")
    draft = f.proposal_in(session, muni, title="Entwurf", state="draft")
    matched = f.proposal_in(session, muni, title="Raum gefunden", state="matched")
    results = matching.rank_proposals(session, unit)
    found = {r.proposal_id: r for r in results}
    assert set(found) == {point.id, area.id, districts.id, chosen.id, matched.id}
    assert not {elsewhere.id, too_big.id, wrong_kind.id, draft.id} & set(found)
    for p in (point, area, districts, chosen):
        [forward] = [r for r in matching.rank_units(session, p) if r.unit_id == unit.id]
        assert forward == found[p.id]
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
