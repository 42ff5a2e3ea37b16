"""Who may see a photo or document: the one rule, as SQL (``MEDIA_IS_PUBLIC``, on a
``media_file`` row ``m``) and the functions every public place uses (the file route, the
public unit page's gallery). Staff of the file's municipality see every file.

Public: a photo of a unit when the unit is public (``UNIT_IS_PUBLIC``) and photos are
allowed for its building (``rule.PHOTOS_ALLOWED``: every owner consented or is the
municipality); a photo of a building the same, through any public unit of the building; a
document only when staff marked it public and its unit (or a unit of its building) is public.

Never serves bytes and never changes a row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session

from leerstand.services.media.rule import PHOTOS_ALLOWED
from leerstand.services.public.fields import UNIT_IS_PUBLIC

BUILDING_OF_MEDIA = (
    "coalesce(m.building_id, (SELECT mu.building_id FROM unit mu WHERE mu.id = m.unit_id))"
)
MEDIA_IS_PUBLIC = f"""(EXISTS (
        SELECT 1 FROM unit u
        WHERE (u.id = m.unit_id OR u.building_id = m.building_id) AND {UNIT_IS_PUBLIC.strip()})
    AND CASE WHEN m.kind = 'photo' THEN {PHOTOS_ALLOWED.format(building=BUILDING_OF_MEDIA)}
             ELSE m.public END)"""


@dataclass(frozen=True)
class Access:
    """What the media route needs to serve one file."""

    id: int
    municipality_id: int
    kind: str
    mime: str
    file_key: str
    thumb_key: str | None
    file_name: str
    public: bool  # by MEDIA_IS_PUBLIC, now


ACCESS = f"""SELECT m.id, m.municipality_id, m.kind, m.mime, m.file_key, m.thumb_key,
    m.file_name, {MEDIA_IS_PUBLIC} AS public FROM media_file m WHERE m.id = :id"""


def access(session: Session, media_id: int) -> Access | None:
    row = session.execute(text(ACCESS), {"id": media_id}).first()
    return Access(*row) if row else None


def may_read(found: Access | None, staff_municipality_id: int | None) -> bool:
    """Staff of the file's town read every file; everybody else only public ones."""
    if found is None:
        return False
    return found.public or staff_municipality_id == found.municipality_id


@dataclass(frozen=True)
class PublicItem:
    id: int
    kind: str
    mime: str
    caption: str
    taken_on: date | None
    file_name: str
    document_kind: str | None
    width: int | None
    height: int | None
    is_cover: bool


PUBLIC_OF_UNIT = f"""SELECT m.id, m.kind, m.mime, m.caption, m.taken_on, m.file_name,
    m.document_kind, m.width, m.height, m.is_cover
    FROM media_file m
    WHERE (m.unit_id = :unit_id
           OR m.building_id = (SELECT building_id FROM unit WHERE id = :unit_id))
      AND {MEDIA_IS_PUBLIC}
    ORDER BY m.kind DESC, m.unit_id IS NULL, m.is_cover DESC, m.position, m.id"""


def public_of_unit(session: Session, unit_id: int) -> tuple[list[PublicItem], list[PublicItem]]:
    """(photos, documents) the public may see on the unit's page: the unit's own first, then
    its building's; covers first, then in the staff's order."""
    rows = [PublicItem(*row) for row in session.execute(text(PUBLIC_OF_UNIT), {"unit_id": unit_id})]
    return [r for r in rows if r.kind == "photo"], [r for r in rows if r.kind == "document"]


PUBLIC_IDS = f"SELECT m.id FROM media_file m WHERE m.id = ANY(:ids) AND {MEDIA_IS_PUBLIC}"


def public_ids(session: Session, media_ids: list[int]) -> set[int]:
    """Which of ``media_ids`` the public may see now (for the staff pages' marks)."""
    if not media_ids:
        return set()
    return set(session.scalars(text(PUBLIC_IDS), {"ids": list(media_ids)}))
