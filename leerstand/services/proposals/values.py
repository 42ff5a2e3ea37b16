"""The form of a Nutzungsidee: validated attributes from the initiative's input (what, how
big, when, budget, needs, and where: a point with a radius, an area drawn on the map, Ortsteile
or one unit from the public map). Every problem raises ``ServiceError`` / ``GeometryError``
with a German message; nothing is written here. Used by ``leerstand.services.proposals.service``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from leerstand.messages import Text
from leerstand.models import District, Unit
from leerstand.services import municipality as municipality_service
from leerstand.services.errors import ServiceError
from leerstand.services.forms import choice, flag, parse_date, parse_decimal, parse_int, text
from leerstand.services.public.geojson import UNIT_IS_PUBLIC
from leerstand.spatial.geometry import (
    GEOJSON_MAX_CHARS,
    ensure_inside,
    point_from_input,
    polygon_from_geojson,
    to_db,
    to_geojson,
)
from leerstand.vocab import BUDGET_KINDS, LOCATION_KINDS, USE_KINDS

NEED_FLAGS = ("street_level", "step_free", "power", "water", "wc", "heating")
RADIUS_MIN_M, RADIUS_MAX_M = 50, 20_000
# Checked after rounding to the columns' scale: areas Numeric(8,1), budget Numeric(9,2).
AREA_MAX_M2 = Decimal("100000")
MONEY_MAX_EUR = Decimal("9999999.99")


def public_units(session: Session, municipality_id: int) -> list[Unit]:
    """Units a proposal may name: those the public map shows (``public.UNIT_IS_PUBLIC``)."""
    sql = sql_text(
        f"SELECT u.* FROM unit u WHERE u.municipality_id = :mid AND {UNIT_IS_PUBLIC} ORDER BY u.id"
    )
    return list(session.scalars(select(Unit).from_statement(sql), {"mid": municipality_id}))


def _money(raw, what: Text) -> Decimal | None:
    return parse_decimal(raw, what, 2, Decimal(0), MONEY_MAX_EUR, "€")


def _area_range(values: Mapping) -> dict:
    low = parse_decimal(
        values.get("area_min"), Text("Fläche von"), 1, Decimal(0), AREA_MAX_M2, "m²"
    )
    high = parse_decimal(
        values.get("area_max"), Text("Fläche bis"), 1, Decimal(0), AREA_MAX_M2, "m²"
    )
    if low is not None and high is not None and high < low:
        raise ServiceError(
            Text("„Fläche bis“ ist kleiner als „Fläche von“. Bitte die Werte prüfen.")
        )
    return {"area_min": low, "area_max": high}


def _time(values: Mapping) -> dict:
    start = parse_date(values.get("time_from"), Text("Zeitraum von"))
    end = parse_date(values.get("time_to"), Text("Zeitraum bis"))
    if start and end and end < start:
        raise ServiceError(Text("„Zeitraum bis“ liegt vor „Zeitraum von“. Bitte die Daten prüfen."))
    return {
        "time_from": start,
        "time_to": end,
        "frequency": text(values, "frequency", 200, Text("Wie oft")),
    }


def _ids(values: Mapping, key: str) -> list[int]:
    raw = values.getlist(key) if hasattr(values, "getlist") else values.get(key) or []
    raw = [raw] if isinstance(raw, str | int) else raw
    return sorted({i for i in (parse_int(r, Text("Ortsteil")) for r in raw) if i is not None})


def _point(session: Session, municipality_id: int, values: Mapping) -> dict:
    if not text(values, "point_lon", 40, Text("Längengrad")) and not text(
        values, "point_lat", 40, Text("Breitengrad")
    ):
        raise ServiceError(
            Text("Bitte den Wunschort in die Karte klicken oder Koordinaten eingeben.")
        )
    point = point_from_input(values.get("point_lon"), values.get("point_lat"))
    ensure_inside(point, *_boundary(session, municipality_id))
    radius = parse_int(values.get("radius_m"), Text("Umkreis"))
    if radius is None or not RADIUS_MIN_M <= radius <= RADIUS_MAX_M:
        raise ServiceError(
            Text(
                "Der Umkreis muss zwischen %(low)s und %(high)s m liegen.",
                low=float(RADIUS_MIN_M),  # floats: "20.000" in German, "20,000" in English
                high=float(RADIUS_MAX_M),
            )
        )
    return {"point": to_db(point), "radius_m": radius}


def _boundary(session: Session, municipality_id: int):
    name, boundary = municipality_service.boundary(session, municipality_id)
    return boundary, name


def _area(session: Session, municipality_id: int, values: Mapping) -> dict:
    raw = text(values, "area_geojson", GEOJSON_MAX_CHARS, Text("Gebiet"))
    if not raw:
        raise ServiceError(Text("Bitte ein Gebiet auf der Karte zeichnen (Polygon-Werkzeug)."))
    polygon = polygon_from_geojson(raw)
    ensure_inside(polygon, *_boundary(session, municipality_id))
    return {"area": to_db(polygon)}


def _districts(session: Session, municipality_id: int, values: Mapping) -> list[District]:
    ids = _ids(values, "district_ids")
    if not ids:
        raise ServiceError(Text("Bitte mindestens einen Ortsteil ankreuzen."))
    found = list(
        session.scalars(
            select(District).where(
                District.id.in_(ids), District.municipality_id == municipality_id
            )
        )
    )
    if len(found) != len(ids):
        raise ServiceError(Text("Bitte nur Ortsteile aus der Liste wählen."))
    return found


def _unit(session: Session, municipality_id: int, values: Mapping) -> dict:
    unit_id = parse_int(values.get("unit_id"), Text("Leerstand"))
    if unit_id is None:
        raise ServiceError(Text("Bitte einen Leerstand aus der Liste wählen."))
    if unit_id not in {u.id for u in public_units(session, municipality_id)}:
        raise ServiceError(
            Text("Diesen Leerstand gibt es nicht (mehr) auf der öffentlichen Karte.")
        )
    return {"unit_id": unit_id}


def _location(session: Session, municipality_id: int, values: Mapping) -> tuple[dict, list]:
    kind = choice(values, "location_kind", LOCATION_KINDS, Text("Wo"), "districts")
    attrs = {"location_kind": kind, "point": None, "radius_m": None, "area": None, "unit_id": None}
    districts: list[District] = []
    if kind == "point":
        attrs.update(_point(session, municipality_id, values))
    elif kind == "area":
        attrs.update(_area(session, municipality_id, values))
    elif kind == "unit":
        attrs.update(_unit(session, municipality_id, values))
    else:
        districts = _districts(session, municipality_id, values)
    return attrs, districts


def proposal_values(session: Session, municipality_id: int, values: Mapping) -> tuple[dict, list]:
    """Validate the form; returns (model attributes, districts) or raises."""
    title = text(values, "title", 160, Text("Titel"))
    if not title:
        raise ServiceError(Text("Bitte einen Titel für die Idee angeben."))
    budget_kind = choice(values, "budget_kind", BUDGET_KINDS, Text("Budget"), "costs_only")
    attrs = {
        "title": title,
        "description": text(values, "description", 5_000, Text("Beschreibung")),
        "use_kind": choice(values, "use_kind", USE_KINDS, Text("Art der Nutzung")),
        "budget_kind": budget_kind,
        "budget_eur_month": _money(values.get("budget_eur_month"), Text("Betrag pro Monat")),
        **_area_range(values),
        **_time(values),
        **{key: flag(values, key) for key in NEED_FLAGS},
    }
    if budget_kind == "rent" and attrs["budget_eur_month"] is None:
        raise ServiceError(Text("Bitte angeben, wie viel Miete pro Monat möglich ist."))
    location, districts = _location(session, municipality_id, values)
    attrs.update(location)
    return attrs, districts


def proposal_geometry(proposal) -> str:
    """GeoJSON of where a proposal wants to be (point, area or the unit's building), or ""."""
    if proposal.location_kind == "unit" and proposal.unit is not None:
        return json.dumps(to_geojson(proposal.unit.building.location))
    geom = proposal.point if proposal.location_kind == "point" else proposal.area
    return json.dumps(to_geojson(geom)) if geom is not None else ""
