"""Form input parsing shared by every service: dates, German numbers, choices, versions."""

from datetime import date
from decimal import Decimal

import pytest

from leerstand.services import forms
from leerstand.services.errors import Conflict, ServiceError


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-03-01", date(2026, 3, 1)), ("01.03.2026", date(2026, 3, 1)), ("", None)],
)
def test_parse_date(text, expected):
    assert forms.parse_date(text, "Datum") == expected


def test_parse_date_refuses_nonsense():
    with pytest.raises(ServiceError, match="TT.MM.JJJJ"):
        forms.parse_date("31.02.2026", "Datum")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.234,5", Decimal("1234.5")),
        ("85,5", Decimal("85.5")),
        ("1.234", Decimal("1234")),
        ("", None),
    ],
)
def test_parse_decimal_reads_german_numbers(raw, expected):
    assert forms.parse_decimal(raw, "Fläche") == expected


def test_choice_refuses_values_outside_the_vocabulary():
    with pytest.raises(ServiceError, match="aus der Liste"):
        forms.choice({"kind": "villa"}, "kind", {"shop": "Laden"}, "Art")


def test_check_version_refuses_stale_or_missing_versions():
    class Record:
        version = 3

    forms.check_version(Record(), "3")
    for stale in ("2", "", None, "x"):
        with pytest.raises(Conflict):
            forms.check_version(Record(), stale)
