"""The report form's month ("Leer seit Monat/Jahr") and "this is the same place" choice, on both
sides of their limits."""

from __future__ import annotations

from datetime import date

import pytest

from leerstand.services.errors import ServiceError
from leerstand.services.media.report_form import parse, parse_month

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("typed", "first"),
    [("2026-12", date(2026, 12, 1)), ("12/2026", date(2026, 12, 1)), ("3.2025", date(2025, 3, 1)),
     ("1950-01", date(1950, 1, 1)), ("", None)],
)  # fmt: skip
def test_months_that_are_taken(typed, first):
    assert parse_month(typed, TODAY) == first


@pytest.mark.parametrize(
    ("typed", "message"),
    [("2027-01", "„Leer seit“ muss zwischen 1950 und dem laufenden Monat liegen."),
     ("1949-12", "„Leer seit“ muss zwischen 1950 und dem laufenden Monat liegen."),
     ("0/2020", "Den Monat 0 gibt es nicht (1 bis 12)."),
     ("März 2020", "Bitte den Monat als MM/JJJJ angeben, z. B. 03/2025 (eingegeben: März 2020).")],
)  # fmt: skip
def test_months_that_are_refused(typed, message):
    with pytest.raises(ServiceError) as refused:
        parse_month(typed, TODAY)
    assert str(refused.value) == message


def test_same_as_and_the_rest_of_the_form():
    values = {"lon": "11.2265", "lat": "51.7192", "kind": "flat", "same_as": "report:12",
              "photo_consent": "ja", "email": " a@example.org "}  # fmt: skip
    parsed = parse(values, TODAY)
    assert (parsed.same_as, parsed.kind, parsed.since, parsed.since_month) == (
        ("report", 12), "flat", "unknown", None
    )  # fmt: skip
    assert (parsed.point.x, parsed.point.y) == (11.2265, 51.7192)
    assert (parsed.photo_consent, parsed.email) == (True, "a@example.org")
    assert parse({**values, "same_as": "new"}, TODAY).same_as is None
    with pytest.raises(ServiceError, match="Bitte einen der gezeigten Orte wählen"):
        parse({**values, "same_as": "unit:abc"}, TODAY)
