"""The scorer's cache and the edges of the criteria (issue 9): two ideas keep their own reasons,
each unit its own distance, rent equal to the budget on both sides. Expected values are
written out, not computed by the code under test."""

from __future__ import annotations

import pytest

from leerstand.services.matching import score as s
from leerstand.services.matching.reasons import reason_text
from tests.unit.matching_said import area, cost, distance, openness, utilities, vacancy

NEED = s.Need(1, "point", 500, 60.0, 120.0, False, False, False, False, "rent", 300.0)
UNIT = s.UnitRow(
    1, 90.0, False, False, False, False, "rent", 200.0, 24, "vacant",
    "Badeborn", ["agreement"], 100,
)  # fmt: skip


def need(**kw) -> s.Need:
    return NEED._replace(**kw)


def unit(**kw) -> s.UnitRow:
    return UNIT._replace(**kw)


def _texts(reasons) -> dict[str, str]:
    return {r["criterion"]: str(reason_text(r)) for r in reasons}


def _points(reasons) -> dict[str, float]:
    return {r["criterion"]: r["points"] for r in reasons}


def test_weights_written_out():
    assert s.WEIGHTS == {
        "distance": 25,
        "area": 20,
        "utilities": 15,
        "cost": 15,
        "openness": 15,
        "vacancy": 10,
    }


def test_two_ideas_keep_their_own_reasons():
    rich, poor = need(budget=300.0), need(proposal_id=2, budget=100.0)
    scorer = s.Scorer()
    first = scorer(rich, unit())
    second = scorer(poor, unit())
    again = scorer(rich, unit())
    assert _texts(first[1])["cost"] == "Miete 200 €/Monat – im Budget (bis 300 €)"
    assert _texts(second[1])["cost"] == "Miete 200 €/Monat – über dem Budget (bis 100 €)"
    assert _texts(again[1])["cost"] == "Miete 200 €/Monat – im Budget (bis 300 €)"
    assert _points(first[1])["cost"] == 15.0
    assert _points(second[1])["cost"] == 5.2  # 15 × 0.7 × 100 / 200 = 5.25 → 5.2
    assert (first[0], second[0], again[0]) == (95, 85, 95)


def test_each_unit_keeps_its_own_distance():
    scorer = s.Scorer()
    near = scorer(need(), unit(unit_id=1, distance_m=100))
    far = scorer(need(), unit(unit_id=2, distance_m=400))
    assert _texts(near[1])["distance"] == "100 m vom Wunschort"
    assert _texts(far[1])["distance"] == "400 m vom Wunschort"
    assert (_points(near[1])["distance"], _points(far[1])["distance"]) == (20.0, 5.0)
    assert (near[0], far[0]) == (100 - 5, 100 - 20)


def test_districts_share_a_reason_within_ten_metres_only():
    scorer = s.Scorer()
    districts = need(location_kind="districts")
    a = scorer(districts, unit(unit_id=1, distance_m=1001))
    b = scorer(districts, unit(unit_id=2, distance_m=1004))
    c = scorer(districts, unit(unit_id=3, distance_m=1006))
    assert _texts(a[1])["distance"] == "im gewünschten Ortsteil Badeborn, 1.000 m vom Ortskern"
    assert _texts(b[1])["distance"] == "im gewünschten Ortsteil Badeborn, 1.000 m vom Ortskern"
    assert _texts(c[1])["distance"] == "im gewünschten Ortsteil Badeborn, 1.010 m vom Ortskern"
    # At a point every metre counts: 1001 and 1004 m differ.
    point = need(radius_m=2000)
    assert _texts(scorer(point, unit(distance_m=1001))[1])["distance"] == "1.001 m vom Wunschort"
    assert _texts(scorer(point, unit(distance_m=1004))[1])["distance"] == "1.004 m vom Wunschort"


def test_each_criterion_keeps_its_own_inputs_in_the_cache():
    scorer = s.Scorer()
    base = scorer(need(power=True), unit())
    powered = scorer(need(power=True), unit(power=True))
    assert _texts(base[1])["utilities"] == "Strom fehlt"
    assert _texts(powered[1])["utilities"] == "Strom vorhanden"
    small = scorer(need(), unit(area_m2=30.0))
    assert _texts(small[1])["area"] != _texts(base[1])["area"]
    unreachable = scorer(need(), unit(owner_states=["unreachable"]))
    assert _texts(unreachable[1])["openness"] == "Eigentümer:in nicht erreichbar"
    fresh = scorer(need(), unit(months_vacant=12))
    assert _texts(fresh[1])["vacancy"] == "seit 12 Monaten leer"
    expensive = scorer(need(), unit(rent=600.0))
    assert _texts(expensive[1])["cost"] == "Miete 600 €/Monat – über dem Budget (bis 300 €)"
    badeborn = scorer(need(location_kind="districts"), unit(distance_m=None))
    rieder = scorer(need(location_kind="districts"), unit(distance_m=None, district_name="Rieder"))
    assert _texts(badeborn[1])["distance"] == "im gewünschten Ortsteil Badeborn"
    assert _texts(rieder[1])["distance"] == "im gewünschten Ortsteil Rieder"


