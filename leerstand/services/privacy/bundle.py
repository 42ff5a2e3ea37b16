"""The machine-readable Art. 15/20 bundle of an ``access.Answer``: a ZIP built in memory with
one JSON document of everything (``auskunft.json``) and one CSV file per kind of data
(UTF-8 with BOM, ";" separated, German headers, so that spreadsheet programs open them as
they are). Moments are ISO 8601 with offset, days ISO dates."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal

from leerstand.services.privacy.access_common import Answer, Section

JSON_NAME = "auskunft.json"
KIND_NAMES = {"owner": "eigentuemer", "initiative": "initiative", "app_user": "benutzer"}


def filename(answer: Answer, today: date) -> str:
    """``auskunft-eigentuemer-<id>-<date>.zip`` (initiative, benutzer likewise)."""
    return f"auskunft-{KIND_NAMES[answer.kind]}-{answer.person_id}-{today.isoformat()}.zip"


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, int | float | bool | str):
        return value
    return str(value)


def _rows(section: Section) -> list[dict]:
    keys = [key for key, _label in section.columns]
    return [{key: _value(row.get(key)) for key in keys} for row in section.rows]


def document(answer: Answer) -> dict:
    """Everything of ``answer`` as one JSON-ready dict."""
    return {
        "auskunft_nach": "Art. 15 und Art. 20 DSGVO",
        "art_der_person": answer.kind,
        "nr": answer.person_id,
        "name": answer.person_name,
        "kommune": answer.municipality,
        "erstellt_am": answer.created_at.isoformat(),
        "abschnitte": {
            s.key: {
                "titel": str(s.title),
                "spalten": {key: str(label) for key, label in s.columns},
                "hinweis": str(s.note) if s.note else None,
                "eintraege": _rows(s),
            }
            for s in answer.sections
        },
    }


def _cell(value) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "ja" if value else "nein"
    return str(value)


def _csv(section: Section) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    keys = [key for key, _label in section.columns]
    writer.writerow([str(label) for _key, label in section.columns])
    for row in _rows(section):
        writer.writerow([_cell(row[key]) for key in keys])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def zip_bytes(answer: Answer) -> bytes:
    """The ZIP: ``auskunft.json`` and ``<section>.csv`` per kind of data."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        text = json.dumps(document(answer), ensure_ascii=False, indent=2)
        archive.writestr(JSON_NAME, text.encode("utf-8"))
        for section in answer.sections:
            archive.writestr(f"{section.key}.csv", _csv(section))
    return buffer.getvalue()
