"""The target fields of an import (code -> German label, in wizard order), the required ones,
the fields whose words map to a vocabulary, the coordinate systems offered, and the guess of
which column of a file holds which field from its (German) heading."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from leerstand.messages import Text
from leerstand.vocab import CONDITIONS, OWNER_EXPECTATIONS, UNIT_KINDS, VACANCY_STATES, german

FIELDS = {
    # address
    "street": _l("Straße"),
    "house_number": _l("Hausnummer"),
    "postcode": _l("Postleitzahl"),
    "place": _l("Ort"),
    "district": _l("Ortsteil"),
    # coordinates
    "x": _l("Rechtswert / Länge (x)"),
    "y": _l("Hochwert / Breite (y)"),
    # building
    "building_id": _l("Gebäude-Nr. im Register (für Aktualisierung)"),
    "parcel_id": _l("Flurstück"),
    "alkis_id": _l("ALKIS-Kennung"),
    "listed": _l("Denkmal"),
    "condition": _l("Zustand"),
    "year_built": _l("Baujahr"),
    "building_notes": _l("Notizen zum Gebäude"),
    # unit
    "unit_id": _l("Einheit-Nr. im Register (für Aktualisierung)"),
    "unit_name": _l("Bezeichnung der Einheit"),
    "kind": _l("Art der Einheit"),
    "floor": _l("Geschoss"),
    "area_m2": _l("Fläche (m²)"),
    "vacancy_state": _l("Leerstand"),
    "vacant_since": _l("leer seit"),
    "available_from": _l("verfügbar ab"),
    "owner_expectation": _l("Erwartung der Eigentümer:in"),
    "rent_eur_month": _l("Miete (€ im Monat)"),
    "street_level": _l("ebenerdig"),
    "shop_window": _l("Schaufenster"),
    "public_description": _l("Öffentliche Beschreibung"),
    "internal_notes": _l("Interne Notizen"),
    # owner
    "owner_name": _l("Eigentümer:in (Name)"),
    "owner_address": _l("Anschrift der Eigentümer:in"),
    "owner_email": _l("E-Mail der Eigentümer:in"),
    "owner_phone": _l("Telefon der Eigentümer:in"),
}

REQUIRED = frozenset({"street"})

YES_NO = {"yes": _l("ja"), "no": _l("nein")}
BOOLEAN_FIELDS = ("listed", "street_level", "shop_window")

VALUE_FIELDS = {
    "kind": UNIT_KINDS,
    "vacancy_state": VACANCY_STATES,
    "owner_expectation": OWNER_EXPECTATIONS,
    "condition": CONDITIONS,
    **dict.fromkeys(BOOLEAN_FIELDS, YES_NO),
}

CRS_CHOICES = {
    "file": _l("wie in der Datei angegeben"),
    "EPSG:4326": _l("WGS 84, Länge/Breite in Grad (EPSG:4326)"),
    "EPSG:25832": _l("ETRS89 / UTM Zone 32N, Meter (EPSG:25832)"),
    "EPSG:31468": _l("Gauß-Krüger 4. Streifen, Meter (EPSG:31468)"),
}

# Normalised headings (see ``normalise``) per field; the first field whose synonym matches wins.
HEADINGS: dict[str, tuple[str, ...]] = {
    "street": ("strasse", "str", "strassenname", "adresse", "anschrift", "lage", "street"),
    "house_number": ("hausnr", "hausnummer", "hnr", "nr", "nummer", "housenumber"),
    "postcode": ("plz", "postleitzahl", "postcode", "zip"),
    "place": ("ort", "stadt", "gemeinde", "ortsname", "city", "place"),
    "district": ("ortsteil", "ot", "stadtteil", "ortslage", "district"),
    "x": ("rechtswert", "rw", "x", "ost", "easting", "e", "laenge", "lon", "lng", "longitude"),
    "y": ("hochwert", "hw", "y", "nord", "northing", "n", "breite", "lat", "latitude"),
    "building_id": ("gebaeudeid", "gebaeudenr", "buildingid"),
    "parcel_id": ("flurstueck", "flurstuecksnr", "flurstuecksnummer", "flurstuecknr", "parcel"),
    "alkis_id": ("alkis", "alkisid", "alkiskennung", "gebaeudekennung"),
    "listed": ("denkmal", "denkmalschutz", "baudenkmal", "denkmalgeschuetzt", "listed"),
    "condition": ("zustand", "bauzustand", "gebaeudezustand", "condition"),
    "year_built": ("baujahr", "errichtet", "yearbuilt"),
    "building_notes": ("notizengebaeude", "bemerkunggebaeude", "gebaeudenotizen"),
    "unit_id": ("einheitid", "einheitnr", "unitid", "id"),
    "unit_name": ("bezeichnung", "einheit", "name", "objekt", "nutzungseinheit", "unit"),
    "kind": ("art", "nutzungsart", "nutzung", "typ", "objektart", "kind", "artdereinheit"),
    "floor": ("geschoss", "etage", "stockwerk", "lageimgebaeude", "floor"),
    "area_m2": (
        "flaeche",
        "flaechem2",
        "flaechequadratmeter",
        "flaecheinm2",
        "nutzflaeche",
        "nutzflaechem2",
        "groesse",
        "groessem2",
        "qm",
        "m2",
        "area",
    ),
    "vacancy_state": ("leerstand", "status", "zustandnutzung", "belegung", "vacancy"),
    "vacant_since": ("leerseit", "leerstehendseit", "seit", "vacantsince"),
    "available_from": ("verfuegbarab", "frei", "freiab", "bezugsfertigab", "availablefrom"),
    "owner_expectation": ("erwartung", "erwartungeigentuemer", "konditionen"),
    "rent_eur_month": ("miete", "kaltmiete", "mieteeur", "mietemonat", "rent"),
    "street_level": ("ebenerdig", "erdgeschoss", "eg", "streetlevel"),
    "shop_window": ("schaufenster", "shopwindow"),
    "public_description": ("beschreibung", "oeffentlichebeschreibung", "description"),
    "internal_notes": ("bemerkung", "bemerkungen", "notizen", "notiz", "hinweise", "interne"),
    "owner_name": ("eigentuemer", "eigentuemerin", "eigentuemername", "besitzer", "owner"),
    "owner_address": ("anschrifteigentuemer", "adresseeigentuemer", "eigentuemeranschrift"),
    "owner_email": ("email", "mail", "emaileigentuemer", "eigentuemeremail"),
    "owner_phone": ("telefon", "tel", "telefonnr", "telefoneigentuemer", "phone"),
}

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "²": "2", "€": "eur"})


def normalise(text: str) -> str:
    """Lower case, umlauts written out, only letters and digits: "Größe m²" -> "groessem2"."""
    return re.sub(r"[^a-z0-9]", "", text.lower().translate(_UMLAUTS))


def guess_columns(headers: list[str]) -> dict[str, str]:
    """field code -> header, each header and each field used at most once: first headings that
    are a synonym, then headings that start with one of 4 letters or more ("Leer seit (Monat)")."""
    result: dict[str, str] = {}
    keys = [(header, normalise(header)) for header in headers]
    matches = (
        lambda key, synonym: key == synonym,
        lambda key, synonym: len(synonym) >= 4 and key.startswith(synonym),
    )
    for matches_ in matches:
        for field, synonyms in HEADINGS.items():
            if field in result:
                continue
            taken = set(result.values())
            for header, key in keys:
                if header not in taken and any(matches_(key, s) for s in synonyms):
                    result[field] = header
                    break
    return {field: result[field] for field in FIELDS if field in result}


def field_label(code: str) -> Text:
    """The German label of a field (its msgid, as a ``Text`` that messages translate with
    them), usable without a request (services, CLI)."""
    return Text(german(FIELDS, code))
