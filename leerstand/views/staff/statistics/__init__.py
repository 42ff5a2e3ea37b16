"""Statistik (staff, every role: aggregates only, no personal data): the dashboard of the
vacancy history, the contact funnel, use requests, ideas and interim uses for a Stichtag, a
period and a scope (Ortsteil, Fokusgebiet, kind of unit); every table as CSV; the printable
council report with the town's letterhead. Thin: parse the filters (``filters``), one call to
``services.statistics.dashboard``, the tables (``tables``) rendered as HTML, charts
(static/map/statistics.js reads the tables) or CSV. Bad filters: the form with German
messages and no numbers (422; the CSV 400)."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_login import current_user

from leerstand import vocab
from leerstand.dates import local_today
from leerstand.db import db
from leerstand.i18n import translate
from leerstand.models import Municipality
from leerstand.services import statistics
from leerstand.services.exports import tables as csv_tables
from leerstand.services.exports.service import ExportRefused
from leerstand.services.register.buildings import districts
from leerstand.views.staff import bp
from leerstand.views.staff.exports import _attachment, _refused
from leerstand.views.staff.register import _focus_areas
from leerstand.views.staff.statistics import filters, tables


def _filters():
    """(the parsed filters, the choices of the form: districts, focus areas)."""
    mid = current_user.municipality_id
    places = districts(db.session, mid), _focus_areas(mid)
    ids = [{p.id for p in chosen} for chosen in places]
    return filters.parse(request.args, mid, *ids, local_today()), places


def _tables(f: filters.StatsFilter, label=vocab.label) -> list[tables.StatTable]:
    today = local_today()
    data = statistics.dashboard(db.session, f.scope, f.period, f.day)
    now = statistics.vacancy_on(db.session, f.scope, today) if f.day != today else None
    return tables.build(data, now, f.day, today, label)


def _scope_names(f: filters.StatsFilter, places) -> list[str]:
    """The chosen Ortsteil, Fokusgebiet and kind as names (empty: the whole town)."""
    district_list, focus_list = places
    names = [p.name for p in district_list if p.id == f.scope.district_id]
    names += [p.name for p in focus_list if p.id == f.scope.focus_area_id]
    return names + ([vocab.label(vocab.UNIT_KINDS, f.scope.kind)] if f.scope.kind else [])


def _render(template: str, f, places, **context):
    status = 422 if f.errors else 200
    page = render_template(
        template,
        f=f,
        errors=[translate(e) for e in f.errors],
        districts=places[0],
        focus_areas=places[1],
        scope_names=_scope_names(f, places),
        args=filters.query_args(f),
        **context,
    )
    return page, status


@bp.get("/statistik")
def statistics_page():
    f, places = _filters()
    found = [] if f.errors else _tables(f)
    return _render("staff/statistics.html", f, places, tables=found)


@bp.get("/statistik/bericht")
def statistics_report():
    f, places = _filters()
    if f.errors:
        return _render("staff/statistics.html", f, places, tables=[])
    town = db.session.get(Municipality, current_user.municipality_id)
    found = _tables(f)
    return _render(
        "staff/statistics_report.html", f, places, tables=found, town=town, today=local_today()
    )


@bp.get("/statistik/export.csv")
def statistics_export():
    slug = (request.args.get("tabelle") or tables.SLUGS[0]).strip()
    if slug not in tables.SLUGS:
        abort(404)
    f, _places = _filters()
    if f.errors:
        back = url_for("staff.statistics_page", **filters.query_args(f))
        return _refused(ExportRefused(f.errors), back)
    (table,) = [t for t in _tables(f, vocab.german) if t.slug == slug]
    body = b"".join(csv_tables.csv_chunks(table.columns, tables.csv_rows(table)))  # a few rows
    return _attachment(body, "csv", f"statistik-{slug}")
