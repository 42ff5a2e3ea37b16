"""Words in vocabulary columns ("Ladenlokal", "leer", "x") and the guess of the project's code
for each: the vocabulary's German label or a synonym, case/umlaut/space-insensitive."""

from __future__ import annotations

from functools import lru_cache

from leerstand.services.imports.fields import VALUE_FIELDS, normalise
from leerstand.services.imports.table import Table
from leerstand.vocab import german

# normalised word -> code, per field, on top of the vocabulary's own labels and codes
SYNONYMS: dict[str, dict[str, str]] = {
    "kind": {
        "laden": "shop",
        "ladengeschaeft": "shop",
        "geschaeft": "shop",
        "einzelhandel": "shop",
        "verkaufsflaeche": "shop",
        "gewerbe": "shop",
        "buero": "office",
        "praxis": "office",
        "kanzlei": "office",
        "dienstleistung": "office",
        "gaststaette": "gastro",
        "gastronomie": "gastro",
        "restaurant": "gastro",
        "cafe": "gastro",
        "kneipe": "gastro",
        "imbiss": "gastro",
        "wohnung": "flat",
        "wohnen": "flat",
        "wohneinheit": "flat",
        "saal": "hall",
        "halle": "hall",
        "werkstatt": "workshop",
        "lager": "workshop",
        "lagerraum": "workshop",
        "gebaeude": "whole_building",
        "ganzesgebaeude": "whole_building",
        "haus": "whole_building",
        "sonstiges": "other",
        "sonstige": "other",
    },
    "vacancy_state": {
        "leer": "vacant",
        "leerstand": "vacant",
        "leerstehend": "vacant",
        "unbewohnt": "vacant",
        "frei": "vacant",
        "teilleer": "partly_vacant",
        "teilweiseleer": "partly_vacant",
        "teilleerstand": "partly_vacant",
        "absehbar": "vacancy_expected",
        "leerstandabsehbar": "vacancy_expected",
        "zwischennutzung": "interim_use",
        "genutzt": "occupied",
        "vermietet": "occupied",
        "belegt": "occupied",
        "bewohnt": "occupied",
    },
    "owner_expectation": {
        "miete": "rent",
        "vermietung": "rent",
        "nebenkosten": "costs_only",
        "kostenfrei": "free",
        "kostenlos": "free",
        "unbekannt": "unknown",
    },
    "condition": {
        "sehrgut": "good",
        "saniert": "good",
        "mittel": "fair",
        "maessig": "fair",
        "befriedigend": "fair",
        "sanierungsbeduerftig": "poor",
        "schlecht": "poor",
        "marode": "ruin",
        "ruine": "ruin",
        "ruinoes": "ruin",
        "baufaellig": "ruin",
    },
}
YES_WORDS = ("ja", "j", "x", "1", "wahr", "true", "yes", "y")
NO_WORDS = ("nein", "n", "0", "falsch", "false", "no", "-")


def value_words(table: Table, columns: dict[str, str], field: str) -> list[str]:
    """The distinct non-empty words (stripped) of the column mapped to ``field``, sorted."""
    header = columns.get(field)
    if not header or header not in table.headers:
        return []
    index = table.column(header)
    words = {(row[index] or "").strip() for row in table.rows}
    return sorted(word for word in words if word)


@lru_cache(maxsize=16)
def _lookup(field: str) -> dict[str, str]:
    vocabulary = VALUE_FIELDS[field]
    if field in ("kind", "vacancy_state", "owner_expectation", "condition"):
        table = {normalise(code): code for code in vocabulary}
        table.update({normalise(german(vocabulary, code)): code for code in vocabulary})
        table.update(SYNONYMS.get(field, {}))
        return table
    return {**dict.fromkeys(YES_WORDS, "yes"), **dict.fromkeys(NO_WORDS, "no")}


def guess_values(field: str, words: list[str]) -> dict[str, str | None]:
    """word -> code of the field's vocabulary, or None when there is no sure guess."""
    if field not in VALUE_FIELDS:
        return dict.fromkeys(words)
    table = _lookup(field)
    return {word: table.get(normalise(word)) for word in words}


def resolve(field: str, word: str, chosen: dict[str, str] | None) -> str | None:
    """The code for one cell: the user's mapping first (an empty choice leaves the word
    unmapped), then the guess; None if unknown."""
    word = word.strip()
    if chosen is not None and word in chosen:  # the user's choice, "" or None: not mapped
        return chosen[word] or None
    return _lookup(field).get(normalise(word))