@pytest.mark.parametrize(
    ("rent", "fraction", "text"),
    [
        (299.99, 1.0, "Miete 299,99 €/Monat – im Budget (bis 300 €)"),
        (300.0, 1.0, "Miete 300 €/Monat – im Budget (bis 300 €)"),
        (300.01, 0.7 * 300 / 300.01, "Miete 300,01 €/Monat – über dem Budget (bis 300 €)"),
    ],
)
def test_rent_equal_to_budget_fits(rent, fraction, text):
    assert cost(need(budget=300.0), unit(rent=rent)) == (pytest.approx(fraction), text)


def test_score_sums_the_points_of_all_six_criteria():
    total, reasons = s.score(need(), unit(distance_m=250))
    assert _points(reasons) == {
        "distance": 12.5,
        "area": 20.0,
        "utilities": 15.0,
        "cost": 15.0,
        "openness": 15.0,
        "vacancy": 10.0,
    }
    assert [r["max"] for r in reasons] == [25, 20, 15, 15, 15, 10]
    assert total == 88  # 87.5 rounds to even
    assert s.score(need(), unit(distance_m=0))[0] == 100


def test_chosen_unit_text_whole():
    assert distance(need(location_kind="unit"), unit(distance_m=None)) == (
        1.0,
        "von der Initiative ausgewählte Einheit",
    )


@pytest.mark.parametrize(
    ("low", "high", "size", "fraction", "text"),
    [
        (None, None, None, 1.0, "Fläche unbekannt (keine Größe gewünscht)"),
        (None, None, 90.0, 1.0, "90 m² (keine Größe gewünscht)"),
        (60.0, 120.0, None, 0.25, "Fläche unbekannt (gesucht 60–120 m²)"),
        (60.0, 120.0, 60.0, 1.0, "60 m² – passt (gesucht 60–120 m²)"),
        (60.0, 120.0, 55.5, 0.75, "55,5 m² – etwas kleiner als gesucht (gesucht 60–120 m²)"),
        (60.0, 120.0, 51.0, 0.5, "51 m² – etwas kleiner als gesucht (gesucht 60–120 m²)"),
        (60.0, 120.0, 40.0, 0.5, "40 m² – etwas kleiner als gesucht (gesucht 60–120 m²)"),
        (60.0, 120.0, 120.0, 1.0, "120 m² – passt (gesucht 60–120 m²)"),
        (60.0, 120.0, 129.0, 0.75, "129 m² – etwas größer als gesucht (gesucht 60–120 m²)"),
        (60.0, 120.0, 200.0, 0.5, "200 m² – etwas größer als gesucht (gesucht 60–120 m²)"),
        (50.0, None, 45.0, 2 / 3, "45 m² – etwas kleiner als gesucht (gesucht ab 50 m²)"),
        (None, 80.0, 80.0, 1.0, "80 m² – passt (gesucht bis 80 m²)"),
        (None, 80.0, 86.0, 0.75, "86 m² – etwas größer als gesucht (gesucht bis 80 m²)"),
    ],
)  # fmt: skip
def test_area_both_sides_of_the_range(low, high, size, fraction, text):
    result = area(need(area_min=low, area_max=high), unit(area_m2=size))
    assert result == (pytest.approx(fraction), text)


def test_texts_of_the_other_criteria_whole():
    assert utilities(need(), unit()) == (1.0, "keine besondere Ausstattung gewünscht")
    assert openness(need(), unit(owner_states=None)) == (0.1, "keine Eigentümer:in erfasst")
    assert openness(need(), unit(owner_states=["in_dialogue"])) == (
        0.6,
        "Eigentümer:in im Gespräch",
    )
    assert openness(need(), unit(owner_states=["agreement", "in_dialogue"])) == (
        0.6,
        "Eigentümer:in im Gespräch (2 Eigentümer:innen, die am wenigsten offene zählt)",
    )
    assert openness(need(), unit(owner_states=["agreement", "someday"])) == (
        0.0,
        "someday (2 Eigentümer:innen, die am wenigsten offene zählt)",
    )
    assert vacancy(need(), unit(vacancy_state="vacancy_expected")) == (
        0.0,
        "Leerstand absehbar, noch genutzt",
    )
    assert vacancy(need(), unit(months_vacant=None)) == (0.25, "leer, seit wann ist unbekannt")
    assert distance(need(radius_m=None), unit(distance_m=1)) == (0.0, "1 m vom Wunschort")
    assert distance(need(location_kind="districts"), unit(distance_m=None, district_name=None)) == (
        1.0,
        "im gewünschten Ortsteil",
    )
    assert distance(need(location_kind="area"), unit(distance_m=None)) == (
        1.0,
        "im gewünschten Gebiet",
    )


def test_euros_and_unknown_costs():
    assert cost(need(budget=None), unit(rent=400.0)) == (
        pytest.approx(0.6),
        "Miete erwartet (400 €/Monat)",
    )
    assert cost(need(budget=None), unit(rent=None)) == (
        pytest.approx(0.6),
        "Miete erwartet (Höhe unbekannt)",
    )
    assert cost(need(budget_kind=None), unit(owner_expectation="costs_only")) == (
        pytest.approx(0.5),
        "nur Nebenkosten – passt zum Budget",
    )
