"""Formula injection and typed cells, both sides of each edge: a text starting with = + - @,
tab or carriage return is neutralised in CSV and XLSX (and is never an XLSX formula), other
text is not; a number (also a negative one) stays a number. Files are written by the export's
writers and read back with the csv module and openpyxl."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from leerstand.services.exports.cells import Column
from leerstand.services.exports.tables import csv_chunks, xlsx_bytes

COLUMNS = (Column("Text"), Column("Zahl", "number", 1), Column("Tag", "date"), Column("Nr.", "int"))
DANGEROUS = ["=1+2", "+49 123", "-1", "@SUM(A1)", "\tx", "\rx"]
HARMLESS = ["1+2", "a=b", "Jürgen", " =x", "'=x"]


def _csv(rows):
    text = b"".join(csv_chunks(COLUMNS, rows)).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))[1:]


def _xlsx(rows):
    sheet = load_workbook(io.BytesIO(xlsx_bytes("Test", COLUMNS, rows)))["Test"]
    return list(sheet.iter_rows(min_row=2))


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_text_is_neutralised(text):
    rows = [[text, None, None, None]]
    assert _csv(rows)[0][0] == "'" + text
    cell = _xlsx(rows)[0][0]
    assert cell.data_type == "s"
    assert cell.value == "'" + text.replace("\r", "\n")  # XML reads a CR back as LF


@pytest.mark.parametrize("text", HARMLESS)
def test_other_text_stays_as_it_is(text):
    rows = [[text, None, None, None]]
    assert _csv(rows)[0][0] == text
    cell = _xlsx(rows)[0][0]
    assert cell.data_type == "s" and cell.value == text


def test_negative_numbers_stay_numbers():
    rows = [["x", Decimal("-12.5"), date(2026, 12, 1), -3]]
    assert _csv(rows)[0][1:] == ["-12,5", "01.12.2026", "-3"]
    _text, number, day, integer = _xlsx(rows)[0]
    assert number.data_type == "n" and number.value == -12.5
    assert integer.data_type == "n" and integer.value == -3
    assert day.is_date and day.value.date() == date(2026, 12, 1)


def test_a_header_that_looks_like_a_formula_is_neutralised():
    text = b"".join(csv_chunks((Column("=Kopf"),), [])).decode("utf-8-sig")
    assert text == "'=Kopf\r\n"


def test_control_characters_do_not_break_the_workbook():
    cell = _xlsx([["a\x0bb\x00c", None, None, None]])[0][0]
    assert cell.value == "abc"


def test_csv_streams_in_chunks():
    rows = [[f"Zeile {i}", Decimal(i), None, i] for i in range(1200)]
    chunks = list(csv_chunks(COLUMNS, rows))
    assert len(chunks) == 3  # 500 + 500 + 200 rows
    assert len(_csv(rows)) == 1200
