"""The operations of the OpenAPI document (``paths``) for the app's own JSON endpoints: the
public GeoJSON API, the place search and the staff buildings layer, the health check and the
import job's status. The query parameters of units and proposals are described from the very
sets the parsers accept (``services.public.params.UNIT_PARAMS``/``PROPOSAL_PARAMS``) with the
parsers' bounds and the vocabularies' codes: a parameter added to a parser without a
description here fails when the document is built."""

from __future__ import annotations

from leerstand import vocab
from leerstand.api.openapi.schemas import BOOLEAN, DATE, ref
from leerstand.i18n import SUPPORTED
from leerstand.services.forms import INT_MAX
from leerstand.services.places import MAX_QUERY
from leerstand.services.public.params import (
    BBOX_HELP,
    DEFAULT_LIMIT,
    MAX_AREA,
    MAX_OFFSET,
    PROPOSAL_PARAMS,
    UNIT_PARAMS,
)

GEOJSON = "application/geo+json"
JSON = "application/json"
PUBLIC = ["Öffentliche Karte (GeoJSON)"]
STAFF = ["Verwaltung (Anmeldung)"]
SERVICE = ["Betrieb"]


def _area(what: str) -> dict:
    return {"type": "number", "minimum": 0, "maximum": MAX_AREA, "description": what}


def parameter_schemas(max_limit: int) -> dict[str, dict]:
    """Every query parameter of the public GeoJSON API: its schema and German description."""
    return {
        "bbox": {
            "type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4,
            "description": f"Ausschnitt in WGS84; {BBOX_HELP}",
        },
        "district": {"type": "integer", "minimum": 1, "maximum": INT_MAX,
                     "description": "Ortsteil (Nummer)"},
        "kind": {"type": "string", "enum": list(vocab.UNIT_KINDS),
                 "description": "Art der Einheit"},
        "use_kind": {"type": "string", "enum": list(vocab.USE_KINDS),
                     "description": "Nutzungsart"},
        "area_min": _area("Fläche ab (m²)"),
        "area_max": _area("Fläche bis (m²)"),
        "street_level": {**BOOLEAN, "description": "nur ebenerdig"},
        "step_free": {**BOOLEAN, "description": "nur barrierefrei"},
        "available_from": {**DATE, "description": "verfügbar am (JJJJ-MM-TT)"},
        "limit": {"type": "integer", "minimum": 1, "maximum": max_limit, "default": DEFAULT_LIMIT,
                  "description": "höchstens so viele Features auf einer Seite"},
        "offset": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0,
                   "description": "so viele passende Features überspringen (siehe Link: next)"},
        "after": {"type": "integer", "minimum": 0, "maximum": INT_MAX,
                  "description": "nur Features mit größerer Kennung (id): so blättert Link: next; "
                                 "nicht zusammen mit offset"},
        "ags": {"type": "string", "maxLength": 8,
                "description": "Amtlicher Gemeindeschlüssel der Kommune (Standard: die erste)"},
        "lang": {"type": "string", "enum": list(SUPPORTED),
                 "description": "Sprache der Beschriftungen (*_label)"},
    }  # fmt: skip


def query_parameters(names: set[str], max_limit: int) -> list[dict]:
    schemas = parameter_schemas(max_limit)
    out = []
    for name in sorted(names):
        schema = dict(schemas[name])  # KeyError: a parser's parameter without a description
        description = schema.pop("description")
        parameter = {"name": name, "in": "query", "required": False, "description": description}
        if schema.get("type") == "array":
            parameter.update(style="form", explode=False)
        out.append({**parameter, "schema": schema})
    return out


def error(description: str) -> dict:
    return {"description": description, "content": {JSON: {"schema": ref("Error")}}}


def _geojson_ok(schema: str, paged: bool) -> dict:
    etag = "ändert sich mit den öffentlichen Daten, der Anfrage und der Sprache"
    headers = {"ETag": {"description": etag, "schema": {"type": "string"}}}
    if paged:
        headers["Link"] = {
            "description": 'nächste/vorige Seite: <URL>; rel="next", <URL>; rel="prev"',
            "schema": {"type": "string"},
        }
    return {
        "description": "FeatureCollection",
        "headers": headers,
        "content": {GEOJSON: {"schema": ref(schema)}},
    }


