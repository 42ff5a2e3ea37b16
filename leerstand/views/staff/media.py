"""Fotos und Dokumente on the staff side: a page per unit and per building to upload photos
(several at once) and documents, set the cover, order, caption and date, mark documents public,
delete; and ``staff_media`` for the short gallery on the unit and building pages. Viewers see,
editors change. A file over the request limit (MEDIA_MAX_UPLOAD_BYTES, refused while the CSRF
check reads the form) gets the page again with the German message on top of the form.

Thin: parse → ``services.media`` → commit once; files of deleted rows go after the commit
(``views.media``)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from leerstand.db import db
from leerstand.models.media import DOCUMENT_KINDS
from leerstand.security import editor_required, require_edit
from leerstand.services import forms
from leerstand.services.media import documents, photos, uploads, visibility
from leerstand.services.register import buildings as register
from leerstand.views.errors import render_error
from leerstand.views.media import media_store
from leerstand.views.outcome import FORM_ERRORS, failure
from leerstand.views.staff import bp

UPLOAD_ENDPOINTS = ("staff.media_unit_upload", "staff.media_building_upload")
ACCEPT_PHOTO = "image/jpeg,image/png,image/webp"
ACCEPT_DOCUMENT = "application/pdf,image/jpeg,image/png,image/webp"


def _mid() -> int:
    return current_user.municipality_id


def _parent(unit_id: int | None = None, building_id: int | None = None):
    if unit_id is not None:
        return register.get_unit(db.session, _mid(), unit_id)
    return register.get_building(db.session, _mid(), building_id)


def _page_url(media) -> str:
    if media.unit_id:
        return url_for("staff.media_unit", unit_id=media.unit_id)
    return url_for("staff.media_building", building_id=media.building_id)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f}"


def _render(parent, error: str | None = None, status: int = 200, form=None):
    photo_list, document_list = photos.files_of(db.session, parent)
    shown = visibility.public_ids(db.session, [m.id for m in photo_list + document_list])
    config = current_app.config
    return render_template(
        "staff/media.html",
        parent=parent,
        is_unit=parent.__tablename__ == "unit",
        photos=photo_list,
        documents=document_list,
        public_ids=shown,
        error=error,
        form=form or {},
        document_kinds=DOCUMENT_KINDS,
        accept_photo=ACCEPT_PHOTO,
        accept_document=ACCEPT_DOCUMENT,
        image_mb=_megabytes(uploads.max_image_bytes(config)),
        document_mb=_megabytes(uploads.max_document_bytes(config)),
    ), status


@bp.app_template_global()
def staff_media(unit=None, building=None) -> dict:
    """The photos and documents of a unit or building for its staff page."""
    parent = unit if unit is not None else building
    photo_list, document_list = photos.files_of(db.session, parent)
    return {"photos": photo_list, "documents": document_list, "kinds": DOCUMENT_KINDS}


@bp.get("/einheiten/<int:unit_id>/medien")
def media_unit(unit_id: int):
    return _render(_parent(unit_id=unit_id))


@bp.get("/gebaeude/<int:building_id>/medien")
def media_building(building_id: int):
    return _render(_parent(building_id=building_id))


def _add_all(parent):
    """Every sent file of the form's kind; one bad file: none stays (rows and files)."""
    config = current_app.config
    kind = request.form.get("kind")
    sent = [f for f in request.files.getlist("files") if f and f.filename]
    if not sent:
        return _("Bitte wählen Sie eine Datei aus.")
    taken_on = forms.parse_date(request.form.get("taken_on"), "Aufnahmedatum")
    caption = request.form.get("caption")
    store = media_store()
    added = []
    try:
        for upload in sent:
            data = upload.read()
            if kind == "document":
                added.append(
                    documents.add_document(
                        db.session, store, unit_id=parent.id if _is_unit(parent) else None,
                        building_id=None if _is_unit(parent) else parent.id, data=data,
                        file_name=upload.filename, caption=caption, taken_on=taken_on,
                        document_kind=request.form.get("document_kind", ""),
                        public=forms.flag(request.form, "public"), user_id=current_user.id,
                        max_bytes=uploads.max_document_bytes(config),
                    )
                )  # fmt: skip
            else:
                added.append(
                    photos.add_photo(
                        db.session, store, parent, data=data, caption=caption,
                        taken_on=taken_on, user_id=current_user.id,
                        max_bytes=uploads.max_image_bytes(config),
                    )
                )  # fmt: skip
    except Exception:
        for media in added:
            for key in (media.file_key, media.thumb_key):
                if key:
                    store.delete(key)
        raise
    return len(added)


