"""Public pages: the map of published vacancies (``/``), one unit, one proposal; the same for
every further town under ``/k/<AGS>/`` (its map, list, unit and proposal pages and the API calls
of its map are scoped to it; ``/`` and its pages are the first town's).

No login. Every value shown comes from ``leerstand.services.public.geojson`` and ``public.pages``
(the allowlists); the list under the map is one page of the same features (``public.listing``),
which the map script replaces with the units of the map's view. A unit's page offers the town's
contact and the way to a proposal for it; a proposal's page stays reachable after a match or an
interim use (shared links never break) and answers 404 with "nicht (mehr) veröffentlicht" for
everything else, whether it exists or not."""

from __future__ import annotations

import json
from datetime import date

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from leerstand import vocab
from leerstand.dates import local_today
from leerstand.db import db
from leerstand.i18n import fmt_date, translate
from leerstand.map_labels import proposal_extra, town_map, unit_extra
from leerstand.services.errors import ServiceError
from leerstand.services.forms import parse_int
from leerstand.services.public import geojson as service
from leerstand.services.public import listing, pages
from leerstand.services.public.params import parse_proposals, parse_unit_page

bp = Blueprint("public", __name__)


@bp.app_context_processor
def _page_locale():
    """``get_locale`` for base.html's <html lang>: the public map script formats numbers in the
    page's language (read from there)."""
    return {"get_locale": get_locale, "town_map": town_map}


@bp.app_template_filter("isodate")
def isodate(value: str | None) -> str:
    """An ISO date string from the GeoJSON properties as dd.mm.yyyy."""
    if not value:
        return "–"
    try:
        return fmt_date(date.fromisoformat(value))
    except ValueError:
        return "–"


# The filter form's labels; an error names its field with the same words.
FILTER_LABELS = {
    "district": _l("Ortsteil"),
    "kind": _l("Art"),
    "area_min": _l("Fläche von"),
    "area_max": _l("Fläche bis"),
    "available_from": _l("verfügbar ab"),
    "street_level": vocab.FEATURES["street_level"],
    "step_free": vocab.FEATURES["step_free"],
}
TYPED_MAX = 100  # characters of a typed filter value shown again


def _collection(geometry: dict, **properties) -> dict:
    feature = {"type": "Feature", "geometry": geometry, "properties": properties}
    return {"type": "FeatureCollection", "features": [feature]}


NO_TOWN = {"id": 0, "name": "Leerstand", "ags": None, "map_ags": None}  # before the seed


def _town(ags: str | None = None) -> dict:
    """The town of the page: by the AGS in its address, else the first; an unknown AGS is a
    404 (also one with a control character such as NUL, which PostgreSQL text refuses)."""
    if ags is not None and not ags.isprintable():
        abort(404)
    town = pages.town(db.session, ags)
    if town is None and ags is not None:
        abort(404)
    return town or NO_TOWN


@bp.get("/")
@bp.get("/k/<ags>/")
def index(ags: str | None = None):
    """The public map of the first town (``/``) or of the town with that AGS (``/k/<AGS>/``).
    The list under it: one page of the filtered units (``?seite=N``, links for browsers
    without scripts); public.js lists the units of the map's view instead."""
    town = _town(ags=ags)
    f, hints = parse_unit_page(request.args)
    f.ags = town["ags"]
    number = _page_number()
    features, more = listing.first_page(
        db.session, f, unit_extra(ags=town["map_ags"]), (number - 1) * listing.PAGE
    )
    return render_template(
        "public/index.html",
        town=town,
        f=f,
        typed={key: request.args.get(key, "")[:TYPED_MAX] for key in FILTER_LABELS},
        labels=FILTER_LABELS,
        errors={key: translate(hint) for key, hint in hints.items()},
        features=features,
        summary=listing.summary(db.session, f),
        pager=_pager(f, number, more),
        tiles_url=url_for("tiles.units", z=0, x=0, y=0, ags=town["map_ags"]).replace(
            "/0/0/0.mvt", "/{z}/{x}/{y}.mvt"
        ),
        districts=service.districts(db.session, town["id"]),
        kinds=vocab.UNIT_KINDS,
        kind_labels=dict(vocab.choices(vocab.UNIT_KINDS)),
        kind_colours=vocab.UNIT_KIND_COLOURS,
        feature_labels=dict(vocab.choices(vocab.FEATURES)),
        ideas=_ideas(town),
    )


MAX_PAGE = 100_000


def _page_number() -> int:
    """``?seite=`` of the list (1 when missing or not a page number)."""
    try:
        return parse_int(request.args.get("seite"), "seite", 1, MAX_PAGE) or 1
    except ServiceError:
        return 1


def _pager(f, number: int, more: bool) -> dict:
    """Links to the list's previous and next page (None where there is none), with the
    filters of this page."""
    args = {**(request.view_args or {}), **f.query_args()}  # the town's AGS in the address

    def link(page: int) -> str:
        return url_for("public.index", **args, seite=page)

    return {
        "previous": link(number - 1) if number > 1 else None,
        "next": link(number + 1) if more else None,
    }


def _ideas(town: dict) -> list[dict]:
    """The town's published ideas (public fields): the list under the map, so that keyboard and
    screen-reader users reach them too (on the map they are shapes)."""
    f = parse_proposals({})
    f.ags = town["ags"]
    body = service.proposals_geojson(db.session, f, proposal_extra(ags=town["map_ags"]))
    return [feature["properties"] for feature in json.loads(body)["features"]]


@bp.get("/leerstand/<int:unit_id>")
@bp.get("/k/<ags>/leerstand/<int:unit_id>")
def unit(unit_id: int, ags: str | None = None):
    """A public unit of the first town, or of the town in the address."""
    town = _town(ags)
    extra = unit_extra(ags=town["map_ags"])
    feature = service.public_unit(db.session, unit_id, extra, ags=town["ags"])
    if feature is None:
        abort(404)
    return render_template(
        "public/unit.html",
        town=town,
        unit=feature["properties"],
        place=json.dumps(_collection(feature["geometry"], role="unit")),
        contact=pages.town_contact(db.session, town["ags"]),
    )


@bp.get("/ideen/<int:proposal_id>")
@bp.get("/k/<ags>/ideen/<int:proposal_id>")
def proposal(proposal_id: int, ags: str | None = None):
    """A public proposal of the first town, or of the town in the address."""
    town = _town(ags)
    extra = proposal_extra(ags=town["map_ags"])
    shown = pages.SHOWN_STATES
    feature = service.public_proposal(db.session, proposal_id, extra, shown, ags=town["ags"])
    if feature is None:
        return render_template("public/proposal_gone.html", town=town), 404
    state = pages.proposal_state(db.session, proposal_id, town["ags"])
    realised = state == "realised"
    return render_template(
        "public/proposal.html",
        town=town,
        proposal=feature["properties"],
        state=state,
        realisation=pages.realisation(db.session, proposal_id, local_today()) if realised else None,
        place=_non_empty(pages.proposal_place(db.session, proposal_id)),
    )


def _non_empty(collection: str) -> str | None:
    """The GeoJSON text, or None when it has no features (then the page shows no map)."""
    return collection if json.loads(collection)["features"] else None


# Impressum, Datenschutz, Barrierefreiheit; the progress report (/bericht)
from leerstand.views import info, public_report  # noqa: E402, F401
