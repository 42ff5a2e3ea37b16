"""Staff record an owner's answer that came on paper (the letter's reply slip) or by phone.

The answer has the same effects as one given online (``use_requests.answer.apply_answer``: contact
log, case state, availability, consents, the proposal marked; the view mails staff and, with
consent, the initiative after the commit); the request keeps ``answer_channel`` and
``answer_recorded_by_id``. Refused for an answered or revoked request; an expired request can
still be answered this way (a reply slip may arrive after the deadline).

An answer that came in on an earlier day is dated at noon of that day (the hour is unknown),
so that the request, the contact log and the consents agree on the day."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy.orm import Session

from leerstand.dates import LOCAL_TZ, day, local_date
from leerstand.messages import Text
from leerstand.models import UseRequest
from leerstand.services.errors import ServiceError
from leerstand.services.forms import parse_date
from leerstand.services.use_requests.answer import (
    MESSAGE_REQUIRED,
    AnswerInput,
    Received,
    apply_answer,
    parse_answer,
)
from leerstand.services.use_requests.answer import form_defaults as answer_form_defaults

STAFF_CHANNELS = ("paper", "phone")
UNKNOWN_HOUR = time(12, 0)


@dataclass
class RecordedAnswer:
    data: AnswerInput
    channel: str
    received_on: date


def form_defaults(session: Session, req: UseRequest, today: date) -> dict:
    """The recording form as the owner's current data stand (``answer.form_defaults``: an
    unticked consent that is active now is withdrawn, as on the answer page), received today."""
    return {
        "answer_channel": "paper" if req.channel == "letter" else "phone",
        "received_on": today.isoformat(),
        **answer_form_defaults(session, req),
    }


def parse_recorded(form: Mapping, today: date) -> RecordedAnswer:
    """The staff form: the owner's answer (same rules as online), the channel and the day."""
    channel = str(form.get("answer_channel") or "").strip()
    if channel not in STAFF_CHANNELS:
        raise ServiceError(
            Text("Bitte wählen Sie, wie die Antwort kam: Antwortbogen (Papier) oder Telefon.")
        )
    received_on = parse_date(form.get("received_on"), Text("Eingegangen am"))
    if received_on is None:
        raise ServiceError(Text("Bitte geben Sie an, an welchem Tag die Antwort einging."))
    if received_on > today:
        raise ServiceError(Text("„Eingegangen am“ darf nicht in der Zukunft liegen."))
    answer = str(form.get("answer") or "").strip()
    if answer in MESSAGE_REQUIRED and not str(form.get("message") or "").strip():
        raise ServiceError(
            Text("Bitte tragen Sie die Bedingungen der Eigentümer:in ein.")
            if answer == "yes_conditions"
            else Text("Bitte tragen Sie ein, welche Informationen die Eigentümer:in braucht.")
        )
    return RecordedAnswer(parse_answer(form), channel, received_on)


def _received_at(received_on: date, now: datetime) -> datetime:
    if received_on == local_date(now):
        return now
    return datetime.combine(received_on, UNKNOWN_HOUR, tzinfo=LOCAL_TZ)


def _check_answerable(req: UseRequest, received_on: date, now: datetime) -> None:
    state = req.state(now)
    if state == "answered":
        raise ServiceError(
            Text(
                "Diese Anfrage wurde bereits am %(day)s beantwortet; eine zweite Antwort wird "
                "nicht gespeichert. Weitere Kontakte tragen Sie bitte in der Ansprache ein.",
                day=day(req.answered_at),
            )
        )
    if state == "revoked":
        raise ServiceError(
            Text(
                "Diese Anfrage ist zurückgezogen; eine Antwort kann nicht mehr erfasst werden. "
                "Tragen Sie den Kontakt bitte in der Ansprache ein oder stellen Sie die Anfrage "
                "neu aus."
            )
        )
    created = local_date(req.created_at)
    if received_on < created:
        raise ServiceError(
            Text(
                "„Eingegangen am“ liegt vor dem Versand der Anfrage (%(day)s). "
                "Bitte prüfen Sie das Datum.",
                day=day(created),
            )
        )


def record_staff_answer(
    session: Session, req: UseRequest, recorded: RecordedAnswer, user_id: int, now: datetime
) -> UseRequest:
    """Lock the request, check it, and apply the answer as if the owner had given it online."""
    session.refresh(req, with_for_update=True)  # against an online answer at the same moment
    _check_answerable(req, recorded.received_on, now)
    how = Received(_received_at(recorded.received_on, now), recorded.channel, user_id)
    return apply_answer(session, req, recorded.data, how)
