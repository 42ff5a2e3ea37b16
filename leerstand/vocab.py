"""Controlled vocabularies: code (stored, English) -> German label (translatable).

Labels are German msgids; the English catalogue in translations/en translates them."""

from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

ROLES = {
    "admin": _l("Administration"),
    "staff": _l("Sachbearbeitung"),
    "viewer": _l("Nur lesen"),
    # data-protection officer: reads personal data and the access log, answers requests
    "dpo": _l("Datenschutz"),
    # e.g. business promotion or the council: units, buildings and figures, no personal data
    "analyst": _l("Räume und Zahlen (ohne Personendaten)"),
}

# The roles that may see owner data (names, addresses, phone, e-mail): owner pages and the
# owner columns of exports. Today every staff role; the one place to narrow it.
OWNER_DATA_ROLES = frozenset({"admin", "staff", "viewer", "dpo"})


def may_see_owner_data(role: str | None) -> bool:
    return role in OWNER_DATA_ROLES


# Kinds of use a proposal asks for (proposal.use_kind) and a unit suits (unit.suitable_uses).
USE_KINDS = {
    "popup": _l("Pop-up-Laden"),
    "exhibition": _l("Ausstellung"),
    "youth": _l("Jugendraum"),
    "club": _l("Vereinsraum"),
    "atelier": _l("Atelier"),
    "cafe": _l("Café / Treffpunkt"),
    "workshop": _l("Werkstatt / Repair-Café"),
    "events": _l("Veranstaltungen"),
    "office": _l("Büro / Coworking"),
    "other": _l("Sonstiges"),
}


class UnitKind(NamedTuple):
    """One kind of unit: its label, its colour on the maps (marker and legend) and the kinds of
    use (codes of ``USE_KINDS``) it suits in the matching. A unit whose ``suitable_uses`` name
    a use kind fits that use whatever its kind."""

    label: LazyString
    colour: str
    uses: tuple[str, ...]


# Adding a kind of unit is one entry here, its English translation and nothing else: forms,
# filters, API labels, the map legend and colours, the matching and the CHECK constraint on
# unit.kind (a migration writes the new list out) follow from it.
UNIT_KIND_ENTRIES: dict[str, UnitKind] = {
    "shop": UnitKind(
        _l("Ladenlokal"),
        "#c8473a",
        ("popup", "exhibition", "youth", "club", "atelier", "cafe", "workshop", "office", "other"),
    ),
    "office": UnitKind(
        _l("Büro / Praxis"),
        "#2f6fb0",
        ("exhibition", "youth", "club", "atelier", "office", "other"),
    ),
    "gastro": UnitKind(_l("Gastronomie"), "#d98c1f", ("popup", "cafe", "events", "other")),
    "flat": UnitKind(_l("Wohnung"), "#6a8f3a", ("club", "atelier", "office", "other")),
    "hall": UnitKind(
        _l("Saal / Halle"),
        "#8a4fa0",
        ("exhibition", "youth", "club", "atelier", "workshop", "events", "other"),
    ),
    "workshop": UnitKind(_l("Werkstatt / Lager"), "#6b5a45", ("atelier", "workshop", "other")),
    "whole_building": UnitKind(_l("Ganzes Gebäude"), "#1f7f7a", tuple(USE_KINDS)),
    "other": UnitKind(_l("Sonstiges"), "#7a7f85", ("other",)),
}


def unit_kind_labels(entries: dict[str, UnitKind]) -> dict:
    """code -> label of the kinds of unit (forms, filters, API labels, the map legend)."""
    return {code: entry.label for code, entry in entries.items()}


def unit_kind_colours(entries: dict[str, UnitKind]) -> dict[str, str]:
    """code -> colour of the kinds of unit (map markers and legend, sent to the map as data)."""
    return {code: entry.colour for code, entry in entries.items()}


