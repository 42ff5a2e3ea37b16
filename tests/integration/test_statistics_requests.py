"""Use requests by channel and idea timings over hand-made requests, ideas and matches; expected
figures written out by hand."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from leerstand.dates import LOCAL_TZ
from leerstand.services.statistics import Period, Scope, idea_timing, requests_by_channel
from tests.statistics_world import StatisticsWorld

YEAR = Period(date(2024, 1, 1), date(2024, 12, 31))


@pytest.fixture
def world(session, base):
    return StatisticsWorld(session, base.municipality)


def test_requests_by_channel_with_yes_rates(session, base, world):
    shop = world.unit([("vacant", date(2022, 1, 1), None)])
    rieder = world.unit([("vacant", date(2022, 1, 1), None)], district=base.districts["Rieder"])
    match = world.match(world.idea(date(2023, 12, 1)), shop, on=date(2023, 12, 2))
    far = world.match(world.idea(date(2023, 12, 1)), rieder, on=date(2023, 12, 2))
    world.request(match, date(2024, 1, 5), answer="yes", answered=date(2024, 1, 10))
    world.request(match, date(2024, 3, 1), answer="no", answered=date(2024, 3, 2))
    world.request(match, date(2024, 6, 1))  # open
    world.request(match, date(2024, 7, 1), answer="yes_conditions", answered=date(2024, 7, 9))
    world.request(match, date(2023, 12, 31), answer="yes", answered=date(2024, 1, 2))  # before
    world.request(
        far, date(2024, 12, 31), channel="letter", answer="more_info", answered=date(2025, 1, 10)
    )
    world.request(far, date(2025, 1, 1), channel="letter")  # after
    assert requests_by_channel(session, Scope(base.municipality.id), YEAR) == [
        {"channel": "email", "sent": 4, "answered": 3, "yes": 2, "yes_rate": 2 / 3},
        {"channel": "letter", "sent": 1, "answered": 1, "yes": 0, "yes_rate": 0.0},
    ]
    in_rieder = Scope(base.municipality.id, district_id=base.districts["Rieder"].id)
    assert requests_by_channel(session, in_rieder, YEAR) == [
        {"channel": "email", "sent": 0, "answered": 0, "yes": 0, "yes_rate": None},
        {"channel": "letter", "sent": 1, "answered": 1, "yes": 0, "yes_rate": 0.0},
    ]


def test_requests_count_on_their_local_day(session, base, world):
    shop = world.unit([("vacant", date(2022, 1, 1), None)])
    match = world.match(world.idea(date(2023, 12, 1)), shop, on=date(2023, 12, 2))
    late = world.request(match, date(2023, 12, 31))
    early = world.request(match, date(2024, 1, 1), channel="letter")
    late.sent_at = datetime(2023, 12, 31, 23, 30, tzinfo=LOCAL_TZ)  # 22:30 UTC
    early.sent_at = datetime(2024, 1, 1, 0, 30, tzinfo=LOCAL_TZ)  # 23:30 UTC the day before
    session.flush()
    town = Scope(base.municipality.id)
    sent = [row["sent"] for row in requests_by_channel(session, town, YEAR)]
    assert sent == [0, 1]
    last_day = Period(date(2023, 12, 31), date(2023, 12, 31))
    assert [row["sent"] for row in requests_by_channel(session, town, last_day)] == [1, 0]


def test_idea_timings_median_days_to_match_request_and_yes(session, base, world):
    rieder = base.districts["Rieder"]
    shop = world.unit([("vacant", date(2022, 1, 1), None)])
    other = world.unit([("vacant", date(2022, 1, 1), None)])
    far = world.unit([("vacant", date(2022, 1, 1), None)], district=rieder)
    first = world.idea(date(2024, 1, 1))
    world.match(first, shop, on=date(2024, 1, 21))
    early = world.match(first, other, on=date(2024, 1, 6))  # first match after 5 days
    world.request(early, date(2024, 1, 16), answer="yes", answered=date(2024, 2, 1))  # 15, 31
    second = world.idea(date(2024, 3, 1))
    late = world.match(second, far, on=date(2024, 3, 21))  # 20 days
    world.request(late, date(2024, 4, 10), answer="no", answered=date(2024, 4, 11))  # 40 days
    world.idea(date(2024, 6, 1))  # no match yet
    world.idea(date(2024, 6, 1), districts=(rieder,))  # names Rieder, no match
    world.idea(date(2023, 12, 31))  # before the period
    world.idea(None, state="draft")  # never published
    assert idea_timing(session, Scope(base.municipality.id), YEAR) == {
        "published": 4,
        "to_match_days": 12.5,
        "to_request_days": 27.5,
        "to_yes_days": 31.0,
    }
    assert idea_timing(session, Scope(base.municipality.id, district_id=rieder.id), YEAR) == {
        "published": 2,
        "to_match_days": 20.0,
        "to_request_days": 40.0,
        "to_yes_days": None,
    }
    assert idea_timing(session, Scope(base.municipality.id, kind="office"), YEAR) == {
        "published": 0,
        "to_match_days": None,
        "to_request_days": None,
        "to_yes_days": None,
    }
