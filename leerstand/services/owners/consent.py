"""Owner consents (Einwilligungen): record given or withdrawn per scope, with the channel it
came through and the version of the consent text; every change goes into the audit log.

One row per owner and scope: giving sets ``given_at`` and clears ``withdrawn_at``;
withdrawing sets ``withdrawn_at``. The ``public_map`` scope decides, together with the
unit's "publishable" flag, what the public map shows (see ``leerstand.services.public.geojson``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from leerstand.messages import Text
from leerstand.models import Consent, Owner
from leerstand.models.consent import SCOPES
from leerstand.services.audit.log import changes_of, record
from leerstand.services.errors import ServiceError
from leerstand.vocab import CHANNELS, CONSENT_SCOPES

ACTIONS = ("give", "withdraw")
MAX_TEXT_VERSION = 40


@dataclass
class ConsentInput:
    scope: str
    action: str
    channel: str
    text_version: str


def parse_form(form: Mapping) -> ConsentInput:
    """Check the posted form; raises ``ServiceError`` with a German ``Text``."""
    scope = (form.get("scope") or "").strip()
    action = (form.get("action") or "").strip()
    channel = (form.get("channel") or "").strip()
    text_version = (form.get("text_version") or "").strip()
    if scope not in SCOPES:
        raise ServiceError(Text("Bitte eine Art der Einwilligung wählen."))
    if action not in ACTIONS:
        raise ServiceError(Text("Bitte „erteilt“ oder „widerrufen“ wählen."))
    if channel not in CHANNELS:
        raise ServiceError(Text("Bitte angeben, auf welchem Weg die Erklärung kam."))
    if action == "give" and not text_version:
        raise ServiceError(
            Text("Bitte die Fassung des Einwilligungstextes angeben (z. B. 2026-01).")
        )
    if len(text_version) > MAX_TEXT_VERSION:
        raise ServiceError(
            Text("Die Textfassung darf höchstens %(max)s Zeichen haben.", max=MAX_TEXT_VERSION)
        )
    return ConsentInput(scope, action, channel, text_version)


def consents_by_scope(session: Session, owner_id: int) -> dict[str, Consent]:
    rows = session.scalars(select(Consent).where(Consent.owner_id == owner_id))
    return {row.scope: row for row in rows}


def rows_for(session: Session, owner: Owner) -> list[tuple[str, str, Consent | None]]:
    """(scope, label, consent or None) for every scope, in vocabulary order."""
    existing = consents_by_scope(session, owner.id)
    return [(scope, str(text), existing.get(scope)) for scope, text in CONSENT_SCOPES.items()]


def _apply(row: Consent, data: ConsentInput, now: datetime) -> None:
    row.channel = data.channel
    if data.action == "give":
        row.given_at = now
        row.withdrawn_at = None
        row.text_version = data.text_version
    else:
        row.withdrawn_at = now
        if data.text_version:
            row.text_version = data.text_version


def record_consent(
    session: Session,
    user_id: int | None,
    owner: Owner,
    data: ConsentInput,
    now: datetime | None = None,
) -> Consent:
    """Give or withdraw one scope for ``owner``; flushes and writes an audit event."""
    now = now or datetime.now(UTC)
    row = consents_by_scope(session, owner.id).get(data.scope)
    if row is None:
        if data.action == "withdraw":
            raise ServiceError(
                Text("Für diese Art liegt keine Einwilligung vor, die widerrufen werden könnte.")
            )
        row = Consent(municipality_id=owner.municipality_id, owner_id=owner.id, scope=data.scope)
        session.add(row)
    elif data.action == "withdraw" and not row.active:
        raise ServiceError(Text("Diese Einwilligung ist nicht (mehr) erteilt."))
    row.recorded_by_id = user_id
    _apply(row, data, now)
    changes = changes_of(row)
    session.flush()
    action = "consent_given" if data.action == "give" else "consent_withdrawn"
    record(session, user_id, action, row, {"owner_id": [None, owner.id], **changes})
    return row
