"""Query parameters of the public map and API (services/public_params): defaults, both sides
of every bound, the map form's fields, whole messages."""

from datetime import date

import pytest

from leerstand.services.public import params as p
from leerstand.services.public.params import ParamError


def _error(parse, args) -> ParamError:
    with pytest.raises(ParamError) as info:
        parse(args)
    return info.value


def test_default_limit_and_offset_are_applied():
    for parse in (p.parse_units, p.parse_proposals):
        f = parse({})
        assert (f.limit, f.offset, f.bbox, f.district, f.kind, f.ags) == (
            1000,
            0,
            None,
            None,
            None,
            None,
        )
        assert (f.street_level, f.step_free, f.area_min, f.area_max) == (False, False, None, None)


def test_limit_bounds_both_sides():
    assert p.parse_units({"limit": "1"}).limit == 1
    assert p.parse_units({"limit": "10000"}).limit == 10000
    assert p.parse_units({"limit": "5"}, max_limit=5).limit == 5
    for raw in ("0", "10001"):
        _error(p.parse_units, {"limit": raw})
    with pytest.raises(ParamError):
        p.parse_units({"limit": "6"}, max_limit=5)
    assert p.parse_units({"offset": "10000000"}).offset == 10_000_000
    _error(p.parse_units, {"offset": "10000001"})
    _error(p.parse_units, {"offset": "-1"})


@pytest.mark.parametrize(
    "raw",
    [
        "-180,-90,180,90",
        "-180,-90,-180,-90",
        "180,90,180,90",
        " 11.2, 51.7 ,11.25,51.73 ",
    ],
)
def test_bbox_inside_the_bounds(raw):
    expected = tuple(float(v) for v in raw.split(","))
    assert p.parse_bbox(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-180.001,0,0,1", "Parameter „bbox“: Längengrad -180.001 liegt nicht in -180 bis 180."),
        ("0,0,180.001,1", "Parameter „bbox“: Längengrad 180.001 liegt nicht in -180 bis 180."),
        ("0,-90.001,1,0", "Parameter „bbox“: Breitengrad -90.001 liegt nicht in -90 bis 90."),
        ("0,0,1,90.001", "Parameter „bbox“: Breitengrad 90.001 liegt nicht in -90 bis 90."),
        ("1,0,0,1", "Parameter „bbox“: das Minimum ist größer als das Maximum."),
        ("0,1,1,0", "Parameter „bbox“: das Minimum ist größer als das Maximum."),
        ("0,0,1", "Parameter „bbox“: " + p.BBOX_HELP + "."),
        ("0,0,1,1,2", "Parameter „bbox“: " + p.BBOX_HELP + "."),
        ("x,0,1,1", "Parameter „bbox“: „x“ ist keine Zahl; " + p.BBOX_HELP + "."),
        ("inf,0,1,1", "Parameter „bbox“: „inf“ ist keine endliche Zahl."),
    ],
)
def test_bbox_outside_the_bounds(raw, message):
    with pytest.raises(ParamError) as info:
        p.parse_bbox(raw)
    assert str(info.value) == message


def test_bbox_help_text():
    assert p.BBOX_HELP == (
        "erwartet vier Zahlen minLon,minLat,maxLon,maxLat, z. B. 11.2,51.7,11.25,51.73"
    )
    assert p.parse_bbox("  ") is None


def test_area_bounds_both_sides_and_order():
    f = p.parse_units({"area_min": "0", "area_max": "1000000"})
    assert (f.area_min, f.area_max) == (0.0, 1_000_000.0)
    assert p.parse_units({"area_min": "12,5"}).area_min == 12.5
    assert p.parse_units({"area_min": "50", "area_max": "50"}).area_max == 50.0
    message = "Parameter „area_min“: erwartet eine Zahl von 0 bis 1000000 (m²)."
    assert str(_error(p.parse_units, {"area_min": "-0.1"})) == message
    assert _error(p.parse_units, {"area_min": "-0.1"}).hint == "range"
    assert str(_error(p.parse_units, {"area_max": "1000000.1"})) == message.replace("min", "max")
    assert str(_error(p.parse_units, {"area_min": "nan"})) == message
    error = _error(p.parse_units, {"area_min": "viel"})
    assert (str(error), error.hint) == ("Parameter „area_min“: „viel“ ist keine Zahl.", "number")
    error = _error(p.parse_units, {"area_min": "51", "area_max": "50"})
    assert str(error) == "Parameter „area_min“ ist größer als „area_max“."


