"""Eigentümer:innen and their links to buildings (Ownership), with the contact case per pair."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leerstand.messages import Fixed, Text
from leerstand.models import Building, ContactCase, Owner, Ownership
from leerstand.services.audit.log import flush_versioned, record, save_with_audit
from leerstand.services.errors import NotFound, ServiceError
from leerstand.services.forms import (
    check_length,
    contains_pattern,
    email,
    flag,
    in_range,
)
from leerstand.services.locking import check_version
from leerstand.services.matching import service as matching
from leerstand.services.municipality import get_scoped
from leerstand.services.privacy.restriction import listable
from leerstand.services.register.buildings import get_building
from leerstand.vocab import CHANNELS, OWNER_KINDS, OWNERSHIP_ROLES, SALUTATIONS
from leerstand.wording import greeting

OWNER_FIELDS = (
    "kind",
    "salutation",
    "name",
    "contact_person",
    "street",
    "postcode",
    "city",
    "email",
    "phone",
    "preferred_channel",
    "notes",
)
MAX_LENGTHS = {
    "name": 200,
    "contact_person": 200,
    "street": 200,
    "postcode": 10,
    "city": 120,
    "email": 254,
    "phone": 60,
}
FIELD_LABELS = {
    "name": Text("Name"),
    "contact_person": Text("Ansprechperson"),
    "street": Text("Straße und Hausnummer"),
    "postcode": Text("PLZ"),
    "city": Text("Ort"),
    "email": Text("E-Mail"),
    "phone": Text("Telefon"),
}
EMAIL_MESSAGE = Text("Die E-Mail-Adresse sieht nicht gültig aus (Beispiel: name@example.org).")
SEARCH_LIMIT = 200
SHARE_MIN = Decimal("0.0001")  # the smallest share the column stores above 0


def clean_owner_values(data: dict) -> dict:
    """Trimmed, validated owner values from form data; raises ServiceError (German Text)."""
    values = {key: str(data.get(key) or "").strip() for key in OWNER_FIELDS}
    if not values["name"]:
        raise ServiceError(Text("Bitte geben Sie einen Namen an."))
    if values["kind"] not in OWNER_KINDS:
        raise ServiceError(Text("Bitte wählen Sie eine gültige Art der Eigentümer:in."))
    values["salutation"] = values["salutation"] or "neutral"
    if values["salutation"] not in SALUTATIONS:
        raise ServiceError(Text("Bitte wählen Sie eine Anrede aus der Liste."))
    if values["preferred_channel"] not in CHANNELS:
        raise ServiceError(Text("Bitte wählen Sie einen gültigen bevorzugten Kontaktweg."))
    values["email"] = email(values["email"], message=EMAIL_MESSAGE)
    for key, limit in MAX_LENGTHS.items():
        check_length(values[key], limit, FIELD_LABELS[key])
    # The town itself: its buildings appear on the public map without a consent.
    values["is_municipality"] = flag(data, "is_municipality")
    return values


def owner_greeting(owner: Owner) -> Text:
    """How letters and mails greet the owner: the salutation belongs to the person addressed,
    the contact person when there is one, else the owner's name."""
    return greeting(owner.salutation, owner.contact_person or owner.name)


def get_owner(session: Session, municipality_id: int, owner_id: int) -> Owner:
    return get_scoped(
        session, Owner, owner_id, municipality_id, Text("Eigentümer:in nicht gefunden.")
    )


def search_owners(session: Session, municipality_id: int, query: str = "") -> list[Owner]:
    stmt = select(Owner).where(Owner.municipality_id == municipality_id, listable())
    query = (query or "").strip()
    if query:
        pattern = contains_pattern(query)
        stmt = stmt.where(
            Owner.name.ilike(pattern, escape="\\")
            | Owner.contact_person.ilike(pattern, escape="\\")
        )
    return list(session.scalars(stmt.order_by(func.lower(Owner.name)).limit(SEARCH_LIMIT)))


def create_owner(session: Session, municipality_id: int, user_id: int | None, data: dict) -> Owner:
    owner = Owner(municipality_id=municipality_id, **clean_owner_values(data))
    save_with_audit(session, user_id, owner)
    return owner


def update_owner(session: Session, owner: Owner, user_id: int | None, data: dict, version) -> Owner:
    check_version(owner, version)
    if owner.erased_at is not None:  # Art. 17: nothing is written back into an erased record
        raise ServiceError(
            Text("Diese Eigentümer:in wurde gelöscht; der Eintrag kann nicht bearbeitet werden.")
        )
    values = clean_owner_values(data)
    for key, value in values.items():
        setattr(owner, key, value)
    changes = flush_versioned(session, user_id, owner)
    if changes and "is_municipality" in changes:  # the town counts as fully open
        for ownership in owner.ownerships:
            matching.contact_changed(session, ownership.building)
    return owner


