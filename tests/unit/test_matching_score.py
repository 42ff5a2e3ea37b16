"""The scoring rules without a database: weights, German numbers and texts, each criterion."""

from __future__ import annotations

import pytest

from leerstand.messages import Amount, number_text
from leerstand.services.matching import score as s
from leerstand.services.matching.candidates import USE_KIND_UNIT_KINDS
from leerstand.vocab import MATCH_CRITERIA, UNIT_KINDS, USE_KINDS
from tests.unit.matching_said import area, cost, distance, openness, utilities, vacancy

NEED = s.Need(1, "point", 500, 60.0, 120.0, False, False, False, False, "costs_only", None)
UNIT = s.UnitRow(
    1, 90.0, False, False, False, False, "costs_only", None, 14, "vacant",
    "Badeborn", ["not_contacted"], 100,
)  # fmt: skip


def need(**kw) -> s.Need:
    return NEED._replace(**kw)


def unit(**kw) -> s.UnitRow:
    return UNIT._replace(**kw)


def test_weights_are_named_and_sum_to_100():
    assert list(s.WEIGHTS) == list(MATCH_CRITERIA)
    assert sum(s.WEIGHTS.values()) == 100


def test_use_kinds_map_to_known_unit_kinds():
    assert set(USE_KIND_UNIT_KINDS) == set(USE_KINDS)
    for kinds in USE_KIND_UNIT_KINDS.values():
        assert set(kinds) <= set(UNIT_KINDS)


@pytest.mark.parametrize(
    ("value", "german", "english"),
    [(1234.0, "1.234", "1,234"), (92.0, "92", "92"), (92.5, "92,5", "92.5"),
     (1234.5, "1.234,5", "1,234.5"), (Amount(1234.5), "1.234,50", "1,234.50"),
     (Amount(300.0), "300", "300")],
)  # fmt: skip
def test_numbers_in_reasons_follow_the_language(value, german, english):
    assert number_text(value) == german
    assert number_text(value, "en") == english


def test_distance_point_decreases_to_zero_at_the_radius():
    assert distance(need(), unit(distance_m=0)) == (1.0, "0 m vom Wunschort")
    fraction, text = distance(need(radius_m=2000), unit(distance_m=1500))
    assert fraction == pytest.approx(0.25) and text == "1.500 m vom Wunschort"
    assert distance(need(), unit(distance_m=600))[0] == 0.0


def test_distance_other_location_kinds():
    fraction, text = distance(need(location_kind="districts"), unit(distance_m=1000))
    assert fraction == pytest.approx(0.75)
    assert text == "im gewünschten Ortsteil Badeborn, 1.000 m vom Ortskern"
    assert distance(need(location_kind="districts"), unit(distance_m=None))[0] == 1.0
    assert distance(need(location_kind="area"), unit(distance_m=80)) == (
        1.0,
        "im gewünschten Gebiet, 80 m von dessen Mitte",
    )
    assert distance(need(location_kind="unit"), unit(distance_m=None))[0] == 1.0


def test_area_fit():
    assert area(need(), unit(area_m2=92.0)) == (1.0, "92 m² – passt (gesucht 60–120 m²)")
    edge = area(need(), unit(area_m2=138.0))
    assert edge[0] == pytest.approx(0.5) and "etwas größer als gesucht" in edge[1]
    assert area(need(), unit(area_m2=55.5))[1] == (
        "55,5 m² – etwas kleiner als gesucht (gesucht 60–120 m²)"
    )
    assert area(need(), unit(area_m2=None)) == (
        s.AREA_UNKNOWN_FRACTION,
        "Fläche unbekannt (gesucht 60–120 m²)",
    )
    assert area(need(area_max=None), unit())[1] == "90 m² – passt (gesucht ab 60 m²)"
    assert area(need(area_min=None, area_max=None), unit())[0] == 1.0


def test_utilities_texts():
    wanted = need(power=True, water=True, wc=True)
    assert utilities(wanted, unit(power=True, wc=True)) == (
        pytest.approx(2 / 3),
        "Strom und WC vorhanden, Wasser fehlt",
    )
    assert utilities(wanted, unit()) == (0.0, "Strom, Wasser und WC fehlen")
    assert utilities(need(heating=True), unit(heating=True)) == (1.0, "Heizung vorhanden")


@pytest.mark.parametrize(
    ("expects", "rent", "budget_kind", "budget", "fraction", "text"),
    [
        ("free", None, "nothing", None, 1.0, "kostenfrei – passt zum Budget"),
        ("costs_only", None, "costs_only", None, 1.0, "nur Nebenkosten – passt zum Budget"),
        ("costs_only", None, "nothing", None, 0.5, "nur Nebenkosten – die Idee hat kein Budget"),
        ("rent", 250.0, "rent", 300.0, 1.0, "Miete 250 €/Monat – im Budget (bis 300 €)"),
        ("rent", 600.0, "rent", 300.0, 0.35, "Miete 600 €/Monat – über dem Budget (bis 300 €)"),
        ("rent", None, "rent", 300.0, 0.6, "Miete erwartet (Höhe unbekannt), Budget bis 300 €"),
        ("rent", 1250.5, "costs_only", None, 0.2,
         "Miete erwartet – die Idee trägt nur Nebenkosten"),
        ("rent", 100.0, "nothing", None, 0.0, "Miete erwartet – die Idee hat kein Budget"),
        ("unknown", None, "rent", 300.0, 0.5, "Erwartung der Eigentümer:in zu Kosten unbekannt"),
    ],
)  # fmt: skip
def test_cost_fit(expects, rent, budget_kind, budget, fraction, text):
    result = cost(
        need(budget_kind=budget_kind, budget=budget), unit(owner_expectation=expects, rent=rent)
    )
    assert result == (pytest.approx(fraction), text)


def test_openness_least_open_owner_counts():
    assert openness(need(), unit(owner_states=["municipality"])) == (
        1.0,
        "im Eigentum der Kommune",
    )
    fraction, text = openness(need(), unit(owner_states=["open_to_interim_use", "unreachable"]))
    assert fraction == s.OPENNESS["unreachable"] and text.startswith(
        "Eigentümer:in nicht erreichbar"
    )
    assert openness(need(), unit(owner_states=None))[0] == s.OPENNESS_NO_OWNER


def test_months_vacant():
    assert vacancy(need(), unit(months_vacant=14)) == (
        pytest.approx(14 / 24),
        "seit 14 Monaten leer",
    )
    assert vacancy(need(), unit(months_vacant=80))[0] == 1.0
    assert vacancy(need(), unit(months_vacant=1))[1] == "seit 1 Monat leer"
    assert vacancy(need(), unit(months_vacant=-2)) == (0.0, "seit weniger als einem Monat leer")
    assert vacancy(need(), unit(months_vacant=None))[0] == s.VACANCY_UNKNOWN_FRACTION
    assert vacancy(need(), unit(vacancy_state="vacancy_expected"))[0] == 0.0


def test_score_is_the_rounded_sum_of_points():
    total, reasons = s.score(need(power=True), unit(power=True))
    assert [r["criterion"] for r in reasons] == list(MATCH_CRITERIA)
    assert total == round(sum(r["points"] for r in reasons))
    assert all(set(r) == {"criterion", "points", "max", "key", "values"} for r in reasons)
    assert reasons[2] == {
        "criterion": "utilities",
        "points": 15.0,
        "max": 15,
        "key": "utilities.there",
        "values": {"there": ["power"]},
    }
