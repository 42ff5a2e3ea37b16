"""What the audit log's change keys mean: a label (the form's msgid where there is one) and a
kind that says how to show the value, per entity (``AuditEvent.entity``, the table name).

Kinds: ``text``, ``long`` (shortened), ``bool``, ``date``, ``moment`` (a timestamp, shown in
local time), ``area`` (m²), ``money`` (€), ``share`` (a fraction shown in %), ``int``, a
vocabulary dict (the code's label), ``("list", vocabulary)``, ``("ref", entity)`` (the
record's name), ``geometry`` ("geändert"), ``secret`` (never shown: "neuer Antwortcode
erzeugt")."""

from flask_babel import lazy_gettext as _l

from leerstand import vocab

# Keys not shown: the municipality is the page's own.
HIDDEN = frozenset({"municipality_id"})

# Keys that mean the same on every entity.
COMMON = {
    "notes": (_l("Notizen (intern)"), "long"),
    "building_id": (_l("Gebäude"), ("ref", "building")),
    "unit_id": (_l("Einheit"), ("ref", "unit")),
    "owner_id": (_l("Eigentümer:in"), ("ref", "owner")),
    "proposal_id": (_l("Idee"), ("ref", "proposal")),
    "initiative_id": (_l("Initiative"), ("ref", "initiative")),
    "match_id": (_l("Treffer"), ("ref", "match")),
    "use_request_id": (_l("Nutzungsanfrage"), ("ref", "use_request")),
    "case_id": (_l("Ansprache"), ("ref", "contact_case")),
    "created_by_id": (_l("Angelegt von"), ("ref", "app_user")),
    "contact": (_l("Kontakt"), "long"),
    "token_hash": (_l("Zugang"), "secret"),
    "code_hash": (_l("Zugang"), "secret"),
    "password_hash": (_l("Passwort"), "secret"),
    "import_batch_id": (_l("Import Nr."), "int"),
}

_FEATURES = {key: (text, "bool") for key, text in vocab.FEATURES.items()}

