"""Right of access (Art. 15 DSGVO) for an initiative (self-service) and a staff member (by an
admin or the data-protection officer), as ``access.Answer``s.

An initiative gets its account, its ideas, what it may see of the work on them (counts of
shortlisted rooms and requests, never owners' names; its interim uses without internal
notes), the dates of its logins and the audit entries about it and its ideas (without the
names of staff). A staff member gets the account, logins, API access (names and dates, never
the token), the audit entries about the account, and what they did (audit and access log:
when, what, which record by number — not the other people's data)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from leerstand import vocab
from leerstand.messages import Text
from leerstand.models import (
    AccessEvent,
    ApiToken,
    AuditEvent,
    Initiative,
    InterimUse,
    LoginSession,
    Proposal,
    User,
)
from leerstand.services.audit import history
from leerstand.services.municipality import get as get_municipality
from leerstand.services.municipality import get_scoped
from leerstand.services.privacy.access_common import Answer, Section, change_text
from leerstand.services.privacy.access_log import ACTIONS
from leerstand.services.proposals.progress import of_proposal
from leerstand.vocab import german

SESSION_COLUMNS = [("created_at", Text("angemeldet am")), ("ended_at", Text("beendet am"))]


def _sessions(session: Session, column, ident: int) -> Section:
    rows = session.execute(
        select(LoginSession.created_at, LoginSession.ended_at)
        .where(column == ident)
        .order_by(LoginSession.created_at)
    ).all()
    out = [{"created_at": r.created_at, "ended_at": r.ended_at} for r in rows]
    return Section("logins", Text("Anmeldungen"), SESSION_COLUMNS, out)


def _audit(session: Session, mid: int, about: list, with_who: bool) -> Section:
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.municipality_id == mid, or_(*about))
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    rows = []
    for event, entry in zip(events, history.entries(session, list(events)), strict=True):
        what = entry.sentence if with_who else _impersonal(event, entry)
        rows.append(
            {
                "at": entry.at,
                "entry": what,
                "changes": "; ".join(change_text(c) for c in entry.changes),
            }
        )
    columns = [
        ("at", Text("Zeitpunkt")),
        ("entry", Text("Eintrag")),
        ("changes", Text("Änderungen")),
    ]
    return Section("audit", Text("Protokoll"), columns, rows)


def _impersonal(event: AuditEvent, entry) -> str:
    """ "Idee Nr. 3: geändert" – without the name of the staff member who did it."""
    entity = german(vocab.AUDIT_ENTITIES, event.entity) or event.entity
    action = german(vocab.AUDIT_ACTIONS, event.action) or event.action
    return f"{entity} Nr. {event.entity_id}: {action}"


# --- initiative ----------------------------------------------------------------------------

INITIATIVE_COLUMNS = [
    ("id", Text("Nr.")),
    ("name", Text("Name")),
    ("contact_person", Text("Ansprechperson")),
    ("email", Text("E-Mail")),
    ("pending_email", Text("neue E-Mail-Adresse (unbestätigt)")),
    ("phone", Text("Telefon")),
    ("website", Text("Website")),
    ("profile", Text("Über uns")),
    ("email_confirmed_at", Text("E-Mail bestätigt am")),
    ("created_at", Text("registriert am")),
    ("updated_at", Text("zuletzt geändert am")),
]
PROPOSAL_COLUMNS = [
    ("id", Text("Nr.")),
    ("title", Text("Titel")),
    ("description", Text("Beschreibung")),
    ("use_kind", Text("Art der Nutzung")),
    ("area_min", Text("Fläche mindestens (m²)")),
    ("area_max", Text("Fläche höchstens (m²)")),
    ("time_from", Text("Zeitraum ab")),
    ("time_to", Text("Zeitraum bis")),
    ("frequency", Text("Häufigkeit")),
    ("budget_kind", Text("Budget")),
    ("budget_eur_month", Text("Budget (€/Monat)")),
    ("location_kind", Text("Ort")),
    ("state", Text("Status")),
    ("rejection_reason", Text("Begründung der Ablehnung")),
    ("submitted_at", Text("eingereicht am")),
    ("published_at", Text("veröffentlicht am")),
    ("shortlisted", Text("vorgemerkte Räume")),
    ("requests", Text("Anfragen an Eigentümer:innen")),
    ("answered", Text("davon beantwortet")),
    ("yes", Text("davon Zusagen")),
]


def _proposal_row(session: Session, p: Proposal) -> dict:
    row = {key: getattr(p, key, None) for key, _label in PROPOSAL_COLUMNS[:16]}
    row["use_kind"] = german(vocab.USE_KINDS, p.use_kind)
    row["budget_kind"] = german(vocab.BUDGET_KINDS, p.budget_kind)
    row["location_kind"] = german(vocab.LOCATION_KINDS, p.location_kind)
    row["state"] = german(vocab.PROPOSAL_STATES, p.state)
    progress = of_proposal(session, p)  # the counts the initiative sees on its idea
    row["shortlisted"], row["requests"] = progress.shortlisted, progress.requests
    row["answered"], row["yes"] = progress.answered, progress.yes
    return row


def _initiative_uses(session: Session, initiative: Initiative, proposal_ids: list[int]) -> Section:
    uses = session.scalars(
        select(InterimUse)
        .where(
            or_(
                InterimUse.initiative_id == initiative.id,
                InterimUse.proposal_id.in_(proposal_ids or [0]),
            )
        )
        .order_by(InterimUse.starts_on, InterimUse.id)
    ).all()
    columns = [
        ("unit", Text("Raum")),
        ("starts_on", Text("Beginn")),
        ("ends_on", Text("Ende")),
        ("costs", Text("Kosten")),
        ("insurance", Text("Versicherung")),
        ("key_handover", Text("Schlüsselübergabe")),
        ("ended_on", Text("beendet am")),
        ("outcome", Text("Ergebnis")),
    ]
    rows = [
        {
            "unit": f"{u.unit.building.address}, {u.unit.building.place} – {u.unit.name}",
            "starts_on": u.starts_on,
            "ends_on": u.ends_on,
            "costs": u.costs,
            "insurance": u.insurance,
            "key_handover": u.key_handover,
            "ended_on": u.ended_on,
            "outcome": german(vocab.INTERIM_OUTCOMES, u.outcome),
        }
        for u in uses
    ]
    return Section("interim_uses", Text("Zwischennutzungen"), columns, rows)


def initiative_answer(session: Session, initiative: Initiative) -> Answer:
    """Everything an initiative may receive about itself."""
    row = {key: getattr(initiative, key) for key, _label in INITIATIVE_COLUMNS}
    proposals = session.scalars(
        select(Proposal).where(Proposal.initiative_id == initiative.id).order_by(Proposal.id)
    ).all()
    ids = [p.id for p in proposals]
    about = [
        (AuditEvent.entity == "initiative") & (AuditEvent.entity_id == initiative.id),
        (AuditEvent.entity == "proposal") & AuditEvent.entity_id.in_(ids or [0]),
    ]
    mid = initiative.municipality_id
    sections = [
        Section("account", Text("Konto"), INITIATIVE_COLUMNS, [row]),
        Section(
            "proposals",
            Text("Ideen"),
            PROPOSAL_COLUMNS,
            [_proposal_row(session, p) for p in proposals],
        ),
        _initiative_uses(session, initiative, ids),
        _sessions(session, LoginSession.initiative_id, initiative.id),
        _audit(session, mid, about, with_who=False),
    ]
    town = get_municipality(session, mid).name
    return Answer("initiative", initiative.id, initiative.name, town, datetime.now(UTC), sections)


# --- staff ---------------------------------------------------------------------------------

USER_COLUMNS = [
    ("id", Text("Nr.")),
    ("name", Text("Name")),
    ("email", Text("E-Mail")),
    ("role", Text("Rolle")),
    ("active", Text("aktiv")),
    ("last_login_at", Text("letzte Anmeldung")),
    ("created_at", Text("angelegt am")),
    ("updated_at", Text("zuletzt geändert am")),
]
ACTIVITY_COLUMNS = [
    ("at", Text("Zeitpunkt")),
    ("log", Text("Verzeichnis")),
    ("action", Text("Aktion")),
    ("entity", Text("Art des Datensatzes")),
    ("entity_id", Text("Nr. des Datensatzes")),
]


def _tokens(session: Session, user: User) -> Section:
    tokens = session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
    ).all()
    columns = [
        ("name", Text("Bezeichnung")),
        ("created_at", Text("angelegt am")),
        ("expires_at", Text("gültig bis")),
        ("revoked_at", Text("widerrufen am")),
        ("last_used_at", Text("zuletzt benutzt am")),
    ]
    rows = [{key: getattr(t, key) for key, _label in columns} for t in tokens]
    return Section("api_tokens", Text("API-Zugänge"), columns, rows)


def _activity(session: Session, user: User) -> Section:
    audit = session.execute(
        select(AuditEvent.at, AuditEvent.action, AuditEvent.entity, AuditEvent.entity_id).where(
            AuditEvent.user_id == user.id
        )
    ).all()
    access = session.execute(
        select(AccessEvent.at, AccessEvent.action, AccessEvent.entity, AccessEvent.entity_id).where(
            AccessEvent.user_id == user.id
        )
    ).all()
    rows = [
        {
            "at": r.at,
            "log": "Protokoll",
            "action": german(vocab.AUDIT_ACTIONS, r.action) or r.action,
            "entity": german(vocab.AUDIT_ENTITIES, r.entity) or r.entity,
            "entity_id": r.entity_id,
        }
        for r in audit
    ] + [
        {
            "at": r.at,
            "log": "Zugriffe",
            "action": german(ACTIONS, r.action),
            "entity": german(vocab.AUDIT_ENTITIES, r.entity) or r.entity,
            "entity_id": r.entity_id,
        }
        for r in access
    ]
    rows.sort(key=lambda row: row["at"])
    note = Text("Was die Person getan hat, ohne die Daten der betroffenen Dritten.")
    return Section("activity", Text("Tätigkeiten"), ACTIVITY_COLUMNS, rows, note)


def staff_answer(session: Session, municipality_id: int, user_id: int) -> Answer:
    """Everything stored about staff member ``user_id`` of this municipality."""
    user = get_scoped(session, User, user_id, municipality_id, Text("Benutzer:in nicht gefunden."))
    row = {key: getattr(user, key) for key, _label in USER_COLUMNS}
    row["role"] = german(vocab.ROLES, user.role)
    about = [(AuditEvent.entity == "app_user") & (AuditEvent.entity_id == user.id)]
    sections = [
        Section("account", Text("Konto"), USER_COLUMNS, [row]),
        _sessions(session, LoginSession.user_id, user.id),
        _tokens(session, user),
        _audit(session, municipality_id, about, with_who=True),
        _activity(session, user),
    ]
    town = get_municipality(session, municipality_id).name
    return Answer("app_user", user.id, user.display_name, town, datetime.now(UTC), sections)
