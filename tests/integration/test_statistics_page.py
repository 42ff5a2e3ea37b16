"""The Statistik page (/verwaltung/statistik) on a hand-made world with known answers: the
tables hold the figures written out in ``statistics_page_world`` (Stichtag 30.06.2025, a year
before, the quarters, funnel, requests, ideas and interim uses of 2024), the scope filters
narrow them, every table's CSV holds the same numbers (German Excel: ``;``, BOM), bad filters
give a German message and 422 (CSV: 400), never a 500; every staff role incl. the analyst reads
it, without personal data; the council report carries the letterhead."""

from __future__ import annotations

import re
from datetime import date

import pytest

from leerstand.dates import local_today
from leerstand.models import User
from leerstand.services.statistics import Period
from leerstand.views.staff.statistics.filters import default_period
from tests.conftest import PASSWORD, login
from tests.integration.statistics_page_world import (
    BANDS,
    BY_KIND,
    FUNNEL,
    IDEAS,
    INTERIM,
    KEY_FIGURES,
    LETTERHEAD,
    OUTCOMES,
    QUARTERS,
    REQUESTS,
    YEAR_2024,
    build_world,
    tables,
)
from tests.statistics_world import (
    INITIATIVE_EMAIL,
    INITIATIVE_PERSON,
    INITIATIVE_PHONE,
    NOTES,
    OWNER_NAME,
)


def _get(client, **args):
    return client.get("/verwaltung/statistik", query_string=args)


@pytest.fixture
def world(session, base):
    built = build_world(session, base)
    base.municipality.letterhead = LETTERHEAD
    session.flush()
    return built


def test_the_page_shows_the_hand_made_figures(staff_client, world):
    response = _get(staff_client, **YEAR_2024)
    assert response.status_code == 200
    found = tables(response.get_data(as_text=True))
    today = local_today().strftime("%d.%m.%Y")
    assert found["kennzahlen"]["body"][0][:4] == ["heute", today, "3", "120,0"]  # u2, u4, u5
    assert found["kennzahlen"]["body"][1:] == KEY_FIGURES
    assert found["arten"]["body"] == BY_KIND
    assert found["arten"]["foot"] == [["Summe", "3", "120,0"]]
    assert found["dauer"]["body"] == BANDS
    assert found["quartale"]["body"] == QUARTERS
    assert found["quartale"]["foot"] == [["Summe", "–", "2", "1", "–"]]
    assert found["ansprache"]["body"] == FUNNEL
    assert found["anfragen"]["body"] == REQUESTS
    assert found["anfragen"]["foot"] == [["Summe", "3", "2", "1", "50,0 %"]]
    assert found["ideen"]["body"] == IDEAS
    interim = {row[0]: row[1:] for row in found["zwischennutzungen"]["body"]}
    assert interim == INTERIM
    assert found["zwischennutzungen"]["foot"] == [["Summe", "2", "1", "2"]]
    assert found["ergebnisse"]["body"] == OUTCOMES


def test_the_stichtag_today_has_no_extra_row(staff_client, world):
    found = tables(
        _get(staff_client, date_from="01.01.2024", date_to="31.12.2024").get_data(as_text=True)
    )
    (row,) = found["kennzahlen"]["body"][:1]
    assert row[0] == "Stichtag" and row[2:4] == ["3", "120,0"]  # u2, u4, u5 still vacant
    assert len(found["kennzahlen"]["body"]) == 2


@pytest.mark.parametrize(
    ("scope", "units", "area", "kinds"),
    [
        ("district_b", "2", "70,0", [["Ladenlokal", "1", "40,0"], ["Büro / Praxis", "1", "30,0"]]),
        ("district_a", "1", "50,0", [["Büro / Praxis", "1", "50,0"]]),
        ("focus", "1", "50,0", [["Büro / Praxis", "1", "50,0"]]),
        ("shop", "1", "40,0", [["Ladenlokal", "1", "40,0"]]),
    ],
)
def test_the_scope_filters_narrow_the_figures(staff_client, world, scope, units, area, kinds):
    args = {
        "district_b": {"district_id": world.district_b},
        "district_a": {"district_id": world.district_a},
        "focus": {"focus_area_id": world.focus},
        "shop": {"kind": "shop"},
    }[scope]
    response = _get(staff_client, **YEAR_2024, **args)
    assert response.status_code == 200
    found = tables(response.get_data(as_text=True))
    assert found["kennzahlen"]["body"][1][2:4] == [units, area]
    assert found["arten"]["body"] == kinds


