"""Public pages: the map of published vacancies (``/``), one unit, one published idea.

No login. Every value shown comes from ``leerstand.services.public`` (the allowlist); the
list under the map is rendered from the same GeoJSON the map script fetches."""

from __future__ import annotations

import json
from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale

from leerstand import vocab
from leerstand.api.geojson import proposal_extra, unit_extra
from leerstand.db import db
from leerstand.i18n import fmt_date
from leerstand.services import public as service
from leerstand.services.public_params import ParamError, PublicFilter, parse_units

bp = Blueprint("public", __name__)


@bp.app_context_processor
def _page_locale():
    """``get_locale`` for base.html's <html lang>: the public map script formats numbers in the
    page's language (read from there)."""
    return {"get_locale": get_locale}


@bp.app_template_filter("isodate")
def isodate(value: str | None) -> str:
    """An ISO date string from the GeoJSON properties as dd.mm.yyyy."""
    if not value:
        return "–"
    try:
        return fmt_date(date.fromisoformat(value))
    except ValueError:
        return "–"


def _filters() -> tuple[PublicFilter, list[str]]:
    try:
        return parse_units(request.args, strict=False), []
    except ParamError as error:
        return PublicFilter(), [str(error)]


def _town() -> dict:
    return service.municipality(db.session) or {"id": 0, "name": "Leerstand"}


@bp.get("/")
def index():
    town = _town()
    f, errors = _filters()
    body = service.units_geojson(db.session, f, unit_extra())
    return render_template(
        "public/index.html",
        town=town,
        f=f,
        args=f.query_args(),
        errors=errors,
        features=json.loads(body)["features"],
        districts=service.districts(db.session, town["id"]),
        kinds=vocab.UNIT_KINDS,
        kind_labels=dict(vocab.choices(vocab.UNIT_KINDS)),
        feature_labels=dict(vocab.choices(vocab.FEATURES)),
    )


@bp.get("/leerstand/<int:unit_id>")
def unit(unit_id: int):
    feature = service.public_unit(db.session, unit_id, unit_extra())
    if feature is None:
        abort(404)
    return render_template(
        "public/unit.html",
        town=_town(),
        unit=feature["properties"],
        geometry=feature["geometry"],
    )


@bp.get("/ideen/<int:proposal_id>")
def proposal(proposal_id: int):
    feature = service.public_proposal(db.session, proposal_id, proposal_extra())
    if feature is None:
        abort(404)
    return render_template(
        "public/proposal.html",
        town=_town(),
        idea=feature["properties"],
    )
