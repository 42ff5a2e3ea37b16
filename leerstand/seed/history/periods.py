"""Every unit's vacancy history for the demo (``seed.history``): periods from five years ago
to today that end in the unit's state today. Vacant units: occupied until ``vacant_since``
(sometimes with an earlier vacancy that ended), then vacant – a partly vacant building became
partly let on the way; a few vacancies moved into the last year. Occupied units: some had a
vacancy that ended (re-let), more of them lately. Interim uses: vacant, then in interim use since
the use began. A tenant's notice: occupied, then ``vacancy_expected`` for a few weeks."""

from __future__ import annotations

import random
from datetime import date, timedelta

from leerstand.models import Unit

RECENT_VACANCIES = 3  # vacant units whose vacancy began within the last year
RELET_CHANCE = {"flat": 0.2}  # of an occupied unit having had a vacancy that ended …
RELET_OTHERS = 0.5  # … for all other kinds
EARLIER_VACANCY = 0.3  # of a vacant unit having had an earlier vacancy
VACANT = ("vacant", "partly_vacant")

Periods = list[tuple[str, date, date | None]]


def years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (29 February: the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def occupied_until(first: date, until: date) -> Periods:
    """Occupied from ``first`` (the start of the history) until ``until``, if that is later."""
    return [("occupied", first, until)] if until > first else []


def _before(rng: random.Random, first: date, since: date) -> Periods:
    """Occupied from ``first`` until ``since``, sometimes with an earlier vacancy."""
    if since - first > timedelta(days=730) and rng.random() < EARLIER_VACANCY:
        begin = first + timedelta(days=rng.randint(0, (since - first).days - 400))
        end = begin + timedelta(days=rng.randint(90, min(600, (since - begin).days - 120)))
        return [
            *occupied_until(first, begin),
            ("vacant", begin, end),
            ("occupied", end, since),
        ]
    return occupied_until(first, since)


def _vacant(rng: random.Random, unit: Unit, first: date, today: date) -> Periods:
    since = unit.vacant_since or first
    periods = _before(rng, first, since)
    if unit.vacancy_state == "partly_vacant" and (today - since).days > 200:
        part = since + timedelta(days=rng.randint(100, (today - since).days - 60))
        return [*periods, ("vacant", since, part), ("partly_vacant", part, None)]
    return [*periods, (unit.vacancy_state, since, None)]


def _occupied(rng: random.Random, unit: Unit, first: date, today: date) -> Periods:
    if rng.random() >= RELET_CHANCE.get(unit.kind, RELET_OTHERS):
        return [("occupied", first, None)]
    recent = rng.random() < 0.6  # the programme works: more vacancies ended lately
    end = today - timedelta(days=rng.randint(20, 400 if recent else (today - first).days - 150))
    begin = end - timedelta(days=rng.randint(90, 900))
    return [*occupied_until(first, begin), ("vacant", begin, end), ("occupied", end, None)]


def unit_periods(rng, unit: Unit, first: date, today: date, running: dict) -> Periods:
    """The periods of ``unit`` from ``first`` to today; ``running``: {unit id: start of its
    running interim use}."""
    state = unit.vacancy_state
    if state in VACANT:
        return _vacant(rng, unit, first, today)
    if state == "interim_use":
        start = min(running.get(unit.id, today), today)
        since = min(unit.vacant_since or start - timedelta(days=200), start - timedelta(days=30))
        return [*_before(rng, first, since), ("vacant", since, start), (state, start, None)]
    if state == "vacancy_expected":
        notice = today - timedelta(days=rng.randint(14, 150))
        return [*occupied_until(first, notice), (state, notice, None)]
    return _occupied(rng, unit, first, today)


def recent_vacancies(rng: random.Random, units: list[Unit], used: dict, today: date) -> None:
    """A few vacancies began within the last year (their ``vacant_since`` moves there)."""
    vacant = [u for u in units if u.vacancy_state == "vacant" and u.id not in used]
    for unit in rng.sample(vacant, min(RECENT_VACANCIES, len(vacant))):
        unit.vacant_since = today - timedelta(days=rng.randint(20, 340))
