"""Vacancy statistics over hand-made histories (``tests.statistics_world``): vacant on a day,
durations and bands at their edges, runs of vacant periods, scopes, quarters, and a state
change today. Expected figures are written out by hand (day D = 15.06.2025)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from leerstand.dates import local_today
from leerstand.services.statistics import Period, Scope, vacancy_on, vacancy_quarters
from leerstand.services.statistics.overview import vacancy_overview
from tests.statistics_world import StatisticsWorld

D = date(2025, 6, 15)
ZERO_BANDS = {"under_1": 0, "1_3": 0, "3_5": 0, "over_5": 0}


@pytest.fixture
def world(session, base):
    return StatisticsWorld(session, base.municipality)


@pytest.fixture
def town(base):
    return Scope(base.municipality.id)


def vacant_from(start: date) -> list:
    return [("vacant", start, None)]


def test_an_empty_town_has_nothing_vacant(session, town):
    assert vacancy_on(session, town, D) == {
        "units": 0,
        "area_m2": 0.0,
        "by_kind": [],
        "median_days": None,
        "bands": ZERO_BANDS,
    }


def test_bands_on_both_sides_of_one_three_and_five_years(session, world, town):
    for start in (
        date(2024, 6, 16),  # 364 days: under a year
        date(2024, 6, 15),  # 365 days: exactly a year → 1–3
        date(2022, 6, 16),  # 1095 days → 1–3
        date(2022, 6, 15),  # 1096 days: exactly three years → 3–5
        date(2020, 6, 16),  # 1825 days → 3–5
        date(2020, 6, 15),  # 1826 days: exactly five years → over 5
    ):
        world.unit(vacant_from(start))
    figures = vacancy_on(session, town, D)
    assert figures["units"] == 6
    assert figures["bands"] == {"under_1": 1, "1_3": 2, "3_5": 2, "over_5": 1}
    assert figures["median_days"] == 1095.5  # (1095 + 1096) / 2


def test_consecutive_vacant_periods_are_one_vacancy_and_a_gap_or_use_splits_them(
    session, world, town
):
    # vacant → partly vacant without a gap: one vacancy since 01.01.2019 (2357 days)
    world.unit(
        [
            ("vacant", date(2019, 1, 1), date(2021, 1, 1)),
            ("partly_vacant", date(2021, 1, 1), None),
        ]
    )
    # vacant, then in use, then vacant again since 01.03.2023 (837 days)
    world.unit(
        [
            ("vacant", date(2019, 1, 1), date(2020, 1, 1)),
            ("occupied", date(2020, 1, 1), date(2023, 3, 1)),
            ("vacant", date(2023, 3, 1), None),
        ]
    )
    # a month without any period breaks the run: vacant since 01.02.2021 (1595 days)
    world.unit(
        [
            ("vacant", date(2020, 1, 1), date(2021, 1, 1)),
            ("vacant", date(2021, 2, 1), None),
        ]
    )
    figures = vacancy_on(session, town, D)
    assert figures["units"] == 3
    assert figures["median_days"] == 1595.0
    assert figures["bands"] == {"under_1": 0, "1_3": 1, "3_5": 1, "over_5": 1}


def test_a_period_that_ends_on_a_day_is_not_vacant_that_day_one_that_starts_is(
    session, world, town
):
    world.unit([("vacant", date(2024, 1, 1), D), ("occupied", D, None)], kind="office", area_m2=40)
    world.unit([("occupied", date(2020, 1, 1), D), ("vacant", D, None)], area_m2=100)
    on_day = vacancy_on(session, town, D)
    day_before = vacancy_on(session, town, D - timedelta(days=1))
    assert (on_day["units"], on_day["area_m2"], on_day["median_days"]) == (1, 100.0, 0.0)
    assert on_day["by_kind"] == [{"kind": "shop", "units": 1, "area_m2": 100.0}]
    assert on_day["bands"] == {"under_1": 1, "1_3": 0, "3_5": 0, "over_5": 0}
    assert day_before["by_kind"] == [{"kind": "office", "units": 1, "area_m2": 40.0}]
    assert day_before["median_days"] == 530.0  # 01.01.2024 → 14.06.2025


def test_counts_at_a_past_date_area_and_kinds(session, world, town):
    world.unit(vacant_from(date(2023, 1, 1)), kind="shop", area_m2=80.5)
    world.unit(vacant_from(date(2024, 1, 1)), kind="shop", area_m2=None)
    world.unit(vacant_from(date(2024, 1, 1)), kind="office", area_m2=120)
    world.unit([("partly_vacant", date(2022, 1, 1), None)], kind="office", area_m2=30)
    world.unit([("interim_use", date(2022, 1, 1), None)], kind="office", area_m2=999)
    world.unit([("vacancy_expected", date(2022, 1, 1), None)], area_m2=999)
    figures = vacancy_on(session, town, date(2023, 6, 1))
    assert figures["units"] == 2
    assert figures["area_m2"] == 110.5
    assert figures["by_kind"] == [
        {"kind": "office", "units": 1, "area_m2": 30.0},
        {"kind": "shop", "units": 1, "area_m2": 80.5},
    ]
    now = vacancy_on(session, town, D)
    assert (now["units"], now["area_m2"]) == (4, 230.5)
    assert now["by_kind"] == [
        {"kind": "office", "units": 2, "area_m2": 150.0},
        {"kind": "shop", "units": 2, "area_m2": 80.5},
    ]
    assert vacancy_on(session, town, date(2021, 12, 31))["units"] == 0


def test_scopes_ortsteil_focus_area_kind_and_other_towns(session, base, world, town):
    rieder, opperode = base.districts["Rieder"], base.districts["Opperode"]
    focus = world.focus_area(11.160, 51.730, 11.170, 51.740)  # around Rieder's centre
    world.unit(vacant_from(date(2024, 1, 1)), district=rieder, at=(11.1667, 51.7333))
    world.unit(vacant_from(date(2024, 1, 1)), district=rieder, at=(11.1800, 51.7333))
    world.unit(vacant_from(date(2024, 1, 1)), district=rieder, kind="office", at=(11.165, 51.735))
    world.unit(vacant_from(date(2020, 1, 1)), district=opperode, at=(11.25, 51.7167))
    other = StatisticsWorld(session, base.other_municipality)
    other.unit(vacant_from(date(2024, 1, 1)), at=(10.05, 50.05))

    def units(**kw):
        return vacancy_on(session, Scope(base.municipality.id, **kw), D)["units"]

    assert vacancy_on(session, town, D)["units"] == 4
    assert units(district_id=rieder.id) == 3
    assert units(district_id=opperode.id) == 1
    assert units(focus_area_id=focus.id) == 2
    assert units(focus_area_id=focus.id, kind="office") == 1
    assert units(district_id=opperode.id, focus_area_id=focus.id) == 0
    assert units(kind="shop") == 3
    assert units(focus_area_id=focus.id + 1000) == 0  # unknown focus area: nothing
    assert vacancy_on(session, Scope(base.other_municipality.id), D)["units"] == 1


def quarters_world(world):
    world.unit(  # A: before the period, ends 10.02.2024
        [("vacant", date(2023, 5, 1), date(2024, 2, 10)), ("occupied", date(2024, 2, 10), None)]
    )
    world.unit(  # B: 01.04.–30.06.2024 (not vacant from 01.07.)
        [("vacant", date(2024, 4, 1), date(2024, 7, 1)), ("occupied", date(2024, 7, 1), None)]
    )
    world.unit(vacant_from(date(2024, 6, 30)))  # C
    world.unit(vacant_from(date(2024, 12, 31)))  # D
    world.unit(vacant_from(date(2022, 1, 1)))  # E: all the time
    world.unit(  # F: vacant, then partly vacant: one vacancy 01.08.–30.09.2024
        [
            ("vacant", date(2024, 8, 1), date(2024, 9, 1)),
            ("partly_vacant", date(2024, 9, 1), date(2024, 10, 1)),
            ("occupied", date(2024, 10, 1), None),
        ]
    )
    world.unit(vacant_from(date(2025, 1, 1)))  # G: after the period


def test_new_and_ended_vacancies_per_quarter(session, world, town):
    quarters_world(world)
    year = Period(date(2024, 1, 1), date(2024, 12, 31))
    found = vacancy_quarters(session, town, year)
    assert {type(value) for row in found for value in row.values()} == {date, int}  # plain ints
    assert found == [
        {"quarter": date(2024, 1, 1), "new": 0, "ended": 1, "vacant_at_end": 1},
        {"quarter": date(2024, 4, 1), "new": 2, "ended": 0, "vacant_at_end": 3},
        {"quarter": date(2024, 7, 1), "new": 1, "ended": 1, "vacant_at_end": 3},
        {"quarter": date(2024, 10, 1), "new": 1, "ended": 1, "vacant_at_end": 3},
    ]


def test_quarters_are_cut_to_a_period_that_starts_and_ends_inside_them(session, world, town):
    quarters_world(world)
    part = Period(date(2024, 2, 15), date(2024, 5, 10))
    assert vacancy_quarters(session, town, part) == [
        {"quarter": date(2024, 1, 1), "new": 0, "ended": 0, "vacant_at_end": 1},
        {"quarter": date(2024, 4, 1), "new": 1, "ended": 0, "vacant_at_end": 2},
    ]
    edge = Period(date(2024, 2, 10), date(2024, 3, 31))  # A ends on the first day
    assert vacancy_quarters(session, town, edge) == [
        {"quarter": date(2024, 1, 1), "new": 0, "ended": 1, "vacant_at_end": 1},
    ]
    assert vacancy_quarters(session, town, Period(date(2024, 5, 1), date(2024, 4, 1))) == []


def test_a_state_change_today_counts_today_and_not_yesterday(session, world, town):
    today = local_today()
    yesterday = today - timedelta(days=1)
    leaving = world.unit(vacant_from(date(2020, 1, 1)))
    arriving = world.unit([("occupied", date(2020, 1, 1), None)], kind="office")
    leaving.vacancy_state = "occupied"  # through the ORM: the trigger writes the periods
    arriving.vacancy_state = "vacant"
    session.flush()
    now = vacancy_on(session, town, today)
    before = vacancy_on(session, town, yesterday)
    assert now["by_kind"] == [{"kind": "office", "units": 1, "area_m2": 100.0}]
    assert now["median_days"] == 0.0
    assert before["by_kind"] == [{"kind": "shop", "units": 1, "area_m2": 100.0}]
    assert before["median_days"] == float((yesterday - date(2020, 1, 1)).days)


def test_the_dashboards_single_statement_gives_the_same_figures(session, base, world, town):
    quarters_world(world)
    rieder = base.districts["Rieder"]
    world.unit(vacant_from(date(2020, 6, 15)), district=rieder, kind="office", area_m2=None)
    world.unit(
        [("vacant", date(2023, 1, 1), date(2024, 3, 1)), ("partly_vacant", date(2024, 3, 1), None)],
        district=rieder,
    )
    year = Period(date(2024, 1, 1), date(2024, 12, 31))
    for scope in (
        town,
        Scope(town.municipality_id, district_id=rieder.id),
        Scope(town.municipality_id, kind="office"),
    ):
        for day, year_ago in ((D, date(2024, 6, 15)), (date(2022, 1, 1), date(2021, 1, 1))):
            assert vacancy_overview(session, scope, year, day, year_ago) == {
                "now": vacancy_on(session, scope, day),
                "year_ago": vacancy_on(session, scope, year_ago),
                "quarters": vacancy_quarters(session, scope, year),
            }
    overview = vacancy_overview(session, town, year, D, date(2024, 6, 15))
    assert overview["year_ago"]["units"] == 4  # B, E, the two in Rieder
    assert overview["now"]["bands"] == {"under_1": 3, "1_3": 1, "3_5": 1, "over_5": 1}  # C D G
