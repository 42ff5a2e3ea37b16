"""The public progress report (aggregates and public fields only, never personal data) and the
dashboard's one call, over hand-made worlds with expected figures written out."""

from __future__ import annotations

import json
from datetime import date

from leerstand.services.statistics import (
    Period,
    Scope,
    dashboard,
    public_report,
    vacancy_on,
    vacancy_quarters,
)
from tests import statistics_world as sw

D = date(2025, 6, 15)


def report_world(session, base):
    world = sw.StatisticsWorld(session, base.municipality)
    rieder = base.districts["Rieder"]
    world.unit([("vacant", date(2020, 1, 1), None)])
    world.unit([("vacant", date(2024, 6, 16), None)], district=rieder)  # not yet a year ago
    world.unit([("vacant", date(2024, 6, 15), None)], district=rieder)  # a year ago: vacant
    shop = world.unit([("vacant", date(2020, 1, 1), date(2025, 6, 15)), ("interim_use", D, None)])
    gone = world.unit(
        [("vacant", date(2021, 1, 1), date(2024, 1, 1)), ("occupied", date(2024, 1, 1), None)],
        district=rieder,
    )
    world.case(shop, opened=date(2024, 1, 1), events=[(date(2024, 2, 1), "agreement")])
    atelier = world.idea(
        date(2023, 5, 1), "atelier", title="Offenes Atelier", description="Malen für alle"
    )
    world.idea(date(2025, 6, 15), districts=(rieder,))  # published on D
    world.idea(date(2025, 6, 16))  # after D
    world.idea(None, state="draft")
    repair = world.idea(date(2023, 1, 1), "workshop", title="Repair-Café", state="realised")
    withdrawn = world.idea(date(2023, 1, 1), title="Zurückgezogen", state="withdrawn")
    req = world.request(world.match(atelier, shop, date(2025, 5, 1)), date(2025, 5, 2), "letter")
    world.interim_use(shop, D, date(2025, 12, 31), atelier)
    world.interim_use(
        gone, date(2023, 1, 1), date(2023, 12, 31), repair, date(2023, 12, 31), "let_permanently"
    )
    world.interim_use(gone, date(2022, 1, 1), date(2022, 6, 30), withdrawn)  # not on show
    world.interim_use(gone, date(2021, 1, 1), date(2021, 6, 30))  # without an idea
    world.interim_use(shop, date(2026, 1, 1), date(2026, 3, 31), atelier)  # after D
    return req


def test_the_public_report_of_the_town_and_of_an_ortsteil(session, base):
    report_world(session, base)
    assert public_report(session, base.municipality.id, None, D) == {
        "vacant_now": 3,
        "vacant_year_ago": 3,  # 15.06.2024: not the one ended 01.01.2024
        "interim_realised": 4,
        "ideas_published": 4,
        "stories": [
            {
                "title": "Offenes Atelier",
                "use_kind": "atelier",
                "district": None,
                "starts_on": D,
                "ends_on": date(2025, 12, 31),
                "description": "Malen für alle",
            },
            {
                "title": "Repair-Café",
                "use_kind": "workshop",
                "district": "Rieder",
                "starts_on": date(2023, 1, 1),
                "ends_on": date(2023, 12, 31),
                "description": "Kunst im leeren Laden",
            },
        ],
    }
    rieder = public_report(session, base.municipality.id, base.districts["Rieder"].id, D)
    assert {k: v for k, v in rieder.items() if k != "stories"} == {
        "vacant_now": 2,
        "vacant_year_ago": 1,
        "interim_realised": 3,
        "ideas_published": 3,  # names Rieder; realised there (one withdrawn since)
    }
    assert [story["title"] for story in rieder["stories"]] == ["Repair-Café"]


def test_the_public_report_contains_no_personal_data(session, base):
    req = report_world(session, base)
    text = json.dumps(
        [
            public_report(session, base.municipality.id, None, D),
            public_report(session, base.municipality.id, base.districts["Rieder"].id, D),
        ],
        default=str,
    )
    for secret in (
        sw.OWNER_NAME,
        "Geheimweg",
        "gisela",
        "3946",  # both phone numbers
        sw.INITIATIVE_PERSON,
        sw.INITIATIVE_EMAIL,
        "Initiative ",
        "Vertraulich",  # internal notes, terms, contact log
        "Allee",  # addresses
        req.token_hash,
    ):
        assert secret.lower() not in text.lower(), secret


def test_the_dashboard_is_every_figure_in_one_call(session, base):
    report_world(session, base)
    town = Scope(base.municipality.id)
    period = Period(date(2024, 1, 1), date(2025, 6, 30))
    figures = dashboard(session, town, period, D)
    assert "Decimal" not in repr(figures)  # plain ints and floats
    assert list(figures) == [
        "now", "year_ago", "quarters", "funnel", "requests", "ideas", "interim", "reports",
    ]  # fmt: skip
    assert figures["now"] == vacancy_on(session, town, D)  # one statement, the same figures
    assert figures["year_ago"] == vacancy_on(session, town, date(2024, 6, 15))
    assert figures["quarters"] == vacancy_quarters(session, town, period)
    assert (figures["now"]["units"], figures["year_ago"]["units"]) == (3, 3)
    assert figures["year_ago"]["median_days"] == 1627.0  # since 01.01.2020 twice, 15.06.2024
    assert [q["quarter"] for q in figures["quarters"]] == [
        date(2024, 1, 1), date(2024, 4, 1), date(2024, 7, 1), date(2024, 10, 1),
        date(2025, 1, 1), date(2025, 4, 1),
    ]  # fmt: skip
    assert [q["new"] for q in figures["quarters"]] == [0, 2, 0, 0, 0, 0]
    assert [q["ended"] for q in figures["quarters"]] == [1, 0, 0, 0, 0, 1]
    assert [q["vacant_at_end"] for q in figures["quarters"]] == [2, 4, 4, 4, 4, 3]
    assert [step["cases"] for step in figures["funnel"]] == [1, 1, 1, 1, 1]
    assert figures["requests"][1] == {
        "channel": "letter", "sent": 1, "answered": 0, "yes": 0, "yes_rate": None,
    }  # fmt: skip
    assert figures["ideas"]["published"] == 2  # on 15.06. and 16.06.2025
    assert (figures["interim"]["started"], figures["interim"]["running"]) == (1, 1)
