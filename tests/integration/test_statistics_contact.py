"""The contact funnel over hand-made cases and events: who reached which step, the conversion
from the step before, the median days per step, the period and the scope. Expected figures are
written out by hand."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from leerstand.dates import LOCAL_TZ
from leerstand.services.statistics import Period, Scope, contact_funnel
from tests.statistics_world import StatisticsWorld

YEAR = Period(date(2024, 1, 1), date(2024, 12, 31))


@pytest.fixture
def world(session, base):
    return StatisticsWorld(session, base.municipality)


def funnel_world(world, base):
    shop = world.unit([("vacant", date(2022, 1, 1), None)])
    rieder = world.unit([("vacant", date(2022, 1, 1), None)], district=base.districts["Rieder"])
    world.case(shop, opened=date(2024, 1, 10))  # 1: never contacted
    world.case(  # 2: all the way
        shop,
        opened=date(2024, 1, 10),
        events=[
            (date(2024, 1, 20), "contacted"),  # 10 days
            (date(2024, 2, 9), "in_dialogue"),  # 20 days
            (date(2024, 3, 10), "open_to_interim_use"),  # 30 days (leap year)
            (date(2024, 4, 9), "agreement"),  # 30 days
        ],
    )
    world.case(  # 3: contacted after 20 days, then declined
        shop,
        opened=date(2024, 2, 1),
        events=[(date(2024, 2, 21), "contacted"), (date(2024, 3, 1), "declined")],
    )
    # 4: straight into a dialogue after 30 days (contacted and in dialogue the same day)
    world.case(rieder, opened=date(2024, 3, 1), events=[(date(2024, 3, 31), "in_dialogue")])
    world.case(shop, opened=date(2024, 5, 1), state="contacted")  # 5: a state without events
    world.case(shop, opened=date(2023, 12, 31), state="agreement")  # before the period
    world.case(shop, opened=date(2025, 1, 1), state="agreement")  # after it


def test_the_funnel_counts_rates_and_median_days(session, base, world):
    funnel_world(world, base)
    assert contact_funnel(session, Scope(base.municipality.id), YEAR) == [
        {"step": "not_contacted", "cases": 5, "rate": None, "median_days": None},
        {"step": "contacted", "cases": 4, "rate": 0.8, "median_days": 20.0},
        {"step": "in_dialogue", "cases": 2, "rate": 0.5, "median_days": 10.0},
        {"step": "open_to_interim_use", "cases": 1, "rate": 0.5, "median_days": 30.0},
        {"step": "agreement", "cases": 1, "rate": 1.0, "median_days": 30.0},
    ]


def test_the_funnel_of_one_ortsteil_and_of_an_empty_period(session, base, world):
    funnel_world(world, base)
    rieder = Scope(base.municipality.id, district_id=base.districts["Rieder"].id)
    assert contact_funnel(session, rieder, YEAR) == [
        {"step": "not_contacted", "cases": 1, "rate": None, "median_days": None},
        {"step": "contacted", "cases": 1, "rate": 1.0, "median_days": 30.0},
        {"step": "in_dialogue", "cases": 1, "rate": 1.0, "median_days": 0.0},
        {"step": "open_to_interim_use", "cases": 0, "rate": 0.0, "median_days": None},
        {"step": "agreement", "cases": 0, "rate": None, "median_days": None},
    ]
    offices = Scope(base.municipality.id, kind="office")  # no building has an office
    assert [step["cases"] for step in contact_funnel(session, offices, YEAR)] == [0] * 5


def test_the_period_edges_are_local_days(session, base, world):
    shop = world.unit([("vacant", date(2022, 1, 1), None)])
    late = world.case(shop, opened=date(2023, 12, 31))
    early = world.case(shop, opened=date(2024, 1, 1))
    late.created_at = datetime(2023, 12, 31, 23, 30, tzinfo=LOCAL_TZ)  # 22:30 UTC
    early.created_at = datetime(2024, 1, 1, 0, 30, tzinfo=LOCAL_TZ)  # 23:30 UTC the day before
    session.flush()
    town = Scope(base.municipality.id)

    def opened(start: date, end: date) -> int:
        return contact_funnel(session, town, Period(start, end))[0]["cases"]

    assert opened(date(2024, 1, 1), date(2024, 1, 1)) == 1
    assert opened(date(2023, 12, 31), date(2023, 12, 31)) == 1
    assert opened(date(2023, 12, 31), date(2024, 1, 1)) == 2
    assert opened(date(2024, 1, 2), date(2024, 12, 31)) == 0
