"""How a unit's interim use reads, and which units count as free.

A unit's ``vacancy_state`` becomes ``interim_use`` when the interim use is recorded, also when
it starts later: such a unit is "Zwischennutzung geplant ab <Beginn>", not "in
Zwischennutzung". ``planned_starts`` gives that start for units whose every running interim use
starts after today; ``planned_for`` and ``planned_start`` add the condition that the unit's
state is ``interim_use`` (what every page shows); ``planned_start_column`` is that rule as a
column of a query over ``Unit`` (the register's map) and ``PLANNED_START_SQL`` the same for
raw SQL (``u`` is the unit, ``%(today)s`` the local day). Free spaces (counts of vacant units)
never include a unit with a running or planned interim use, whatever its ``vacancy_state``
says (``free_unit_count``; ``IN_INTERIM_USE_SQL`` for raw SQL).
``cases_after_end`` lists the contact cases to update once an interim use has ended."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session

from leerstand.models import ContactCase, InterimUse, Unit

FREE_STATES = ("vacant",)
PLANNED_START_SQL = """(SELECT min(iu.starts_on) FROM interim_use iu
    WHERE iu.unit_id = u.id AND iu.outcome IS NULL AND u.vacancy_state = 'interim_use'
    HAVING min(iu.starts_on) > %(today)s)"""
IN_INTERIM_USE_SQL = """(u.vacancy_state = 'interim_use' OR EXISTS (
    SELECT 1 FROM interim_use iu WHERE iu.unit_id = u.id AND iu.outcome IS NULL))"""


def _first_planned_day(today: date, *where):
    """SELECT the first day of the running interim uses matching ``where``, only if it is
    after ``today`` (a use starting today is running, not planned)."""
    first = func.min(InterimUse.starts_on)
    return select(first).where(InterimUse.outcome.is_(None), *where).having(first > today)


def planned_starts(session: Session, unit_ids: Iterable[int], today: date) -> dict[int, date]:
    """{unit id: first day} for the units whose running interim uses all start after
    ``today`` (a use starting today is running, not planned)."""
    ids = list(unit_ids)
    if not ids:
        return {}
    stmt = (
        _first_planned_day(today, InterimUse.unit_id.in_(ids))
        .add_columns(InterimUse.unit_id)
        .group_by(InterimUse.unit_id)
    )
    return {unit_id: first for first, unit_id in session.execute(stmt)}


def planned_start_column(today: date):
    """The planned first day of each ``Unit`` row's interim use (NULL: none, or running), as a
    correlated subquery: the rule of ``planned_for`` inside one query over many units."""
    first = _first_planned_day(today, InterimUse.unit_id == Unit.id).scalar_subquery()
    return case((Unit.vacancy_state == "interim_use", first))


def planned_for(session: Session, states: Mapping[int, str], today: date) -> dict[int, date]:
    """{unit id: planned first day} for the units of ``states`` ({unit id: vacancy_state}) that
    are in interim use by their state and whose running interim uses all start after ``today``;
    one query for all of them (a page's rows)."""
    ids = [unit_id for unit_id, state in states.items() if state == "interim_use"]
    return planned_starts(session, ids, today)


def planned_start(session: Session, unit: Unit, today: date) -> date | None:
    """The planned first day of ``unit``'s interim use, or None (none, or already running)."""
    return planned_for(session, {unit.id: unit.vacancy_state}, today).get(unit.id)


def without_interim_use():
    """A WHERE clause: the unit has no running or planned interim use."""
    return ~exists().where(InterimUse.unit_id == Unit.id, InterimUse.outcome.is_(None))


def free_unit_count(session: Session, municipality_id: int) -> int:
    """Vacant units of the municipality, never counting one in (or before) an interim use."""
    stmt = select(func.count()).where(
        Unit.municipality_id == municipality_id,
        Unit.vacancy_state.in_(FREE_STATES),
        without_interim_use(),
    )
    return session.scalar(stmt) or 0


def cases_after_end(session: Session, use: InterimUse) -> list[ContactCase]:
    """The contact cases of the unit's building that are not closed (the owners to tell or to
    close the agreement with), by state and id; empty while the use runs."""
    if use.active:
        return []
    stmt = (
        select(ContactCase)
        .where(ContactCase.building_id == use.unit.building_id, ContactCase.state != "closed")
        .order_by(ContactCase.id)
    )
    return list(session.scalars(stmt))
