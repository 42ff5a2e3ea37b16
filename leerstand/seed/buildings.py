"""Demo buildings and their units: shops with flats above on the Allee, mixed uses in the
Kernstadt, whole buildings, halls, workshops and former inns in the villages."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from leerstand.models import Building, Unit
from leerstand.seed.sites import Site, footprint
from leerstand.seed.texts import INTERNAL_NOTES, PUBLIC_DESCRIPTIONS, SUITABLE_USES, UNIT_NAMES
from leerstand.spatial.geometry import to_db

AREAS = {
    "shop": (40, 180),
    "office": (50, 150),
    "gastro": (90, 300),
    "hall": (120, 400),
    "workshop": (60, 350),
    "whole_building": (150, 600),
    "flat": (45, 110),
}
MAIN_KINDS = {
    "allee": (["shop"], [1]),
    "kernstadt": (["shop", "office", "gastro", "whole_building", "workshop"], [4, 2, 1, 3, 1]),
    "village": (["whole_building", "hall", "workshop", "gastro"], [4, 2, 2, 2]),
}
STATES = ["vacant", "partly_vacant", "vacancy_expected", "occupied", "interim_use"]
STATE_WEIGHTS = [60, 8, 12, 12, 8]
EXPECTATIONS = (["unknown", "rent", "costs_only", "free"], [25, 35, 25, 15])
CONDITIONS = (["good", "fair", "poor", "ruin"], [3, 5, 3, 0.4])
VACANT_LIKE = {"vacant", "partly_vacant", "vacancy_expected", "interim_use"}


def _address(site: Site, municipality_id: int, district_id: int) -> dict:
    return {
        "municipality_id": municipality_id,
        "district_id": district_id,
        "street": site.street,
        "house_number": site.house_number,
        "postcode": "06493",
        "place": site.place,
        "location": to_db(site.point),
    }


def _building(site: Site, municipality_id: int, district_id: int, rng: random.Random) -> Building:
    building = Building(
        **_address(site, municipality_id, district_id),
        listed=rng.random() < (0.4 if site.area == "allee" else 0.2),
        condition=rng.choices(*CONDITIONS)[0],
        year_built=rng.randint(1700, 1930) if site.area != "village" else rng.randint(1700, 1990),
    )
    if rng.random() < 0.35:
        building.footprint = to_db(footprint(site))
    return building


def ziegenberg(site: Site, municipality_id: int, district_id: int) -> Building:
    """A plainly fictional record modelled on the real Großer Ziegenberg complex."""
    building = Building(
        **_address(site, municipality_id, district_id),
        footprint=to_db(footprint(site, width=40, depth=90)),
        listed=True,
        condition="poor",
        year_built=1936,
        notes="Fiktiver Demo-Datensatz, angelehnt an den Gebäudekomplex Großer Ziegenberg.",
    )
    unit = Unit(
        municipality_id=municipality_id,
        name="ganzes Gebäude (ehem. Schulungszentrum)",
        kind="whole_building",
        floor="EG–2. OG",
        area_m2=Decimal("4800.0"),
        street_level=True,
        power=True,
        vacancy_state="vacant",
        owner_expectation="unknown",
        suitable_uses=["events", "atelier", "workshop", "club"],
        internal_notes="Großer Komplex, Sanierungsbedarf hoch; Konzept mit Eigentümer nötig.",
    )
    building.units.append(unit)
    return building


def _features(unit: Unit, rng: random.Random, ground: bool) -> None:
    unit.street_level = ground
    unit.shop_window = unit.kind in ("shop", "gastro") and ground
    unit.step_free = ground and rng.random() < 0.6
    unit.power = rng.random() < 0.95
    unit.water = rng.random() < 0.8
    unit.wc = unit.water and rng.random() < 0.85
    unit.heating = rng.random() < 0.7


def _vacancy(unit: Unit, rng: random.Random, today: date, state: str) -> None:
    unit.vacancy_state = state
    if state in ("vacant", "partly_vacant", "interim_use"):
        unit.vacant_since = today - timedelta(days=rng.randint(365, 8 * 365))
    if state == "vacancy_expected":
        unit.available_from = today + timedelta(days=rng.randint(30, 180))
    elif state == "interim_use":
        unit.available_from = today + timedelta(days=rng.randint(90, 300))
    elif state in ("vacant", "partly_vacant") and rng.random() < 0.7:
        unit.available_from = today + timedelta(days=rng.randint(0, 60))
    if unit.available_from and rng.random() < 0.4:
        unit.available_to = unit.available_from + timedelta(days=rng.randint(180, 720))


def _offer(unit: Unit, rng: random.Random) -> None:
    if unit.vacancy_state not in VACANT_LIKE:
        return
    unit.owner_expectation = rng.choices(*EXPECTATIONS)[0]
    if unit.owner_expectation == "rent":
        rent = float(unit.area_m2) * rng.uniform(3.5, 7.5)
        unit.rent_eur_month = Decimal(round(rent, -1)).quantize(Decimal("0.01"))
    uses = SUITABLE_USES.get(unit.kind, [])
    unit.suitable_uses = rng.sample(uses, k=min(len(uses), rng.randint(2, 4)))
    if rng.random() < 0.7:
        unit.publishable = True
        unit.public_description = rng.choice(PUBLIC_DESCRIPTIONS[unit.kind])


def make_unit(rng: random.Random, kind: str, floor: str, state: str, today: date) -> Unit:
    low, high = AREAS[kind]
    unit = Unit(
        name=f"{floor} {UNIT_NAMES[kind]}" if kind in ("flat", "office") else UNIT_NAMES[kind],
        kind=kind,
        floor=floor,
        area_m2=Decimal(rng.randint(low * 10, high * 10)) / 10,
        suitable_uses=[],
    )
    _features(unit, rng, ground=floor == "EG")
    _vacancy(unit, rng, today, state)
    _offer(unit, rng)
    if rng.random() < 0.3:
        unit.internal_notes = rng.choice(INTERNAL_NOTES)
    return unit


def _main_state(rng: random.Random, kind: str) -> str:
    state = rng.choices(STATES, STATE_WEIGHTS)[0]
    if state == "partly_vacant" and kind != "whole_building":
        return "vacant"
    return state


def units_for(site: Site, rng: random.Random, today: date) -> list[Unit]:
    kinds, weights = MAIN_KINDS[site.area]
    kind = rng.choices(kinds, weights)[0]
    units = [make_unit(rng, kind, "EG", _main_state(rng, kind), today)]
    extra = 0
    if site.area == "allee":
        extra = rng.choice([1, 1, 2])
    elif kind != "whole_building" and rng.random() < 0.5:
        extra = 1
    for level in range(1, extra + 1):
        state = "occupied" if rng.random() < 0.75 else "vacant"
        units.append(make_unit(rng, "flat", f"{level}. OG", state, today))
    return units


def create_building(site: Site, municipality_id: int, district_id: int, rng, today) -> Building:
    if site.area == "ziegenberg":
        return ziegenberg(site, municipality_id, district_id)
    building = _building(site, municipality_id, district_id, rng)
    for unit in units_for(site, rng, today):
        unit.municipality_id = municipality_id
        building.units.append(unit)
    return building
