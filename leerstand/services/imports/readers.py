"""Reading an uploaded file into a ``Table``. The format comes from the content (the name is
only a hint): ZIP -> XLSX or zipped Shapefile by its members, SQLite -> GeoPackage, "{" ->
GeoJSON, anything else is tried as CSV. CSV as German Excel writes it (";", "," or tab, by the
heading line; UTF-8 with or without BOM, else Windows-1252) with the csv module, XLSX with
openpyxl (read-only); the geo formats in ``geo_reader``. Too large or unreadable files raise
``ImportProblem``."""

from __future__ import annotations

import csv
import io
import pathlib
import zipfile

from leerstand.messages import Text
from leerstand.services.imports import geo_reader
from leerstand.services.imports.cells import cell_text
from leerstand.services.imports.table import MAX_BYTES, MAX_ROWS, ImportProblem, Table

SQLITE_MAGIC = b"SQLite format 3\x00"
ZIP_MAGIC = b"PK\x03\x04"
BINARY_SIGNS = (b"\x00", b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")


def read_table(path: pathlib.Path, file_name: str) -> Table:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ImportProblem(
            Text(
                "Die Datei ist zu groß (%(size)s MB, höchstens %(max)s MB). Bitte teilen Sie "
                "sie auf oder nutzen Sie den Befehl „flask import“.",
                size=f"{size / (1024 * 1024):.1f}".replace(".", ","),
                max=MAX_BYTES // (1024 * 1024),
            )
        )
    if size == 0:
        raise ImportProblem(Text("Die Datei ist leer."))
    with path.open("rb") as handle:
        head = handle.read(64)
    file_format = detect(path, head)
    if file_format == "xlsx":
        table = read_xlsx(path, file_name)
    elif file_format == "csv":
        table = read_csv(path.read_bytes(), file_name)
    else:
        table = geo_reader.read(path, file_name, file_format)
    if not table.rows:
        raise ImportProblem(Text("Die Datei enthält keine Zeilen mit Daten."))
    return table


def detect(path: pathlib.Path, head: bytes) -> str:
    if head.startswith(ZIP_MAGIC):
        return _zip_format(path)
    if head.startswith(SQLITE_MAGIC):
        return "gpkg"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return "geojson"
    if any(head.startswith(sign) for sign in BINARY_SIGNS) or b"\x00" in head:
        raise ImportProblem(_unknown_format())
    return "csv"


def _unknown_format() -> Text:
    return Text(
        "Dieses Dateiformat kann nicht importiert werden. Bitte eine CSV-Datei, eine "
        "Excel-Datei (.xlsx), GeoJSON, GeoPackage oder ein gezipptes Shapefile hochladen."
    )


def _zip_format(path: pathlib.Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        raise ImportProblem(Text("Die ZIP-Datei ist beschädigt.")) from None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if any(name.lower().endswith(".shp") for name in names):
        return "shp"
    if "word/document.xml" in names or "content.xml" in names:
        raise ImportProblem(_unknown_format())
    raise ImportProblem(
        Text(
            "Die ZIP-Datei enthält weder eine Excel-Tabelle noch ein Shapefile (.shp mit .dbf, "
            ".shx und .prj)."
        )
    )


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) when the bytes are valid UTF-8, else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportProblem(
            Text(
                "Die Zeichenkodierung der Datei ist unbekannt. Bitte als CSV (UTF-8) oder "
                "CSV (Trennzeichen-getrennt) aus Excel speichern."
            )
        ) from None


def _dialect(text: str) -> csv.Dialect:
    """Excel's dialect with the separator the heading line uses most: ";" (German Excel),
    "," or tab; ";" on a tie. The heading decides because data rows hold decimal commas
    (``csv.Sniffer`` prefers "," when both look regular)."""
    first = text.split("\n", 1)[0]
    dialect = csv.excel()
    dialect.delimiter = max(";,\t", key=first.count)
    return dialect


def read_csv(data: bytes, file_name: str) -> Table:
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    rows, lines, headers, last = [], [], None, 0
    try:
        for row in reader:
            start, last = last + 1, reader.line_num
            if headers is None:
                headers = row
                continue
            if any(cell.strip() for cell in row):
                _check_count(len(rows))
                rows.append([cell if cell != "" else None for cell in row])
                lines.append(start)
    except csv.Error as exc:
        raise ImportProblem(
            Text("Die CSV-Datei ist fehlerhaft (Zeile %(line)s): %(err)s", line=last, err=str(exc))
        ) from None
    return _table(file_name, "csv", headers or [], rows, lines)


def _check_count(count: int) -> None:
    if count >= MAX_ROWS:
        raise ImportProblem(
            Text(
                "Die Datei hat mehr als %(max)s Zeilen. Bitte teilen Sie sie auf.",
                max=float(MAX_ROWS),  # a float: written "50.000" in German, "50,000" in English
            )
        )


def _table(name: str, file_format: str, headers: list, rows: list, lines: list) -> Table:
    headers = unique_headers(headers)
    width = len(headers)
    rows = [(row + [None] * width)[:width] for row in rows]
    return Table(name, file_format, headers, rows, lines)


def unique_headers(headers: list) -> list[str]:
    """Headings as text; empty ones become "Spalte 3", repeated ones "Name (2)"."""
    result: list[str] = []
    for number, raw in enumerate(headers, start=1):
        header = str(raw).strip() if raw is not None else ""
        header = header or f"Spalte {number}"
        candidate, n = header, 2
        while candidate in result:
            candidate, n = f"{header} ({n})", n + 1
        result.append(candidate)
    return result


def read_xlsx(path: pathlib.Path, file_name: str) -> Table:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise ImportProblem(Text("Die Excel-Datei kann nicht gelesen werden.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows, lines, headers = [], [], None
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [cell_text(v) for v in values]
            if headers is None:
                if any(c is not None for c in cells):
                    headers = cells
                continue
            if any(c is not None and c.strip() for c in cells):
                _check_count(len(rows))
                rows.append(cells)
                lines.append(number)
    finally:
        workbook.close()
    return _table(file_name, "xlsx", headers or [], rows, lines)
