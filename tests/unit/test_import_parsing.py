"""The import's cell parsing, guesses and coordinate checks without a database: German dates and
numbers on both sides of each edge, headings and words, CSV encodings and separators,
plausible coordinates per CRS, EPSG codes of CRS definitions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from leerstand.dates import local_today
from leerstand.services.imports import cells, coords, parse, readers
from leerstand.services.imports.fields import guess_columns
from leerstand.services.imports.parse import CellProblem
from leerstand.services.imports.values import guess_values
from leerstand.spatial import crs


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("17.05.2023", date(2023, 5, 17)),
        ("1.2.2023", date(2023, 2, 1)),
        ("03.2022", date(2022, 3, 1)),
        ("3/2022", date(2022, 3, 1)),
        ("2021", date(2021, 1, 1)),
        ("2024-02-29", date(2024, 2, 29)),
        ("29.02.2024", date(2024, 2, 29)),
        ("", None),
        ("  ", None),
    ],
)
def test_dates(raw, expected):
    assert parse.parse_date(raw, "leer seit") == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("31.02.2024", "leer seit: „31.02.2024“ ist kein mögliches Datum."),
        ("29.02.2023", "leer seit: „29.02.2023“ ist kein mögliches Datum."),
        ("13.2020", "leer seit: „13.2020“ ist kein mögliches Datum."),
        ("00.2020", "leer seit: „00.2020“ ist kein mögliches Datum."),
        ("1799", "leer seit: „1799“ ist kein mögliches Datum."),
        (
            "gestern",
            "leer seit: „gestern“ ist kein Datum. Erwartet wird TT.MM.JJJJ, MM.JJJJ oder JJJJ.",
        ),
    ],
)
def test_impossible_dates(raw, message):
    with pytest.raises(CellProblem) as info:
        parse.parse_date(raw, "leer seit")
    assert str(info.value) == message


def test_future_vacant_since_on_both_sides_of_today():
    today = date(2026, 6, 15)
    assert parse.not_in_future(date(2026, 6, 15), today, "leer seit") == date(2026, 6, 15)
    with pytest.raises(CellProblem, match="16.06.2026 liegt in der Zukunft"):
        parse.not_in_future(date(2026, 6, 16), today, "leer seit")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1.234,5", Decimal("1234.5")), ("85,5", Decimal("85.5")), ("85.5", Decimal("85.5")),
     ("0,1", Decimal("0.1")), ("999.999,9", Decimal("999999.9")), ("", None)],
)  # fmt: skip
def test_numbers(raw, expected):
    assert parse.number(raw, "Fläche", 1, Decimal("0.1"), Decimal("999999.9"), "m²") == expected


@pytest.mark.parametrize("raw", ["-5", "0", "0,04", "1.000.000", "viel"])
def test_bad_areas(raw):
    with pytest.raises(CellProblem):
        parse.number(raw, "Fläche", 1, Decimal("0.1"), Decimal("999999.9"), "m²")


def test_year_built_edges():
    today = date(2026, 1, 1)
    assert parse.year("800", "Baujahr", today) == 800
    assert parse.year("2031", "Baujahr", today) == 2031
    for raw in ("799", "2032", "19x5"):
        with pytest.raises(CellProblem):
            parse.year(raw, "Baujahr", today)


def test_column_guesses_ignore_case_umlauts_and_spaces():
    headers = ["STRASSE", "Str.", "Haus-Nr.", "P L Z", "ort", "OT", "RW", "HW", "Nutzfläche",
               "Leer seit", "Nutzungsart", "Eigentümerin", "E-Mail", "Tel.", "Baujahr"]  # fmt: skip
    assert guess_columns(headers) == {
        "street": "STRASSE",
        "house_number": "Haus-Nr.",
        "postcode": "P L Z",
        "place": "ort",
        "district": "OT",
        "x": "RW",
        "y": "HW",
        "year_built": "Baujahr",
        "kind": "Nutzungsart",
        "area_m2": "Nutzfläche",
        "vacant_since": "Leer seit",
        "owner_name": "Eigentümerin",
        "owner_email": "E-Mail",
        "owner_phone": "Tel.",
    }
    assert guess_columns(["Länge", "Breite"]) == {"x": "Länge", "y": "Breite"}
    assert guess_columns(["lon", "lat"]) == {"x": "lon", "y": "lat"}


def test_value_guesses():
    assert guess_values("kind", ["Ladenlokal", "Laden", "Geschäft", "Wohnung", "Gaststätte",
                                 "BÜRO", "Raumschiff"]) == {  # fmt: skip
        "Ladenlokal": "shop", "Laden": "shop", "Geschäft": "shop", "Wohnung": "flat",
        "Gaststätte": "gastro", "BÜRO": "office", "Raumschiff": None,
    }  # fmt: skip
    assert guess_values("vacancy_state", ["leer", "Leerstand", "vermietet", "teilweise leer"]) == {
        "leer": "vacant", "Leerstand": "vacant", "vermietet": "occupied",
        "teilweise leer": "partly_vacant",
    }  # fmt: skip
    assert guess_values("listed", ["ja", "X", "1", "nein", "0", "?"]) == {
        "ja": "yes", "X": "yes", "1": "yes", "nein": "no", "0": "no", "?": None,
    }  # fmt: skip


def test_csv_utf8_bom_comma_and_cp1252():
    table = readers.read_csv('\ufeffStraße,Größe\r\nAllee,"85,5"\r\n'.encode(), "a.csv")
    assert (table.headers, table.rows) == (["Straße", "Größe"], [["Allee", "85,5"]])
    table = readers.read_csv("Straße;Größe\nKröten-Allee;85,5\n".encode("cp1252"), "b.csv")
    assert (table.headers, table.rows) == (["Straße", "Größe"], [["Kröten-Allee", "85,5"]])
    table = readers.read_csv(b'Name;Notiz\nA;"zwei\nZeilen"\n\nB;x\n', "c.csv")
    assert table.lines == [2, 5] and table.rows[0] == ["A", "zwei\nZeilen"]


def test_headers_made_unique():
    assert readers.unique_headers(["Name", None, "Name", " "]) == [
        "Name", "Spalte 2", "Name (2)", "Spalte 4"
    ]  # fmt: skip


def test_cell_texts_as_german_excel_shows_them():
    assert cells.cell_text(1234.5) == "1234,5"
    assert cells.cell_text(12.0) == "12"
    assert cells.cell_text(datetime(2023, 5, 17)) == "17.05.2023"
    assert cells.cell_text(date(2023, 5, 17)) == "17.05.2023"
    assert cells.cell_text(True) == "ja"
    assert cells.cell_text(float("nan")) is None


def test_plausible_coordinates_per_crs():
    coords.check_plausible(25832, 653216.46, 5732069.39)
    coords.check_plausible(4326, 11.21808, 51.7186)
    coords.check_plausible(31468, 4446068.08, 5731880.71)
    with pytest.raises(CellProblem, match="passen nicht zu WGS 84, sondern zu UTM 32N"):
        coords.check_plausible(4326, 653216.46, 5732069.39)
    with pytest.raises(CellProblem, match="passen nicht zu UTM 32N, sondern zu Gauß-Krüger"):
        coords.check_plausible(25832, 4446068.08, 5731880.71)
    with pytest.raises(CellProblem, match="passen nicht zu Gauß-Krüger, sondern zu UTM 32N"):
        coords.check_plausible(31468, 653216.46, 5732069.39)
    with pytest.raises(CellProblem, match="Länge und Breite scheinen vertauscht"):
        coords.check_plausible(4326, 51.7186, 11.21808)
    with pytest.raises(CellProblem, match="liegen nicht in Deutschland"):
        coords.check_plausible(25832, 12.0, 13.0)


def test_reprojection_of_the_schloss():
    # Schloss Ballenstedt: lon 11.21808, lat 51.7186 = UTM 653216.46 / 5732069.39 (pyproj)
    point = coords.point_from_columns(653216.46, 5732069.39, 25832)
    assert abs(point.x - 11.21808) < 0.000007 and abs(point.y - 51.7186) < 0.0000045
    point = coords.point_from_columns(4446068.08, 5731880.71, 31468)
    assert abs(point.x - 11.21808) < 0.000007 and abs(point.y - 51.7186) < 0.0000045


def test_epsg_of_crs_definitions():
    assert crs.epsg_of("EPSG:25832") == 25832
    assert crs.epsg_of("epsg:4326") == 4326
    wkt = (
        'PROJCS["ETRS_1989_UTM_Zone_32N",GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",'
        'SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],'
        'UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],'
        'PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],'
        'PARAMETER["Central_Meridian",9.0],PARAMETER["Scale_Factor",0.9996],'
        'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]'
    )
    assert crs.epsg_of(wkt) == 25832
    assert crs.epsg_of(None) is None
    assert crs.epsg_of("kein CRS") is None


def test_value_words_are_distinct_stripped_and_sorted():
    from leerstand.services.imports.table import Table

    table = Table("a.csv", "csv", ["Straße", "Art"],
                  [["A", " Laden"], ["B", "Wohnung"], ["C", None], ["D", "Laden "], ["E", ""]],
                  [2, 3, 4, 5, 6])  # fmt: skip
    from leerstand.services.imports.values import value_words

    assert value_words(table, {"kind": "Art"}, "kind") == ["Laden", "Wohnung"]
    assert value_words(table, {}, "kind") == []


def test_settings_round_trip_and_mapping_problems():
    from leerstand.services.imports.settings import Settings, check_settings
    from leerstand.services.imports.table import Table

    settings = Settings({"street": "Straße", "x": "RW"}, {"kind": {"Laden": "shop"}}, "EPSG:4326")
    assert Settings.from_json(settings.to_json()) == settings
    table = Table("a.csv", "csv", ["Straße", "RW", "HW"], [["A", "1", "2"]], [2])
    assert check_settings(table, settings) == [
        "Bitte ordnen Sie beide Koordinatenspalten zu (Rechtswert und Hochwert)."
    ]
    bad = Settings({"y": "HW", "x": "Rechtswert"}, {"kind": {"Laden": "boot"}}, "file")
    assert check_settings(table, bad) == [
        "Bitte ordnen Sie dem Feld „Straße“ eine Spalte zu.",
        "Die Spalte „Rechtswert“ (für „Rechtswert / Länge (x)“) gibt es in der Datei nicht.",
        "Die Datei nennt kein Koordinatensystem. Bitte wählen Sie eines aus (WGS 84, UTM 32N "
        "oder Gauß-Krüger).",
        "„boot“ ist kein Wert für „Art der Einheit“ (Wort „Laden“).",
    ]


def test_may_import():
    from leerstand.services.imports import may_import

    assert may_import("admin", "admin") and may_import("admin", "staff")
    assert may_import("staff", "staff") and not may_import("staff", "admin")
    assert not may_import("viewer", "staff")


def test_size_limit(tmp_path, monkeypatch):
    from leerstand.services.imports import ImportProblem, read_table, readers

    monkeypatch.setattr(readers, "MAX_BYTES", 2 * 1024 * 1024)
    path = tmp_path / "gross.csv"
    line = b"Kroeten-Allee;1\n"  # 16 bytes
    rows = (2 * 1024 * 1024 - 10) // len(line)  # just below 2 MB with the heading
    path.write_bytes(b"Stra\xdfe;Nr\n" + line * rows)
    assert len(read_table(path, "gross.csv").rows) == rows
    path.write_bytes(path.read_bytes() + b"Allee;2\n" * 2)  # just above
    with pytest.raises(ImportProblem, match="Die Datei ist zu groß \\(2,0 MB, höchstens 2 MB\\)"):
        read_table(path, "gross.csv")


def test_separator_from_the_heading_line_not_the_decimal_commas():
    data = "Straße;Fläche;Miete\nAllee;85,5;450,00\nMarkt;12,5;99,90\n".encode()
    table = readers.read_csv(data, "a.csv")
    assert table.headers == ["Straße", "Fläche", "Miete"]
    assert table.rows == [["Allee", "85,5", "450,00"], ["Markt", "12,5", "99,90"]]
    table = readers.read_csv(b"Strasse\tNr\nAllee\t1\n", "b.txt")
    assert table.rows == [["Allee", "1"]]


def test_headings_that_start_with_a_synonym():
    assert guess_columns(["Leer seit (Monat/Jahr)", "Nutzfläche in qm", "Straße und Nr."]) == {
        "street": "Straße und Nr.",
        "area_m2": "Nutzfläche in qm",
        "vacant_since": "Leer seit (Monat/Jahr)",
    }
    # an exact heading wins over a longer one that starts with the same word
    assert guess_columns(["Eigentümer Anschrift", "Eigentümer"]) == {
        "owner_name": "Eigentümer",
        "owner_address": "Eigentümer Anschrift",
    }


def test_street_and_number_in_one_column():
    from leerstand.services.imports.rows import RowReader
    from leerstand.services.imports.settings import Settings
    from leerstand.services.imports.table import Table

    streets = ["Allee 12a", "Robert-Koch-Straße 26-27", "Straße des 17. Juni 5", "Am Markt",
               "Badstuben 4 b"]  # fmt: skip
    table = Table("a.csv", "csv", ["Anschrift"], [[s] for s in streets], [2, 3, 4, 5, 6])
    reader = RowReader(table, Settings({"street": "Anschrift"}, {}, "EPSG:25832"), local_today())
    found = [
        (r.building["street"], r.building.get("house_number")) for r in map(reader.read, range(5))
    ]
    assert found == [
        ("Allee", "12a"),
        ("Robert-Koch-Straße", "26-27"),
        ("Straße des 17. Juni", "5"),
        ("Am Markt", None),
        ("Badstuben", "4 b"),
    ]