def test_flags_codes_dates_and_names():
    f = p.parse_units({"street_level": "1", "step_free": "true", "kind": "shop"})
    assert (f.street_level, f.step_free, f.kind) == (True, True, "shop")
    assert p.parse_units({"street_level": "on"}).street_level is True
    assert p.parse_units({"street_level": "FALSE", "step_free": "0"}).street_level is False
    error = _error(p.parse_units, {"step_free": "ja"})
    assert (str(error), error.hint) == (
        "Parameter „step_free“: erwartet 1 oder 0, nicht „ja“.",
        "flag",
    )
    assert p.parse_units({"available_from": "2026-05-01"}).available_from == date(2026, 5, 1)
    error = _error(p.parse_units, {"available_from": "01.05.2026"})
    assert (
        str(error)
        == "Parameter „available_from“: „01.05.2026“ ist kein Datum im Format JJJJ-MM-TT."
    )
    assert error.hint == "date"
    assert str(_error(p.parse_units, {"kind": "castle"})).startswith(
        "Parameter „kind“: unbekannte Art „castle“. Erlaubt: shop, "
    )
    assert str(_error(p.parse_proposals, {"use_kind": "castle"})).startswith(
        "Parameter „use_kind“: unbekannte Nutzungsart „castle“. Erlaubt: "
    )
    assert p.parse_proposals({"use_kind": "atelier"}).kind == "atelier"
    assert p.parse_units({"ags": " 150850551234 "}).ags == "15085055"
    error = _error(p.parse_units, {"colour": "red"})
    assert str(error).startswith("Unbekannter Parameter „colour“. Erlaubt: ")
    assert "lang" not in str(error) and "available_from" in str(error)
    assert "available_from" not in str(_error(p.parse_proposals, {"colour": "red"}))
    assert p.parse_units({"colour": "red", "lat": "51"}, strict=False).kind is None


def test_district_bounds():
    assert p.parse_units({"district": "1"}).district == 1
    _error(p.parse_units, {"district": "0"})


def test_map_form_keeps_the_district_and_the_other_filters():
    args = {
        "district": "7",
        "kind": "shop",
        "area_min": "20",
        "area_max": "80",
        "street_level": "1",
        "step_free": "1",
        "available_from": "2026-06-01",
        "lat": "51.7",
    }
    f, errors = p.parse_unit_page(args)
    assert errors == {}
    assert (f.district, f.kind, f.area_min, f.area_max) == (7, "shop", 20.0, 80.0)
    assert (f.street_level, f.step_free, f.available_from) == (True, True, date(2026, 6, 1))
    assert f.query_args() == {
        "district": "7",
        "kind": "shop",
        "area_min": "20",
        "area_max": "80",
        "street_level": "1",
        "step_free": "1",
        "available_from": "2026-06-01",
    }
    assert p.PublicFilter().query_args() == {}


def test_map_form_reports_each_bad_field_and_keeps_the_rest():
    f, errors = p.parse_unit_page({"district": "x", "kind": "castle", "area_min": "5"})
    assert errors == {"district": p.PAGE_HINTS["choice"], "kind": p.PAGE_HINTS["choice"]}
    assert (f.district, f.kind, f.area_min) == (None, None, 5.0)
    f, errors = p.parse_unit_page({"area_min": "50", "area_max": "40", "step_free": "ja"})
    assert errors == {"area_max": p.PAGE_HINTS["order"], "step_free": p.PAGE_HINTS["flag"]}
    assert (f.area_min, f.area_max) == (50.0, None)
    _, errors = p.parse_unit_page({"area_min": "-1", "area_max": "a", "available_from": "x"})
    assert errors == {
        "area_min": p.PAGE_HINTS["range"],
        "area_max": p.PAGE_HINTS["number"],
        "available_from": p.PAGE_HINTS["date"],
    }
    assert str(p.PAGE_HINTS["order"]) == (
        "bitte eine Zahl eingeben, die nicht kleiner ist als „Fläche von“"
    )
