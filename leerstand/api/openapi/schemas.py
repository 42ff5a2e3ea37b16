"""The JSON schemas of the OpenAPI document (``components.schemas``): the German error answer,
GeoJSON geometries and FeatureCollections, and the public properties of units and proposals.

The property lists are checked against the allowlists the SQL builds
(``services.public.geojson.UNIT_PROPERTIES``/``PROPOSAL_PROPERTIES``) and the enums come from
``vocab``: a property added to the SQL but not described here fails when the document is built
(``build``), instead of drifting silently."""

from __future__ import annotations

from leerstand import vocab
from leerstand.services.public.geojson import PROPOSAL_PROPERTIES, UNIT_PROPERTIES


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


def enum(vocabulary: dict) -> dict:
    return {"type": "string", "enum": list(vocabulary)}


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
NUMBER = {"type": "number"}
DATE = {"type": "string", "format": "date"}
URL = {"type": "string", "format": "uri"}

UNIT_PROPERTY_SCHEMAS = {
    "id": INTEGER, "kind": enum(vocab.UNIT_KINDS), "kind_label": STRING,
    "district": nullable(STRING), "street": STRING, "house_number": STRING, "place": STRING,
    "area_m2": {**INTEGER, "description": "Fläche, auf 5 m² gerundet"},
    "street_level": BOOLEAN, "step_free": BOOLEAN, "shop_window": BOOLEAN, "power": BOOLEAN,
    "water": BOOLEAN, "wc": BOOLEAN, "heating": BOOLEAN, "available_from": nullable(DATE),
    "available_to": nullable(DATE), "vacancy_state": enum(vocab.VACANCY_STATES),
    "vacancy_label": STRING, "in_interim_use": BOOLEAN, "interim_planned": BOOLEAN,
    "terms_label": STRING, "public_description": STRING, "url": URL,
    "photo": nullable({**URL, "description": "Titelbild (Vorschau), nur mit Foto-Einwilligung"}),
}  # fmt: skip
PROPOSAL_PROPERTY_SCHEMAS = {
    "id": INTEGER, "title": STRING, "description": STRING, "use_kind": enum(vocab.USE_KINDS),
    "use_kind_label": STRING, "organisation": STRING, "area_min": nullable(NUMBER),
    "area_max": nullable(NUMBER), "street_level": BOOLEAN, "step_free": BOOLEAN,
    "power": BOOLEAN, "water": BOOLEAN, "wc": BOOLEAN, "heating": BOOLEAN,
    "time_from": nullable(DATE), "time_to": nullable(DATE), "frequency": STRING,
    "location_kind": enum(vocab.LOCATION_KINDS), "radius_m": nullable(INTEGER),
    "districts": {"type": "array", "items": STRING}, "unit_id": nullable(INTEGER), "url": URL,
}  # fmt: skip
AREA_PROPERTIES = {"name": STRING, "description": nullable(STRING)}
BUILDING_PROPERTIES = {
    "id": INTEGER, "address": STRING, "district": nullable(STRING), "units": INTEGER, "url": STRING,
}  # fmt: skip


def _object(properties: dict, required: list[str] | None = None) -> dict:
    return {
        "type": "object",
        "required": list(properties) if required is None else required,
        "properties": properties,
        "additionalProperties": False,
    }


def _checked(properties: dict, allowlist: tuple[str, ...], what: str) -> dict:
    if set(properties) != set(allowlist):
        raise ValueError(f"OpenAPI: {what} properties differ from the SQL allowlist")
    return _object(properties)


def feature(properties: str, geometry_nullable: bool = False) -> dict:
    geometry = ref("Geometry")
    return _object(
        {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": INTEGER,
            "geometry": {**geometry, "nullable": True} if geometry_nullable else geometry,
            "properties": ref(properties),
        }
    )


def collection(feature_schema: str, paged: bool) -> dict:
    members = {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": ref(feature_schema)},
    }
    if paged:
        members["numberMatched"] = {
            **INTEGER,
            "minimum": 0,
            "description": "passende Features insgesamt",
        }
        members["numberReturned"] = {
            **INTEGER,
            "minimum": 0,
            "description": "Features auf dieser Seite",
        }
    return _object(members)


GEOMETRY = {
    "description": "GeoJSON-Geometrie (RFC 7946), WGS84 Länge/Breite",
    "type": "object",
    "required": ["type"],
    "properties": {
        "type": {
            "type": "string",
            "enum": [
                "Point",
                "MultiPoint",
                "LineString",
                "MultiLineString",
                "Polygon",
                "MultiPolygon",
                "GeometryCollection",
            ],
        },  # fmt: skip
        "coordinates": {"type": "array"},
        "geometries": {"type": "array"},
    },
}
ERROR = _object(
    {
        "error": {**STRING, "description": "was falsch ist und was zu tun ist (Deutsch)"},
        "status": INTEGER,
    }
)
PLACE = _object(
    {"label": STRING, "kind": STRING, "lon": NUMBER, "lat": NUMBER},
    required=["label", "lon", "lat"],
)
PLACE["additionalProperties"] = True  # an external geocoder may add fields
HEALTH = {
    "type": "object",
    "required": ["status", "database"],
    "properties": {
        "status": {"type": "string", "enum": ["ok", "error"]},
        "database": {"type": "string", "enum": ["ok", "unreachable"]},
        "migration": STRING,
        "postgis": STRING,
        "error": STRING,
    },
}
IMPORT_STATUS = {
    "type": "object",
    "properties": {
        "kind": nullable(STRING),
        "state": nullable({"type": "string", "enum": ["running", "done", "failed"]}),
        "done": nullable(INTEGER),
        "total": nullable(INTEGER),
        "error": nullable(STRING),
    },
}


def build() -> dict:
    """``components.schemas``."""
    return {
        "Error": ERROR,
        "Geometry": GEOMETRY,
        "UnitProperties": _checked(UNIT_PROPERTY_SCHEMAS, UNIT_PROPERTIES, "unit"),
        "ProposalProperties": _checked(PROPOSAL_PROPERTY_SCHEMAS, PROPOSAL_PROPERTIES, "proposal"),
        "AreaProperties": _object(AREA_PROPERTIES, required=["name"]),
        "BuildingProperties": _object(BUILDING_PROPERTIES),
        "UnitFeature": feature("UnitProperties"),
        "ProposalFeature": feature("ProposalProperties", geometry_nullable=True),
        "AreaFeature": feature("AreaProperties", geometry_nullable=True),
        "BuildingFeature": feature("BuildingProperties"),
        "UnitCollection": collection("UnitFeature", paged=True),
        "ProposalCollection": collection("ProposalFeature", paged=True),
        "AreaCollection": collection("AreaFeature", paged=False),
        "BuildingCollection": collection("BuildingFeature", paged=False),
        "Place": PLACE,
        "Health": HEALTH,
        "ImportStatus": IMPORT_STATUS,
    }
