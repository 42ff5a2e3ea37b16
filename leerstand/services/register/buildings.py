"""Create and update buildings (Gebäude) and units (Nutzungseinheiten) from form values.

Inputs are plain strings as typed (German numbers "1.234,5", dates dd.mm.yyyy or ISO);
every problem raises ``ServiceError``/``GeometryError`` with a German ``Text`` (the view
translates it) before anything is flushed. Every save goes through ``save_with_audit``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from geoalchemy2 import Geography
from sqlalchemy import cast, func, select
from sqlalchemy.orm import Session

from leerstand.messages import Text
from leerstand.models import Building, District, Unit
from leerstand.services import municipality as municipality_service
from leerstand.services.audit.log import save_with_audit
from leerstand.services.errors import ServiceError
from leerstand.services.forms import (
    choice,
    flag,
    parse_date,
    parse_decimal,
    parse_int,
    text,
)
from leerstand.services.locking import check_version
from leerstand.services.matching import service as matching
from leerstand.services.municipality import get_scoped
from leerstand.spatial import crs
from leerstand.spatial.geometry import (
    GEOJSON_MAX_CHARS,
    ensure_inside,
    from_db,
    point_from_input,
    polygon_from_geojson,
    to_db,
)
from leerstand.vocab import CONDITIONS, OWNER_EXPECTATIONS, UNIT_KINDS, USE_KINDS, VACANCY_STATES

UNIT_FLAGS = ("street_level", "step_free", "shop_window", "power", "water", "wc", "heating")
# Checked after rounding to the columns' scale: area Numeric(8,1), rent Numeric(9,2).
AREA_MIN_M2, AREA_MAX_M2 = Decimal("0.1"), Decimal("999999.9")
MONEY_MAX_EUR = Decimal("9999999.99")


# --- buildings -----------------------------------------------------------------------------


def get_building(session: Session, municipality_id: int, building_id: int) -> Building:
    return get_scoped(
        session, Building, building_id, municipality_id, Text("Gebäude nicht gefunden.")
    )


def get_unit(session: Session, municipality_id: int, unit_id: int) -> Unit:
    return get_scoped(
        session, Unit, unit_id, municipality_id, Text("Nutzungseinheit nicht gefunden.")
    )


def districts(session: Session, municipality_id: int) -> list[District]:
    return list(
        session.scalars(
            select(District)
            .where(District.municipality_id == municipality_id)
            .order_by(District.name)
        )
    )


def nearest_district_id(session: Session, municipality_id: int, location) -> int | None:
    """The district whose centre is nearest to ``location`` (metres on the spheroid)."""
    point = cast(func.ST_GeomFromText(location.wkt, crs.WGS84), Geography)
    return session.scalar(
        select(District.id)
        .where(District.municipality_id == municipality_id, District.centre.is_not(None))
        .order_by(func.ST_Distance(cast(District.centre, Geography), point))
        .limit(1)
    )


def _location(values: Mapping):
    epsg = parse_int(values.get("coord_crs"), Text("Koordinatensystem")) or crs.WGS84
    if epsg not in crs.OFFERED:
        raise ServiceError(Text("Bitte ein Koordinatensystem aus der Liste wählen."))
    if not text(values, "coord_x", 40, Text("Rechtswert")) and not text(
        values, "coord_y", 40, Text("Hochwert")
    ):
        raise ServiceError(
            Text("Bitte den Standort auf der Karte setzen oder Koordinaten eingeben.")
        )
    return point_from_input(values.get("coord_x"), values.get("coord_y"), epsg)


def _district_id(session: Session, municipality_id: int, raw, location) -> int | None:
    district_id = parse_int(raw, Text("Ortsteil"))
    if district_id is None:
        return nearest_district_id(session, municipality_id, location)
    district = session.get(District, district_id)
    if district is None or district.municipality_id != municipality_id:
        raise ServiceError(Text("Bitte einen Ortsteil aus der Liste wählen."))
    return district_id


def _year(raw) -> int | None:
    year = parse_int(raw, Text("Baujahr"))
    if year is not None and not 800 <= year <= date.today().year + 5:
        raise ServiceError(
            Text("Baujahr %(year)s ist nicht möglich (erlaubt: 800 bis heute).", year=year)
        )
    return year


def building_values(session: Session, municipality_id: int, values: Mapping) -> dict:
    """Validate building form values; returns model attributes or raises."""
    street = text(values, "street", 120, Text("Straße"))
    if not street:
        raise ServiceError(Text("Bitte die Straße angeben."))
    condition = str(values.get("condition") or "").strip() or None
    if condition is not None and condition not in CONDITIONS:
        raise ServiceError(Text("Bitte einen Zustand aus der Liste wählen."))
    name, boundary = municipality_service.boundary(session, municipality_id)
    location = _location(values)
    ensure_inside(location, boundary, name)
    footprint = None
    raw_footprint = text(values, "footprint_geojson", GEOJSON_MAX_CHARS, Text("Umriss"))
    if raw_footprint:
        footprint = polygon_from_geojson(raw_footprint)
        ensure_inside(footprint, boundary, name)
    return {
        "street": street,
        "house_number": text(values, "house_number", 20, Text("Hausnummer")),
        "postcode": text(values, "postcode", 10, Text("Postleitzahl")),
        "place": text(values, "place", 120, Text("Ort")),
        "district_id": _district_id(session, municipality_id, values.get("district_id"), location),
        "location": to_db(location),
        "footprint": to_db(footprint) if footprint is not None else None,
        "parcel_id": text(values, "parcel_id", 40, Text("Flurstückskennzeichen")) or None,
        "alkis_id": text(values, "alkis_id", 40, Text("ALKIS-Gebäude-ID")) or None,
        "listed": flag(values, "listed"),
        "condition": condition,
        "year_built": _year(values.get("year_built")),
        "notes": text(values, "notes", 10_000, Text("Notizen (intern)")),
    }


def create_building(session: Session, user_id: int, municipality_id: int, values: Mapping):
    attrs = building_values(session, municipality_id, values)
    building = Building(municipality_id=municipality_id, **attrs)
    save_with_audit(session, user_id, building)
    return building


def _assign(obj, attrs: dict) -> None:
    """Set only attributes that really change (geometries compared as WKB)."""
    for key, new in attrs.items():
        old = getattr(obj, key)
        if key in ("location", "footprint"):
            old_geom, new_geom = from_db(old), from_db(new)
            if old_geom is None and new_geom is None:
                continue
            if old_geom is not None and new_geom is not None and old_geom.equals_exact(new_geom, 0):
                continue
        elif old == new:
            continue
        setattr(obj, key, new)


def update_building(session: Session, user_id: int, building: Building, values: Mapping):
    check_version(building, values.get("version"))
    attrs = building_values(session, building.municipality_id, values)
    _assign(building, attrs)
    changes = save_with_audit(session, user_id, building)
    matching.building_changed(session, building, changes)
    return building


# --- units ---------------------------------------------------------------------------------


def _area(raw) -> Decimal | None:
    return parse_decimal(raw, Text("Fläche"), 1, AREA_MIN_M2, AREA_MAX_M2, "m²")


def _rent(raw) -> Decimal | None:
    return parse_decimal(raw, Text("Miete"), 2, Decimal(0), MONEY_MAX_EUR, "€")


def _uses(raw) -> list[str]:
    """ "Geeignet für": codes of USE_KINDS (checkboxes: a list; a single code as a string),
    stored in vocabulary order; an unknown code is refused."""
    items = raw if isinstance(raw, list | tuple) else [raw] if raw else []
    chosen = {str(item).strip() for item in items} - {""}
    unknown = sorted(chosen - USE_KINDS.keys())
    if unknown:
        raise ServiceError(
            Text(
                "„%(code)s“ ist keine bekannte Nutzung bei „Geeignet für“. "
                "Bitte nur Nutzungen aus der Liste ankreuzen.",
                code=unknown[0][:40],
            )
        )
    return [code for code in USE_KINDS if code in chosen]


def unit_values(values: Mapping) -> dict:
    name = text(values, "name", 120, Text("Bezeichnung"))
    if not name:
        raise ServiceError(
            Text("Bitte eine Bezeichnung der Einheit angeben (z. B. „EG Ladenlokal“).")
        )
    available_from = parse_date(values.get("available_from"), Text("Verfügbar ab"))
    available_to = parse_date(values.get("available_to"), Text("Verfügbar bis"))
    if available_from and available_to and available_to < available_from:
        raise ServiceError(
            Text("„Verfügbar bis“ liegt vor „Verfügbar ab“. Bitte die Daten prüfen.")
        )
    attrs = {
        "name": name,
        "kind": choice(values, "kind", UNIT_KINDS, Text("Art"), ""),
        "floor": text(values, "floor", 40, Text("Geschoss")),
        "area_m2": _area(values.get("area_m2")),
        "vacancy_state": choice(
            values, "vacancy_state", VACANCY_STATES, Text("Leerstand"), "vacant"
        ),
        "vacant_since": parse_date(values.get("vacant_since"), Text("Leer seit")),
        "available_from": available_from,
        "available_to": available_to,
        "owner_expectation": choice(
            values, "owner_expectation", OWNER_EXPECTATIONS, Text("Erwartung"), "unknown"
        ),
        "rent_eur_month": _rent(values.get("rent_eur_month")),
        "suitable_uses": _uses(values.get("suitable_uses")),
        "publishable": flag(values, "publishable"),
        "public_description": text(
            values, "public_description", 5_000, Text("Öffentliche Beschreibung")
        ),
        "internal_notes": text(values, "internal_notes", 10_000, Text("Interne Notizen")),
    }
    attrs.update({key: flag(values, key) for key in UNIT_FLAGS})
    return attrs


def create_unit(session: Session, user_id: int, building: Building, values: Mapping) -> Unit:
    unit = Unit(
        building_id=building.id, municipality_id=building.municipality_id, **unit_values(values)
    )
    save_with_audit(session, user_id, unit)
    matching.unit_changed(session, unit)
    return unit


def update_unit(session: Session, user_id: int, unit: Unit, values: Mapping) -> Unit:
    check_version(unit, values.get("version"))
    _assign(unit, unit_values(values))
    changes = save_with_audit(session, user_id, unit)
    matching.unit_changed(session, unit, changes)
    return unit
