"""Controlled vocabularies: code (stored, English) -> German label (translatable).

Labels are German msgids; the English catalogue in translations/en translates them."""

from flask_babel import lazy_gettext as _l

ROLES = {"admin": _l("Administration"), "staff": _l("Sachbearbeitung"), "viewer": _l("Nur lesen")}

UNIT_KINDS = {
    "shop": _l("Ladenlokal"),
    "office": _l("Büro / Praxis"),
    "gastro": _l("Gastronomie"),
    "flat": _l("Wohnung"),
    "hall": _l("Saal / Halle"),
    "workshop": _l("Werkstatt / Lager"),
    "whole_building": _l("Ganzes Gebäude"),
    "other": _l("Sonstiges"),
}

VACANCY_STATES = {
    "vacant": _l("leer"),
    "partly_vacant": _l("teilweise leer"),
    "vacancy_expected": _l("Leerstand absehbar"),
    "interim_use": _l("in Zwischennutzung"),
    "occupied": _l("genutzt"),
}

OWNER_EXPECTATIONS = {
    "unknown": _l("unbekannt"),
    "rent": _l("Miete"),
    "costs_only": _l("nur Nebenkosten"),
    "free": _l("kostenfrei"),
}

CONDITIONS = {
    "good": _l("gut"),
    "fair": _l("mittel"),
    "poor": _l("schlecht"),
    "ruin": _l("ruinös"),
}

OWNER_KINDS = {
    "person": _l("Privatperson"),
    "company": _l("Unternehmen"),
    "heirs": _l("Erbengemeinschaft"),
    "public": _l("Öffentliche Hand"),
    "church": _l("Kirche"),
    "association": _l("Verein"),
}

OWNERSHIP_ROLES = {
    "owner": _l("Eigentümer:in"),
    "co_owner": _l("Miteigentümer:in"),
    "manager": _l("Hausverwaltung"),
    "heir": _l("Erb:in"),
}

CHANNELS = {
    "letter": _l("Brief"),
    "email": _l("E-Mail"),
    "phone": _l("Telefon"),
    "visit": _l("Besuch vor Ort"),
    "meeting": _l("Termin im Rathaus"),
}

DIRECTIONS = {"out": _l("ausgehend"), "in": _l("eingehend"), "internal": _l("intern")}

CONTACT_STATES = {
    "not_contacted": _l("nicht kontaktiert"),
    "contacted": _l("kontaktiert"),
    "in_dialogue": _l("im Gespräch"),
    "open_to_interim_use": _l("offen für Zwischennutzung"),
    "declined": _l("abgelehnt"),
    "agreement": _l("Vereinbarung"),
    "closed": _l("abgeschlossen"),
    "unreachable": _l("nicht erreichbar"),
}


def label(vocabulary: dict, code: str | None) -> str:
    if code is None:
        return ""
    return str(vocabulary.get(code, code))


def choices(vocabulary: dict) -> list[tuple[str, str]]:
    return [(code, str(text)) for code, text in vocabulary.items()]
