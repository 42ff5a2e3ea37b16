"""The vacancy history (migration 0012): the trigger on ``unit`` keeps one contiguous row per
state and period, on every write path; the migration derives the history of existing units
from their audited changes and ``vacant_since``. Expected periods are written out."""

from __future__ import annotations

import importlib.util
import pathlib
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from leerstand.dates import local_today
from leerstand.models import Unit, VacancyPeriod
from tests import factories as f

MIGRATION = (
    pathlib.Path(__file__).resolve().parents[2] / "migrations/versions/0012_vacancy_periods.py"
)


def periods(session, unit_id: int) -> list[tuple]:
    session.flush()
    rows = session.execute(
        select(VacancyPeriod.state, VacancyPeriod.started_on, VacancyPeriod.ended_on)
        .where(VacancyPeriod.unit_id == unit_id)
        .order_by(VacancyPeriod.started_on)
    )
    return [tuple(row) for row in rows]


@pytest.fixture
def building(session, base):
    return f.building(session, base.municipality)


def test_a_new_vacant_unit_starts_on_its_vacant_since(session, building):
    unit = f.unit(session, building, vacant_since=date(2024, 3, 1))
    assert periods(session, unit.id) == [("vacant", date(2024, 3, 1), None)]


def test_a_new_unit_without_a_date_or_in_use_starts_today(session, building):
    today = local_today()
    unknown = f.unit(session, building, vacant_since=None)
    used = f.unit(session, building, vacancy_state="occupied", vacant_since=date(2020, 1, 1))
    future = f.unit(session, building, vacant_since=today + timedelta(days=1))
    assert periods(session, unknown.id) == [("vacant", today, None)]
    assert periods(session, used.id) == [("occupied", today, None)]
    assert periods(session, future.id) == [("vacant", today, None)]


def test_a_change_of_state_ends_the_open_period_today(session, building):
    today = local_today()
    unit = f.unit(session, building, vacant_since=date(2024, 3, 1))
    unit.vacancy_state = "interim_use"
    assert periods(session, unit.id) == [
        ("vacant", date(2024, 3, 1), today),
        ("interim_use", today, None),
    ]


def test_a_second_change_on_the_same_day_replaces_the_first(session, building):
    today = local_today()
    unit = f.unit(session, building, vacant_since=date(2024, 3, 1))
    unit.vacancy_state = "occupied"
    session.flush()
    unit.vacancy_state = "interim_use"
    assert periods(session, unit.id) == [
        ("vacant", date(2024, 3, 1), today),
        ("interim_use", today, None),
    ]
    unit.vacancy_state = "vacant"  # back the same day: the old vacancy goes on
    assert periods(session, unit.id) == [("vacant", date(2024, 3, 1), None)]


def test_vacant_since_moves_the_start_back_over_earlier_periods(session, building):
    today = local_today()
    unit = f.unit(session, building, vacancy_state="occupied", vacant_since=None)
    session.execute(
        text("UPDATE vacancy_period SET started_on = '2020-01-01' WHERE unit_id = :u"),
        {"u": unit.id},
    )
    unit.vacancy_state, unit.vacant_since = "vacant", date(2023, 6, 1)
    assert periods(session, unit.id) == [
        ("occupied", date(2020, 1, 1), date(2023, 6, 1)),
        ("vacant", date(2023, 6, 1), None),
    ]
    unit.vacant_since = date(2019, 5, 1)  # before everything known: the vacancy is all
    assert periods(session, unit.id) == [("vacant", date(2019, 5, 1), None)]
    assert today > date(2019, 5, 1)


