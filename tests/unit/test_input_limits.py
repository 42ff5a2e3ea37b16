"""The one form parser's limits (issue 8's security review): text never cut, numbers checked
after rounding to the column, GeoJSON nesting capped before parsing, local redirects only."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from leerstand.services import forms
from leerstand.services.errors import ServiceError
from leerstand.spatial.geometry import GeometryError, polygon_from_geojson
from leerstand.views.outcome import safe_next

RENT = {"places": 2, "low": Decimal(0), "high": Decimal("9999999.99"), "unit": "€"}


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [(1_048_576, 0, "1.048.576"), (120, 0, "120"), (Decimal("9999999.99"), 2, "9.999.999,99")],
)
def test_german_number(value, places, expected):
    assert forms.german_number(value, places) == expected


def test_text_at_its_limit_is_kept_whole():
    assert forms.text({"name": " " + "a" * 120 + " "}, "name", 120, "Name") == "a" * 120


def test_text_beyond_its_limit_is_refused_with_label_and_lengths():
    with pytest.raises(ServiceError) as caught:
        forms.text({"name": "a" * 1_048_576}, "name", 120, "Name")
    assert str(caught.value) == "„Name“ ist zu lang: höchstens 120 Zeichen (eingegeben: 1.048.576)."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("9999999,99", Decimal("9999999.99")),
        ("9999999,994", Decimal("9999999.99")),
        ("0,004", Decimal("0.00")),
        ("-0,004", Decimal("0.00")),
        ("1e-999999999", Decimal("0.00")),
    ],
)
def test_money_inside_the_column_after_rounding(raw, expected):
    assert forms.parse_decimal(raw, "Miete", **RENT) == expected


@pytest.mark.parametrize("raw", ["9999999,995", "-0,005", "1e999999999", "-1e999999999", "1e15"])
def test_money_outside_the_column_after_rounding(raw):
    with pytest.raises(ServiceError, match="„Miete“ muss zwischen 0,00 und 9.999.999,99 €"):
        forms.parse_decimal(raw, "Miete", **RENT)


def test_half_rounds_up_as_taught_at_school():
    area = {"places": 1, "low": Decimal("0.1"), "high": Decimal("999999.9")}
    assert forms.parse_decimal("0,05", "Fläche", **area) == Decimal("0.1")
    with pytest.raises(ServiceError, match="0,04 ergibt gerundet 0,0."):
        forms.parse_decimal("0,04", "Fläche", **area)


@pytest.fixture
def _request(app):
    with app.test_request_context():
        yield


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_nesting_of_20_reaches_the_parser(_request):
    with pytest.raises(GeometryError, match="muss ein Polygon sein"):
        polygon_from_geojson(_nested(20))


@pytest.mark.parametrize("data", [_nested(21), "[" * 100_000, '{"a":' * 100_000])
def test_nesting_beyond_20_is_refused_before_parsing(_request, data):
    with pytest.raises(GeometryError, match="zu tief verschachtelt"):
        polygon_from_geojson(data)


def test_brackets_inside_strings_do_not_count(_request):
    ring = [[11.2, 51.7], [11.3, 51.7], [11.3, 51.8], [11.2, 51.7]]
    feature = {
        "type": "Feature",
        "properties": {"name": "[" * 50 + '\\"'},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    assert polygon_from_geojson(json.dumps(feature)).area > 0


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example",
        "/\\evil.example",
        "/\\\\evil.example",
        "//evil.example",
        "https://evil.example",
        "/\r\nSet-Cookie:x",
        "/\u200b/evil.example",
        "/a b",
        "evil.example",
        "",
        None,
    ],
)
def test_safe_next_refuses_what_is_not_a_local_path(target):
    assert safe_next(target, "/fallback") == "/fallback"


@pytest.mark.parametrize("target", ["/verwaltung/register?x=1", "/initiative/ideen/neu?unit=5"])
def test_safe_next_keeps_local_paths(target):
    assert safe_next(target, "/fallback") == target
