"""OpenAPI 3.0 fragments of the OGC API for the app's document (``/api/openapi.json``):
``paths()`` and ``components()``. Parameters, collection ids and property names come from the
constants the code uses (the catalogue, ``services.ogc.query``, ``services.public.params`` and
the allowlists), so the description cannot drift from what is served."""

from __future__ import annotations

from leerstand import vocab
from leerstand.services.ogc.collections import CRS_URIS, PUBLIC, STAFF
from leerstand.services.ogc.query import DEFAULT_LIMIT, MAX_LIMIT
from leerstand.services.ogc.staff import STAFF_BUILDING_PROPERTIES, STAFF_UNIT_PROPERTIES
from leerstand.services.public.geojson import PROPOSAL_PROPERTIES, UNIT_PROPERTIES
from leerstand.services.public.params import MAX_AREA, MAX_OFFSET

REF = "#/components/{kind}/{name}"
TAGS = ["OGC API – Features"]
SECURITY = [{"OgcTokenBasic": []}, {"OgcTokenBearer": []}]
FLAG = {"type": "string", "enum": ["0", "1", "true", "false", "on"]}
AREA = {"type": "number", "minimum": 0, "maximum": MAX_AREA}
FILTERS = {  # the public filters (services.public.params) as query parameters
    "district": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
    "kind": {"type": "string", "enum": list(vocab.UNIT_KINDS)},
    "use_kind": {"type": "string", "enum": list(vocab.USE_KINDS)},
    "area_min": AREA,
    "area_max": AREA,
    "street_level": FLAG,
    "step_free": FLAG,
    "available_from": {"type": "string", "format": "date"},
}
COMMON_PARAMS = {
    "f": {"type": "string", "enum": ["json", "html"]},
    "lang": {"type": "string", "description": "de oder en (andere Werte: unverändert)"},
}
ITEMS_PARAMS = {
    "limit": {
        "type": "integer",
        "minimum": 1,
        "default": DEFAULT_LIMIT,
        "description": f"höchstens {MAX_LIMIT}; ein größerer Wert wird auf {MAX_LIMIT} gekürzt",
    },
    "offset": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
    "datetime": {"type": "string"},
    "crs": {"type": "string", "format": "uri", "enum": list(CRS_URIS)},
    "bbox-crs": {"type": "string", "format": "uri", "enum": list(CRS_URIS)},
}
AGS = {"type": "string", "pattern": "^([0-9]{8})?$"}  # empty or missing: the first town


def _ref(kind: str, name: str) -> dict:
    return {"$ref": REF.format(kind=kind, name=name)}


def _param(name: str, schema: dict, where: str = "query", **more) -> dict:
    """A parameter; an empty query value means "not given" (``allowEmptyValue``)."""
    if where == "query":
        more.setdefault("allowEmptyValue", True)
    return {"name": name, "in": where, "required": where == "path", "schema": schema, **more}


def _parameters() -> dict:
    out = {f"ogc_{name}": _param(name, schema) for name, schema in FILTERS.items()}
    out |= {f"ogc_{name}": _param(name, schema) for name, schema in COMMON_PARAMS.items()}
    out |= {f"ogc_{name}": _param(name, schema) for name, schema in ITEMS_PARAMS.items()}
    out["ogc_ags"] = _param("ags", AGS, description="Gemeindeschlüssel der Kommune")
    bbox = {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}}
    out["ogc_bbox"] = _param("bbox", bbox, style="form", explode=False)
    out["ogc_featureId"] = _param("featureId", {"type": "string"}, "path")
    return out


def _content(schema: dict, json_type: str = "application/json") -> dict:
    return {json_type: {"schema": schema}, "text/html": {"schema": {"type": "string"}}}


def _responses(ok: dict, json_type: str = "application/json", staff: bool = False) -> dict:
    error = _content(_ref("schemas", "OgcException"))
    out = {
        "200": {"description": "OK", "content": _content(ok, json_type)},
        "400": {"description": "Ungültiger Parameter", "content": error},
        "404": {"description": "Nicht gefunden", "content": error},
    }
    if staff:
        out["401"] = {
            "description": "Kein gültiger API-Zugang",
            "content": {"application/json": {"schema": _ref("schemas", "OgcUnauthorized")}},
        }
    return out


def _operation(summary: str, params: list[str], ok: dict, json_type: str, staff: bool) -> dict:
    operation = {
        "tags": TAGS,
        "summary": summary,
        "parameters": [_ref("parameters", f"ogc_{name}") for name in params],
        "responses": _responses(ok, json_type, staff),
    }
    if staff:
        operation["security"] = SECURITY
    return {"get": operation}


