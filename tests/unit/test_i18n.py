"""German formats: dd.mm.yyyy and 1.234,5 m²; English as the second catalogue."""

from datetime import date
from decimal import Decimal

from leerstand import i18n
from leerstand.vocab import CONTACT_STATES, label


def test_german_number_and_date_formats(app):
    with app.test_request_context("/"):
        assert i18n.fmt_number(Decimal("1234.5")) == "1.234,5"
        assert i18n.fmt_area(1234.5) == "1.234,5 m²"
        assert i18n.fmt_area(None) == "–"
        assert i18n.fmt_date(date(2026, 3, 7)) == "07.03.2026"


def test_locale_defaults_to_german_and_switches_by_parameter(app):
    with app.test_request_context("/"):
        assert i18n.select_locale() == "de"
        assert label(CONTACT_STATES, "in_dialogue") == "im Gespräch"
    with app.test_request_context("/?lang=en"):
        assert i18n.select_locale() == "en"
