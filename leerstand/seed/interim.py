"""Demo interim uses: every unit whose state is "in Zwischennutzung" gets its interim-use
record (initiative, period, terms), so that the staff pages, the start page and the reminders
show what the map shows. The last such unit's use starts in two weeks ("geplant ab …").

Written through ``interim_uses.service.start_use`` (audited, matching updated); no mails. The
dates are relative to ``today``; no randomness, so the demo is reproducible."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from leerstand.models import Initiative, InterimUse, Unit
from leerstand.services.interim_uses import service as interim_use
from leerstand.services.matching import service as matching

RUNNING_SINCE_DAYS = 60  # a demo interim use began this many days ago …
DEFAULT_LENGTH_DAYS = 180  # … and ends after this many days, unless the unit is free sooner
PLANNED_IN_DAYS = 14  # the planned demo use starts in two weeks
TERMS = {
    "costs": "nur Nebenkosten nach Absprache",
    "insurance": "Haftpflicht der Initiative",
    "key_handover": "ein Schlüssel, Übergabe im Bürgerbüro",
    "notes": "Demo-Daten",
}


def _units_without_record(session: Session, municipality_id: int) -> list[Unit]:
    has_use = exists().where(InterimUse.unit_id == Unit.id, InterimUse.outcome.is_(None))
    stmt = (
        select(Unit)
        .where(
            Unit.municipality_id == municipality_id,
            Unit.vacancy_state == "interim_use",
            ~has_use,
        )
        .order_by(Unit.id)
    )
    return list(session.scalars(stmt))


def _period(unit: Unit, today: date, planned: bool) -> dict:
    starts_on = today + timedelta(days=PLANNED_IN_DAYS) if planned else today
    if not planned:
        starts_on -= timedelta(days=RUNNING_SINCE_DAYS)
    ends_on = starts_on + timedelta(days=DEFAULT_LENGTH_DAYS)
    if unit.available_from and starts_on < unit.available_from <= ends_on:
        ends_on = unit.available_from - timedelta(days=1)  # free again for the next use
    return {"starts_on": starts_on, "ends_on": max(ends_on, starts_on)}


def create_interim_uses(session: Session, municipality_id: int, staff_id, today: date) -> int:
    """Give every unit in interim use without a record one; returns how many were created."""
    units = _units_without_record(session, municipality_id)
    initiatives = list(
        session.scalars(
            select(Initiative)
            .where(Initiative.municipality_id == municipality_id)
            .order_by(Initiative.id)
        )
    )
    with matching.batch(session):
        for i, unit in enumerate(units):
            initiative = initiatives[i % len(initiatives)] if initiatives else None
            cleaned = {**_period(unit, today, planned=i == len(units) - 1 and i > 0), **TERMS}
            interim_use.start_use(session, unit, None, initiative, staff_id, cleaned)
    return len(units)
