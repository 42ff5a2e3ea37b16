"""Mails around use requests (plain text, templates/mail/request*.txt): the request with the
owner's personal link, the reminder, and the notifications after an answer — to staff always,
to the initiative only when the owner's ``share_contact`` consent is active.

Mails greet the owner with ``owner_greeting`` and write a period in words
(``leerstand.wording``), never with dash placeholders. Called after the commit. A mail that
fails is logged and reported as False (``leerstand.mail`` never raises); it never undoes what
was saved. Works inside a request and from the CLI (links
from BASE_URL via ``leerstand.links``)."""

from __future__ import annotations

from sqlalchemy.orm import object_session

from leerstand import mail
from leerstand.dates import day
from leerstand.links import absolute_url
from leerstand.models import Municipality, UseRequest
from leerstand.services import municipality as municipality_service
from leerstand.services.owners.consent import consents_by_scope
from leerstand.services.owners.service import owner_greeting
from leerstand.services.towns.texts import privacy_url
from leerstand.vocab import ANSWER_CHANNELS, ANSWERS, USE_KINDS, german
from leerstand.wording import period


def municipality_of(record) -> Municipality:
    """The municipality of a use request (or any other municipality-scoped row)."""
    return municipality_service.get(object_session(record), record.municipality_id)


def staff_address(record) -> str | None:
    """Where staff mail about a use request or an interim use goes: the user who created it
    (while active), else the municipality's contact address; None when there is neither."""
    user = record.created_by
    if user is not None and user.active and user.email:
        return user.email
    return municipality_of(record).contact_email or None


def answer_link(secret: str) -> str:
    return absolute_url("owner.answer", secret=secret)


def _context(req: UseRequest) -> dict:
    return {
        "req": req,
        "proposal": req.match.proposal,
        "unit": req.match.unit,
        "building": req.match.unit.building,
        "municipality": municipality_of(req),
        "use_kind": german(USE_KINDS, req.match.proposal.use_kind),
        "answer_label": german(ANSWERS, req.answer),
        "answer_channel": german(ANSWER_CHANNELS, req.answer_channel),
        "greeting": owner_greeting(req.owner),
        "period": period(req.match.proposal.time_from, req.match.proposal.time_to),
        "day": day,
        "privacy_link": privacy_url(object_session(req), municipality_of(req)),  # Art. 14
    }


def _subject(req: UseRequest, prefix: str) -> str:
    return f"{prefix}: {req.match.unit.building.address}, {req.match.unit.name}"


def _mail_owner(req: UseRequest, secret: str, subject: str, template: str) -> bool:
    """A mail to the owner with the personal link to the answer page."""
    return mail.send_template(
        req.owner.email,
        _subject(req, subject),
        template,
        link=answer_link(secret),
        **_context(req),
    )


def send_request_mail(req: UseRequest, secret: str) -> bool:
    """The request (first send or reissue) with the personal link to the owner."""
    return _mail_owner(req, secret, "Anfrage zur Zwischennutzung", "request.txt")


def send_reminder_mail(req: UseRequest, secret: str) -> bool:
    """The reminder of an unanswered request, with a new personal link."""
    return _mail_owner(
        req, secret, "Erinnerung: Anfrage zur Zwischennutzung", "request_reminder.txt"
    )


def shares_contact(req: UseRequest) -> bool:
    row = consents_by_scope(object_session(req), req.owner_id).get("share_contact")
    return row is not None and row.active


def notify_answer(req: UseRequest) -> dict[str, bool | None]:
    """Mail staff and (with consent) the initiative; {"staff": …, "initiative": …}, where None
    means there was nobody to send to."""
    context = _context(req)
    shared = shares_contact(req)
    result: dict[str, bool | None] = {"staff": None, "initiative": None}
    to_staff = staff_address(req)
    if to_staff:
        result["staff"] = mail.send_template(
            to_staff,
            _subject(req, f"Antwort auf Nutzungsanfrage ({context['answer_label']})"),
            "request_answer_staff.txt",
            link=absolute_url("staff.request", request_id=req.id),
            shares_contact=shared,
            **context,
        )
    initiative = req.match.proposal.initiative
    if shared and initiative.email:
        result["initiative"] = mail.send_template(
            initiative.email,
            f"Antwort zu Ihrer Idee „{req.match.proposal.title}“",
            "request_answer_initiative.txt",
            initiative=initiative,
            owner=req.owner,
            **context,
        )
    return result
