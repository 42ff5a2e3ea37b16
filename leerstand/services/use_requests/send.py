"""Nutzungsanfragen (use requests): staff send a shortlisted match to the owner(s) of the unit's
building, by e-mail with a personal link or as a printed letter with an answer code; they can
revoke or reissue a request; unanswered requests come back as follow-ups and reminders.

Services only flush; the view commits once. Secrets are returned to the caller (``Issued``)
exactly once, right after creating or reissuing: only their hash is stored. Mails go out in
``leerstand.services.use_requests.mail`` after the commit; the owner's answer is handled in
``leerstand.services.use_requests.answer``, the daily reminders in
``leerstand.services.use_requests.reminders``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from leerstand.messages import Text
from leerstand.models import Match, Owner, Ownership, UseRequest
from leerstand.services.audit.log import changes_of, record
from leerstand.services.errors import ServiceError
from leerstand.services.matching import service as matching
from leerstand.services.municipality import get_scoped
from leerstand.services.privacy.restriction import check_contactable
from leerstand.services.use_requests.contact_log import log_internal, log_sent
from leerstand.services.use_requests.tokens import hash_secret, new_secret
from leerstand.vocab import REQUEST_CHANNELS, REQUEST_STATES, german

RECIPIENT_ROLES = ("owner", "co_owner", "heir")  # the property manager gets no request
MAX_MESSAGE = 2_000
LIST_LIMIT = 500
CHANNEL_WORDS = {"email": "per E-Mail", "letter": "per Brief"}
REFERENCE_PREFIX = "NA-"


@dataclass
class Issued:
    """A request and its secret, which exists only until this response is rendered."""

    request: UseRequest
    secret: str


def get_request(session: Session, municipality_id: int, request_id: int) -> UseRequest:
    return get_scoped(
        session, UseRequest, request_id, municipality_id, Text("Anfrage nicht gefunden.")
    )


def reference(req: UseRequest) -> str:
    """The request's number in print (letter, reply slip) and on staff pages: "NA-123"; not a
    secret — the answer code is never printed twice."""
    return f"{REFERENCE_PREFIX}{req.id}"


def request_id_of(reference_text: str | None) -> int | None:
    """The id in a typed reference ("NA-123", "na 123", "123"); None when it is none."""
    raw = (reference_text or "").strip().upper().replace(" ", "")
    raw = raw.removeprefix(REFERENCE_PREFIX).removeprefix("NA")
    return int(raw) if raw.isdigit() and len(raw) <= 9 else None


def recipients(session: Session, match: Match) -> list[tuple[Ownership, Owner]]:
    """Owners, co-owners and heirs of the match's building (no managers), by name."""
    stmt = (
        select(Ownership, Owner)
        .join(Owner, Owner.id == Ownership.owner_id)
        .where(
            Ownership.building_id == match.unit.building_id,
            Ownership.role.in_(RECIPIENT_ROLES),
        )
        .order_by(Owner.name, Owner.id)
    )
    return [(ownership, owner) for ownership, owner in session.execute(stmt)]


def parse_send_form(form: Mapping) -> tuple[dict[int, str], str]:
    """({owner_id: channel}, message) from the send form (``owner`` repeated, ``channel_<id>``)."""
    raw_ids = form.getlist("owner") if hasattr(form, "getlist") else form.get("owner") or []
    if isinstance(raw_ids, str):
        raw_ids = [raw_ids]
    choices: dict[int, str] = {}
    for raw in raw_ids:
        try:
            owner_id = int(raw)
        except (TypeError, ValueError):
            raise ServiceError(Text("Bitte wählen Sie Eigentümer:innen aus der Liste.")) from None
        choices[owner_id] = str(form.get(f"channel_{owner_id}") or "").strip()
    message = str(form.get("message") or "").strip()
    return choices, message


BLOCKING_STATES = ("open", "answered")  # such an owner gets no new request on the match


def blocked_owners(match: Match, now: datetime) -> dict[int, str]:
    """{owner id: "open" | "answered"} for the owners of ``match`` who must not get a new
    request: one is still open, or they answered (an expired or revoked one does not block)."""
    blocked: dict[int, str] = {}
    for req in match.requests:
        state = req.state(now)
        if state in BLOCKING_STATES and blocked.get(req.owner_id) != "answered":
            blocked[req.owner_id] = state
    return blocked


