"""Photos and documents of units and buildings, as staff (and accepted citizens' reports) add
and keep them: adding (checked, re-encoded, stored, then the row flushed), the order, the
cover, caption and date, deleting. Every change writes an audit event; services flush, the
view commits. Documents (``documents``) share adding and deleting with photos.

Never decides what the public sees (``visibility``) and never reads a request."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leerstand.messages import Text
from leerstand.models import Building, MediaFile, Unit
from leerstand.services.audit.log import record
from leerstand.services.errors import NotFound, ServiceError
from leerstand.services.media import images
from leerstand.services.media.storage import Store, new_key
from leerstand.services.media.uploads import DEFAULT_MAX_IMAGE_BYTES, Upload, check_upload

MAX_CAPTION = 500
AUDITED = ("kind", "unit_id", "building_id", "caption", "taken_on", "file_name", "public")


def parent_of(session: Session, *, unit_id: int | None = None, building_id: int | None = None):
    """The unit or building a file belongs to (NotFound when it does not exist)."""
    parent = session.get(Unit, unit_id) if unit_id else session.get(Building, building_id)
    if parent is None:
        raise NotFound(Text("Diese Einheit oder dieses Gebäude gibt es nicht."))
    return parent


def siblings(session: Session, media: MediaFile) -> Sequence[MediaFile]:
    """The files of the same kind of the same unit or building, in their order."""
    where = (
        MediaFile.unit_id == media.unit_id
        if media.unit_id
        else MediaFile.building_id == media.building_id
    )
    query = select(MediaFile).where(where, MediaFile.kind == media.kind)
    return session.scalars(query.order_by(MediaFile.position, MediaFile.id)).all()


def clean_caption(caption: str | None) -> str:
    caption = " ".join((caption or "").split())
    if len(caption) > MAX_CAPTION:
        raise ServiceError(
            Text("Die Bildunterschrift ist zu lang (höchstens %(n)s Zeichen).", n=MAX_CAPTION)
        )
    return caption


def _audit(session: Session, user_id: int | None, action: str, media: MediaFile) -> None:
    values = {key: getattr(media, key) for key in AUDITED}
    changes = {
        key: [None, value.isoformat() if isinstance(value, date) else value]
        for key, value in values.items()
        if value not in (None, "")
    }
    record(session, user_id, action, media, changes)


def store_upload(store: Store, municipality_id: int, upload: Upload) -> dict:
    """Re-encode an image (with its thumbnail) or keep a PDF as it is; store the bytes under new
    keys. Returns the row's file columns."""
    if upload.kind == "pdf":
        key = new_key(municipality_id, upload.mime)
        store.put(key, upload.data, upload.mime)
        return {"mime": upload.mime, "file_key": key, "size_bytes": len(upload.data)}
    encoded = images.reencode(upload.data)
    key = new_key(municipality_id, encoded.mime)
    thumb_key = new_key(municipality_id, "image/jpeg", thumb=True)
    store.put(key, encoded.data, encoded.mime)
    store.put(thumb_key, encoded.thumb, "image/jpeg")
    return {
        "mime": encoded.mime,
        "file_key": key,
        "thumb_key": thumb_key,
        "size_bytes": len(encoded.data),
        "width": encoded.width,
        "height": encoded.height,
    }


def add_file(session: Session, store: Store, parent, upload: Upload, user_id, **columns):
    """Store ``upload`` and flush its row under ``parent`` (a Unit or Building) at the end of
    its kind's order; a unit's or building's first photo becomes its cover. A failed flush
    takes the stored files away again."""
    files = store_upload(store, parent.municipality_id, upload)
    media = MediaFile(
        municipality_id=parent.municipality_id,
        unit_id=parent.id if isinstance(parent, Unit) else None,
        building_id=parent.id if isinstance(parent, Building) else None,
        created_by_id=user_id,
        **files,
        **columns,
    )
    where = (
        MediaFile.unit_id == media.unit_id
        if media.unit_id
        else MediaFile.building_id == media.building_id
    )
    last, covers = session.execute(
        select(func.max(MediaFile.position), func.count().filter(MediaFile.is_cover)).where(
            where, MediaFile.kind == media.kind
        )
    ).one()
    media.position = (last or 0) + 1
    media.is_cover = media.kind == "photo" and not covers
    try:
        session.add(media)
        session.flush()
    except Exception:
        for key in (files["file_key"], files.get("thumb_key")):
            if key:
                store.delete(key)
        raise
    _audit(session, user_id, "create", media)
    return media


