"""Reading the audit log: each event as a sentence for a clerk or a data-protection officer
("Anna Schmidt änderte Nutzungseinheit „EG Laden“: Leerstand leer → in Zwischennutzung").

``entries`` turns ``AuditEvent`` rows into ``Entry`` objects: who, what (the record's name,
looked up in one query per kind), and the changes with field labels (``audit.fields``) and
typed values (``audit.values``: bool, date, datetime, ``Quantity``, label text). Formatting
values for the page (dates in local time, German numbers) is the template filter
``audit_value``. Hashes and secrets never leave this module: they become "neuer Antwortcode
erzeugt". Writing the log is ``services.audit``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leerstand import vocab
from leerstand.models import (
    AuditEvent,
    Building,
    Consent,
    ContactCase,
    District,
    Initiative,
    InterimUse,
    Match,
    Municipality,
    Owner,
    Proposal,
    Unit,
    User,
    UseRequest,
)
from leerstand.services.audit.fields import FIELDS, HIDDEN
from leerstand.services.audit.fields import field as field_of
from leerstand.services.audit.values import value

SENTENCES = {
    "create": _l("%(who)s legte %(entity)s „%(name)s“ an"),
    "update": _l("%(who)s änderte %(entity)s „%(name)s“"),
    "delete": _l("%(who)s löschte %(entity)s „%(name)s“"),
    "seed": _l("%(who)s legte %(entity)s „%(name)s“ als Beispieldaten an"),
    "link": _l("%(who)s ordnete %(entity)s „%(name)s“ einem Gebäude zu"),
    "unlink": _l("%(who)s entfernte die Zuordnung von %(entity)s „%(name)s“ zu einem Gebäude"),
    "transition": _l("%(who)s änderte den Status von %(entity)s „%(name)s“"),
    "status": _l("%(who)s änderte den Status von %(entity)s „%(name)s“"),
    "contact": _l("%(who)s erfasste einen Kontakt bei %(entity)s „%(name)s“"),
    "follow_up": _l("%(who)s änderte die Wiedervorlage von %(entity)s „%(name)s“"),
    "consent_given": _l("%(who)s erfasste %(entity)s „%(name)s“ als erteilt"),
    "consent_withdrawn": _l("%(who)s erfasste %(entity)s „%(name)s“ als widerrufen"),
    "revoke": _l("%(who)s zog %(entity)s „%(name)s“ zurück"),
    "reissue": _l("%(who)s stellte %(entity)s „%(name)s“ neu aus"),
    "remind": _l("%(who)s sendete eine Erinnerung zu %(entity)s „%(name)s“"),
    "answer": _l("%(who)s beantwortete %(entity)s „%(name)s“"),
    "owner_answer": _l("%(entity)s „%(name)s“ wurde nach der Antwort der Eigentümer:in geändert"),
    "owner_update": _l("%(who)s änderte %(entity)s „%(name)s“ auf der Antwortseite"),
    "end": _l("%(who)s beendete %(entity)s „%(name)s“"),
    "password_changed": _l("%(who)s änderte das Passwort von %(entity)s „%(name)s“"),
    "role_changed": _l("%(who)s änderte die Rolle von %(entity)s „%(name)s“"),
    "activated": _l("%(who)s aktivierte %(entity)s „%(name)s“"),
    "deactivated": _l("%(who)s deaktivierte %(entity)s „%(name)s“"),
    "api_token_created": _l("%(who)s legte einen API-Zugang für %(entity)s „%(name)s“ an"),
    "api_token_revoked": _l("%(who)s widerrief einen API-Zugang von %(entity)s „%(name)s“"),
    "export": _l("%(who)s exportierte Daten mit Eigentümerdaten"),
    # privacy (services/privacy): erasure, restriction, objection, retention
    "erased": _l("%(who)s löschte die Personendaten von %(entity)s „%(name)s“ (Art. 17 DSGVO)"),
    "restricted": _l("%(who)s sperrte %(entity)s „%(name)s“ (Art. 18 DSGVO)"),
    "unrestricted": _l("%(who)s hob die Sperre von %(entity)s „%(name)s“ auf"),
    "objected": _l("%(who)s erfasste einen Widerspruch von %(entity)s „%(name)s“ (Art. 21 DSGVO)"),
    "unobjected": _l("%(who)s hob den Widerspruch von %(entity)s „%(name)s“ auf"),
    "retention": _l("Aufbewahrungsfrist: %(entity)s „%(name)s“ anonymisiert oder gelöscht"),
}
OTHER_SENTENCE = _l("%(who)s: %(entity)s „%(name)s“ – %(action)s")
OWNER_ACTIONS = frozenset({"answer", "owner_update", "owner_answer"})
OWNER = _l("Eigentümer:in")
SYSTEM = _l("System")
NUMBERED = _l("Nr. %(id)s")
CHANGED = _l("%(label)s geändert")
NEW_CODE = _l("neuer Antwortcode erzeugt")
NEW_LINK = _l("neuer persönlicher Link erzeugt")
HEX_SECRET = re.compile(r"^[0-9a-f]{32,}$")


@dataclass
class Change:
    label: str
    old: object = None
    new: object = None
    note: str = ""  # instead of values: "neuer Antwortcode erzeugt", "geändert"


@dataclass
class Entry:
    id: int
    at: datetime
    action: str
    entity: str
    entity_id: int
    sentence: str
    changes: list[Change] = field(default_factory=list)


# --- names of records ----------------------------------------------------------------------


def _unit_name(unit: Unit) -> str:
    return f"{unit.name}, {unit.building.address}"


NAMERS = {
    "building": (Building, lambda b: b.address),
    "unit": (Unit, _unit_name),
    "owner": (Owner, lambda o: o.name),
    "contact_case": (ContactCase, lambda c: f"{c.owner.name} – {c.building.address}"),
    "consent": (
        Consent,
        lambda c: f"{vocab.label(vocab.CONSENT_SCOPES, c.scope)} – {c.owner.name}",
    ),
    "proposal": (Proposal, lambda p: p.title),
    "match": (Match, lambda m: f"{m.proposal.title} – {m.unit.name}"),
    "use_request": (UseRequest, lambda r: f"{r.owner.name} – {r.match.proposal.title}"),
    "interim_use": (InterimUse, lambda u: _unit_name(u.unit)),
    "app_user": (User, lambda u: u.display_name),
    "district": (District, lambda d: d.name),
    "initiative": (Initiative, lambda i: i.name),
    "municipality": (Municipality, lambda m: m.name),
}


def _names(session: Session, wanted: dict[str, set[int]]) -> dict[tuple[str, int], object]:
    """{(entity, id): record} for the wanted ids, one query per kind."""
    found = {}
    for entity, ids in wanted.items():
        model = NAMERS.get(entity, (None,))[0]
        ids = {i for i in ids if isinstance(i, int)}
        if model is None or not ids:
            continue
        for row in session.scalars(select(model).where(model.id.in_(ids))):
            found[(entity, row.id)] = row
    return found


def _name(records: dict, entity: str, ident) -> str:
    row = records.get((entity, ident))
    if row is None:
        return str(NUMBERED) % {"id": ident}
    return NAMERS[entity][1](row)


def _wanted(events: list[AuditEvent]) -> dict[str, set[int]]:
    wanted: dict[str, set[int]] = {}
    for event in events:
        wanted.setdefault(event.entity, set()).add(event.entity_id)
        for key, pair in (event.changes or {}).items():
            kind = field_of(event.entity, key)[1]
            if isinstance(kind, tuple) and kind[0] == "ref" and isinstance(pair, list):
                wanted.setdefault(kind[1], set()).update(v for v in pair if v is not None)
    return wanted


def _secret_note(event: AuditEvent, records: dict) -> str:
    req = records.get(("use_request", event.entity_id)) if event.entity == "use_request" else None
    return str(NEW_LINK if req is not None and req.channel == "email" else NEW_CODE)


def _changes(event: AuditEvent, records: dict) -> list[Change]:
    table = list(FIELDS.get(event.entity, {}))
    raw = event.changes or {}
    shown = [k for k in raw if k not in HIDDEN]
    keys = sorted(shown, key=lambda k: (table.index(k) if k in table else len(table), k))
    out = []
    for key in keys:
        pair = raw[key]
        old, new = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        label, kind = field_of(event.entity, key)
        is_secret = kind == "secret" or any(
            isinstance(v, str) and HEX_SECRET.match(v) for v in (old, new)
        )
        if is_secret:
            out.append(Change(str(label), note=_secret_note(event, records)))
            continue
        if kind == "geometry":
            out.append(Change(str(label), note=str(CHANGED) % {"label": label}))
            continue
        old, new = value(kind, old, records, _name), value(kind, new, records, _name)
        if event.action in ("create", "seed") and old is None and new in (None, False, ""):
            continue  # a new record: only the values it was given
        if old != new:
            out.append(Change(str(label), old, new))
    return out


def _who(event: AuditEvent, records: dict) -> str:
    if event.user_id is not None:
        return _name(records, "app_user", event.user_id)
    return str(OWNER if event.action in OWNER_ACTIONS else SYSTEM)


def entries(session: Session, events: list[AuditEvent]) -> list[Entry]:
    """The events as sentences with their changes (names looked up once per kind)."""
    wanted = _wanted(events)
    wanted.setdefault("app_user", set()).update(e.user_id for e in events if e.user_id)
    records = _names(session, wanted)
    out = []
    for event in events:
        params = {
            "who": _who(event, records),
            "entity": vocab.label(vocab.AUDIT_ENTITIES, event.entity),
            "name": _name(records, event.entity, event.entity_id),
            "action": vocab.label(vocab.AUDIT_ACTIONS, event.action),
        }
        sentence = str(SENTENCES.get(event.action, OTHER_SENTENCE)) % params
        out.append(
            Entry(
                event.id,
                event.at,
                event.action,
                event.entity,
                event.entity_id,
                sentence,
                _changes(event, records),
            )
        )
    return out


# --- queries -------------------------------------------------------------------------------


def record_history(
    session: Session, municipality_id: int, entity: str, entity_id: int, limit: int = 200
) -> list[Entry]:
    """The events of one record, newest first."""
    events = session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.municipality_id == municipality_id,
            AuditEvent.entity == entity,
            AuditEvent.entity_id == entity_id,
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ).all()
    return entries(session, list(events))


def search(session: Session, municipality_id: int, where: list, page: int, size: int):
    """(entries of page ``page``, total) of the municipality's events matching ``where``."""
    stmt = select(AuditEvent).where(AuditEvent.municipality_id == municipality_id, *where)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    events = session.scalars(
        stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset((page - 1) * size)
        .limit(size)
    ).all()
    return entries(session, list(events)), total
