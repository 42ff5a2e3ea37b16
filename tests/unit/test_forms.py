"""Form input parsing shared by every service: dates, German numbers, choices (versions:
test_locking.py)."""

from datetime import date
from decimal import Decimal

import pytest

from leerstand.services import forms
from leerstand.services.errors import ServiceError


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


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("on", True), ("Ja", True), ("yes", True), ("TRUE", True),
                          ("", False), ("0", False), ("nein", False), (None, False)]
)  # fmt: skip
def test_flag(raw, expected):
    assert forms.flag({"x": raw}, "x") is expected


def test_parse_int_within_bounds():
    assert forms.parse_int(" 42 ", "Zahl") == 42
    assert forms.parse_int("", "Zahl") is None
    assert forms.parse_int(str(forms.INT_MAX), "Zahl") == forms.INT_MAX
    assert forms.parse_int("5", "Seite", low=1, high=5) == 5


@pytest.mark.parametrize(
    ("raw", "low", "high", "message"),
    [
        ("abc", None, None, "Zahl: „abc“ ist keine ganze Zahl."),
        ("1.5", None, None, "keine ganze Zahl"),
        ("99999999999999999999", None, None, "von -2147483648 bis 2147483647"),
        ("0", 1, None, "Zahl: 0 ist nicht erlaubt"),
        ("11", 1, 10, "von 1 bis 10"),
    ],
)
def test_parse_int_refuses_nonsense_and_out_of_range(raw, low, high, message):
    with pytest.raises(ServiceError, match=message):
        forms.parse_int(raw, "Zahl", low, high)


@pytest.mark.parametrize(
    "address", ["name@example.org", "o.brien+leer@mail.ballenstedt.de", "jörg@müller.de"]
)
def test_email_accepts_one_address(address):
    assert forms.email(f" {address} ") == address


@pytest.mark.parametrize(
    "address",
    ["a@b.de,c", "a@b.de, c@d.de", "a,b@c.de", "a b@c.de", "a@b;c.de", "<a@b.de>", "a@b",
     "a@b.c", "@b.de", "a@@b.de", "a@b..de", "x" * 250 + "@b.de"],
)  # fmt: skip
def test_email_refuses_lists_and_nonsense(address):
    with pytest.raises(ServiceError, match="gültige E-Mail-Adresse"):
        forms.email(address)


def test_email_empty_only_when_not_required():
    assert forms.email("  ") == ""
    with pytest.raises(ServiceError, match="gültige E-Mail-Adresse"):
        forms.email("", required=True)