FIELDS = {
    "building": {
        "street": (_l("Straße"), "text"),
        "house_number": (_l("Hausnummer"), "text"),
        "postcode": (_l("Postleitzahl"), "text"),
        "place": (_l("Ort"), "text"),
        "district_id": (_l("Ortsteil"), ("ref", "district")),
        "location": (_l("Standort"), "geometry"),
        "footprint": (_l("Umriss"), "geometry"),
        "parcel_id": (_l("Flurstückskennzeichen"), "text"),
        "alkis_id": (_l("ALKIS-Gebäude-ID"), "text"),
        "listed": (_l("Denkmal"), "bool"),
        "condition": (_l("Zustand"), vocab.CONDITIONS),
        "year_built": (_l("Baujahr"), "int"),
    },
    "unit": {
        "name": (_l("Bezeichnung"), "text"),
        "kind": (_l("Art"), vocab.UNIT_KINDS),
        "floor": (_l("Geschoss"), "text"),
        "area_m2": (_l("Fläche"), "area"),
        **_FEATURES,
        "vacancy_state": (_l("Leerstand"), vocab.VACANCY_STATES),
        "vacant_since": (_l("leer seit"), "date"),
        "available_from": (_l("verfügbar ab"), "date"),
        "available_to": (_l("verfügbar bis"), "date"),
        "owner_expectation": (_l("Erwartung der Eigentümer:in"), vocab.OWNER_EXPECTATIONS),
        "rent_eur_month": (_l("Miete (€/Monat)"), "money"),
        "suitable_uses": (_l("geeignet für"), ("list", vocab.USE_KINDS)),
        "publishable": (_l("darf veröffentlicht werden"), "bool"),
        "public_description": (_l("Öffentliche Beschreibung"), "long"),
        "internal_notes": (_l("Interne Notizen"), "long"),
    },
    "owner": {
        "kind": (_l("Art"), vocab.OWNER_KINDS),
        "salutation": (_l("Anrede"), "text"),
        "name": (_l("Name"), "text"),
        "contact_person": (_l("Ansprechperson"), "text"),
        "street": (_l("Straße und Hausnummer"), "text"),
        "postcode": (_l("PLZ"), "text"),
        "city": (_l("Ort"), "text"),
        "email": (_l("E-Mail"), "text"),
        "phone": (_l("Telefon"), "text"),
        "preferred_channel": (_l("Bevorzugter Kontaktweg"), vocab.CHANNELS),
        "is_municipality": (_l("Die Stadt selbst"), "bool"),
        "role": (_l("Rolle"), vocab.OWNERSHIP_ROLES),
        "share": (_l("Anteil"), "share"),
    },
    "contact_case": {
        "state": (_l("Status"), vocab.CONTACT_STATES),
        "next_follow_up": (_l("Wiedervorlage"), "date"),
        "responsible_id": (_l("Zuständig"), ("ref", "app_user")),
    },
    "consent": {
        "scope": (_l("Art der Einwilligung"), vocab.CONSENT_SCOPES),
        "given_at": (_l("erteilt am"), "moment"),
        "withdrawn_at": (_l("widerrufen am"), "moment"),
        "channel": (_l("Kontaktweg"), vocab.CHANNELS),
        "text_version": (_l("Fassung des Textes"), "text"),
        "recorded_by_id": (_l("Erfasst von"), ("ref", "app_user")),
    },
    "proposal": {
        "title": (_l("Titel"), "text"),
        "description": (_l("Beschreibung"), "long"),
        "use_kind": (_l("Art der Nutzung"), vocab.USE_KINDS),
        "area_min": (_l("Fläche mindestens"), "area"),
        "area_max": (_l("Fläche höchstens"), "area"),
        **_FEATURES,
        "time_from": (_l("Zeitraum ab"), "date"),
        "time_to": (_l("Zeitraum bis"), "date"),
        "frequency": (_l("Häufigkeit"), "text"),
        "budget_kind": (_l("Budget"), vocab.BUDGET_KINDS),
        "budget_eur_month": (_l("Budget (€/Monat)"), "money"),
        "location_kind": (_l("Ort"), vocab.LOCATION_KINDS),
        "point": (_l("Punkt"), "geometry"),
        "radius_m": (_l("Umkreis (m)"), "int"),
        "area": (_l("Gebiet"), "geometry"),
        "state": (_l("Status"), vocab.PROPOSAL_STATES),
        "rejection_reason": (_l("Begründung der Ablehnung"), "long"),
        "submitted_at": (_l("eingereicht am"), "moment"),
        "published_at": (_l("veröffentlicht am"), "moment"),
        "announced_at": (_l("angekündigt am"), "moment"),
    },
    "match": {
        "status": (_l("Status"), vocab.MATCH_STATUSES),
        "score": (_l("Punkte"), "int"),
        "reviewed_by_id": (_l("Geprüft von"), ("ref", "app_user")),
        "reviewed_at": (_l("geprüft am"), "moment"),
    },
    "use_request": {
        "channel": (_l("Weg"), vocab.REQUEST_CHANNELS),
        "issue_count": (_l("Ausstellungen"), "int"),
        "message": (_l("Nachricht"), "long"),
        "sent_at": (_l("gesendet am"), "moment"),
        "expires_at": (_l("gültig bis"), "moment"),
        "revoked_at": (_l("zurückgezogen am"), "moment"),
        "reminder_sent_at": (_l("Erinnerung gesendet am"), "moment"),
        "answered_at": (_l("beantwortet am"), "moment"),
        "answer": (_l("Antwort"), vocab.ANSWERS),
        "answer_message": (_l("Nachricht der Eigentümer:in"), "long"),
        "answer_channel": (_l("Antwort über"), "text"),
        "answer_recorded_by_id": (_l("Antwort erfasst von"), ("ref", "app_user")),
    },
    "interim_use": {
        "starts_on": (_l("Beginn"), "date"),
        "ends_on": (_l("Ende"), "date"),
        "costs": (_l("Kosten"), "long"),
        "insurance": (_l("Versicherung"), "long"),
        "key_handover": (_l("Schlüsselübergabe"), "long"),
        "notes": (_l("Notizen (intern)"), "long"),
        "ended_on": (_l("beendet am"), "date"),
        "outcome": (_l("Ergebnis"), vocab.INTERIM_OUTCOMES),
        "end_reminder_sent_at": (_l("Erinnerung zum Ende gesendet am"), "moment"),
    },
    "app_user": {
        "email": (_l("E-Mail"), "text"),
        "name": (_l("Name"), "text"),
        "role": (_l("Rolle"), vocab.ROLES),
        "active": (_l("aktiv"), "bool"),
        "api_token": (_l("API-Zugang"), "text"),
        "expires_at": (_l("gültig bis"), "moment"),
        "export": (_l("Export"), "text"),
        "filter": (_l("Filter"), "text"),
        "rows": (_l("Zeilen"), "int"),
        "owner_ids": (_l("Eigentümer:innen (Nr.)"), "long"),
    },
    "municipality": {  # a town's settings (services/towns)
        "name": (_l("Name"), "text"),
        "ags": (_l("Amtlicher Gemeindeschlüssel (AGS)"), "text"),
        "letterhead": (_l("Briefkopf"), "long"),
        "contact_person": (_l("Ansprechperson"), "text"),
        "contact_phone": (_l("Telefon"), "text"),
        "contact_email": (_l("E-Mail"), "text"),
        "letter_signature": (_l("Grußzeile / Unterschrift"), "text"),
        "map_centre": (_l("Kartenmittelpunkt"), "text"),
        "map_zoom": (_l("Zoomstufe"), "int"),
        "tile_url": (_l("Kachel-URL"), "text"),
        "tile_attribution": (_l("Quellenangabe der Kacheln"), "text"),
        "import_role": (_l("Import von Dateien erlaubt für"), "text"),
        "imprint_text": (_l("Impressum"), "long"),
        "privacy_text": (_l("Datenschutzerklärung"), "long"),
        "accessibility_text": (_l("Erklärung zur Barrierefreiheit"), "long"),
        "districts": (_l("Ortsteile"), "int"),
        "focus_areas": (_l("Fokusgebiete"), "int"),
    },
    "import_batch": {  # services/imports: the batch's "import" and "undo" events
        "file_name": (_l("Datei"), "text"),
        "rows_total": (_l("Zeilen"), "int"),
        "rows_created": (_l("neu angelegt"), "int"),
        "rows_updated": (_l("aktualisiert"), "int"),
        "rows_skipped": (_l("übersprungen"), "int"),
        "buildings_created": (_l("Gebäude angelegt"), "int"),
        "owners_created": (_l("Eigentümer:innen angelegt"), "int"),
        "units": (_l("Einheiten gelöscht"), "int"),
        "buildings": (_l("Gebäude gelöscht"), "int"),
        "owners": (_l("Eigentümer:innen gelöscht"), "int"),
        "units_restored": (_l("Einheiten zurückgesetzt"), "int"),
    },
}


def field(entity: str, key: str) -> tuple:
    """(label, kind) of change ``key`` of ``entity``; an unknown key keeps its name as label
    and is shown as plain text (timestamps and hashes in it are still caught by the
    formatter)."""
    found = FIELDS.get(entity, {}).get(key) or COMMON.get(key)
    if found:
        return found
    if key.endswith("_hash"):
        return (_l("Zugang"), "secret")
    return (key, "text")