def _is_unit(parent) -> bool:
    return parent.__tablename__ == "unit"


def _upload(parent):
    require_edit()
    try:
        outcome = _add_all(parent)
        if isinstance(outcome, str):
            return _render(parent, outcome, 422, request.form)
        db.session.commit()
    except FORM_ERRORS as exc:
        message, status = failure(exc)
        return _render(parent, message, status, request.form)
    flash(
        ngettext("%(num)s Datei gespeichert.", "%(num)s Dateien gespeichert.", outcome), "success"
    )
    if _is_unit(parent):
        return redirect(url_for("staff.media_unit", unit_id=parent.id))
    return redirect(url_for("staff.media_building", building_id=parent.id))


@bp.post("/einheiten/<int:unit_id>/medien")
def media_unit_upload(unit_id: int):
    return _upload(_parent(unit_id=unit_id))


@bp.post("/gebaeude/<int:building_id>/medien")
def media_building_upload(building_id: int):
    return _upload(_parent(building_id=building_id))


def _change(media_id: int, action):
    media = photos.get_media(db.session, media_id, _mid())
    back = _page_url(media)
    parent = _parent(unit_id=media.unit_id, building_id=media.building_id)
    try:
        action(media)
        db.session.commit()
    except FORM_ERRORS as exc:
        message, status = failure(exc)
        return _render(parent, message, status)
    flash(_("Gespeichert."), "success")
    return redirect(back)


@bp.post("/medien/<int:media_id>/bearbeiten")
@editor_required
def media_edit(media_id: int):
    def edit(media):
        photos.edit(
            db.session, media, current_user.id, caption=request.form.get("caption"),
            taken_on=forms.parse_date(request.form.get("taken_on"), "Aufnahmedatum"),
            public=forms.flag(request.form, "public") if media.kind == "document" else None,
        )  # fmt: skip

    return _change(media_id, edit)


@bp.post("/medien/<int:media_id>/titelbild")
@editor_required
def media_cover(media_id: int):
    return _change(media_id, lambda media: photos.set_cover(db.session, media, current_user.id))


@bp.post("/medien/<int:media_id>/verschieben")
@editor_required
def media_move(media_id: int):
    step = -1 if request.form.get("direction") == "up" else 1
    return _change(media_id, lambda media: photos.move(db.session, media, current_user.id, step))


@bp.post("/medien/<int:media_id>/loeschen")
@editor_required
def media_delete(media_id: int):
    return _change(media_id, lambda media: photos.delete(db.session, media, current_user.id))


# the import upload's handler (views/staff/imports.py) for every other endpoint: a blueprint
# keeps one handler per exception class, so this one passes the others on
_EARLIER = bp.error_handler_spec.get(None, {}).get(413, {}).get(RequestEntityTooLarge)


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(exc):
    """A request over MEDIA_MAX_UPLOAD_BYTES: the media page with the limit on top."""
    if request.endpoint in UPLOAD_ENDPOINTS and current_user.is_authenticated:
        config = current_app.config
        message = _(
            "Die gesendeten Dateien sind zu groß: zusammen höchstens %(mb)s MB, ein Foto "
            "höchstens %(photo)s MB, ein Dokument höchstens %(document)s MB.",
            mb=_megabytes(config.get("MEDIA_MAX_UPLOAD_BYTES") or 0),
            photo=_megabytes(uploads.max_image_bytes(config)),
            document=_megabytes(uploads.max_document_bytes(config)),
        )
        return _render(_parent(**request.view_args), message, 413)
    return _EARLIER(exc) if _EARLIER else render_error(413)
