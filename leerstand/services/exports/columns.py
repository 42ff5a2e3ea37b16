"""The register export's columns (German headings, kinds) and one database row as typed
values in that order: codes become their German labels (``vocab.german``), owners (only when
asked for) become four columns joined with `` | `` in the order they were linked."""

from __future__ import annotations

from leerstand import vocab
from leerstand.services.exports.cells import Column

SEPARATOR = " | "

REGISTER = (
    Column("Gebäude-Nr.", "int"), Column("Straße"), Column("Hausnummer"),
    Column("Postleitzahl"), Column("Ort"), Column("Ortsteil"),
    Column("Flurstückskennzeichen"), Column("ALKIS-Gebäude-ID"), Column("Denkmal", "bool"),
    Column("Zustand"), Column("Baujahr", "int"), Column("Notizen Gebäude (intern)"),
    Column("Einheit-Nr.", "int"), Column("Einheit"), Column("Art"), Column("Geschoss"),
    Column("Fläche m²", "number", 1), Column("ebenerdig", "bool"),
    Column("stufenlos", "bool"), Column("Schaufenster", "bool"), Column("Strom", "bool"),
    Column("Wasser", "bool"), Column("WC", "bool"), Column("Heizung", "bool"),
    Column("Leerstand"), Column("Zwischennutzung geplant ab", "date"),
    Column("leer seit", "date"), Column("verfügbar ab", "date"),
    Column("verfügbar bis", "date"), Column("Vorstellung Eigentümer:in"),
    Column("Miete €/Monat", "number", 2), Column("geeignet für"),
    Column("veröffentlichen", "bool"), Column("Öffentliche Beschreibung"),
    Column("Notizen Einheit (intern)"), Column("Ansprache"), Column("Wiedervorlage", "date"),
    Column("Länge (WGS84)", "number", 6), Column("Breite (WGS84)", "number", 6),
    Column("Rechtswert (EPSG:25832)", "number", 2),
    Column("Hochwert (EPSG:25832)", "number", 2),
)  # fmt: skip
OWNERS = (
    Column("Eigentümer:innen"),
    Column("Anschrift Eigentümer:innen"),
    Column("Telefon Eigentümer:innen"),
    Column("E-Mail Eigentümer:innen"),
)


def columns(with_owners: bool) -> tuple[Column, ...]:
    return REGISTER + OWNERS if with_owners else REGISTER


def _label(vocabulary: dict, code: str | None) -> str | None:
    return vocab.german(vocabulary, code) if code else None


def _flag(row, name: str) -> bool | None:
    return None if row.unit_id is None else getattr(row, name)


def _owner_name(owner: dict) -> str:
    role = vocab.german(vocab.OWNERSHIP_ROLES, owner["role"])
    person = f", {owner['contact_person']}" if owner["contact_person"] else ""
    return f"{owner['name']}{person} ({role})"


def _owner_address(owner: dict) -> str:
    place = " ".join(filter(None, (owner["postcode"], owner["city"])))
    return ", ".join(filter(None, (owner["street"], place))) or "–"


def owner_values(owners: list[dict] | None) -> list[str]:
    owners = owners or []
    return [
        SEPARATOR.join(_owner_name(o) for o in owners),
        SEPARATOR.join(_owner_address(o) for o in owners),
        SEPARATOR.join(o["phone"] or "–" for o in owners)
        if any(o["phone"] for o in owners)
        else "",
        SEPARATOR.join(o["email"] or "–" for o in owners)
        if any(o["email"] for o in owners)
        else "",
    ]


def _uses(codes: list[str] | None) -> str | None:
    return ", ".join(vocab.german(vocab.USE_KINDS, c) for c in codes) if codes else None


def values(row, with_owners: bool, with_notes: bool = True) -> list:
    """One row of ``register.query`` as typed values in the order of ``columns``; without
    ``with_notes`` the free-text notes stay empty (they may name people)."""
    building_notes, internal_notes = (
        (row.building_notes, row.internal_notes) if with_notes else (None, None)
    )
    out = [
        row.building_id, row.street, row.house_number, row.postcode, row.place, row.district,
        row.parcel_id, row.alkis_id, row.listed, _label(vocab.CONDITIONS, row.condition),
        row.year_built, building_notes,
        row.unit_id, row.unit_name, _label(vocab.UNIT_KINDS, row.kind), row.floor, row.area_m2,
        *(_flag(row, n) for n in
          ("street_level", "step_free", "shop_window", "power", "water", "wc", "heating")),
        _label(vocab.VACANCY_STATES, row.vacancy_state), row.planned_from, row.vacant_since,
        row.available_from, row.available_to,
        _label(vocab.OWNER_EXPECTATIONS, row.owner_expectation), row.rent_eur_month,
        _uses(row.suitable_uses), _flag(row, "publishable"), row.public_description,
        internal_notes, _label(vocab.CONTACT_STATES, row.contact_state),
        row.next_follow_up, row.lon, row.lat, row.easting, row.northing,
    ]  # fmt: skip
    return out + owner_values(row.owners) if with_owners else out
