"""The public progress report: ``/bericht`` (the first town), ``/bericht/<Ortsteil-ID>`` and the
same for every further town under ``/k/<AGS>/`` – vacant spaces today and a year ago, interim
uses realised, ideas published and short stories of realised interim uses.

No login. Every figure and story comes from ``services.statistics.public_report`` (aggregate
counts and the published ideas' public fields only: never owners, addresses, terms, notes or an
initiative's contact data). An unknown town, an unknown Ortsteil or one of another town is a
404. Registered on the public blueprint (imported at the end of ``views.public``), so header,
footer and language links treat it like the other public pages; ``report_url`` gives the
footer's link to the report of the page's town."""

from __future__ import annotations

from flask import abort, render_template, url_for

from leerstand.dates import local_today
from leerstand.db import db
from leerstand.services import statistics
from leerstand.services.public import geojson
from leerstand.services.statistics.scope import year_before
from leerstand.views import info
from leerstand.views.public import _town, bp


def _district(districts: list[dict], district_id: int | None) -> dict | None:
    """The Ortsteil of the address among the town's, None for the whole town; else 404 (the
    id is only compared, never sent to the database: no overflow for absurd numbers)."""
    if district_id is None:
        return None
    found = next((d for d in districts if d["id"] == district_id), None)
    if found is None:
        abort(404)
    return found


@bp.get("/bericht")
@bp.get("/bericht/<int:district_id>")
@bp.get("/k/<ags>/bericht")
@bp.get("/k/<ags>/bericht/<int:district_id>")
def report(ags: str | None = None, district_id: int | None = None):
    """The report of the town (or of one of its Ortsteile) as of today."""
    town = _town(ags)
    districts = geojson.districts(db.session, town["id"])
    district = _district(districts, district_id)
    today = local_today()
    figures = statistics.public_report(db.session, town["id"], district_id, today)
    return render_template(
        "public/report.html",
        town=town,
        districts=districts,
        district=district,
        report=figures,
        change=figures["vacant_now"] - figures["vacant_year_ago"],
        today=today,
        year_ago=year_before(today),
    )


@bp.app_context_processor
def _report_link():
    """``report_url()``: the report of the page's town (as the footer's other links)."""
    return {"report_url": lambda: url_for("public.report", ags=info._footer_ags())}
