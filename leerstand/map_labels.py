"""What the public map's GeoJSON needs from the request: the vocabulary labels in the visitor's
language (cached per locale) and URL templates for the links in its popups. The GeoJSON API and
the public pages that embed the same GeoJSON both use it (so views need not import the API).
``town_map``: every map's tiles and start view for its town (templates/_map_attrs.html)."""

from __future__ import annotations

from functools import lru_cache

from flask import current_app, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from leerstand import vocab
from leerstand.db import db
from leerstand.links import absolute_url
from leerstand.models import Municipality
from leerstand.security import allow_tiles
from leerstand.services.public import geojson as service
from leerstand.services.towns.settings import map_view
from leerstand.spatial.geometry import from_db

PLACEHOLDER = "999999999"


def vocabulary_labels(vocabulary: dict) -> dict:
    """{code: label in the visitor's language} of one vocabulary, for a map's popups."""
    return {code: str(text) for code, text in vocabulary.items()}


def url_template(endpoint: str, key: str, absolute: bool = False, ags: str | None = None) -> str:
    """``url_for(endpoint)`` with ``{id}`` where the record's id goes, e.g. "/einheit/{id}";
    ``absolute``: from ``BASE_URL`` (``links.absolute_url``), for the API; ``ags``: the page
    under that town's address (``/k/<AGS>/…``; None: the first town's)."""
    build = absolute_url if absolute else url_for
    args = {key: int(PLACEHOLDER)} if ags is None else {key: int(PLACEHOLDER), "ags": ags}
    return build(endpoint, **args).replace(PLACEHOLDER, "{id}")


@lru_cache(maxsize=8)
def _unit_labels(locale: str) -> dict:
    labels = service.labels_params(
        {
            "kinds": vocabulary_labels(vocab.UNIT_KINDS),
            "states": vocabulary_labels(vocab.VACANCY_STATES),
            "terms": vocabulary_labels(vocab.OWNER_EXPECTATIONS),
        }
    )
    # the staff pages' words for a planned interim use; PostGIS puts in the date (dd.mm.yyyy)
    return {**labels, "planned_label": _("Zwischennutzung geplant ab %(date)s", date="{date}")}


@lru_cache(maxsize=8)
def _proposal_labels(locale: str) -> dict:
    return service.labels_params({"uses": vocabulary_labels(vocab.USE_KINDS)})


def unit_extra(absolute: bool = False, ags: str | None = None) -> dict:
    """Labels in the current language (cached per locale) and the public unit URL (absolute
    for the API, whose features other sites read; under the town ``ags``'s address)."""
    return {
        **_unit_labels(str(get_locale())),
        "unit_url": url_template("public.unit", "unit_id", absolute, ags),
        "photo_url": url_template("media.thumb", "media_id", absolute),
    }


def proposal_extra(absolute: bool = False, ags: str | None = None) -> dict:
    return {
        **_proposal_labels(str(get_locale())),
        "proposal_url": url_template("public.proposal", "proposal_id", absolute, ags),
    }


def town_map(town) -> dict:
    """Data for a map of ``town`` (a ``Municipality``, its id, or None: the installation's
    settings only): the tile URL and attribution (the town's own, else TILE_URL), the start
    view (``centre`` [lat, lon] and ``zoom`` when the town set them) and the boundary's extent
    ``bounds`` [[south, west], [north, east]] for maps without a start view. The tile URL is
    allowed in this response's Content-Security-Policy (``security.allow_tiles``)."""
    if isinstance(town, int):
        town = db.session.get(Municipality, town)
    elif not isinstance(town, Municipality):
        town = None  # e.g. undefined in a template: the installation's tiles, no start view
    config = current_app.config
    view = map_view(town, config.get("TILE_URL") or "", config.get("TILE_ATTRIBUTION") or "")
    allow_tiles(view.tile_url)
    bounds = None
    if town is not None:
        west, south, east, north = from_db(town.boundary).bounds
        bounds = [[round(south, 6), round(west, 6)], [round(north, 6), round(east, 6)]]
    centre = [round(v, 6) for v in view.centre] if view.centre else None
    return {
        "ags": town.ags if town is not None else None,
        "tile_url": view.tile_url,
        "tile_attribution": view.tile_attribution,
        "centre": centre,
        "zoom": view.zoom,
        "bounds": bounds,
    }
