"""Exports for staff: the register (the filtered view, all pages) as CSV, XLSX, GeoJSON and
GeoPackage, and matches, use requests and interim uses as CSV. Thin: parse and check
(``services.exports``), commit the audit event of an export with owner data, then send the
file as an attachment (CSV and GeoJSON streamed; the GeoPackage's temporary file removed after
sending). Wrong parameters get a 400 page with the register page's messages (translated)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime

from flask import Response, abort, render_template, request, stream_with_context, url_for
from flask_login import current_user

from leerstand import vocab
from leerstand.dates import local_today
from leerstand.db import db
from leerstand.i18n import translate
from leerstand.messages import Text
from leerstand.security import personal_data_required
from leerstand.services.exports import audit, reports, tables
from leerstand.services.exports import service as exports
from leerstand.services.forms import flag
from leerstand.views.staff import bp

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
}
FILE_CHUNK = 64 * 1024


def _attachment(body, fmt: str, name: str) -> Response:
    response = Response(body, mimetype=MIMETYPES[fmt])
    filename = f"leerstand-{name}-{local_today().isoformat()}.{fmt}"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _refused(exc: exports.ExportRefused, back: str):
    db.session.rollback()
    messages = [translate(m) for m in exc.messages]
    return render_template("staff/export_error.html", messages=messages, back=back), 400


def _streamed(chunks: Iterator[bytes]):
    return stream_with_context(chunks)


def _file_then_remove(path: str) -> Iterator[bytes]:
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(FILE_CHUNK):
                yield chunk
    finally:
        os.remove(path)


@bp.get("/register/export.<fmt>")
def register_export(fmt: str):
    if fmt not in exports.FORMATS:
        abort(404)
    back = url_for("staff.register", **{k: v for k, v in request.args.items() if v})
    try:
        export = exports.prepare(db.session, current_user, request.args, fmt, local_today())
    except exports.ExportRefused as exc:
        return _refused(exc, back)
    db.session.commit()  # the audit event of an export with owner data, before it leaves
    if fmt == "csv":
        return _attachment(_streamed(exports.csv_chunks(db.session, export)), fmt, "register")
    if fmt == "geojson":
        body = _streamed(exports.geojson_chunks(db.session, export))
        return _attachment(body, fmt, "register")
    if fmt == "xlsx":
        return _attachment(exports.xlsx_bytes(db.session, export), fmt, "register")
    path = exports.gpkg_path(db.session, export)
    return _attachment(_file_then_remove(path), fmt, "register")


@bp.get("/treffer/export.csv")
def matches_export():
    try:
        status = reports.choice(request.args, "status", vocab.MATCH_STATUSES, Text("Status"))
    except exports.ExportRefused as exc:
        return _refused(exc, url_for("staff.matches"))
    rows = reports.matches(db.session, current_user.municipality_id, status)
    body = _streamed(tables.csv_chunks(reports.MATCH_COLUMNS, rows))
    return _attachment(body, "csv", "treffer")


def _with_owner_names() -> bool:
    wanted = flag(request.args, exports.OWNER_PARAM)
    if wanted and not vocab.may_see_owner_data(current_user.role):
        raise exports.ExportRefused([exports.OWNERS_FORBIDDEN])
    return wanted


@bp.get("/anfragen/export.csv")
@personal_data_required  # a list of use requests to owners, like the Anfragen page
def requests_export():
    mid, now = current_user.municipality_id, datetime.now(UTC)
    try:
        state = reports.choice(request.args, "state", vocab.REQUEST_STATES, Text("Stand"))
        with_owners = _with_owner_names()
    except exports.ExportRefused as exc:
        return _refused(exc, url_for("staff.requests"))
    columns = reports.REQUEST_COLUMNS + ((reports.REQUEST_OWNER,) if with_owners else ())
    if with_owners:
        count, owner_ids = reports.request_owners(db.session, mid, now, state)
        where = f"Stand {vocab.german(vocab.REQUEST_STATES, state)}" if state else audit.NO_FILTER
        audit.record_export(
            db.session, current_user, "Nutzungsanfragen CSV", where, count, owner_ids
        )
        db.session.commit()
    rows = reports.requests(db.session, mid, now, state, with_owners)
    return _attachment(_streamed(tables.csv_chunks(columns, rows)), "csv", "anfragen")


@bp.get("/zwischennutzungen/export.csv")
def interim_export():
    try:
        state = reports.choice(request.args, "state", reports.INTERIM_STATES, Text("Stand"))
    except exports.ExportRefused as exc:
        return _refused(exc, url_for("staff.interim_uses"))
    notes = vocab.may_see_owner_data(current_user.role)
    rows = reports.interim_uses(
        db.session, current_user.municipality_id, state, local_today(), notes
    )
    body = _streamed(tables.csv_chunks(reports.INTERIM_COLUMNS, rows))
    return _attachment(body, "csv", "zwischennutzungen")
