"""The import wizard's first steps: 1 upload a file, 2 map its columns to the register's
fields (with the coordinate system and the tick to create owners), 3 map the file's words to
the vocabularies. Steps 4 (dry run) and 5 (commit) are in ``import_runs``, the list of
batches and their undo in ``import_batches``.

Nothing reaches the register before the commit: the file and the choices are kept in an
upload folder (``services.imports.uploads``) named by a token in the URL, which only its
owner (user and municipality) can open. Who may import: ``may_import`` (admins always, staff
unless the town restricted importing to admins, viewers never)."""

from __future__ import annotations

from pathlib import Path

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from leerstand.i18n import error_message
from leerstand.services import imports
from leerstand.services.errors import ServiceError
from leerstand.services.imports import uploads
from leerstand.views.errors import render_error
from leerstand.views.staff import bp, import_jobs

ACCEPT = ".csv,.txt,.xlsx,.geojson,.json,.gpkg,.zip"
FORMATS = _l("CSV (wie Excel sie speichert), XLSX, GeoJSON, GeoPackage, Shapefile als ZIP")
STEPS = (
    ("upload", _l("Datei")),
    ("columns", _l("Spalten")),
    ("values", _l("Werte")),
    ("plan", _l("Probelauf")),
    ("done", _l("Übernahme")),
)


def user_may_import(user) -> bool:
    return bool(getattr(user, "is_staff", False)) and imports.may_import(
        user.role, user.municipality.import_role
    )


def require_import() -> None:
    if not user_may_import(current_user):
        abort(403)


def import_dir() -> Path:
    return Path(current_app.config["IMPORT_DIR"])


def load_upload(token: str) -> uploads.Upload:
    """The current user's upload of ``token`` (another user's token: NotFound, a 404)."""
    require_import()
    return uploads.load(import_dir(), token, current_user.id, current_user.municipality_id)


def max_megabytes() -> str:
    size = current_app.config.get("IMPORT_MAX_BYTES") or 0
    return f"{size / 1024 / 1024:.0f}".replace(".", ",")


@bp.app_context_processor
def _import_helpers():
    return {"import_steps": STEPS}


def _render_upload(error: str | None = None, status: int = 200):
    html = render_template(
        "staff/import_upload.html",
        error=error,
        accept=ACCEPT,
        formats=FORMATS,
        max_mb=max_megabytes(),
    )
    return html, status


@bp.route("/import", methods=["GET", "POST"])
def import_upload():
    require_import()
    if request.method == "GET":
        return _render_upload()
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        return _render_upload(_("Bitte wählen Sie eine Datei aus."), 422)
    file_name = Path(sent.filename.replace("\\", "/")).name[:255]
    upload = uploads.start(
        import_dir(), current_user.id, current_user.municipality_id, file_name, sent.stream
    )
    try:
        imports.read_table(upload.path, file_name)
    except imports.ImportProblem as exc:
        uploads.discard(upload)
        return _render_upload(error_message(exc), 422)
    return redirect(url_for("staff.import_columns", token=upload.token))


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(exc):
    """A file over MAX_CONTENT_LENGTH (refused before the view, while the CSRF check reads
    the form): the upload page with the limit on top; elsewhere the usual error page."""
    if request.endpoint == "staff.import_upload" and user_may_import(current_user):
        message = _("Die Datei ist zu groß (höchstens %(mb)s MB).", mb=max_megabytes())
        return _render_upload(message, 413)
    return render_error(413)


def _settings(upload: uploads.Upload, table) -> imports.Settings:
    if upload.settings:
        return imports.Settings.from_json(upload.settings)
    crs = "file" if table.file_crs else ""
    return imports.Settings(columns=imports.guess_columns(table.headers), values={}, crs=crs)


def _read(upload: uploads.Upload):
    """The upload's table; a file that became unreadable sends the user back to step 1."""
    try:
        return imports.read_table(upload.path, upload.file_name)
    except imports.ImportProblem as exc:
        abort(make_response(_render_upload(error_message(exc), 422)))


def _render_columns(upload, table, settings, errors=(), status: int = 200):
    crs_choices = {
        key: text for key, text in imports.CRS_CHOICES.items() if key != "file" or table.file_crs
    }
    html = render_template(
        "staff/import_columns.html",
        upload=upload,
        table=table,
        settings=settings,
        fields=imports.FIELDS,
        required=imports.REQUIRED,
        crs_choices=crs_choices,
        errors=errors,
        step="columns",
    )
    return html, status


@bp.route("/import/<token>/spalten", methods=["GET", "POST"])
def import_columns(token: str):
    upload = load_upload(token)
    table = _read(upload)
    settings = _settings(upload, table)
    if request.method == "GET":
        return _render_columns(upload, table, settings)
    settings.columns = {
        field: request.form.get(f"col_{field}", "")
        for field in imports.FIELDS
        if request.form.get(f"col_{field}")
    }
    settings.values = {f: w for f, w in settings.values.items() if f in settings.columns}
    settings.crs = request.form.get("crs", "")
    settings.create_owners = request.form.get("create_owners") == "1"
    problems = imports.check_settings(table, settings)
    if problems:
        return _render_columns(upload, table, settings, problems, 422)
    if not _saved(upload, settings):
        return redirect(url_for("staff.import_done", token=token))
    return redirect(url_for("staff.import_values", token=token))


def _saved(upload: uploads.Upload, settings: imports.Settings) -> bool:
    """Store the settings; False (with a message) once the upload has been committed."""
    try:
        uploads.save_settings(upload, settings.to_json())
    except ServiceError as exc:
        flash(error_message(exc), "error")
        return False
    return True


def value_rows(table, settings: imports.Settings) -> list[dict]:
    """Per mapped vocabulary field: its words, the vocabulary and each word's chosen code."""
    rows = []
    for field, vocabulary in imports.VALUE_FIELDS.items():
        if field not in settings.columns:
            continue
        words = imports.value_words(table, settings.columns, field)
        chosen = {**imports.guess_values(field, words), **settings.values.get(field, {})}
        rows.append(
            {
                "field": field,
                "label": imports.FIELDS[field],
                "vocabulary": vocabulary,
                "words": [(word, chosen.get(word) or "") for word in words],
            }
        )
    return rows


@bp.route("/import/<token>/werte", methods=["GET", "POST"])
def import_values(token: str):
    upload = load_upload(token)
    if not upload.settings:
        return redirect(url_for("staff.import_columns", token=token))
    table = _read(upload)
    settings = imports.Settings.from_json(upload.settings)
    rows = value_rows(table, settings)
    if request.method == "GET":
        return render_template("staff/import_values.html", upload=upload, rows=rows, step="values")
    settings.values = {
        row["field"]: {
            word: request.form[f"val_{row['field']}_{index}"]
            for index, (word, _code) in enumerate(row["words"])
            if request.form.get(f"val_{row['field']}_{index}") in row["vocabulary"]
        }
        for row in rows
    }
    if not _saved(upload, settings):
        return redirect(url_for("staff.import_done", token=token))
    import_jobs.start("plan", upload)
    return redirect(url_for("staff.import_wait", token=token))