def test_vacant_since_moved_later_extends_the_period_before(session, building):
    unit = f.unit(session, building, vacancy_state="occupied", vacant_since=None)
    session.execute(
        text("UPDATE vacancy_period SET started_on = '2020-01-01' WHERE unit_id = :u"),
        {"u": unit.id},
    )
    unit.vacancy_state, unit.vacant_since = "vacant", date(2023, 6, 1)
    session.flush()
    unit.vacant_since = date(2024, 2, 1)
    assert periods(session, unit.id) == [
        ("occupied", date(2020, 1, 1), date(2024, 2, 1)),
        ("vacant", date(2024, 2, 1), None),
    ]


def test_a_vacant_since_in_the_future_or_of_a_used_unit_changes_nothing(session, building):
    unit = f.unit(session, building, vacant_since=date(2024, 3, 1))
    unit.vacant_since = local_today() + timedelta(days=10)
    assert periods(session, unit.id) == [("vacant", date(2024, 3, 1), None)]
    used = f.unit(session, building, vacancy_state="occupied", vacant_since=None)
    before = periods(session, used.id)
    used.vacant_since = date(2022, 1, 1)
    assert periods(session, used.id) == before


def test_periods_of_a_unit_never_overlap_and_one_is_open(session, building):
    unit = f.unit(session, building, vacant_since=date(2024, 3, 1))
    session.flush()
    insert = text(
        "INSERT INTO vacancy_period (unit_id, municipality_id, state, started_on, ended_on)"
        " VALUES (:u, :m, 'occupied', :b, :e)"
    )
    for begin, end in ((date(2024, 1, 1), date(2024, 3, 2)), (date(2025, 1, 1), None)):
        with pytest.raises(DBAPIError), session.begin_nested():
            session.execute(insert, {"u": unit.id, "m": unit.municipality_id, "b": begin, "e": end})
    with session.begin_nested():  # touching, not overlapping: allowed
        session.execute(
            insert,
            {"u": unit.id, "m": unit.municipality_id, "b": date(2024, 1, 1), "e": date(2024, 3, 1)},
        )
    with pytest.raises(DBAPIError), session.begin_nested():
        session.execute(
            insert,
            {"u": unit.id, "m": unit.municipality_id, "b": date(2023, 1, 2), "e": date(2023, 1, 2)},
        )


def test_deleting_a_unit_deletes_its_history(session, building):
    unit = f.unit(session, building, vacant_since=date(2024, 3, 1))
    session.flush()
    unit_id = unit.id
    session.delete(session.get(Unit, unit_id))
    assert periods(session, unit_id) == []


# --- the migration's derivation of the history before 0012 ------------------------------------