def _csv(client, table: str, **args) -> list[list[str]]:
    response = client.get(
        "/verwaltung/statistik/export.csv", query_string={"tabelle": table, **args}
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    return [line.split(";") for line in body.decode("utf-8-sig").split("\r\n") if line]


def test_every_table_downloads_as_csv_with_the_same_numbers(staff_client, world):
    assert _csv(staff_client, "kennzahlen", **YEAR_2024)[2:] == [
        ["Stichtag", "30.06.2025", "3", "120,0", "425,0"],
        ["ein Jahr vor dem Stichtag", "30.06.2024", "4", "260,0", "440,5"],
    ]
    assert _csv(staff_client, "arten", **YEAR_2024) == [
        ["Art der Einheit", "leerstehende Einheiten", "Leerstandsfläche m²"],
        *BY_KIND,
        ["Summe", "3", "120,0"],
    ]
    assert _csv(staff_client, "dauer", **YEAR_2024)[1:] == BANDS
    assert _csv(staff_client, "quartale", **YEAR_2024)[1:] == [
        *QUARTERS,
        ["Summe", "", "2", "1", ""],
    ]
    assert _csv(staff_client, "ansprache", **YEAR_2024)[1:] == [
        ["nicht kontaktiert", "3", "", ""],
        ["kontaktiert", "2", "66,7", "9,5"],
        ["im Gespräch", "1", "50,0", "20,0"],
        ["offen für Zwischennutzung", "1", "100,0", "31,0"],
        ["Vereinbarung", "1", "100,0", "30,0"],
    ]
    assert _csv(staff_client, "anfragen", **YEAR_2024)[1:] == [
        ["E-Mail mit persönlichem Link", "1", "1", "1", "100,0"],
        ["Brief mit Antwortcode", "2", "1", "0", "0,0"],
        ["Summe", "3", "2", "1", "50,0"],
    ]
    assert _csv(staff_client, "ideen", **YEAR_2024)[1:] == IDEAS
    rows = _csv(staff_client, "zwischennutzungen", **YEAR_2024)[1:]
    assert {row[0]: row[1:] for row in rows} == {**INTERIM, "Summe": ["2", "1", "2"]}
    assert _csv(staff_client, "ergebnisse", **YEAR_2024)[1:] == OUTCOMES


def test_the_csv_of_a_scope_and_without_a_table(staff_client, world):
    rows = _csv(staff_client, "arten", **YEAR_2024, kind="shop")
    assert rows[1:] == [["Ladenlokal", "1", "40,0"], ["Summe", "1", "40,0"]]
    assert _csv(staff_client, "")[0][0] == "Zeitpunkt"  # no table named: the key figures
    assert staff_client.get("/verwaltung/statistik/export.csv?tabelle=geheim").status_code == 404


BAD_INPUT = [
    ({"day": "31.02.2026"}, "„Stichtag“: „31.02.2026“ ist kein Datum. Bitte TT.MM.JJJJ eingeben."),
    ({"day": "01.01.99999"}, "„Stichtag“: „01.01.99999“ ist kein Datum."),
    ({"date_from": "0001-01-01"},
     "„Zeitraum von“: Bitte ein Datum zwischen dem 01.01.1900 und dem 31.12.2100 eingeben."),
    ({"district_id": "999999"}, "„Ortsteil“: Bitte einen Eintrag aus der Liste wählen."),
    ({"district_id": "abc"}, "„Ortsteil“: „abc“ ist keine ganze Zahl."),
    ({"focus_area_id": "999999"}, "„Fokusgebiet“: Bitte einen Eintrag aus der Liste wählen."),
    ({"kind": "schloss"}, "„Art der Einheit“: Bitte einen Eintrag aus der Liste wählen."),
    ({"date_from": "01.07.2024", "date_to": "30.06.2024"},
     "„Zeitraum bis“ darf nicht vor „Zeitraum von“ liegen."),
    ({"date_from": "01.01.2030"}, "„Zeitraum bis“ darf nicht vor „Zeitraum von“ liegen."),
]  # fmt: skip


@pytest.mark.parametrize(("args", "message"), BAD_INPUT)
def test_bad_filters_give_a_german_message_and_no_numbers(staff_client, world, args, message):
    response = _get(staff_client, **args)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    errors = re.search(r'<div class="errors" role="alert" id="stat-errors">(.*?)</div>', html, re.S)
    assert errors and message in errors.group(1).replace("&#34;", '"')
    assert html.index("stat-errors") < html.index('class="filters stat-filters"')
    assert "stat-table" not in html  # no numbers for a selection that is not the one asked for
    csv = staff_client.get("/verwaltung/statistik/export.csv", query_string=args)
    assert csv.status_code == 400 and message in csv.get_data(as_text=True)
    assert _get_report(staff_client, **args).status_code == 422


def test_another_towns_district_is_unknown(staff_client, world, session, base):
    from leerstand.models import District

    other = District(municipality_id=base.other_municipality.id, name="Fremdort")
    session.add(other)
    session.flush()
    assert _get(staff_client, district_id=other.id).status_code == 422


def _get_report(client, **args):
    return client.get("/verwaltung/statistik/bericht", query_string=args)


def test_the_council_report_has_the_letterhead_and_the_tables(staff_client, world):
    response = _get_report(staff_client, **YEAR_2024)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Stadt Ballenstedt\nDer Bürgermeister" in html
    assert 'class="stat-letterhead"' in html and "statistics.css" in html
    found = tables(html)
    assert found["kennzahlen"]["body"][1:] == KEY_FIGURES
    assert found["quartale"]["body"] == QUARTERS
    assert "export.csv" not in html and '<form method="get"' not in html.split("<main")[1]


@pytest.mark.parametrize("role", ["admin", "staff", "viewer", "dpo", "analyst"])
def test_every_staff_role_reads_it_without_personal_data(client, session, base, world, role):
    user = User(email=f"{role}-stat@test.example", name="Stat", role=role,
                municipality_id=base.municipality.id)  # fmt: skip
    user.set_password(PASSWORD)
    session.add(user)
    session.flush()
    login(client, user.email)
    home = client.get("/verwaltung/").get_data(as_text=True)
    assert 'href="/verwaltung/statistik"' in home  # in the navigation
    pages = [_get(client, **YEAR_2024), _get_report(client, **YEAR_2024)]
    pages += [
        client.get("/verwaltung/statistik/export.csv", query_string={"tabelle": t, **YEAR_2024})
        for t in ("kennzahlen", "arten", "ansprache", "anfragen", "ideen", "zwischennutzungen")
    ]
    for response in pages:
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        for secret in (OWNER_NAME, INITIATIVE_PERSON, INITIATIVE_EMAIL, INITIATIVE_PHONE, NOTES):
            assert secret not in text


def test_the_page_sends_its_csp_and_loads_chart_js_from_node_modules(staff_client, world):
    response = _get(staff_client, **YEAR_2024)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    assert "/static/map/node_modules/chart.js/dist/chart.umd.min.js" in html
    assert "<script>" not in html and " style=" not in html
    assert (
        staff_client.get("/static/map/node_modules/chart.js/dist/chart.umd.min.js").status_code
        == 200
    )


def test_a_town_without_data_shows_zeros_not_errors(staff_client):
    response = _get(staff_client)
    assert response.status_code == 200
    found = tables(response.get_data(as_text=True))
    assert found["kennzahlen"]["body"][0][2:] == ["0", "0,0", "–"]
    assert len(found["quartale"]["body"]) == 20  # the last five years in quarters


@pytest.mark.parametrize(
    ("day", "status"),
    [("31.12.1899", 422), ("01.01.1900", 200), ("31.12.2100", 200), ("01.01.2101", 422)],
)
def test_the_stichtag_range_on_both_sides(staff_client, day, status):
    assert _get(staff_client, day=day).status_code == status


def test_a_period_of_more_than_fifty_years_is_refused(staff_client):
    response = _get(staff_client, date_from="01.01.1950", date_to="31.12.2001")
    assert response.status_code == 422
    assert "Der Zeitraum darf höchstens 50 Jahre umfassen." in response.get_data(as_text=True)
    assert _get(staff_client, date_from="01.01.1950", date_to="31.12.2000").status_code == 200


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (date(2026, 12, 1), date(2022, 1, 1)),  # Q1 2022 … Q4 2026: 20 quarters
        (date(2026, 3, 31), date(2021, 4, 1)),  # Q2 2021 … Q1 2026
        (date(2026, 4, 1), date(2021, 7, 1)),  # Q3 2021 … Q2 2026
    ],
)
def test_the_default_period_is_the_last_twenty_quarters(today, start):
    assert default_period(today) == Period(start, today)


def test_the_form_keeps_what_was_typed_and_the_chosen_filters(staff_client, world):
    html = _get(staff_client, **YEAR_2024, district_id=world.district_b, kind="shop").get_data(
        as_text=True
    )
    assert 'name="day" value="30.06.2025"' in html
    assert f'<option value="{world.district_b}" selected>' in html
    assert '<option value="shop" selected>' in html
    assert (
        f"district_id={world.district_b}"
        in html.split('href="/verwaltung/statistik/bericht')[1][:200]
    )


def test_in_english_the_page_works_and_the_csv_stays_german(staff_client, world):
    response = _get(staff_client, **YEAR_2024, lang="en")
    assert response.status_code == 200
    found = tables(response.get_data(as_text=True))
    assert found["arten"]["foot"][0][1:] == ["3", "120.0"]  # the reader's number format
    assert _csv(staff_client, "arten", **YEAR_2024)[-1] == ["Summe", "3", "120,0"]
    staff_client.get("/verwaltung/statistik?lang=de")
