"""Restriction (Art. 18 DSGVO, "gesperrt") and objection (Art. 21, "Widerspruch gegen
Ansprache") of an owner: setting and lifting them (audited), and the checks other services
ask before they list or contact an owner.

A restricted owner vanishes from every list, search and export (``listable``) and cannot be
contacted (``check_contactable``) until the restriction is lifted; the owner page stays
reachable for admins and the data-protection officer. An owner who objected is never proposed
or sent a use request and their contact cases cannot move to "kontaktiert"; matching names
the reason (``OBJECTION_REASON``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from leerstand.messages import Text
from leerstand.models import Owner
from leerstand.services.audit.log import record
from leerstand.services.errors import ServiceError
from leerstand.services.matching import service as matching

OBJECTION_REASON = Text("Widerspruch gegen Ansprache (Art. 21 DSGVO)")
MARKS = {"restricted": "restricted_at", "objected": "objected_at"}
ACTIONS = {
    ("restricted", True): "restricted",
    ("restricted", False): "unrestricted",
    ("objected", True): "objected",
    ("objected", False): "unobjected",
}


def listable() -> ColumnElement[bool]:
    """SQL condition for owners that may appear in lists, searches and exports."""
    return Owner.restricted_at.is_(None) & Owner.erased_at.is_(None)


def contactable() -> ColumnElement[bool]:
    """SQL condition for owners that may be contacted (requests, letters, mails)."""
    return listable() & Owner.objected_at.is_(None)


def is_contactable(owner: Owner) -> bool:
    return owner.restricted_at is None and owner.objected_at is None and owner.erased_at is None


def contact_refusal(owner: Owner) -> Text | None:
    """Why ``owner`` must not be contacted, in German; None when they may be."""
    if owner.erased_at is not None:
        return Text("Diese Eigentümer:in wurde gelöscht und kann nicht kontaktiert werden.")
    if owner.restricted_at is not None:
        return Text(
            "Der Eintrag dieser Eigentümer:in ist gesperrt (Art. 18 DSGVO): keine Anfragen, "
            "Kontakte oder Mails, bis die Sperre auf der Seite der Eigentümer:in aufgehoben ist."
        )
    if owner.objected_at is not None:
        return Text(
            "Diese Eigentümer:in hat der Ansprache widersprochen (Art. 21 DSGVO): keine "
            "Anfragen und keine Kontaktaufnahme, solange der Widerspruch besteht."
        )
    return None


def check_contactable(owner: Owner) -> None:
    reason = contact_refusal(owner)
    if reason is not None:
        raise ServiceError(reason)


def set_mark(
    session: Session, owner: Owner, user_id: int | None, mark: str, on: bool, now: datetime
) -> bool:
    """Set (``on``) or lift the restriction or objection; False when nothing changed.
    The audit entry names only the action and the time, no personal value."""
    if mark not in MARKS:
        raise ServiceError(Text("Unbekannte Markierung."))
    if owner.erased_at is not None:
        raise ServiceError(
            Text("Diese Eigentümer:in wurde gelöscht; es gibt nichts mehr zu sperren.")
        )
    column = MARKS[mark]
    old = getattr(owner, column)
    if (old is not None) == on:
        return False
    setattr(owner, column, now if on else None)
    session.flush()
    stamp = [old.isoformat() if old else None, now.isoformat() if on else None]
    record(session, user_id, ACTIONS[(mark, on)], owner, {column: stamp})
    with matching.batch(session):  # the score's openness and reasons follow
        for ownership in owner.ownerships:
            matching.contact_changed(session, ownership.building)
    return True
