"""The shape of an Art. 15 answer, shared by the owner's (``access``), an initiative's and a
staff member's (``access_people``): an ``Answer`` of ``Section``s, one per kind of data, rows
of plain values (str, int, date, datetime) that the print page and ``bundle`` both show, and
audit events as sentences."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from leerstand.dates import LOCAL_TZ, day
from leerstand.messages import Text
from leerstand.models import (
    AuditEvent,
)
from leerstand.services.audit import history
from leerstand.services.audit.values import Quantity


@dataclass
class Section:
    key: str  # the JSON key and the CSV file's name
    title: Text
    columns: list[tuple[str, Text]]
    rows: list[dict] = field(default_factory=list)
    note: Text | None = None


@dataclass
class Answer:
    kind: str  # owner | initiative | app_user
    person_id: int
    person_name: str
    municipality: str
    created_at: datetime
    sections: list[Section]


def when(value) -> str:
    """Local "dd.mm.yyyy HH:MM" of a moment, "dd.mm.yyyy" of a day, "" of None."""
    if isinstance(value, datetime):
        return value.astimezone(LOCAL_TZ).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return day(value)
    return ""


def _plain(value) -> str:
    if value is None or value == "":
        return "–"
    if value is True or value is False:
        return "ja" if value else "nein"
    if isinstance(value, date | datetime):
        return when(value)
    if isinstance(value, Quantity):
        return f"{value.value} {value.unit}"
    return str(value)


def change_text(change) -> str:
    if change.note:
        return change.note
    if change.old is None:
        return f"{change.label}: {_plain(change.new)}"
    return f"{change.label}: {_plain(change.old)} → {_plain(change.new)}"


AUDIT_COLUMNS = [
    ("at", Text("Zeitpunkt")),
    ("entry", Text("Eintrag")),
    ("changes", Text("Änderungen")),
]


def audit_rows(session: Session, events: list[AuditEvent]) -> list[dict]:
    """Audit events as sentences with their changes in words (no hashes: ``history``)."""
    return [
        {"at": e.at, "entry": e.sentence, "changes": "; ".join(change_text(c) for c in e.changes)}
        for e in history.entries(session, events)
    ]


def audit_of(session: Session, mid: int, entity: str, ids: list[int]) -> list[AuditEvent]:
    """The audit events of records ``ids`` of kind ``entity``, oldest first."""
    if not ids:
        return []
    return list(
        session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.municipality_id == mid,
                AuditEvent.entity == entity,
                AuditEvent.entity_id.in_(ids),
            )
            .order_by(AuditEvent.at, AuditEvent.id)
        )
    )
