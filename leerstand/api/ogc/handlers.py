"""What the public and the staff OGC API share: parse → SQL of the realm's collection →
JSON/GeoJSON bytes or an HTML page. ``town`` is {id, name, ags, bbox} of the municipality the
request reads; ``ags`` is kept in links only for the public API."""

from __future__ import annotations

import json

from flask import request

from leerstand import vocab
from leerstand.api.auth import token_user
from leerstand.api.ogc import documents
from leerstand.api.ogc.documents import Realm
from leerstand.api.ogc.negotiation import (
    OgcNotFound,
    features_response,
    html_response,
    json_response,
    wants_html,
)
from leerstand.dates import local_today
from leerstand.db import db
from leerstand.i18n import translate
from leerstand.map_labels import proposal_extra, unit_extra, url_template
from leerstand.messages import Text
from leerstand.services.ogc import items as public_sql
from leerstand.services.ogc import staff as staff_sql
from leerstand.services.ogc.collections import Collection
from leerstand.services.ogc.query import COMMON, ItemsQuery, check_names, parse_item, parse_items
from leerstand.services.public.collection import paged_collection, remember
from leerstand.spatial.crs import WGS84


def metadata(realm: Realm, view: str, town: dict, ags: str | None, **values):
    """The landing page, conformance, collections or one collection."""
    check_names(request.args, COMMON)
    if view == "landing":
        doc = documents.landing(realm, ags)
    elif view == "conformance":
        doc = documents.conformance()
    elif view == "collections":
        doc = documents.collections(realm, town, ags)
    else:
        doc = documents.collection(realm, collection_of(realm, values["collection_id"]), town, ags)
    if wants_html():
        return html_response(f"ogc/{view}.html", doc=doc, realm=realm, town=town)
    return json_response(doc)


def collection_of(realm: Realm, collection_id: str) -> Collection:
    found = realm.catalogue.get(collection_id)
    if found is None:
        names = ", ".join(realm.catalogue)
        raise OgcNotFound(
            translate(
                Text(
                    "Die Sammlung „%(id)s“ gibt es nicht. Vorhanden: %(names)s.",
                    id=collection_id[:40],
                    names=names,
                )
            )
        )
    return found


def labels(source: str) -> dict:
    """The label JSON and absolute URL templates the collection's SQL needs."""
    if source == "proposals":
        return proposal_extra(absolute=True)
    extra = unit_extra(absolute=True)
    if source.startswith("staff_"):
        extra["staff_unit_url"] = url_template("staff.unit_view", "unit_id", absolute=True)
        extra["staff_building_url"] = url_template(
            "staff.building_view", "building_id", absolute=True
        )
        user = token_user()  # notes may name people: not for the analyst role
        extra["with_notes"] = user is not None and vocab.may_see_owner_data(user.role)
    return extra


def _sql_module(source: str):
    return staff_sql if source.startswith("staff_") else public_sql


def items_statement(realm: Realm, c: Collection, q: ItemsQuery, town_id: int) -> tuple:
    """The SQL and parameters of one page and the key of the count it makes (None: known); the
    benchmark runs the very same statement."""
    module = _sql_module(c.source)
    matched, features, params = module.collection_parts(c.source, q, local_today())
    plain, with_next = documents.items_links(realm, c, q.args, q.limit, q.offset)
    params.update(
        labels(c.source),
        municipality_id=town_id,
        time_stamp=documents.time_stamp(),
        links=json.dumps(plain),
        links_next=json.dumps(with_next),
    )
    return paged_collection(db.session, matched, features, public_sql.MEMBERS, params)


def items(realm: Realm, collection_id: str, town: dict):
    c = collection_of(realm, collection_id)
    q = parse_items(request.args, c)
    html = wants_html()
    sql, params, count_key = items_statement(realm, c, q, town["id"])
    body, matched = public_sql.run_page(db.session, sql, params)
    remember(count_key, matched)
    if html:
        doc = json.loads(body)
        return html_response(
            "ogc/items.html",
            doc=doc,
            collection=c,
            realm=realm,
            town=town,
            query=q,
            place=body.decode(),
            page_url=documents.page_url,
        )
    return features_response(body, q.crs)


def item(realm: Realm, collection_id: str, feature_id: str, town: dict):
    c = collection_of(realm, collection_id)
    crs = parse_item(request.args)
    html = wants_html()
    if not (feature_id.isascii() and feature_id.isdigit()) or int(feature_id) > 2**31 - 1:
        raise OgcNotFound(_no_feature(feature_id))
    q = ItemsQuery(crs=crs)
    sql, params = _sql_module(c.source).feature_sql(c.source, q, int(feature_id), local_today())
    links = documents.item_links(realm, c, int(feature_id), request.args)
    params.update(labels(c.source), municipality_id=town["id"], links=json.dumps(links))
    body = public_sql.run(db.session, sql, params)
    if body is None:
        raise OgcNotFound(_no_feature(feature_id))
    if html:
        feature = json.loads(body)
        place = json.dumps({"type": "FeatureCollection", "features": [feature]}, ensure_ascii=False)
        return html_response(
            "ogc/item.html",
            feature=feature,
            collection=c,
            realm=realm,
            town=town,
            place=place,
            with_map=crs == WGS84,
        )
    return features_response(body, crs)


def _no_feature(feature_id: str) -> str:
    return translate(
        Text(
            "Das Objekt „%(id)s“ gibt es in dieser Sammlung nicht (oder es ist nicht "
            "öffentlich). Bitte prüfen Sie die Nummer.",
            id=feature_id[:40],
        )
    )
