"""The OGC API's metadata documents (landing page, conformance, collections) and links. Every
link is absolute, from ``BASE_URL`` (``leerstand.links``); a public request's ``ags`` stays in
its links. ``Realm`` is the public API (``/ogc``) or the staff API (``/ogc/verwaltung``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app

from leerstand.api.ogc.negotiation import GEOJSON, HTML, JSON
from leerstand.i18n import translate
from leerstand.links import absolute_url
from leerstand.messages import Text
from leerstand.services.ogc.collections import CRS84, CRS_URIS, PUBLIC, STAFF, TRS, Collection

OAS30 = "application/vnd.oai.openapi+json;version=3.0"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
]


@dataclass(frozen=True)
class Realm:
    prefix: str  # of the endpoint names: "" (public) or "staff_"
    catalogue: dict[str, Collection]
    title: Text
    description: Text

    def url(self, view: str, **values) -> str:
        values = {key: value for key, value in values.items() if value not in (None, "")}
        return absolute_url(f"ogc.{self.prefix}{view}", **values)


PUBLIC_REALM = Realm(
    "",
    PUBLIC,
    Text("Leerstand: offene Geodaten (OGC API – Features)"),
    Text(
        "Öffentlich freigegebene Leerstände, Nutzungsideen, Ortsteile, Fokusgebiete und die "
        "Gemeindegrenze für GIS-Programme wie QGIS."
    ),
)
STAFF_REALM = Realm(
    "staff_",
    STAFF,
    Text("Leerstand: interne Geodaten (OGC API – Features)"),
    Text(
        "Alle Einheiten und Gebäude der Kommune mit internen Feldern, ohne Eigentümerdaten; "
        "nur mit persönlichem API-Zugang, nur lesend."
    ),
)


def link(href: str, rel: str, type_: str, title: str | None = None) -> dict:
    out = {"href": href, "rel": rel, "type": type_}
    if title:
        out["title"] = title
    return out


def pair(realm: Realm, view: str, rel: str = "self", **values) -> list[dict]:
    """The JSON link (``rel``) and its HTML alternate of one resource."""
    return [
        link(realm.url(view, f="json", **values), rel, JSON),
        link(realm.url(view, f="html", **values), "alternate", HTML),
    ]


def time_stamp() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _site(path: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + path


def landing(realm: Realm, ags: str | None) -> dict:
    links = pair(realm, "landing", ags=ags) + [
        link(_site("/api/openapi.json"), "service-desc", OAS30, "OpenAPI 3.0"),
        link(_site("/api/docs"), "service-doc", HTML, translate(Text("API-Dokumentation"))),
        link(realm.url("conformance", f="json"), "conformance", JSON),
        link(realm.url("collections", f="json", ags=ags), "data", JSON),
    ]
    return {
        "title": translate(realm.title),
        "description": translate(realm.description),
        "links": links,
    }


def conformance() -> dict:
    return {"conformsTo": CONFORMANCE}


def collection(realm: Realm, c: Collection, town: dict, ags: str | None) -> dict:
    doc = {
        "id": c.id,
        "title": translate(c.title),
        "description": translate(c.description),
        "itemType": "feature",
        "extent": {"spatial": {"bbox": [town["bbox"] or [-180, -90, 180, 90]], "crs": CRS84}},
        "crs": list(CRS_URIS),
        "storageCrs": CRS84,
        "links": pair(realm, "collection", collection_id=c.id, ags=ags)
        + [
            link(realm.url("items", collection_id=c.id, f="json", ags=ags), "items", GEOJSON),
            link(realm.url("items", collection_id=c.id, f="html", ags=ags), "items", HTML),
        ],
    }
    if c.temporal is not None:
        doc["extent"]["temporal"] = {"interval": [[None, None]], "trs": TRS}
        doc["description"] += " " + translate(
            Text("Zeitfilter „datetime“: %(what)s.", what=c.temporal)
        )
    return doc


def collections(realm: Realm, town: dict, ags: str | None) -> dict:
    return {
        "links": pair(realm, "collections", ags=ags),
        "collections": [collection(realm, c, town, ags) for c in realm.catalogue.values()],
    }


def page_url(realm: Realm, c: Collection, args: dict, limit: int, offset: int, f: str) -> str:
    values = {**args, "limit": limit, "offset": offset or None}
    return realm.url("items", collection_id=c.id, f=f, **values)


def items_links(realm: Realm, c: Collection, args: dict, limit: int, offset: int) -> tuple:
    """(links without next, links with next) of one page; ``prev`` when it is not the first."""

    def to(start: int, rel: str, f: str = "json", type_: str = GEOJSON) -> dict:
        return link(page_url(realm, c, args, limit, start, f), rel, type_)

    links = [to(offset, "self"), to(offset, "alternate", "html", HTML)]
    if offset > 0:
        links.append(to(max(0, offset - limit), "prev"))
    ags = args.get("ags")
    links.append(
        link(realm.url("collection", collection_id=c.id, f="json", ags=ags), "collection", JSON)
    )
    return links, [*links, to(offset + limit, "next")]


def item_links(realm: Realm, c: Collection, feature_id: int, args: dict) -> list[dict]:
    keep = {key: args[key] for key in ("ags", "crs") if args.get(key)}
    return [
        link(
            realm.url("item", collection_id=c.id, feature_id=feature_id, f="json", **keep),
            "self",
            GEOJSON,
        ),
        link(
            realm.url("item", collection_id=c.id, feature_id=feature_id, f="html", **keep),
            "alternate",
            HTML,
        ),
        link(
            realm.url("collection", collection_id=c.id, f="json", ags=args.get("ags")),
            "collection",
            JSON,
        ),
    ]
