"""The access log (Zugriffe, ``access_event``): who read, exported or printed whose personal
data, when (Art. 5(2), 32 DSGVO). Writing one entry per person (``record``, ``record_many``)
and reading them filtered by person, user and date (``search``). The app never changes or
deletes an entry; the database refuses it (trigger ``access_event_append_only``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from leerstand.messages import Text
from leerstand.models import AccessEvent, Initiative, Owner, User
from leerstand.services.audit.filters import AuditFilter, checked
from leerstand.services.errors import ServiceError
from leerstand.services.forms import parse_date, parse_int

ACTIONS = {
    "read": _l("gelesen"),
    "export": _l("exportiert"),
    "print": _l("Brief gedruckt"),
    "access_request": _l("Auskunft nach Art. 15 erstellt"),
}
ENTITIES = {
    "owner": _l("Eigentümer:in"),
    "initiative": _l("Initiative"),
    "app_user": _l("Benutzer:in"),
}
MAX_PAGE = 1_000_000


def record(
    session: Session,
    municipality_id: int,
    user_id: int | None,
    action: str,
    entity: str,
    entity_id: int,
    detail: dict | None = None,
) -> None:
    """One entry: ``user_id`` did ``action`` with the data of ``entity`` ``entity_id``."""
    record_many(session, municipality_id, user_id, action, entity, [entity_id], detail)


def record_many(
    session: Session,
    municipality_id: int,
    user_id: int | None,
    action: str,
    entity: str,
    entity_ids,
    detail: dict | None = None,
) -> int:
    """One entry per person in ``entity_ids`` (one INSERT); returns how many were written."""
    if action not in ACTIONS or entity not in ENTITIES:
        raise ValueError(f"unknown access action or entity: {action} {entity}")
    rows = [
        {
            "municipality_id": municipality_id,
            "user_id": user_id,
            "action": action,
            "entity": entity,
            "entity_id": int(ident),
            "detail": detail or {},
        }
        for ident in dict.fromkeys(entity_ids)
    ]
    if rows:
        session.execute(insert(AccessEvent), rows)
    return len(rows)


# --- reading -------------------------------------------------------------------------------


class AccessFilter(AuditFilter):
    """The audit log's filters, on the access log."""

    model = AccessEvent


def parse_filters(args: Mapping, user_ids: set[int]) -> AccessFilter:
    """Filters from a query string; a bad value is dropped with a German message."""
    errors: list[str] = []
    entity = (args.get("entity") or "").strip() or None
    if entity and entity not in ENTITIES:
        errors.append(Text("„Art der Person“: Bitte einen Wert aus der Liste wählen."))
        entity = None
    entity_id = checked(errors, parse_int, args.get("entity_id"), "„Nr. der Person“", 1)
    if entity_id is not None and entity is None:
        entity = "owner"  # the owner page's link; the owner is the usual case
    user_id = checked(errors, parse_int, args.get("user_id"), "„Benutzer:in“", 1)
    if user_id is not None and user_id not in user_ids:
        errors.append(Text("„Benutzer:in“: Bitte eine Person aus der Liste wählen."))
        user_id = None
    date_from = checked(errors, parse_date, args.get("date_from"), "„Datum von“")
    date_to = checked(errors, parse_date, args.get("date_to"), "„Datum bis“")
    if date_from and date_to and date_to < date_from:
        errors.append(Text("„Datum bis“ darf nicht vor „Datum von“ liegen."))
        date_from = date_to = None
    try:
        page = parse_int(args.get("page"), "Seite", low=1, high=MAX_PAGE) or 1
    except ServiceError:
        page = 1
    return AccessFilter(entity, entity_id, user_id, date_from, date_to, page, errors)


@dataclass
class Row:
    id: int
    at: datetime
    who: str
    action: str
    entity: str
    entity_id: int
    person: str
    detail: dict


PERSON_MODELS = {"owner": Owner, "initiative": Initiative, "app_user": User}


def _people(session: Session, events) -> dict[tuple[str, int], str]:
    wanted: dict[str, set[int]] = {}
    for event in events:
        wanted.setdefault(event.entity, set()).add(event.entity_id)
    names = {}
    for entity, ids in wanted.items():
        model = PERSON_MODELS[entity]
        for row in session.scalars(select(model).where(model.id.in_(ids))):
            names[(entity, row.id)] = row.display_name if entity != "owner" else row.name
    return names


def search(session: Session, municipality_id: int, where: list, page: int, size: int):
    """(rows of page ``page``, total), newest first."""
    stmt = select(AccessEvent).where(AccessEvent.municipality_id == municipality_id, *where)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    events = session.scalars(
        stmt.order_by(AccessEvent.at.desc(), AccessEvent.id.desc())
        .offset((page - 1) * size)
        .limit(size)
    ).all()
    people = _people(session, events)
    return [
        Row(
            e.id,
            e.at,
            e.user.display_name if e.user else str(_l("System")),
            e.action,
            e.entity,
            e.entity_id,
            people.get((e.entity, e.entity_id), f"Nr. {e.entity_id}"),
            e.detail or {},
        )
        for e in events
    ], total
