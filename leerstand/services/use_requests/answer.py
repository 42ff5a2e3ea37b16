"""The owner's answer to a use request (no account: the secret from the mail or the letter).

Opening the page only reads (``open_request``). Answering (``answer``) locks the request row
(SELECT … FOR UPDATE) and checks that it is still open, so that of two concurrent answers with
one secret exactly one is recorded. With the answer the owner may update the unit's
availability and give or withdraw two consents; the contact case moves and the contact log
gets an incoming entry. Anything that does not open (tampered, expired, revoked, answered,
unknown) is ``InvalidSecret`` — the view shows one and the same page for all of them.

``apply_answer`` holds the effects of an answer; staff recording a paper or phone answer
(``leerstand.services.use_requests.paper``) go through the same function."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from leerstand.dates import local_date
from leerstand.messages import Text
from leerstand.models import UseRequest
from leerstand.models.use_request import YES_ANSWERS
from leerstand.services.audit.log import flush_versioned
from leerstand.services.contact import cases as contact_service
from leerstand.services.errors import ServiceError
from leerstand.services.forms import parse_date
from leerstand.services.matching import service as matching
from leerstand.services.owners import consent as consent_service
from leerstand.services.proposals import service as proposals
from leerstand.services.use_requests.contact_log import ANSWER_TARGET, case_for
from leerstand.services.use_requests.tokens import find_by_secret, find_remembered
from leerstand.vocab import ANSWER_CHANNELS, ANSWERS, german

MESSAGE_REQUIRED = frozenset({"yes_conditions", "more_info"})
MAX_MESSAGE = 4_000
OWNER_SCOPES = ("public_map", "share_contact")
CONSENT_TEXT_VERSION = "antwortseite-2026-01"
# The same texts are printed on the letter's reply slip and read out on the phone.
CONTACT_CHANNEL_OF_ANSWER = {"online": "online", "paper": "letter", "phone": "phone"}
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


@dataclass
class Received:
    """How an answer came in: online (``user_id`` None) or recorded by staff (``user_id``) from
    a reply slip (``paper``) or a phone call (``phone``); ``now`` is when it came in."""

    now: datetime
    channel: str = "online"
    user_id: int | None = None

    @property
    def contact_channel(self) -> str:
        """The channel in the contact log and the consent records (vocab.CHANNELS)."""
        return CONTACT_CHANNEL_OF_ANSWER[self.channel]


def open_request(session: Session, secret: str | None, now: datetime) -> UseRequest | None:
    """The open request for ``secret``, or None. Reads only."""
    return _if_open(find_by_secret(session, secret), now)


def open_remembered(
    session: Session, request_id: int, token_hash: str | None, now: datetime
) -> UseRequest | None:
    """The open request the owner opened earlier in this browser, or None. Reads only."""
    return _if_open(find_remembered(session, request_id, token_hash), now)


def _if_open(req: UseRequest | None, now: datetime) -> UseRequest | None:
    return req if req is not None and req.state(now) == "open" else None


class AnswerErrors(ServiceError):
    """Bad input in the answer form: ``fields`` maps a field name (``answer``, ``message``,
    ``available_from``, ``available_to``) to its German message (``Text``), in form order."""

    def __init__(self, fields: dict[str, str]):
        super().__init__(next(iter(fields.values())))
        self.fields = fields


def _date_field(form: Mapping, name: str, what: str, errors: dict) -> date | None:
    try:
        return parse_date(form.get(name), what)
    except ServiceError:
        errors[name] = Text(
            "%(what)s: „%(value)s“ ist kein Datum. Bitte TT.MM.JJJJ eingeben.",
            what=what,
            value=str(form.get(name)).strip()[:30],
        )
        return None


def form_defaults(session: Session, req: UseRequest) -> dict:
    """The answer form as the owner's data stand now: the unit's availability and the owner's
    active consents (shared by the owner's page and the staff's paper/phone form)."""
    unit = req.match.unit
    consents = consent_service.consents_by_scope(session, req.owner_id)
    form = {
        "available_from": unit.available_from.isoformat() if unit.available_from else "",
        "available_to": unit.available_to.isoformat() if unit.available_to else "",
    }
    for scope in OWNER_SCOPES:
        row = consents.get(scope)
        form[f"consent_{scope}"] = "1" if row is not None and row.active else ""
    return form


def parse_answer(form: Mapping) -> AnswerInput:
    """The answer form's values; every bad field at once as ``AnswerErrors``."""
    errors: dict[str, str] = {}
    answer = str(form.get("answer") or "").strip()
    if answer not in ANSWERS:
        errors["answer"] = Text("Bitte wählen Sie eine Antwort aus.")
    message = str(form.get("message") or "").strip()
    if answer in MESSAGE_REQUIRED and not message:
        errors["message"] = (
            Text("Bitte schreiben Sie uns Ihre Bedingungen.")
            if answer == "yes_conditions"
            else Text("Bitte schreiben Sie uns, welche Informationen Sie brauchen.")
        )
    if len(message) > MAX_MESSAGE:
        errors["message"] = Text(
            "Die Nachricht darf höchstens %(max)d Zeichen lang sein. Bitte kürzen Sie sie.",
            max=MAX_MESSAGE,
        )
    available_from = _date_field(form, "available_from", Text("Verfügbar ab"), errors)
    available_to = _date_field(form, "available_to", Text("Verfügbar bis"), errors)
    if available_from and available_to and available_to < available_from:
        errors["available_to"] = Text(
            "„Verfügbar bis“ darf nicht vor „Verfügbar ab“ liegen. Bitte prüfen Sie die Daten."
        )
    if errors:
        raise AnswerErrors(errors)
    consents = {scope: form.get(f"consent_{scope}") == "1" for scope in OWNER_SCOPES}
    return AnswerInput(answer, message, available_from, available_to, consents)


