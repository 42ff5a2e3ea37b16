"""Right of access (Art. 15 DSGVO): everything stored about one owner, collected into an
``Answer`` of ``Section``s (one per kind of data, rows of plain values) that the print page and
the bundle (``privacy.bundle``) both show. Owner: the record, ownerships with buildings,
consents with their texts and history, contact cases and every contact event, use requests
with answers and letters, interim uses, mails, audit entries about them. Secrets (link tokens,
answer codes, hashes) are never part of an answer. Initiatives and staff: ``access_people``."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from leerstand import vocab
from leerstand.messages import Text
from leerstand.models import (
    AuditEvent,
    Consent,
    Owner,
    Ownership,
)
from leerstand.services.municipality import get as get_municipality
from leerstand.services.owners.service import get_owner
from leerstand.services.privacy import access_owner_parts as parts
from leerstand.services.privacy.access_common import (
    AUDIT_COLUMNS,
    Answer,
    Section,
    audit_of,
    audit_rows,
)
from leerstand.services.use_requests.answer import CONSENT_TEXT_VERSION, CONSENT_TEXTS
from leerstand.vocab import german

# --- owner ---------------------------------------------------------------------------------

OWNER_COLUMNS = [
    ("id", Text("Nr.")),
    ("kind", Text("Art")),
    ("salutation", Text("Anrede")),
    ("name", Text("Name")),
    ("contact_person", Text("Ansprechperson")),
    ("street", Text("Straße und Hausnummer")),
    ("postcode", Text("PLZ")),
    ("city", Text("Ort")),
    ("email", Text("E-Mail")),
    ("phone", Text("Telefon")),
    ("preferred_channel", Text("Bevorzugter Kontaktweg")),
    ("notes", Text("Notizen (intern)")),
    ("is_municipality", Text("Die Stadt selbst")),
    ("created_at", Text("angelegt am")),
    ("updated_at", Text("zuletzt geändert am")),
    ("restricted_at", Text("gesperrt seit")),
    ("objected_at", Text("Widerspruch seit")),
]


def _owner_section(owner: Owner) -> Section:
    row = {key: getattr(owner, key) for key, _label in OWNER_COLUMNS}
    row["kind"] = german(vocab.OWNER_KINDS, owner.kind)
    row["salutation"] = german(vocab.SALUTATIONS, owner.salutation)
    row["preferred_channel"] = german(vocab.CHANNELS, owner.preferred_channel)
    return Section("owner", Text("Stammdaten"), OWNER_COLUMNS, [row])


def _ownerships(session: Session, owner: Owner) -> Section:
    rows = session.scalars(
        select(Ownership).where(Ownership.owner_id == owner.id).order_by(Ownership.id)
    )
    columns = [
        ("building_id", Text("Gebäude Nr.")),
        ("address", Text("Adresse")),
        ("place", Text("Ort")),
        ("role", Text("Rolle")),
        ("share", Text("Anteil")),
    ]
    out = [
        {
            "building_id": o.building_id,
            "address": o.building.address,
            "place": f"{o.building.postcode} {o.building.place}".strip(),
            "role": german(vocab.OWNERSHIP_ROLES, o.role),
            "share": f"{o.share * 100:.0f} %" if o.share is not None else "",
        }
        for o in rows
    ]
    return Section("ownerships", Text("Eigentum an Gebäuden"), columns, out)


def consent_text(consent: Consent) -> str:
    """The consent's text when the system holds it (the answer page's version), else a note."""
    if consent.text_version == CONSENT_TEXT_VERSION and consent.scope in CONSENT_TEXTS:
        return CONSENT_TEXTS[consent.scope]
    return f"Text der Fassung „{consent.text_version}“ liegt in der Akte (nicht im System)."


def _consents(session: Session, owner: Owner) -> tuple[Section, Section]:
    consents = session.scalars(
        select(Consent).where(Consent.owner_id == owner.id).order_by(Consent.id)
    ).all()
    columns = [
        ("scope", Text("Art der Einwilligung")),
        ("given_at", Text("erteilt am")),
        ("withdrawn_at", Text("widerrufen am")),
        ("channel", Text("Kontaktweg")),
        ("text_version", Text("Fassung des Textes")),
        ("text", Text("Text")),
    ]
    rows = [
        {
            "scope": german(vocab.CONSENT_SCOPES, c.scope),
            "given_at": c.given_at,
            "withdrawn_at": c.withdrawn_at,
            "channel": german(vocab.CHANNELS, c.channel),
            "text_version": c.text_version,
            "text": consent_text(c),
        }
        for c in consents
    ]
    events = audit_of(session, owner.municipality_id, "consent", [c.id for c in consents])
    current = Section("consents", Text("Einwilligungen"), columns, rows)
    past = Section(
        "consent_history",
        Text("Verlauf der Einwilligungen"),
        AUDIT_COLUMNS,
        audit_rows(session, events),
    )
    return current, past


def _owner_audit(session: Session, owner: Owner, cases, reqs, consent_ids) -> Section:
    mid = owner.municipality_id
    about = [
        AuditEvent.entity.in_(["owner"]) & (AuditEvent.entity_id == owner.id),
        (AuditEvent.entity == "contact_case")
        & AuditEvent.entity_id.in_([c.id for c in cases] or [0]),
        (AuditEvent.entity == "use_request")
        & AuditEvent.entity_id.in_([r.id for r in reqs] or [0]),
        (AuditEvent.entity == "consent") & AuditEvent.entity_id.in_(consent_ids or [0]),
        (AuditEvent.action == "export") & AuditEvent.changes["owner_ids"][1].contains([owner.id]),
    ]
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.municipality_id == mid, or_(*about))
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    return Section("audit", Text("Protokoll"), AUDIT_COLUMNS, audit_rows(session, list(events)))


def owner_answer(
    session: Session, municipality_id: int, owner_id: int, outbox_dir: str | None, smtp: bool
) -> Answer:
    """Everything stored about owner ``owner_id`` (NotFound for another town's)."""
    owner = get_owner(session, municipality_id, owner_id)
    consents, consent_history = _consents(session, owner)
    cases, case_section, event_section = parts.cases(session, owner)
    reqs, request_section, letter_section = parts.requests(session, owner)
    consent_ids = list(session.scalars(select(Consent.id).where(Consent.owner_id == owner.id)))
    sections = [
        _owner_section(owner),
        _ownerships(session, owner),
        consents,
        consent_history,
        case_section,
        event_section,
        request_section,
        letter_section,
        parts.interim_uses(session, owner, reqs),
        parts.mails(owner, reqs, outbox_dir, smtp),
        _owner_audit(session, owner, cases, reqs, consent_ids),
    ]
    municipality = get_municipality(session, municipality_id)
    return Answer("owner", owner.id, owner.name, municipality.name, datetime.now(UTC), sections)
