"""Five years of demo history for Ballenstedt, written after the rest of the demo so that the
statistics and the public report show change over time:

- every unit's vacancy history (``periods``; ``vacancy_period`` replaced by SQL after the
  trigger wrote the units' first periods): vacancies that began at different times (a few in
  the last year: their ``vacant_since`` moves there), earlier vacancies that ended (re-let,
  more of them lately), a tenant giving notice (``vacancy_expected``), the running interim
  uses since their start;
- past ideas that became interim uses and ended, with matches, answered use requests by
  e-mail and letter and their contact cases; ideas that found no space (``uses``, ``ideas``);
- every contact case opened on the day of its first contact (``seed.contacts`` dates the
  settled cases – declined, unreachable, closed – back over the years).

Consistent with the app's own rules: periods are contiguous and end in each unit's state today,
a vacancy begins on the unit's ``vacant_since``, every case's events form one chain of allowed
transitions. Reproducible: one ``random.Random(HISTORY_SEED)``, dates relative to ``today``.
Runs once per town (a town that has ended interim uses already is left alone)."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import delete, insert, select, text
from sqlalchemy.orm import Session

from leerstand.dates import LOCAL_TZ
from leerstand.models import InterimUse, Unit, VacancyPeriod
from leerstand.seed.history.periods import (
    Periods,
    occupied_until,
    recent_vacancies,
    unit_periods,
    years_before,
)
from leerstand.seed.history.uses import create_past_uses
from leerstand.services.matching import service as matching

HISTORY_SEED = 20211201
YEARS = 5


def _write_periods(session: Session, mid: int, periods: dict[int, Periods]) -> int:
    """Replace every period of the town by ``periods``; returns their number."""
    session.flush()  # the trigger's own periods for changed units first, then replace them all
    session.execute(delete(VacancyPeriod).where(VacancyPeriod.municipality_id == mid))
    rows = [
        {"unit_id": unit_id, "municipality_id": mid, "state": state,
         "started_on": start, "ended_on": end}
        for unit_id, of_unit in periods.items()
        for state, start, end in of_unit
    ]  # fmt: skip
    if rows:
        session.execute(insert(VacancyPeriod), rows)
    return len(rows)


# Every case of the town opens on the day of its first contact.
OPENED_ON_FIRST_EVENT = """UPDATE contact_case c SET created_at = (first.day + time '12:00')
        AT TIME ZONE :tz
    FROM (SELECT e.case_id, min(e.occurred_on) AS day FROM contact_event e GROUP BY e.case_id)
        AS first
    WHERE first.case_id = c.id AND c.municipality_id = :m"""


def _done_already(session: Session, mid: int) -> bool:
    ended = select(InterimUse.id).where(
        InterimUse.municipality_id == mid, InterimUse.outcome.is_not(None)
    )
    return session.scalar(ended.limit(1)) is not None


def create_history(session: Session, municipality_id: int, staff_id, today: date) -> str:
    """Write the town's five years of history; returns a summary line. Only flushes."""
    mid = municipality_id
    if _done_already(session, mid):
        return "schon vorhanden"
    rng = random.Random(HISTORY_SEED)
    first = years_before(today, YEARS)
    ctx = {"municipality_id": mid, "staff_id": staff_id, "today": today}
    periods = create_past_uses(session, rng, ctx)
    ended = len(periods)
    units = list(session.scalars(select(Unit).where(Unit.municipality_id == mid).order_by(Unit.id)))
    recent_vacancies(rng, units, periods, today)
    running = dict(
        session.execute(
            select(InterimUse.unit_id, InterimUse.starts_on).where(
                InterimUse.municipality_id == mid, InterimUse.outcome.is_(None)
            )
        ).all()
    )
    for unit in units:
        if unit.id in periods:
            start = periods[unit.id][0][1]
            periods[unit.id] = occupied_until(first, start) + periods[unit.id]
        else:
            periods[unit.id] = unit_periods(rng, unit, first, today, running)
    count = _write_periods(session, mid, periods)
    session.execute(text(OPENED_ON_FIRST_EVENT), {"m": mid, "tz": LOCAL_TZ.key})
    matching.rematch_all(session, mid, today)  # a few vacancies began later: scores follow
    return f"{count} Zeiträume, {ended} beendete Zwischennutzungen"
