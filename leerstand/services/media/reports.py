"""Leerstandsmelder: a citizen's report of an empty space, received (``submit``).

The form's values (``report_form``) are checked before anything is written; the point must lie
in the town (boundary plus the usual tolerance). "Das ist dieser Ort" either points the new
report at a public unit within ``RADIUS_M`` (``suggested_unit_id``: staff merge it in one step)
or, for an open report within ``RADIUS_M``, only counts a confirmation of that report (nothing
else of the form is kept). Without a point (a browser without JavaScript) the address is looked
up among the town's buildings; when it is not known there, staff place the report on accept.

The photo goes through the same checks as staff uploads (``uploads.check_upload``) and is
re-encoded without metadata (``images.reencode``) before it is stored under a random key
(``storage.new_key``); it is used for a unit only when the reporter agreed. An e-mail address
gets a confirmation link (``report_tokens``); the caller mails it. Never public, never mailed
here, only flushes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leerstand.messages import Text
from leerstand.models import Building, VacancyReport
from leerstand.services import municipality as municipality_service
from leerstand.services.errors import ServiceError
from leerstand.services.media import report_form, report_nearby, report_tokens
from leerstand.services.media.images import reencode
from leerstand.services.media.storage import EXTENSIONS, new_key
from leerstand.services.media.uploads import check_upload
from leerstand.spatial.geometry import ensure_inside, to_db

RADIUS_M = report_nearby.RADIUS_M
THUMB_MIME = "image/jpeg"  # images.reencode makes every thumbnail a JPEG
NOT_NEARBY = Text(
    "Der gewählte Ort liegt nicht (mehr) im Umkreis von 50 m. Bitte wählen Sie einen der "
    "gezeigten Orte oder „Neuer Ort“."
)


@dataclass(frozen=True)
class Submitted:
    outcome: str  # "created" (a new report) | "confirmed" (an open report counted once more)
    report: VacancyReport
    token: str | None  # the e-mail confirmation link's token (created with an address)


def _known_location(session: Session, municipality_id: int, street: str, number: str):
    """The location of the town's building at exactly this address, else None."""
    if not street or not number:
        return None
    stmt = select(Building.location).where(
        Building.municipality_id == municipality_id,
        func.lower(func.trim(Building.street)) == street.strip().lower(),
        func.lower(func.trim(Building.house_number)) == number.strip().lower(),
    )
    return session.scalar(stmt.order_by(Building.id).limit(1))


def _nearby_ids(session: Session, municipality_id: int, point, kind: str) -> set[int]:
    if point is None:
        raise ServiceError(NOT_NEARBY)
    found = report_nearby.public_nearby(session, municipality_id, point)
    return {row["id"] for row in found[kind]}


def _confirm_open(session: Session, municipality_id: int, values, report_id: int) -> Submitted:
    if report_id not in _nearby_ids(session, municipality_id, values.point, "reports"):
        raise ServiceError(NOT_NEARBY)
    report = session.get(VacancyReport, report_id)
    report.confirmations += 1
    session.flush()
    return Submitted("confirmed", report, None)


def thumb_key(key: str) -> str:
    """The thumbnail's key beside the photo's: "<town>/<hex>-thumb.jpg"."""
    return f"{key.rsplit('.', 1)[0]}-thumb.{EXTENSIONS[THUMB_MIME]}"


def _store_photo(store, report: VacancyReport, encoded) -> None:
    key = new_key(report.municipality_id, encoded.mime)
    store.put(key, encoded.data, encoded.mime)
    store.put(thumb_key(key), encoded.thumb, THUMB_MIME)
    report.photo_key, report.photo_mime = key, encoded.mime


def photo_keys(report: VacancyReport) -> list[str]:
    """The store keys of the report's photo (full size and thumbnail); [] without one."""
    return [report.photo_key, thumb_key(report.photo_key)] if report.photo_key else []


def submit(
    session: Session,
    store,
    municipality_id: int,
    values: Mapping,
    photo: bytes | None,
    *,
    secret_key: str,
    max_image_bytes: int,
    now: datetime,
    today: date,
) -> Submitted:
    """Receive one report (or one confirmation of an open report)."""
    parsed = report_form.parse(values, today)
    if parsed.point is not None:
        name, boundary = municipality_service.boundary(session, municipality_id)
        ensure_inside(parsed.point, boundary, name)
    if parsed.same_as and parsed.same_as[0] == "report":
        return _confirm_open(session, municipality_id, parsed, parsed.same_as[1])
    suggested = None
    if parsed.same_as:
        suggested = parsed.same_as[1]
        if suggested not in _nearby_ids(session, municipality_id, parsed.point, "units"):
            raise ServiceError(NOT_NEARBY)
    encoded = None
    if photo:  # checked and re-encoded before anything is written
        encoded = reencode(check_upload(photo, allow_pdf=False, max_bytes=max_image_bytes).data)
    location = (
        to_db(parsed.point)
        if parsed.point is not None
        else _known_location(session, municipality_id, parsed.street, parsed.house_number)
    )
    report = VacancyReport(
        municipality_id=municipality_id,
        location=location,
        street=parsed.street,
        house_number=parsed.house_number,
        kind=parsed.kind,
        since=parsed.since,
        since_month=parsed.since_month,
        comment=parsed.comment,
        photo_consent=parsed.photo_consent and bool(photo),
        email=parsed.email or None,
        suggested_unit_id=suggested,
        confirmations=0,
        status="new",
        reason="",
    )
    session.add(report)
    session.flush()
    token = report_tokens.issue(secret_key, report, now) if parsed.email else None
    if encoded is not None:
        _store_photo(store, report, encoded)
    session.flush()
    return Submitted("created", report, token)