def _check_send(session, match: Match, choices: dict[int, str], message: str, now) -> list:
    if match.status != "shortlisted":
        raise ServiceError(
            Text(
                "Anfragen können nur zu einem vorgemerkten Treffer gesendet werden. "
                "Bitte merken Sie den Treffer zuerst vor."
            )
        )
    allowed = {owner.id: owner for _ownership, owner in recipients(session, match)}
    if not allowed:
        raise ServiceError(
            Text(
                "Für das Gebäude ist keine Eigentümer:in erfasst (Hausverwaltungen erhalten "
                "keine Anfrage). Bitte ordnen Sie dem Gebäude zuerst Eigentümer:innen zu."
            )
        )
    if not choices:
        raise ServiceError(Text("Bitte wählen Sie mindestens eine Eigentümer:in aus."))
    if len(message) > MAX_MESSAGE:
        raise ServiceError(
            Text("Die Nachricht darf höchstens %(max)d Zeichen lang sein.", max=MAX_MESSAGE)
        )
    blocked = blocked_owners(match, now)
    chosen = []
    for owner_id, channel in choices.items():
        owner = allowed.get(owner_id)
        if owner is None:
            raise ServiceError(
                Text(
                    "Bitte wählen Sie nur Eigentümer:innen dieses Gebäudes (keine Hausverwaltung)."
                )
            )
        check_contactable(owner)  # restricted, objected or erased: no request
        if channel not in REQUEST_CHANNELS:
            raise ServiceError(
                Text("Bitte wählen Sie für „%(name)s“ E-Mail oder Brief.", name=owner.name)
            )
        if channel == "email" and not owner.email:
            raise ServiceError(
                Text(
                    "Für „%(name)s“ ist keine E-Mail-Adresse erfasst. Bitte wählen Sie den Brief.",
                    name=owner.name,
                )
            )
        if blocked.get(owner_id) == "open":
            raise ServiceError(
                Text(
                    "„%(name)s“ hat zu diesem Treffer bereits eine offene Anfrage. Sie können "
                    "sie auf der Seite der Anfrage neu ausstellen oder zurückziehen.",
                    name=owner.name,
                )
            )
        if blocked.get(owner_id) == "answered":
            raise ServiceError(
                Text(
                    "„%(name)s“ hat zu diesem Treffer bereits geantwortet. Eine neue Anfrage "
                    "ist nicht nötig; die Antwort steht auf der Seite der Anfrage.",
                    name=owner.name,
                )
            )
        chosen.append((owner, channel))
    return chosen


def _save(session: Session, user_id: int | None, req: UseRequest, action: str) -> None:
    """Flush with an audit event; the hash of the secret stays out of the audit log."""
    if req.id is None:
        session.add(req)
    changes = changes_of(req)
    if "token_hash" in changes:
        changes["token_hash"] = [None, "neu"]
    session.flush()
    record(session, user_id, action, req, changes)


def _what(req: UseRequest) -> str:
    proposal, unit = req.match.proposal, req.match.unit
    return f"Idee „{proposal.title}“ ({proposal.initiative.name}), {unit.name}"


def send_requests(
    session: Session,
    match: Match,
    user_id: int | None,
    choices: dict[int, str],
    message: str,
    now: datetime,
    valid_days: int,
    reminder_days: int,
) -> list[Issued]:
    """One request per chosen owner; logs the outgoing contact and moves the case."""
    session.refresh(match, with_for_update=True)  # two clicks on "send" are decided in turn
    issued = []
    with matching.batch(session):  # several owners' cases may move: the building once
        for owner, channel in _check_send(session, match, choices, message, now):
            secret = new_secret(channel)
            req = UseRequest(
                municipality_id=match.municipality_id,
                match_id=match.id,
                owner_id=owner.id,
                channel=channel,
                token_hash=hash_secret(secret),
                issue_count=1,
                message=message,
                sent_at=now,
                expires_at=now + timedelta(days=valid_days),
                created_by_id=user_id,
            )
            req.match, req.owner = match, owner
            _save(session, user_id, req, "create")
            summary = f"Nutzungsanfrage {CHANNEL_WORDS[channel]} gesendet: {_what(req)}"
            log_sent(session, req, user_id, summary, now, reminder_days)
            issued.append(Issued(req, secret))
    session.flush()
    return issued