UNIT_KINDS = unit_kind_labels(UNIT_KIND_ENTRIES)
UNIT_KIND_COLOURS = unit_kind_colours(UNIT_KIND_ENTRIES)


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
    "online": _l("Antwortseite (online)"),
}

DIRECTIONS = {"out": _l("ausgehend"), "in": _l("eingehend"), "internal": _l("intern")}

PROPOSAL_STATES = {
    "draft": _l("Entwurf"),
    "submitted": _l("eingereicht"),
    "published": _l("veröffentlicht"),
    "rejected": _l("abgelehnt"),
    "matched": _l("Raum gefunden"),
    "realised": _l("umgesetzt"),
    "withdrawn": _l("zurückgezogen"),
    "expired": _l("abgelaufen"),
}

BUDGET_KINDS = {
    "nothing": _l("kein Budget"),
    "costs_only": _l("Nebenkosten"),
    "rent": _l("Miete bis"),
}

LOCATION_KINDS = {
    "point": _l("Punkt mit Umkreis"),
    "area": _l("Gebiet auf der Karte"),
    "districts": _l("Ortsteile"),
    "unit": _l("bestimmter Leerstand"),
}

CONSENT_SCOPES = {
    "public_map": _l("Anzeige auf der öffentlichen Karte"),
    "share_contact": _l("Kontakt an Initiative weitergeben"),
    "photos": _l("Fotos zeigen"),
    "email_contact": _l("Kontakt per E-Mail"),
}

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


MATCH_STATUSES = {
    "suggested": _l("vorgeschlagen"),
    "shortlisted": _l("vorgemerkt"),
    "dismissed": _l("verworfen"),
}

MATCH_CRITERIA = {
    "distance": _l("Lage"),
    "area": _l("Fläche"),
    "utilities": _l("Ausstattung"),
    "cost": _l("Kosten"),
    "openness": _l("Offenheit der Eigentümer:innen"),
    "vacancy": _l("Dauer des Leerstands"),
}

REQUEST_CHANNELS = {
    "email": _l("E-Mail mit persönlichem Link"),
    "letter": _l("Brief mit Antwortcode"),
}

REQUEST_STATES = {
    "open": _l("offen"),
    "answered": _l("beantwortet"),
    "revoked": _l("zurückgezogen"),
    "expired": _l("abgelaufen"),
}

ANSWERS = {
    "yes": _l("Ja"),
    "yes_conditions": _l("Ja, unter Bedingungen"),
    "no": _l("Nein"),
    "more_info": _l("Ich brauche mehr Informationen"),
}

# How an owner's answer came in (use_request.answer_channel).
ANSWER_CHANNELS = {
    "online": _l("online"),
    "paper": _l("Antwortbogen (Papier)"),
    "phone": _l("Telefon"),
}

# How letters and mails greet an owner (owner.salutation).
SALUTATIONS = {
    "frau": _l("Frau"),
    "herr": _l("Herr"),
    "neutral": _l("neutral (Sehr geehrte Damen und Herren)"),
    "organisation": _l("Organisation (Sehr geehrte Damen und Herren)"),
}

INTERIM_OUTCOMES = {
    "vacancy_ended": _l("Leerstand beendet"),
    "back_to_vacant": _l("wieder leer"),
    "let_permanently": _l("dauerhaft vermietet"),
}

# Equipment of a unit and needs of a proposal (boolean columns of the same names).
FEATURES = {
    "street_level": _l("ebenerdig"),
    "step_free": _l("barrierefrei (stufenlos)"),
    "shop_window": _l("Schaufenster"),
    "power": _l("Strom"),
    "water": _l("Wasser"),
    "wc": _l("WC"),
    "heating": _l("Heizung"),
}

CONSENT_ACTIONS = {"give": _l("erteilt"), "withdraw": _l("widerrufen")}