def parse_share(text: str | None) -> Decimal | None:
    """ "1/2", "0,5", "0.5", "50 %" -> Decimal("0.5"); empty -> None. Range (0, 1]."""
    raw = (text or "").strip().replace(" ", "")
    if not raw:
        return None
    try:
        if raw.endswith("%"):
            value = Decimal(raw[:-1].replace(",", ".")) / 100
        elif "/" in raw:
            num, den = raw.split("/", 1)
            value = Decimal(num.replace(",", ".")) / Decimal(den.replace(",", "."))
        else:
            value = Decimal(raw.replace(",", "."))
    except (ArithmeticError, ValueError):  # InvalidOperation, Overflow, division by zero
        raise ServiceError(
            Text(
                "Der Anteil „%(raw)s“ ist keine Zahl. Beispiele: 1/2, 0,5 oder 50 %%.",
                raw=text,
            )
        ) from None
    try:  # Numeric(5,4): rounded to 4 decimals, then checked
        return in_range(value, Text("Anteil"), 4, SHARE_MIN, Decimal(1), raw=text)
    except ServiceError:
        raise ServiceError(
            Text(
                "Der Anteil „%(raw)s“ muss mindestens %(low)s und höchstens 1 (100 %%) sein "
                "(gespeichert werden 4 Nachkommastellen).",
                raw=text,
                low=Fixed(SHARE_MIN),
            )
        ) from None


def _check_total_share(session: Session, building_id: int, share: Decimal | None) -> None:
    if share is None:
        return
    taken = session.scalar(
        select(func.coalesce(func.sum(Ownership.share), 0)).where(
            Ownership.building_id == building_id
        )
    )
    if Decimal(taken) + share > 1:
        raise ServiceError(
            Text(
                "Die Anteile aller Eigentümer:innen dieses Gebäudes ergäben zusammen mehr als 1 "
                "(bereits vergeben: %(taken)s). Bitte prüfen Sie den Anteil.",
                taken=Fixed(Decimal(taken).normalize()),
            )
        )


def ensure_case(session: Session, user_id: int | None, building: Building, owner: Owner):
    """The contact case for building × owner; created (state not_contacted) when missing."""
    case = session.scalar(
        select(ContactCase).where(
            ContactCase.building_id == building.id, ContactCase.owner_id == owner.id
        )
    )
    if case is None:
        case = ContactCase(
            municipality_id=building.municipality_id,
            building_id=building.id,
            owner_id=owner.id,
            state="not_contacted",
        )
        save_with_audit(session, user_id, case)
    return case


def link_owner(
    session: Session,
    municipality_id: int,
    user_id: int | None,
    building_id: int,
    owner_id: int | str | None,
    role: str,
    share_text: str | None,
) -> Ownership:
    building = get_building(session, municipality_id, building_id)
    try:
        owner = get_owner(session, municipality_id, int(owner_id or 0))
    except (TypeError, ValueError, NotFound):
        raise ServiceError(Text("Bitte wählen Sie eine Eigentümer:in aus der Liste.")) from None
    if role not in OWNERSHIP_ROLES:
        raise ServiceError(Text("Bitte wählen Sie eine gültige Rolle."))
    share = parse_share(share_text)
    exists = session.scalar(
        select(Ownership.id).where(
            Ownership.building_id == building.id, Ownership.owner_id == owner.id
        )
    )
    if exists:
        raise ServiceError(
            Text("„%(name)s“ ist diesem Gebäude bereits zugeordnet.", name=owner.name)
        )
    _check_total_share(session, building.id, share)
    ownership = Ownership(building_id=building.id, owner_id=owner.id, role=role, share=share)
    session.add(ownership)
    session.flush()
    changes = {"building_id": [None, building.id], "role": [None, role]}
    changes["share"] = [None, float(share) if share is not None else None]
    record(session, user_id, "link", owner, changes)
    ensure_case(session, user_id, building, owner)
    matching.contact_changed(session, building)  # owners' openness and refusals count
    return ownership


def unlink_owner(
    session: Session, municipality_id: int, user_id: int | None, ownership_id: int
) -> Ownership:
    """Remove the link; the contact case and its log stay (the log is append-only)."""
    ownership = session.get(Ownership, ownership_id)
    if ownership is None or ownership.owner.municipality_id != municipality_id:
        raise NotFound(Text("Zuordnung nicht gefunden."))
    changes = {"building_id": [ownership.building_id, None], "role": [ownership.role, None]}
    record(session, user_id, "unlink", ownership.owner, changes)
    building = ownership.building
    session.delete(ownership)
    session.flush()
    matching.contact_changed(session, building)
    return ownership


def building_owner_rows(session: Session, building_id: int) -> list[tuple[Ownership, object]]:
    """[(ownership, contact case or None)] of a building, ordered by owner name."""
    rows = session.execute(
        select(Ownership, ContactCase)
        .join(Owner, Owner.id == Ownership.owner_id)
        .outerjoin(
            ContactCase,
            (ContactCase.building_id == Ownership.building_id)
            & (ContactCase.owner_id == Ownership.owner_id),
        )
        .where(Ownership.building_id == building_id)
        .order_by(func.lower(Owner.name))
    )
    return [(ownership, case) for ownership, case in rows]