def _realm_paths(base: str, catalogue: dict, staff: bool) -> dict:
    """The metadata paths and, per collection, its own paths with its own filters."""
    common = ["f", "lang"] if staff else ["f", "lang", "ags"]
    json_, geojson = "application/json", "application/geo+json"
    paths = {
        f"{base}/": _operation("Einstieg", common, _ref("schemas", "OgcLanding"), json_, staff),
        f"{base}/conformance": _operation(
            "Konformitätsklassen", common, _ref("schemas", "OgcConformance"), json_, staff
        ),
        f"{base}/collections": _operation(
            "Sammlungen", common, _ref("schemas", "OgcCollections"), json_, staff
        ),
    }
    for c in catalogue.values():
        items = [*common, "limit", "offset", "bbox", "bbox-crs", "datetime", "crs"]
        items += sorted(c.filters)
        title = str(c.title)
        at = f"{base}/collections/{c.id}"
        paths[at] = _operation(title, common, _ref("schemas", "OgcCollection"), json_, staff)
        paths[f"{at}/items"] = _operation(
            f"{title}: Objekte", items, _ref("schemas", "OgcFeatureCollection"), geojson, staff
        )
        paths[f"{at}/items/{{featureId}}"] = _operation(
            f"{title}: ein Objekt", [*common, "crs", "featureId"], _ref("schemas", "OgcFeature"),
            geojson, staff,
        )  # fmt: skip
    return paths


def paths() -> dict:
    return {
        **_realm_paths("/ogc", PUBLIC, staff=False),
        **_realm_paths("/ogc/verwaltung", STAFF, staff=True),
    }


def _object(required: list[str], properties: dict, extra: bool = True) -> dict:
    return {
        "type": "object",
        "required": required,
        "properties": properties,
        "additionalProperties": extra,
    }


def _schemas() -> dict:
    links = {"type": "array", "items": _ref("schemas", "OgcLink")}
    text = {"type": "string"}
    names = sorted(set(UNIT_PROPERTIES) | set(PROPOSAL_PROPERTIES) | {"name", "description"})
    staff = sorted(set(STAFF_UNIT_PROPERTIES) | set(STAFF_BUILDING_PROPERTIES))
    properties = {"type": "object", "nullable": True, "properties": {n: {} for n in names + staff}}
    feature = _object(
        ["type", "geometry", "properties"],
        {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": {"type": "integer"},
            "geometry": {"type": "object", "nullable": True},
            "properties": properties,
            "links": links,
        },
    )
    return {
        "OgcLink": _object(
            ["href", "rel"], {"href": text, "rel": text, "type": text, "title": text}
        ),
        "OgcLanding": _object(["links"], {"title": text, "description": text, "links": links}),
        "OgcConformance": _object(["conformsTo"], {"conformsTo": {"type": "array", "items": text}}),
        "OgcCollection": _object(
            ["id", "links"],
            {
                "id": text,
                "title": text,
                "description": text,
                "links": links,
                "extent": {"type": "object"},
                "itemType": text,
                "crs": {"type": "array", "items": text},
                "storageCrs": text,
            },
        ),  # fmt: skip
        "OgcCollections": _object(
            ["links", "collections"],
            {
                "links": links,
                "collections": {"type": "array", "items": _ref("schemas", "OgcCollection")},
            },
        ),
        "OgcFeature": feature,
        "OgcFeatureCollection": _object(
            ["type", "features"],
            {
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "features": {"type": "array", "items": _ref("schemas", "OgcFeature")},
                "links": links,
                "timeStamp": {"type": "string", "format": "date-time"},
                "numberMatched": {"type": "integer", "minimum": 0},
                "numberReturned": {"type": "integer", "minimum": 0},
            },
        ),  # fmt: skip
        "OgcUnauthorized": _object(
            ["error", "status"], {"error": text, "status": {"type": "integer"}}
        ),
        "OgcException": _object(
            ["code"],
            {"code": text, "description": text, "error": text, "status": {"type": "integer"}},
        ),
    }


def components() -> dict:
    return {
        "parameters": _parameters(),
        "schemas": _schemas(),
        "securitySchemes": {
            "OgcTokenBasic": {
                "type": "http",
                "scheme": "basic",
                "description": "Benutzername beliebig, Passwort = persönlicher API-Token",
            },
            "OgcTokenBearer": {"type": "http", "scheme": "bearer"},
        },
    }