# Protokoll: AuditEvent.entity (the table name) and AuditEvent.action as written by
# services.audit.record / save_with_audit / flush_versioned and the seed.
AUDIT_ENTITIES = {
    "building": _l("Gebäude"),
    "unit": _l("Nutzungseinheit"),
    "owner": _l("Eigentümer:in"),
    "ownership": _l("Eigentumsverhältnis"),
    "contact_case": _l("Ansprache"),
    "consent": _l("Einwilligung"),
    "proposal": _l("Idee"),
    "match": _l("Treffer"),
    "use_request": _l("Nutzungsanfrage"),
    "interim_use": _l("Zwischennutzung"),
    "app_user": _l("Benutzer:in"),
    "municipality": _l("Kommune"),
    "import_batch": _l("Import"),
    "initiative": _l("Initiative"),
    "media_file": _l("Foto/Dokument"),
}

AUDIT_ACTIONS = {
    "create": _l("angelegt"),
    "update": _l("geändert"),
    "delete": _l("gelöscht"),
    "seed": _l("Beispieldaten angelegt"),
    "link": _l("Gebäude zugeordnet"),
    "unlink": _l("Zuordnung entfernt"),
    "transition": _l("Status geändert"),
    "contact": _l("Kontakt erfasst"),
    "follow_up": _l("Wiedervorlage geändert"),
    "status": _l("Status geändert"),
    "consent_given": _l("Einwilligung erteilt"),
    "consent_withdrawn": _l("Einwilligung widerrufen"),
    "revoke": _l("zurückgezogen"),
    "reissue": _l("neu ausgestellt"),
    "remind": _l("Erinnerung gesendet"),
    "answer": _l("Antwort der Eigentümer:in"),
    "owner_answer": _l("nach Antwort der Eigentümer:in geändert"),
    "owner_update": _l("von der Eigentümer:in geändert"),
    "end": _l("beendet"),
    "password_changed": _l("Passwort geändert"),
    "role_changed": _l("Rolle geändert"),
    "activated": _l("aktiviert"),
    "deactivated": _l("deaktiviert"),
    "api_token_created": _l("API-Zugang angelegt"),
    "api_token_revoked": _l("API-Zugang widerrufen"),
    "export": _l("Export mit Eigentümerdaten"),
    "import": _l("importiert"),
    "undo": _l("rückgängig gemacht"),
    "erased": _l("Personendaten gelöscht"),
    "restricted": _l("gesperrt"),
    "unrestricted": _l("Sperre aufgehoben"),
    "objected": _l("Widerspruch erfasst"),
    "unobjected": _l("Widerspruch aufgehoben"),
    "retention": _l("Aufbewahrungsfrist abgelaufen"),
}


def german(vocabulary: dict, code: str | None) -> str:
    """The German label (the msgid) of ``code`` whatever the request's language: for texts
    that are stored or mailed (contact log, match reasons, service messages)."""
    if code is None:
        return ""
    text = vocabulary.get(code)
    msgid = getattr(text, "_args", None)  # flask_babel's LazyString keeps its msgid in _args
    return str(msgid[0]) if msgid else str(text or code)


def label(vocabulary: dict, code: str | None) -> str:
    if code is None:
        return ""
    return str(vocabulary.get(code, code))


def choices(vocabulary: dict) -> list[tuple[str, str]]:
    return [(code, str(text)) for code, text in vocabulary.items()]


def use_kind_unit_kinds(entries: dict[str, UnitKind] = UNIT_KIND_ENTRIES) -> dict[str, tuple]:
    """The matching table: for each use kind (``USE_KINDS`` order) the unit kinds that suit it,
    in the order of ``entries``."""
    return {use: tuple(c for c, e in entries.items() if use in e.uses) for use in USE_KINDS}


def in_vocab(column: str, vocabulary: dict, *, nullable: bool = False) -> str:
    """SQL for a CHECK constraint: ``column`` holds one of the vocabulary's codes (or NULL)."""
    codes = ", ".join(f"'{code}'" for code in vocabulary)
    check = f"{column} IN ({codes})"
    return f"{column} IS NULL OR {check}" if nullable else check
