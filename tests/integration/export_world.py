"""Register data for the export tests: three buildings of Ballenstedt (one without units, one
with an owner whose phone number and a unit's note look like formulas) and one of Anderswo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from leerstand.models import Building, Owner, Unit
from tests import factories

ALLEE = (11.2265, 51.7192)
# The same point in ETRS89 / UTM 32N (EPSG:25832), computed once with PROJ (cs2cs/pyproj).
ALLEE_UTM = (653795.98, 5732153.83)
BADEBORN = (11.2435, 51.7620)
FORMULA_NOTE = '=HYPERLINK("http://evil.example","klick")'


@dataclass
class World:
    allee: Building
    badeborn: Building
    empty: Building
    foreign: Building
    shop: Unit
    flat: Unit
    hall: Unit
    owner: Owner


def world(session, base) -> World:
    m = base.municipality
    allee = factories.building(
        session,
        m,
        street="Allee",
        house_number="10",
        lonlat=ALLEE,
        district_id=base.districts["Ballenstedt"].id,
        notes="Dach undicht",
    )
    badeborn = factories.building(
        session,
        m,
        street="Hauptstraße",
        house_number="2",
        place="Badeborn",
        lonlat=BADEBORN,
        district_id=base.districts["Badeborn"].id,
    )
    empty = factories.building(session, m, street="Mühlenweg", house_number="5", lonlat=ALLEE)
    foreign = factories.building(
        session,
        base.other_municipality,
        street="Fremdstraße",
        house_number="1",
        lonlat=(10.05, 50.05),
    )
    factories.unit(session, foreign, name="Fremde Einheit")
    shop = factories.unit(
        session,
        allee,
        name="EG Laden Größe",
        area_m2=Decimal("120.5"),
        vacant_since=date(2024, 3, 1),
        rent_eur_month=Decimal("450.50"),
        internal_notes=FORMULA_NOTE,
    )
    flat = factories.unit(
        session,
        allee,
        name="1. OG Wohnung",
        kind="flat",
        area_m2=Decimal("60.0"),
        vacancy_state="occupied",
        vacant_since=None,
    )
    hall = factories.unit(
        session, badeborn, name="Saal", kind="hall", area_m2=Decimal("300.0"), vacant_since=None
    )
    owner = factories.owner(
        session, m, name="Jürgen Weiß", phone="+49 39483 1234", email="juergen@example.org"
    )
    factories.ownership(session, allee, owner)
    return World(allee, badeborn, empty, foreign, shop, flat, hall, owner)
