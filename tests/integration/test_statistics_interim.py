"""Interim uses of a period: started, running on its last day, ended, by kind of use, outcomes
(hand-made uses, expected figures written out)."""

from __future__ import annotations

from datetime import date

from leerstand.services.statistics import Period, Scope, interim_uses
from tests.statistics_world import StatisticsWorld

HALF = Period(date(2024, 1, 1), date(2024, 6, 30))


def test_started_running_ended_by_use_kind_and_outcomes(session, base):
    world = StatisticsWorld(session, base.municipality)
    rieder = base.districts["Rieder"]

    def unit(**kw):
        return world.unit([("interim_use", date(2023, 1, 1), None)], **kw)

    atelier, popup = world.idea(date(2023, 1, 1), "atelier"), world.idea(date(2023, 1, 1))
    cafe = world.idea(date(2023, 1, 1), "cafe")
    world.interim_use(  # ended on the period's day 91
        unit(), date(2023, 10, 1), date(2024, 3, 31), atelier, date(2024, 3, 31), "let_permanently"
    )
    world.interim_use(unit(), date(2024, 2, 1), date(2024, 12, 31), atelier)  # runs on
    world.interim_use(unit(district=rieder), date(2024, 6, 30), date(2024, 6, 30))  # no idea
    world.interim_use(  # ended on the last day: not running on it
        unit(), date(2024, 1, 1), date(2024, 9, 30), popup, date(2024, 6, 30), "back_to_vacant"
    )
    world.interim_use(  # ended the day after the period: running on its last day
        unit(), date(2023, 6, 1), date(2024, 12, 31), cafe, date(2024, 7, 1), "vacancy_ended"
    )
    world.interim_use(unit(), date(2024, 7, 1), date(2024, 9, 30), popup)  # after
    world.interim_use(  # before
        unit(), date(2023, 1, 1), date(2023, 12, 31), cafe, date(2023, 12, 31), "vacancy_ended"
    )
    world.interim_use(unit(), date(2023, 6, 1), date(2024, 5, 31), cafe)  # planned end passed
    assert interim_uses(session, Scope(base.municipality.id), HALF) == {
        "started": 3,
        "running": 3,
        "ended": 2,
        "by_use_kind": [
            {"use_kind": "atelier", "started": 1, "running": 1, "ended": 1},
            {"use_kind": "cafe", "started": 0, "running": 1, "ended": 0},
            {"use_kind": "popup", "started": 1, "running": 0, "ended": 1},
            {"use_kind": None, "started": 1, "running": 1, "ended": 0},
        ],
        "outcomes": {"vacancy_ended": 0, "back_to_vacant": 1, "let_permanently": 1},
    }
    assert interim_uses(session, Scope(base.municipality.id, district_id=rieder.id), HALF) == {
        "started": 1,
        "running": 1,
        "ended": 0,
        "by_use_kind": [{"use_kind": None, "started": 1, "running": 1, "ended": 0}],
        "outcomes": {"vacancy_ended": 0, "back_to_vacant": 0, "let_permanently": 0},
    }
    assert interim_uses(session, Scope(base.municipality.id, kind="office"), HALF) == {
        "started": 0,
        "running": 0,
        "ended": 0,
        "by_use_kind": [],
        "outcomes": {"vacancy_ended": 0, "back_to_vacant": 0, "let_permanently": 0},
    }