def _update_availability(session: Session, req: UseRequest, data: AnswerInput, how: Received):
    unit, today = req.match.unit, local_date(how.now)
    if (unit.available_from, unit.available_to) == (data.available_from, data.available_to):
        return
    if data.available_to and data.available_to < today and data.available_to != unit.available_to:
        raise AnswerErrors(
            {
                "available_to": Text(
                    "„Verfügbar bis“ darf nicht in der Vergangenheit liegen. "
                    "Bitte ein späteres Datum eingeben oder das Feld leer lassen."
                )
            }
        )
    session.refresh(unit, with_for_update=True)
    unit.available_from, unit.available_to = data.available_from, data.available_to
    changes = flush_versioned(session, how.user_id, unit, "owner_update", _caused_by(req))
    matching.unit_changed(session, unit, changes)


def _update_consents(session: Session, req: UseRequest, data: AnswerInput, how: Received):
    current = consent_service.consents_by_scope(session, req.owner_id)
    for scope in OWNER_SCOPES:
        row = current.get(scope)
        active = row is not None and row.active
        wanted = data.consents.get(scope, False)
        if wanted == active:
            continue
        action = "give" if wanted else "withdraw"
        consent_input = consent_service.ConsentInput(
            scope, action, how.contact_channel, CONSENT_TEXT_VERSION
        )
        consent_service.record_consent(session, how.user_id, req.owner, consent_input, how.now)


def _move_case(session: Session, req: UseRequest, how: Received) -> None:
    case = case_for(session, req, how.user_id)
    label = german(ANSWERS, req.answer)
    summary = f"Antwort auf die Nutzungsanfrage ({req.match.proposal.title}): {label}"
    if how.channel != "online":
        summary += f" ({german(ANSWER_CHANNELS, how.channel)}, erfasst von der Verwaltung)"
    if req.answer_message:
        summary += f"\n{req.answer_message}"
    contact = contact_service.Contact(
        occurred_on=local_date(how.now),
        channel=how.contact_channel,
        direction="in",
        summary=summary,
        outcome=label,
    )
    contact_service.advance(session, case, how.user_id, contact, ANSWER_TARGET[req.answer])


def _caused_by(req: UseRequest) -> dict:
    """Audit ``extra`` of a change the owner's answer caused."""
    return {"use_request_id": [None, req.id]}


def _mark_proposal(session: Session, req: UseRequest, how: Received) -> None:
    if req.answer in YES_ANSWERS:
        proposals.mark_matched(session, req.match.proposal, how.user_id, _caused_by(req))


def apply_answer(session: Session, req: UseRequest, data: AnswerInput, how: Received):
    """The effects of an answer, the same for every channel: the request is answered, the
    availability and consents are updated, the contact case moves (with a log entry), a yes
    marks the proposal. ``req`` must be locked and answerable; the caller mails after the commit."""
    req.answer = data.answer
    req.answer_message = data.message
    req.answered_at = how.now
    req.answer_channel = how.channel
    req.answer_recorded_by_id = how.user_id
    flush_versioned(session, how.user_id, req, "answer")
    with matching.batch(session):  # the unit and its building: re-matched once
        _update_availability(session, req, data, how)
        _update_consents(session, req, data, how)
        _move_case(session, req, how)
        _mark_proposal(session, req, how)
    return req


def answer(session: Session, secret: str | None, data: AnswerInput, now: datetime) -> UseRequest:
    """Record the one answer of the request; raises InvalidSecret when it does not open."""
    return record_answer(session, find_by_secret(session, secret, lock=True), data, now)


def answer_remembered(
    session: Session, request_id: int, token_hash: str | None, data: AnswerInput, now: datetime
) -> UseRequest:
    """``answer`` for a request the owner opened earlier in this browser (see
    ``use_requests.tokens.find_remembered``); raises InvalidSecret when it does not open."""
    req = find_remembered(session, request_id, token_hash, lock=True)
    return record_answer(session, req, data, now)


def record_answer(
    session: Session, req: UseRequest | None, data: AnswerInput, now: datetime
) -> UseRequest:
    """The owner's own answer (online) to a locked request; InvalidSecret unless it is open."""
    if req is None or req.state(now) != "open":
        raise InvalidSecret()
    return apply_answer(session, req, data, Received(now))
