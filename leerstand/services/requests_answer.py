"""The owner's answer to a use request (no account: the secret from the mail or the letter).

Opening the page only reads (``open_request``). Answering (``answer``) locks the request row
(SELECT … FOR UPDATE) and checks that it is still open, so that of two concurrent answers with
one secret exactly one is recorded. With the answer the owner may update the unit's
availability and give or withdraw two consents; the contact case moves and the contact log
gets an incoming entry. Anything that does not open (tampered, expired, revoked, answered,
unknown) is ``InvalidSecret`` — the view shows one and the same page for all of them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from leerstand.dates import local_date
from leerstand.models import UseRequest
from leerstand.models.use_request import YES_ANSWERS
from leerstand.services import consent as consent_service
from leerstand.services import contact as contact_service
from leerstand.services import matching, proposals
from leerstand.services.audit import flush_versioned
from leerstand.services.errors import ServiceError
from leerstand.services.forms import parse_date
from leerstand.services.requests_contact import ANSWER_TARGET, case_for
from leerstand.services.requests_tokens import find_by_secret
from leerstand.vocab import ANSWERS, german

MESSAGE_REQUIRED = frozenset({"yes_conditions", "more_info"})
MAX_MESSAGE = 4_000
OWNER_SCOPES = ("public_map", "share_contact")
CONSENT_TEXT_VERSION = "antwortseite-2026-01"
# The consent texts the owner reads on the answer page (version CONSENT_TEXT_VERSION).
CONSENT_TEXTS = {
    "public_map": (
        "Leerstehende Räume in meinen Gebäuden dürfen auf der öffentlichen Leerstandskarte "
        "gezeigt werden (Art, Ortsteil, Straße, gerundete Fläche, Ausstattung, Verfügbarkeit – "
        "ohne meinen Namen und ohne meine Kontaktdaten)."
    ),
    "share_contact": (
        "Die Stadtverwaltung darf meinen Namen, meine E-Mail-Adresse und meine Telefonnummer "
        "an die anfragende Initiative weitergeben, damit sie mich direkt ansprechen kann."
    ),
}


class InvalidSecret(Exception):
    """The secret does not open a request (for whatever reason — never said which)."""


@dataclass
class AnswerInput:
    answer: str
    message: str
    available_from: date | None
    available_to: date | None
    consents: dict[str, bool] = field(default_factory=dict)


def open_request(session: Session, secret: str | None, now: datetime) -> UseRequest | None:
    """The open request for ``secret``, or None. Reads only."""
    req = find_by_secret(session, secret)
    if req is None or req.state(now) != "open":
        return None
    return req


def parse_answer(form: Mapping) -> AnswerInput:
    answer = str(form.get("answer") or "").strip()
    if answer not in ANSWERS:
        raise ServiceError("Bitte wählen Sie eine Antwort aus.")
    message = str(form.get("message") or "").strip()
    if answer in MESSAGE_REQUIRED and not message:
        raise ServiceError(
            "Bitte schreiben Sie uns Ihre Bedingungen."
            if answer == "yes_conditions"
            else "Bitte schreiben Sie uns, welche Informationen Sie brauchen."
        )
    if len(message) > MAX_MESSAGE:
        raise ServiceError(f"Die Nachricht darf höchstens {MAX_MESSAGE} Zeichen lang sein.")
    available_from = parse_date(form.get("available_from"), "Verfügbar ab")
    available_to = parse_date(form.get("available_to"), "Verfügbar bis")
    if available_from and available_to and available_to < available_from:
        raise ServiceError("„Verfügbar bis“ darf nicht vor „Verfügbar ab“ liegen.")
    consents = {scope: form.get(f"consent_{scope}") == "1" for scope in OWNER_SCOPES}
    return AnswerInput(answer, message, available_from, available_to, consents)


def _update_availability(session: Session, req: UseRequest, data: AnswerInput, today: date):
    unit = req.match.unit
    if (unit.available_from, unit.available_to) == (data.available_from, data.available_to):
        return
    if data.available_to and data.available_to < today and data.available_to != unit.available_to:
        raise ServiceError("„Verfügbar bis“ darf nicht in der Vergangenheit liegen.")
    session.refresh(unit, with_for_update=True)
    unit.available_from, unit.available_to = data.available_from, data.available_to
    changes = flush_versioned(session, None, unit, "owner_update", _caused_by(req))
    matching.unit_changed(session, unit, changes)


def _update_consents(session: Session, req: UseRequest, data: AnswerInput, now: datetime):
    current = consent_service.consents_by_scope(session, req.owner_id)
    for scope in OWNER_SCOPES:
        row = current.get(scope)
        active = row is not None and row.active
        wanted = data.consents.get(scope, False)
        if wanted == active:
            continue
        action = "give" if wanted else "withdraw"
        consent_input = consent_service.ConsentInput(scope, action, "online", CONSENT_TEXT_VERSION)
        consent_service.record_consent(session, None, req.owner, consent_input, now)


def _move_case(session: Session, req: UseRequest, now: datetime) -> None:
    case = case_for(session, req, None)
    label = german(ANSWERS, req.answer)
    summary = f"Antwort auf die Nutzungsanfrage ({req.match.proposal.title}): {label}"
    if req.answer_message:
        summary += f"\n{req.answer_message}"
    contact = contact_service.Contact(
        occurred_on=local_date(now),
        channel="online",
        direction="in",
        summary=summary,
        outcome=label,
    )
    contact_service.advance(session, case, None, contact, ANSWER_TARGET[req.answer])


def _caused_by(req: UseRequest) -> dict:
    """Audit ``extra`` of a change the owner's answer caused."""
    return {"use_request_id": [None, req.id]}


def _mark_proposal(session: Session, req: UseRequest) -> None:
    if req.answer in YES_ANSWERS:
        proposals.mark_matched(session, req.match.proposal, None, _caused_by(req))


def answer(session: Session, secret: str | None, data: AnswerInput, now: datetime) -> UseRequest:
    """Record the one answer of the request; raises InvalidSecret when it does not open."""
    req = find_by_secret(session, secret, lock=True)
    if req is None or req.state(now) != "open":
        raise InvalidSecret()
    req.answer = data.answer
    req.answer_message = data.message
    req.answered_at = now
    flush_versioned(session, None, req, "answer")
    with matching.batch(session):  # the unit and its building: re-matched once
        _update_availability(session, req, data, local_date(now))
        _update_consents(session, req, data, now)
        _move_case(session, req, now)
        _mark_proposal(session, req)
    return req
