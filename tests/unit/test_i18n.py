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


def test_translate_writes_text_parameters_in_the_visitors_language(app):
    """A Text's numbers and nested Text follow the visitor's locale (German is the source)."""
    from flask_babel import refresh

    from leerstand.messages import Text

    message = Text("Wert %(what)s: %(value)s", what=Text("Fläche"), value=1234.5)
    with app.test_request_context("/"):
        assert i18n.translate(message) == "Wert Fläche: 1.234,5"
    with app.test_request_context("/?lang=en"):
        refresh()  # the test's app context still holds the German locale of the first request
        assert i18n.translate(message) == "Wert Area: 1,234.5"
