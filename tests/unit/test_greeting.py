"""Greeting by salutation (leerstand.wording.greeting) and the family name it uses."""

import pytest

from leerstand.wording import greeting, surname


@pytest.mark.parametrize(
    "salutation, name, expected",
    [
        ("frau", "Sabine Testfrau", "Sehr geehrte Frau Testfrau,"),
        ("herr", "Max Muster", "Sehr geehrter Herr Muster,"),
        ("frau", "Testfrau, Sabine", "Sehr geehrte Frau Testfrau,"),
        ("herr", "Dr. Max von Muster", "Sehr geehrter Herr Dr. von Muster,"),
        ("frau", "Testfrau", "Sehr geehrte Frau Testfrau,"),
        ("neutral", "Sabine Testfrau", "Sehr geehrte Damen und Herren,"),
        ("organisation", "Musterbau GmbH", "Sehr geehrte Damen und Herren,"),
        ("frau", "", "Sehr geehrte Damen und Herren,"),
        ("herr", "   ", "Sehr geehrte Damen und Herren,"),
        (None, "Max Muster", "Sehr geehrte Damen und Herren,"),
    ],
)
def test_greeting(salutation, name, expected):
    assert greeting(salutation, name) == expected


def test_greeting_keeps_its_msgid_for_translation():
    text = greeting("frau", "Sabine Testfrau")
    assert (text.msgid, text.params) == ("Sehr geehrte Frau %(name)s,", {"name": "Testfrau"})


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Sabine Maria Testfrau", "Testfrau"),
        ("Sabine M. Testfrau", "Testfrau"),  # an initial inside the name is no title
        ("Prof. Dr. Ida van der Muster", "Prof. Dr. van der Muster"),
        ("  Sabine   Testfrau  ", "Testfrau"),
    ],
)
def test_surname(name, expected):
    assert surname(name) == expected


def test_demo_owners_get_fitting_salutations():
    from leerstand.seed.people import _salutation
    from leerstand.seed.texts import OWNERS

    assert _salutation("person", "Erika Mustermann", "") == "frau"
    assert _salutation("person", "Max Beispiel", "") == "herr"
    assert _salutation("heirs", "Erbengemeinschaft Probe", "Petra Probe") == "frau"
    assert _salutation("company", "Musterbau GmbH", "Herr Beispiel (Geschäftsführung)") == (
        "organisation"
    )
    assert _salutation("person", "Kim Beispiel", "") == "neutral"  # unknown: no guess
    found = {}
    for line in OWNERS:
        kind, name, contact, *_rest = line.split("|")
        found.setdefault(kind, set()).add(_salutation(kind, name, contact))
    assert found == {
        "public": {"organisation"},
        "person": {"frau", "herr"},
        "company": {"organisation"},
        "heirs": {"frau", "herr"},
        "church": {"organisation"},
        "association": {"organisation"},
    }
