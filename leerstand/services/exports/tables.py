"""Tables of typed rows as files: CSV for German Excel (``;``, UTF-8 with BOM, ``\\r\\n``),
streamed in chunks, and XLSX (openpyxl write-only: real number and date cells with German
number formats, a bold header row, frozen below the header). Text cells are neutralised
against formula injection in both (``cells.neutral``); an XLSX text cell is always a string
cell, never a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from leerstand.services.exports.cells import Column, as_day, csv_text, neutral

BOM = "\ufeff"
CHUNK_ROWS = 500
DATE_FORMAT = "DD.MM.YYYY"


def csv_chunks(columns: Sequence[Column], rows: Iterable[Sequence]) -> Iterator[bytes]:
    """The CSV file as UTF-8 byte chunks: BOM and header first, then ``CHUNK_ROWS`` rows each."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow([neutral(column.header) for column in columns])
    for count, row in enumerate(rows, start=1):
        writer.writerow([csv_text(c, v) for c, v in zip(columns, row, strict=True)])
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _number_format(column: Column) -> str:
    if column.kind == "date":
        return DATE_FORMAT
    if column.kind == "int":
        return "0"
    return "#,##0" + ("." + "0" * column.digits if column.digits else "")


def _cell(sheet, column: Column, value):
    if value is None or value == "":
        return None
    if column.kind == "bool":
        return "ja" if value else "nein"
    if column.kind in ("int", "number", "date"):
        cell = WriteOnlyCell(sheet, value=as_day(value) if column.kind == "date" else value)
        cell.number_format = _number_format(column)
        return cell
    cell = WriteOnlyCell(sheet, value=neutral(ILLEGAL_CHARACTERS_RE.sub("", str(value))))
    cell.data_type = "s"  # never a formula, whatever the text
    return cell


def xlsx_bytes(title: str, columns: Sequence[Column], rows: Iterable[Sequence]) -> bytes:
    """The workbook (one sheet ``title``) as bytes."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=neutral(column.header))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(sheet, c, v) for c, v in zip(columns, row, strict=True)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
