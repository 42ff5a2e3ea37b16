"""The register: a filtered, sorted, paged table of units and a map of the filtered units, which
asks ``register.geojson`` for its view (bbox and zoom; clustered below a street's zoom)."""

from flask import Response, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from leerstand import vocab
from leerstand.db import db
from leerstand.i18n import error_message
from leerstand.map_labels import url_template, vocabulary_labels
from leerstand.models import FocusArea
from leerstand.services.public.params import ParamError
from leerstand.services.register import buildings as building_service
from leerstand.services.register import filters as register_filters
from leerstand.services.register import map_layer, map_view, paging
from leerstand.services.register import search as register_service
from leerstand.views.staff import bp


def _focus_areas(municipality_id: int) -> list[FocusArea]:
    return list(
        db.session.scalars(
            select(FocusArea)
            .where(FocusArea.municipality_id == municipality_id)
            .order_by(FocusArea.name)
        )
    )


def _url_with(**changes) -> str:
    """The register URL with the current query string, some parameters changed."""
    args = {k: v for k, v in request.args.items() if v != ""}
    args.update({k: v for k, v in changes.items() if v is not None})
    return url_for("staff.register", **args)


def _sort_url(key: str, f: register_filters.RegisterFilter) -> str:
    direction = "desc" if f.sort == key and not f.desc else "asc"
    return _url_with(sort=key, dir=direction, page=1)


@bp.get("/register")
def register():
    mid = current_user.municipality_id
    f = register_filters.parse_filters(request.args)
    result = register_service.search(db.session, mid, f, current_app.config["PAGE_SIZE"])
    query = request.query_string.decode("utf-8", "replace")
    geojson_url = url_for("staff.register_geojson") + (f"?{query}" if query else "")
    return render_template(
        "staff/register.html",
        f=f,
        result=result,
        districts=building_service.districts(db.session, mid),
        focus_areas=_focus_areas(mid),
        geojson_url=geojson_url,
        exact_up_to=paging.EXACT_UP_TO,
        url_with=_url_with,
        sort_url=lambda key: _sort_url(key, f),
    )


@bp.get("/register.geojson")
def register_geojson():
    """The filtered units in the map's view; a bad bbox or zoom: JSON 400 with the message."""
    f = register_filters.parse_filters(request.args)
    try:
        view = map_view.parse_view(request.args)
    except ParamError as error:
        return jsonify(error=error_message(error), status=400), 400
    labels = {
        "kind": vocabulary_labels(vocab.UNIT_KINDS),
        "vacancy_state": vocabulary_labels(vocab.VACANCY_STATES),
        "planned_interim": _("Zwischennutzung geplant ab %(date)s", date="{date}"),
    }
    body = map_layer.layer(
        db.session,
        current_user.municipality_id,
        f,
        view,
        url_template("staff.building_view", "building_id"),
        labels,
    )
    return Response(body, mimetype="application/geo+json")
