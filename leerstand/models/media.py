"""Fotos und Dokumente: files attached to a unit or a building (``MediaFile``), and the keys of
deleted files waiting to be removed from the store (``MediaTrash``).

A row holds the file's metadata and the store keys (random, made by the app, never a user's
file name); the bytes live in the store (``services.media.storage``). A photo is public only
by the rule in ``services.media.visibility``; a document only when marked ``public`` and by the
same rule's unit part. Deleting a unit or building deletes its rows (FK cascade); a trigger
(migration 0022) then notes both keys in ``media_trash``, in the same transaction, so the
files are removed after the commit (``services.media.storage.purge_trash``) and never while
a rollback could still bring the row back."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from leerstand.db import Base
from leerstand.models.mixins import MunicipalityScoped, Timestamps
from leerstand.vocab import in_vocab

MEDIA_KINDS = {"photo": _l("Foto"), "document": _l("Dokument")}
DOCUMENT_KINDS = {
    "floor_plan": _l("Grundriss"),
    "expert_report": _l("Gutachten"),
    "agreement": _l("Vereinbarung"),
    "other": _l("Sonstiges"),
}
MEDIA_SOURCES = {"staff": _l("Verwaltung"), "report": _l("Meldung")}
MIME_TYPES = ("image/jpeg", "image/png", "image/webp", "application/pdf")


class MediaFile(MunicipalityScoped, Timestamps, Base):
    __tablename__ = "media_file"
    __table_args__ = (
        CheckConstraint("(unit_id IS NULL) <> (building_id IS NULL)", name="one_parent"),
        CheckConstraint(in_vocab("kind", MEDIA_KINDS), name="kind"),
        CheckConstraint(in_vocab("document_kind", DOCUMENT_KINDS, nullable=True), name="doc_kind"),
        CheckConstraint(in_vocab("source", MEDIA_SOURCES), name="source"),
        CheckConstraint(in_vocab("mime", dict.fromkeys(MIME_TYPES)), name="mime"),
        CheckConstraint("kind = 'document' OR mime LIKE 'image/%'", name="photo_is_image"),
        CheckConstraint("NOT is_cover OR kind = 'photo'", name="cover_is_photo"),
        # one cover per unit / building; also the public properties' lookup of a cover
        Index(
            "ux_media_file_unit_cover",
            "unit_id",
            unique=True,
            postgresql_where=text("is_cover AND unit_id IS NOT NULL"),
        ),
        Index(
            "ux_media_file_building_cover",
            "building_id",
            unique=True,
            postgresql_where=text("is_cover AND building_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit.id", ondelete="CASCADE"), index=True
    )
    building_id: Mapped[int | None] = mapped_column(
        ForeignKey("building.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    document_kind: Mapped[str | None] = mapped_column(String(20))
    mime: Mapped[str] = mapped_column(String(40))
    file_key: Mapped[str] = mapped_column(String(80), unique=True)
    thumb_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    # the name shown and offered for download (documents): the upload's name, cleaned
    file_name: Mapped[str] = mapped_column(String(200), default="")
    caption: Mapped[str] = mapped_column(Text, default="")
    taken_on: Mapped[date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_cover: Mapped[bool] = mapped_column(Boolean, default=False)
    # documents only: staff marked it for the public (photos follow the consent rule)
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(20), default="staff")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL")
    )

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")


class MediaTrash(Base):
    """Store keys of deleted media rows, filled by a trigger, emptied by ``purge_trash``."""

    __tablename__ = "media_trash"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    deleted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