def _lock(session: Session, req: UseRequest) -> UseRequest:
    session.refresh(req, with_for_update=True)
    return req


def revoke(session: Session, req: UseRequest, user_id: int | None, now: datetime) -> UseRequest:
    _lock(session, req)
    if req.state(now) != "open":
        raise ServiceError(
            Text(
                "Nur eine offene Anfrage kann zurückgezogen werden; diese ist „%(state)s“.",
                state=Text(german(REQUEST_STATES, req.state(now))),
            )
        )
    req.revoked_at = now
    _save(session, user_id, req, "revoke")
    log_internal(session, req, user_id, f"Nutzungsanfrage zurückgezogen: {_what(req)}", now)
    return req


def reissue(
    session: Session,
    req: UseRequest,
    user_id: int | None,
    now: datetime,
    valid_days: int,
    reminder_days: int,
    reminder: bool = False,
) -> Issued:
    """A new secret (the old one stops working) and a new expiry; also for a revoked or expired
    request, never for an answered one. ``reminder`` marks the automatic reminder."""
    _lock(session, req)
    if req.answered_at is not None:
        raise ServiceError(Text("Eine beantwortete Anfrage kann nicht neu ausgestellt werden."))
    check_contactable(req.owner)  # no reminder or new letter to a restricted/objecting owner
    if reminder and (req.state(now) != "open" or req.reminder_sent_at is not None):
        raise ServiceError(Text("Für diese Anfrage ist keine Erinnerung (mehr) fällig."))
    secret = new_secret(req.channel)
    req.token_hash = hash_secret(secret)
    req.issue_count += 1
    req.sent_at = now
    req.expires_at = now + timedelta(days=valid_days)
    req.revoked_at = None
    req.reminder_sent_at = now if reminder else None
    _save(session, user_id, req, "remind" if reminder else "reissue")
    what = "Erinnerung zur Nutzungsanfrage" if reminder else "Nutzungsanfrage erneut"
    summary = f"{what} {CHANNEL_WORDS[req.channel]} gesendet (neuer Link/Code): {_what(req)}"
    log_sent(session, req, user_id, summary, now, reminder_days)
    return Issued(req, secret)


def state_condition(state: str, now: datetime):
    """The SQL condition of ``UseRequest.state(now) == state`` (None for an unknown state)."""
    answered = UseRequest.answered_at.is_not(None)
    not_answered = UseRequest.answered_at.is_(None)
    not_revoked = UseRequest.revoked_at.is_(None)
    return {
        "answered": answered,
        "revoked": and_(not_answered, UseRequest.revoked_at.is_not(None)),
        "expired": and_(not_answered, not_revoked, UseRequest.expires_at <= now),
        "open": and_(not_answered, not_revoked, UseRequest.expires_at > now),
    }.get(state)


def list_requests(
    session: Session, municipality_id: int, now: datetime, state: str | None = None
) -> list[UseRequest]:
    stmt = select(UseRequest).where(UseRequest.municipality_id == municipality_id)
    condition = state_condition(state, now) if state else None
    if condition is not None:
        stmt = stmt.where(condition)
    stmt = stmt.order_by(UseRequest.sent_at.desc(), UseRequest.id.desc()).limit(LIST_LIMIT)
    return list(session.scalars(stmt))


def unanswered(
    session: Session, municipality_id: int, now: datetime, reminder_days: int
) -> list[UseRequest]:
    """Open requests whose secret was sent more than ``reminder_days`` ago, oldest first."""
    stmt = select(UseRequest).where(
        UseRequest.municipality_id == municipality_id,
        state_condition("open", now),
        UseRequest.sent_at <= now - timedelta(days=reminder_days),
    )
    return list(session.scalars(stmt.order_by(UseRequest.sent_at, UseRequest.id)))
