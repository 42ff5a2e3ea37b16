"""The Protokoll's filters from a query string: record (kind + number), person, date from–to
(local calendar days). A bad value is dropped with a German message naming the field
(collected in ``AuditFilter.errors``); the page keeps what was typed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import ClassVar

from leerstand.dates import LOCAL_TZ
from leerstand.messages import Text
from leerstand.models import AuditEvent
from leerstand.services.errors import ServiceError
from leerstand.services.forms import parse_date, parse_int
from leerstand.vocab import AUDIT_ENTITIES

MAX_PAGE = 1_000_000


@dataclass
class AuditFilter:
    """Filters of a log page; ``model`` is the log table (the access log reuses this class)."""

    model: ClassVar = AuditEvent
    entity: str | None = None
    entity_id: int | None = None
    user_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1
    errors: list[str] = field(default_factory=list)

    def where(self) -> list:
        """SQL conditions on ``model`` (days are local calendar days)."""
        log, out = self.model, []
        if self.entity:
            out.append(log.entity == self.entity)
        if self.entity_id is not None:
            out.append(log.entity_id == self.entity_id)
        if self.user_id is not None:
            out.append(log.user_id == self.user_id)
        if self.date_from:
            out.append(log.at >= _local_midnight(self.date_from))
        if self.date_to:
            out.append(log.at < _local_midnight(self.date_to + timedelta(days=1)))
        return out


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LOCAL_TZ)


def checked(errors: list[str], parse, *args):
    """``parse(*args)``, or None with its message appended to ``errors``."""
    try:
        return parse(*args)
    except ServiceError as exc:
        errors.append(exc.args[0])
        return None


def parse_filters(args: Mapping, user_ids: set[int]) -> AuditFilter:
    """The filters of ``args``; ``user_ids``: the people that may be chosen."""
    errors: list[str] = []
    entity = (args.get("entity") or "").strip() or None
    if entity and entity not in AUDIT_ENTITIES:
        errors.append(Text("„Art des Datensatzes“: Bitte einen Wert aus der Liste wählen."))
        entity = None
    entity_id = checked(errors, parse_int, args.get("entity_id"), Text("„Nr. des Datensatzes“"), 1)
    if entity_id is not None and entity is None:
        errors.append(Text("„Nr. des Datensatzes“: Bitte auch die Art des Datensatzes wählen."))
        entity_id = None
    user_id = checked(errors, parse_int, args.get("user_id"), Text("„Person“"), 1)
    if user_id is not None and user_id not in user_ids:
        errors.append(Text("„Person“: Bitte eine Person aus der Liste wählen."))
        user_id = None
    date_from = checked(errors, parse_date, args.get("date_from"), Text("„Datum von“"))
    date_to = checked(errors, parse_date, args.get("date_to"), Text("„Datum bis“"))
    if date_from and date_to and date_to < date_from:
        errors.append(Text("„Datum bis“ darf nicht vor „Datum von“ liegen."))
        date_from = date_to = None
    try:
        page = parse_int(args.get("page"), "Seite", low=1, high=MAX_PAGE) or 1
    except ServiceError:
        page = 1  # a pager link, not typed: nonsense is the first page
    return AuditFilter(entity, entity_id, user_id, date_from, date_to, page, errors)