def _public_collection(summary: str, names: set[str], schema: str, max_limit: int) -> dict:
    return {
        "get": {
            "tags": PUBLIC,
            "summary": summary,
            "parameters": query_parameters(names, max_limit),
            "responses": {
                "200": _geojson_ok(schema, paged=True),
                "304": {"description": "unverändert (If-None-Match)"},
                "400": error("ungültiger Parameter (deutsche Meldung)"),
            },
        }
    }


def _area_layer(summary: str, max_limit: int) -> dict:
    ags = query_parameters({"ags"}, max_limit)
    return {
        "get": {
            "tags": PUBLIC,
            "summary": summary,
            "parameters": ags,
            "responses": {
                "200": _geojson_ok("AreaCollection", paged=False),
                "304": {"description": "unverändert (If-None-Match)"},
                "400": error("ungültige Anfrage"),
            },
        }
    }


def _staff(summary: str, parameters: list, ok: dict, forbidden: bool) -> dict:
    responses = {
        "200": ok,
        "400": error("ungültiger Parameter"),
        "401": error("nicht angemeldet"),
    }
    if forbidden:
        responses["403"] = error("nur für die Verwaltung (nicht für Initiativen)")
    operation = {
        "tags": STAFF,
        "summary": summary,
        "security": [{"session": []}],
        "parameters": parameters,
        "responses": responses,
    }
    return {"get": operation}


def _places() -> dict:
    q = {
        "name": "q", "in": "query", "required": True,
        "description": "Straße, Adresse oder Ortsteil",
        "schema": {"type": "string", "minLength": 1, "maxLength": MAX_QUERY},
    }  # fmt: skip
    ok = {
        "description": "Treffer, die besten zuerst",
        "content": {JSON: {"schema": {"type": "array", "items": ref("Place")}}},
    }
    return _staff("Ortssuche (Verwaltung und Initiativen)", [q], ok, forbidden=False)


def _buildings(max_limit: int) -> dict:
    ok = {
        "description": "alle Gebäude der Kommune (Adresse, Zahl der Einheiten)",
        "headers": {"ETag": {"schema": {"type": "string"}}},
        "content": {GEOJSON: {"schema": ref("BuildingCollection")}},
    }
    bbox = query_parameters({"bbox"}, max_limit)
    return _staff("Gebäude des Registers (Verwaltung)", bbox, ok, forbidden=True)


def _health() -> dict:
    content = {JSON: {"schema": ref("Health")}}
    return {
        "get": {
            "tags": SERVICE,
            "summary": "Zustand: Datenbank erreichbar, Migration, PostGIS",
            "responses": {
                "200": {"description": "in Ordnung", "content": content},
                "503": {"description": "Datenbank nicht erreichbar", "content": content},
            },
        }
    }


def _import_status() -> dict:
    token = {
        "name": "token", "in": "path", "required": True, "description": "die Nummer des Uploads",
        "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
    }  # fmt: skip
    return {
        "get": {
            "tags": STAFF,
            "summary": "Fortschritt eines Imports (Probelauf oder Übernahme)",
            "security": [{"session": []}],
            "parameters": [token],
            "responses": {
                "200": {
                    "description": "Stand des Auftrags",
                    "content": {JSON: {"schema": ref("ImportStatus")}},
                },
                "302": {"description": "nicht angemeldet: weiter zur Anmeldung"},
                "403": {"description": "kein Recht zum Import", "content": {"text/html": {}}},
                "404": {"description": "kein solcher Upload", "content": {"text/html": {}}},
            },
        }
    }


def build(max_limit: int) -> dict:
    """``paths`` of the app's own JSON endpoints (without the OGC API)."""
    return {
        "/api/units.geojson": _public_collection(
            "Öffentliche Leerstände", UNIT_PARAMS, "UnitCollection", max_limit
        ),
        "/api/proposals.geojson": _public_collection(
            "Veröffentlichte Nutzungsideen", PROPOSAL_PARAMS, "ProposalCollection", max_limit
        ),
        "/api/boundary.geojson": _area_layer("Gemeindegrenze", max_limit),
        "/api/districts.geojson": _area_layer("Ortsteile", max_limit),
        "/api/focus-areas.geojson": _area_layer("Fokusgebiete", max_limit),
        "/api/places": _places(),
        "/api/buildings.geojson": _buildings(max_limit),
        "/healthz": _health(),
        "/verwaltung/import/{token}/status": _import_status(),
    }