def _migration():
    spec = importlib.util.spec_from_file_location("m0012", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _unit(state, created, since=None):
    return SimpleNamespace(vacancy_state=state, vacant_since=since, created_on=created)


def _change(day, old, new):
    return SimpleNamespace(day=day, old=old, new=new)


TODAY = date(2026, 12, 1)


def test_derived_history_follows_audited_changes():
    unit = _unit("occupied", date(2022, 1, 10))
    changes = [
        _change(date(2022, 1, 10), None, "vacant"),
        _change(date(2023, 4, 1), "vacant", "interim_use"),
        _change(date(2024, 4, 1), "interim_use", "occupied"),
    ]
    assert _migration()._periods(unit, changes, TODAY) == [
        ("vacant", date(2022, 1, 10), date(2023, 4, 1)),
        ("interim_use", date(2023, 4, 1), date(2024, 4, 1)),
        ("occupied", date(2024, 4, 1), None),
    ]


def test_derived_history_without_changes_and_with_vacant_since():
    m = _migration()
    assert m._periods(_unit("vacant", date(2025, 2, 1)), [], TODAY) == [
        ("vacant", date(2025, 2, 1), None)
    ]
    assert m._periods(_unit("vacant", date(2025, 2, 1), date(2019, 7, 1)), [], TODAY) == [
        ("vacant", date(2019, 7, 1), None)
    ]
    changes = [_change(date(2025, 6, 1), "occupied", "vacant")]
    unit = _unit("vacant", date(2025, 2, 1), date(2025, 5, 1))
    assert m._periods(unit, changes, TODAY) == [
        ("occupied", date(2025, 2, 1), date(2025, 5, 1)),
        ("vacant", date(2025, 5, 1), None),
    ]


def test_derived_history_merges_same_day_and_repeated_states():
    unit = _unit("vacant", date(2024, 1, 1))
    changes = [
        _change(date(2024, 5, 1), "vacant", "occupied"),
        _change(date(2024, 5, 1), "occupied", "vacant"),  # undone the same day
        _change(date(2025, 1, 1), "vacant", "vacant"),
    ]
    assert _migration()._periods(unit, changes, TODAY) == [("vacant", date(2024, 1, 1), None)]


# --- the vacancies (runs of vacant periods, migration 0013) ------------------------------------


def runs(session, unit_id: int) -> list[tuple]:
    session.flush()
    found = session.execute(
        text("SELECT started_on, ended_on FROM vacancy_run WHERE unit_id = :u ORDER BY started_on"),
        {"u": unit_id},
    )
    return [tuple(row) for row in found]


def test_a_vacancy_is_one_run_across_vacant_and_partly_vacant(session, building):
    today = local_today()
    unit = f.unit(session, building, vacant_since=date(2024, 3, 1))
    assert runs(session, unit.id) == [(date(2024, 3, 1), None)]
    unit.vacancy_state = "partly_vacant"
    assert runs(session, unit.id) == [(date(2024, 3, 1), None)]
    unit.vacancy_state = "occupied"
    assert runs(session, unit.id) == [(date(2024, 3, 1), today)]


def test_periods_written_by_hand_make_their_runs(session, building):
    unit = f.unit(session, building, vacancy_state="occupied", vacant_since=None)
    session.flush()
    session.execute(text("DELETE FROM vacancy_period WHERE unit_id = :u"), {"u": unit.id})
    session.execute(
        text(
            "INSERT INTO vacancy_period (unit_id, municipality_id, state, started_on, ended_on)"
            " VALUES (:u, :m, 'vacant', '2020-01-01', '2021-01-01'),"
            " (:u, :m, 'partly_vacant', '2021-01-01', '2021-06-01'),"
            " (:u, :m, 'interim_use', '2021-06-01', '2022-01-01'),"
            " (:u, :m, 'vacant', '2022-01-01', NULL)"
        ),
        {"u": unit.id, "m": unit.municipality_id},
    )
    assert runs(session, unit.id) == [
        (date(2020, 1, 1), date(2021, 6, 1)),
        (date(2022, 1, 1), None),
    ]
    session.execute(
        text("UPDATE vacancy_period SET state = 'vacant' WHERE unit_id = :u AND state <> 'vacant'"),
        {"u": unit.id},
    )
    assert runs(session, unit.id) == [(date(2020, 1, 1), None)]
    session.execute(text("DELETE FROM vacancy_period WHERE unit_id = :u"), {"u": unit.id})
    assert runs(session, unit.id) == []


def test_a_vacancy_carries_its_units_kind_and_area(session, building):
    """The statistics read kind and area from the vacancy (migration 0015); they follow edits."""
    unit = f.unit(session, building, kind="shop", area_m2=80, vacant_since=date(2024, 3, 1))
    carried = "SELECT kind, area_m2 FROM vacancy_run WHERE unit_id = :u"
    session.flush()
    assert tuple(session.execute(text(carried), {"u": unit.id}).one()) == ("shop", 80)
    unit.kind, unit.area_m2 = "office", 92.5
    session.flush()
    assert tuple(session.execute(text(carried), {"u": unit.id}).one()) == (
        "office",
        Decimal("92.5"),
    )
    unit.name = "anderer Name"  # other columns leave the vacancy alone
    session.flush()
    assert tuple(session.execute(text(carried), {"u": unit.id}).one()) == (
        "office",
        Decimal("92.5"),
    )
