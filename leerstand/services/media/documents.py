"""Documents of units and buildings (floor plans, expert reports, agreements …): PDF as
uploaded after the content check, images re-encoded like photos. Internal unless staff mark
one public. The uploaded file name is kept only as text to show and to offer for download:
cleaned here, escaped on every page, never part of a store key.

Never decides what the public sees (``visibility``)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from sqlalchemy.orm import Session

from leerstand.messages import Text
from leerstand.models import MediaFile
from leerstand.models.media import DOCUMENT_KINDS
from leerstand.services.errors import ServiceError
from leerstand.services.media.photos import add_file, clean_caption, parent_of
from leerstand.services.media.uploads import DEFAULT_MAX_DOCUMENT_BYTES, check_upload

MAX_NAME = 200
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_file_name(name: str | None) -> str:
    """The last part of an uploaded name (no folders, no control characters), NFC, at most
    ``MAX_NAME`` characters; "Dokument" when nothing is left."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = CONTROL.sub("", name).strip().strip(".") or "Dokument"
    return name[-MAX_NAME:]


def ascii_file_name(name: str, extension: str) -> str:
    """A plain ASCII name for ``Content-Disposition``'s fallback: letters, digits, ``-_.``."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", plain.rsplit(".", 1)[0]).strip("._") or "datei"
    return f"{stem[:80]}.{extension}"


def add_document(
    session: Session,
    store,
    *,
    unit_id: int | None = None,
    building_id: int | None = None,
    data: bytes,
    file_name: str | None,
    document_kind: str,
    caption: str | None,
    taken_on: date | None = None,
    public: bool = False,
    user_id: int | None,
    max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
) -> MediaFile:
    if document_kind not in DOCUMENT_KINDS:
        raise ServiceError(Text("Bitte wählen Sie die Art des Dokuments."))
    parent = parent_of(session, unit_id=unit_id, building_id=building_id)
    caption = clean_caption(caption)
    upload = check_upload(data, allow_pdf=True, max_bytes=max_bytes)
    return add_file(
        session, store, parent, upload, user_id,
        kind="document", document_kind=document_kind, caption=caption, taken_on=taken_on,
        file_name=clean_file_name(file_name), public=bool(public),
    )  # fmt: skip