def add_photo(
    session: Session,
    store: Store,
    parent,
    *,
    data: bytes,
    caption: str | None,
    taken_on: date | None,
    user_id: int | None,
    source: str = "staff",
    max_bytes: int = DEFAULT_MAX_IMAGE_BYTES,
) -> MediaFile:
    caption = clean_caption(caption)
    upload = check_upload(data, allow_pdf=False, max_bytes=max_bytes)
    return add_file(
        session, store, parent, upload, user_id,
        kind="photo", caption=caption, taken_on=taken_on, source=source,
    )  # fmt: skip


def add_unit_photo(session: Session, store: Store, *, unit_id: int, **kwargs) -> MediaFile:
    """A photo of the unit ``unit_id`` (see ``add_photo`` for the keywords)."""
    return add_photo(session, store, parent_of(session, unit_id=unit_id), **kwargs)


def add_building_photo(session: Session, store: Store, *, building_id: int, **kwargs):
    return add_photo(session, store, parent_of(session, building_id=building_id), **kwargs)


def get_media(session: Session, media_id: int, municipality_id: int) -> MediaFile:
    media = session.get(MediaFile, media_id)
    if media is None or media.municipality_id != municipality_id:
        raise NotFound(Text("Dieses Foto oder Dokument gibt es nicht (mehr)."))
    return media


def edit(session: Session, media: MediaFile, user_id, *, caption, taken_on, public=None):
    """Caption and date (photos), caption, date and public (documents)."""
    before = {key: getattr(media, key) for key in ("caption", "taken_on", "public")}
    media.caption = clean_caption(caption)
    media.taken_on = taken_on
    if public is not None and media.kind == "document":
        media.public = bool(public)
    changes = {
        key: [_plain(old), _plain(getattr(media, key))]
        for key, old in before.items()
        if old != getattr(media, key)
    }
    session.flush()
    if changes:
        record(session, user_id, "update", media, changes)


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def set_cover(session: Session, media: MediaFile, user_id) -> None:
    if media.kind != "photo":
        raise ServiceError(Text("Nur ein Foto kann Titelbild sein."))
    for other in siblings(session, media):
        if other.is_cover and other.id != media.id:
            other.is_cover = False
    session.flush()  # the old cover first: one cover per unit (unique index)
    media.is_cover = True
    session.flush()
    record(session, user_id, "update", media, {"is_cover": [False, True]})


def move(session: Session, media: MediaFile, user_id, step: int) -> None:
    """One place earlier (``step`` -1) or later (+1) among its siblings; at an end: nothing."""
    order = list(siblings(session, media))
    index = order.index(media)
    target = index + step
    if not 0 <= target < len(order):
        return
    order[index], order[target] = order[target], order[index]
    for position, item in enumerate(order, start=1):
        item.position = position
    session.flush()
    record(session, user_id, "update", media, {"position": [index + 1, target + 1]})


def delete(session: Session, media: MediaFile, user_id) -> None:
    """Delete the row (a trigger puts its keys in the trash: the files go after the commit);
    a deleted cover passes to the next photo in the order."""
    was_cover = media.is_cover
    rest = [m for m in siblings(session, media) if m.id != media.id]
    _audit(session, user_id, "delete", media)
    session.delete(media)
    session.flush()
    if was_cover and rest:
        rest[0].is_cover = True
        session.flush()


def files_of(session: Session, parent) -> tuple[list[MediaFile], list[MediaFile]]:
    """(photos, documents) of a unit or building, each in the staff's order."""
    column = MediaFile.unit_id if isinstance(parent, Unit) else MediaFile.building_id
    rows = session.scalars(
        select(MediaFile).where(column == parent.id).order_by(MediaFile.position, MediaFile.id)
    ).all()
    return [m for m in rows if m.kind == "photo"], [m for m in rows if m.kind == "document"]
