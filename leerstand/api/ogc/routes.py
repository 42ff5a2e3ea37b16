"""The routes of the OGC API: public (``/ogc/…``, the town by ``?ags=``) and staff
(``/ogc/verwaltung/…``, the town of the token's user). Unknown paths below ``/ogc`` are a
404 in the asked format."""

from __future__ import annotations

from flask import request

from leerstand.api.auth import token_required, token_user
from leerstand.api.ogc import bp, handlers
from leerstand.api.ogc.documents import PUBLIC_REALM, STAFF_REALM
from leerstand.api.ogc.negotiation import OgcNotFound
from leerstand.db import db
from leerstand.i18n import translate
from leerstand.messages import Text
from leerstand.services.ogc.collections import municipality_by_ags, municipality_by_id
from leerstand.services.public.params import ParamError


def _ags() -> str | None:
    raw = request.args.get("ags") or ""
    if raw and not (len(raw) == 8 and raw.isascii() and raw.isdigit()):
        raise ParamError(
            Text(
                "Parameter „ags“: „%(raw)s“ ist kein Gemeindeschlüssel "
                "(8 Ziffern, z. B. 15083040).",
                raw=raw[:30],
            )
        )
    return raw or None


def _town(extent: bool = False) -> dict:
    town = municipality_by_ags(db.session, _ags(), extent)
    if town is None:
        message = Text(
            "Keine Kommune mit dem Gemeindeschlüssel „%(ags)s“. Bitte prüfen Sie den Parameter "
            "„ags“ (8 Ziffern) oder lassen Sie ihn weg.",
            ags=_ags() or "",
        )
        raise OgcNotFound(translate(message))
    return town


def _staff_town(extent: bool = False) -> dict:
    return municipality_by_id(db.session, token_user().municipality_id, extent)


# --- public ---------------------------------------------------------------------------------
@bp.get("/", strict_slashes=False)
def landing():
    return handlers.metadata(PUBLIC_REALM, "landing", _town(), _ags())


@bp.get("/conformance")
def conformance():
    return handlers.metadata(PUBLIC_REALM, "conformance", _town(), _ags())


@bp.get("/collections")
def collections():
    return handlers.metadata(PUBLIC_REALM, "collections", _town(extent=True), _ags())


@bp.get("/collections/<collection_id>")
def collection(collection_id: str):
    town = _town(extent=True)
    return handlers.metadata(PUBLIC_REALM, "collection", town, _ags(), collection_id=collection_id)


@bp.get("/collections/<collection_id>/items")
def items(collection_id: str):
    return handlers.items(PUBLIC_REALM, collection_id, _town())


@bp.get("/collections/<collection_id>/items/<feature_id>")
def item(collection_id: str, feature_id: str):
    return handlers.item(PUBLIC_REALM, collection_id, feature_id, _town())


# --- staff (token only, read-only) ----------------------------------------------------------
@bp.get("/verwaltung/", strict_slashes=False)
@token_required
def staff_landing():
    return handlers.metadata(STAFF_REALM, "landing", _staff_town(), None)


@bp.get("/verwaltung/conformance")
@token_required
def staff_conformance():
    return handlers.metadata(STAFF_REALM, "conformance", {}, None)


@bp.get("/verwaltung/collections")
@token_required
def staff_collections():
    return handlers.metadata(STAFF_REALM, "collections", _staff_town(extent=True), None)


@bp.get("/verwaltung/collections/<collection_id>")
@token_required
def staff_collection(collection_id: str):
    town = _staff_town(extent=True)
    return handlers.metadata(STAFF_REALM, "collection", town, None, collection_id=collection_id)


@bp.get("/verwaltung/collections/<collection_id>/items")
@token_required
def staff_items(collection_id: str):
    return handlers.items(STAFF_REALM, collection_id, _staff_town())


@bp.get("/verwaltung/collections/<collection_id>/items/<feature_id>")
@token_required
def staff_item(collection_id: str, feature_id: str):
    return handlers.item(STAFF_REALM, collection_id, feature_id, _staff_town())


@bp.get("/<path:rest>")
def unknown(rest: str):
    message = Text("Diese Adresse gibt es in der OGC-API nicht. Einstieg: /ogc/")
    raise OgcNotFound(translate(message))
