"""Serving photos and documents (``/medien/<id>``, the thumbnail ``/medien/<id>/vorschau``) to
everyone by the one rule (``services.media.visibility``): staff of the file's town get every
file, everybody else (the public, initiatives, owners) only public ones – any other file is a
404, the same answer as a file that does not exist. Also removes the files of deleted rows
after every staff write request (``storage.purge_trash``).

Headers: the stored type, ``nosniff``, ``Content-Disposition`` (photos inline, documents as a
download, with an ASCII fallback name and the UTF-8 name), an ETag (the store key never
changes) and ``Cache-Control``: public files ``no-cache`` (every use asks again, so a withdrawn
consent hides a file at once, answered with 304 while nothing changed), internal files
``private, no-cache``. Never changes a row and never reads a file name into a path."""

from __future__ import annotations

import logging
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, request
from flask_login import current_user

from leerstand.db import db
from leerstand.services.media import storage, visibility
from leerstand.services.media.documents import ascii_file_name

bp = Blueprint("media", __name__)
log = logging.getLogger(__name__)
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
}


def media_store() -> storage.Store:
    """The configured store (disk or S3), once per app."""
    found = current_app.extensions.get("leerstand_media_store")
    if found is None:
        found = storage.store_from_config(current_app.config)
        current_app.extensions["leerstand_media_store"] = found
    return found


def _staff_town() -> int | None:
    if current_user.is_authenticated and getattr(current_user, "is_staff", False):
        return current_user.municipality_id
    return None


def _disposition(found: visibility.Access, mime: str, thumb: bool) -> str:
    extension = EXTENSIONS[mime]
    if found.kind == "photo" or thumb:
        name = f"foto-{found.id}{'-vorschau' if thumb else ''}.{extension}"
        return f'inline; filename="{name}"'
    shown = found.file_name or f"dokument-{found.id}.{extension}"
    if not shown.lower().endswith("." + extension):
        shown = f"{shown}.{extension}"
    fallback = ascii_file_name(shown, extension)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(shown, safe='')}"


def _serve(media_id: int, thumb: bool) -> Response:
    found = visibility.access(db.session, media_id)
    if not visibility.may_read(found, _staff_town()):
        abort(404)
    key = found.thumb_key if thumb else found.file_key
    if key is None:
        abort(404)
    mime = "image/jpeg" if thumb else found.mime
    response = Response(mimetype=mime)
    response.set_etag(key.replace("/", "-"))
    response.headers["Cache-Control"] = "no-cache" if found.public else "private, no-cache"
    response.headers["Vary"] = "Cookie"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = _disposition(found, mime, thumb)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if request.if_none_match.contains(key.replace("/", "-")):
        response.status_code = 304
        return response
    try:
        response.set_data(media_store().get(key))
    except FileNotFoundError:
        log.warning("media file %s of row %s is missing in the store", key, media_id)
        abort(404)
    return response


@bp.get("/medien/<int:media_id>")
def file(media_id: int):
    return _serve(media_id, thumb=False)


@bp.get("/medien/<int:media_id>/vorschau")
def thumb(media_id: int):
    return _serve(media_id, thumb=True)


@bp.after_app_request
def _purge_deleted_files(response):
    """After a staff write request whose transaction ended (committed or rolled back): remove
    the files of deleted rows (only staff delete units, buildings and media: the media pages,
    an import's undo). A request with an open transaction is left alone (its teardown
    rolls back); the trash waits for the next one."""
    if request.method != "POST" or request.blueprint != "staff" or db.session().in_transaction():
        return response
    try:
        if storage.purge_trash(db.session, media_store()):
            db.session.commit()
        else:
            db.session.rollback()
    except Exception:  # never fail the answer for a clean-up
        db.session.rollback()
        log.exception("removing deleted media files failed; they stay in media_trash")
    return response


@bp.app_template_global()
def public_gallery(unit_id: int) -> dict:
    """The photos and documents the public may see on the page of the public unit
    ``unit_id`` (the unit's own first, then its building's)."""
    shown, documents = visibility.public_of_unit(db.session, unit_id)
    return {"photos": shown, "documents": documents}
