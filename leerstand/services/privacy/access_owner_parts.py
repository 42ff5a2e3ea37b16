"""The larger parts of an owner's Art. 15 answer (``access.owner_answer``): contact cases and
every contact event, use requests with answers and their letters (as printed, without the
answer code), interim uses connected to the owner (through a request or a building they
own), and mails sent to them."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from leerstand import vocab
from leerstand.messages import Text
from leerstand.models import (
    ContactCase,
    ContactEvent,
    InterimUse,
    Owner,
    Ownership,
    Unit,
    UseRequest,
)
from leerstand.services.municipality import get as get_municipality
from leerstand.services.privacy.access_common import Section
from leerstand.services.privacy.access_texts import letter_text, mail_copies
from leerstand.services.use_requests.send import reference
from leerstand.vocab import german


def cases(session: Session, owner: Owner) -> tuple[list[ContactCase], Section, Section]:
    cases = session.scalars(
        select(ContactCase).where(ContactCase.owner_id == owner.id).order_by(ContactCase.id)
    ).all()
    case_rows = [
        {
            "case_id": c.id,
            "address": c.building.address,
            "state": german(vocab.CONTACT_STATES, c.state),
            "next_follow_up": c.next_follow_up,
            "responsible": c.responsible.display_name if c.responsible else "",
            "created_at": c.created_at,
        }
        for c in cases
    ]
    case_columns = [
        ("case_id", Text("Ansprache Nr.")),
        ("address", Text("Gebäude")),
        ("state", Text("Status")),
        ("next_follow_up", Text("Wiedervorlage")),
        ("responsible", Text("Zuständig")),
        ("created_at", Text("angelegt am")),
    ]
    events = session.scalars(
        select(ContactEvent)
        .where(ContactEvent.case_id.in_([c.id for c in cases] or [0]))
        .order_by(ContactEvent.occurred_on, ContactEvent.id)
    ).all()
    event_rows = [
        {
            "case_id": e.case_id,
            "occurred_on": e.occurred_on,
            "channel": german(vocab.CHANNELS, e.channel),
            "direction": german(vocab.DIRECTIONS, e.direction),
            "summary": e.summary,
            "outcome": e.outcome,
            "from_state": german(vocab.CONTACT_STATES, e.from_state),
            "to_state": german(vocab.CONTACT_STATES, e.to_state),
            "recorded_by": e.user.display_name if e.user else "",
        }
        for e in events
    ]
    event_columns = [
        ("case_id", Text("Ansprache Nr.")),
        ("occurred_on", Text("Datum")),
        ("channel", Text("Kontaktweg")),
        ("direction", Text("Richtung")),
        ("summary", Text("Inhalt")),
        ("outcome", Text("Ergebnis")),
        ("from_state", Text("Status vorher")),
        ("to_state", Text("Status nachher")),
        ("recorded_by", Text("Erfasst von")),
    ]
    return (
        list(cases),
        Section("contact_cases", Text("Ansprachen"), case_columns, case_rows),
        Section("contact_events", Text("Kontakte"), event_columns, event_rows),
    )


REQUEST_COLUMNS = [
    ("reference", Text("Zeichen")),
    ("proposal", Text("Idee")),
    ("initiative", Text("Initiative")),
    ("unit", Text("Raum")),
    ("channel", Text("Weg")),
    ("message", Text("Nachricht der Stadtverwaltung")),
    ("sent_at", Text("gesendet am")),
    ("expires_at", Text("gültig bis")),
    ("reminder_sent_at", Text("Erinnerung gesendet am")),
    ("revoked_at", Text("zurückgezogen am")),
    ("answered_at", Text("beantwortet am")),
    ("answer", Text("Antwort")),
    ("answer_message", Text("Nachricht der Eigentümer:in")),
    ("answer_channel", Text("Antwort über")),
]


def _request_row(req: UseRequest) -> dict:
    unit = req.match.unit
    return {
        "reference": reference(req),
        "proposal": req.match.proposal.title,
        "initiative": req.match.proposal.initiative.name,
        "unit": f"{unit.building.address}, {unit.name}",
        "channel": german(vocab.REQUEST_CHANNELS, req.channel),
        "message": req.message,
        "sent_at": req.sent_at,
        "expires_at": req.expires_at,
        "reminder_sent_at": req.reminder_sent_at,
        "revoked_at": req.revoked_at,
        "answered_at": req.answered_at,
        "answer": german(vocab.ANSWERS, req.answer),
        "answer_message": req.answer_message,
        "answer_channel": german(vocab.ANSWER_CHANNELS, req.answer_channel),
    }


def requests(session: Session, owner: Owner) -> tuple[list[UseRequest], Section, Section]:
    reqs = session.scalars(
        select(UseRequest).where(UseRequest.owner_id == owner.id).order_by(UseRequest.id)
    ).all()
    municipality = get_municipality(session, owner.municipality_id)
    letters = [
        {"reference": reference(r), "text": letter_text(r, municipality)}
        for r in reqs
        if r.channel == "letter"
    ]
    return (
        list(reqs),
        Section(
            "use_requests",
            Text("Nutzungsanfragen und Antworten"),
            REQUEST_COLUMNS,
            [_request_row(r) for r in reqs],
        ),
        Section(
            "letters",
            Text("Briefe"),
            [("reference", Text("Zeichen")), ("text", Text("Text des Briefes"))],
            letters,
            Text("Der persönliche Antwortcode wird nicht gespeichert; er fehlt deshalb im Text."),
        ),
    )


def interim_uses(session: Session, owner: Owner, reqs: list[UseRequest]) -> Section:
    building_ids = select(Ownership.building_id).where(Ownership.owner_id == owner.id)
    uses = session.scalars(
        select(InterimUse)
        .join(Unit, Unit.id == InterimUse.unit_id)
        .where(
            or_(
                InterimUse.use_request_id.in_([r.id for r in reqs] or [0]),
                Unit.building_id.in_(building_ids),
            )
        )
        .order_by(InterimUse.starts_on, InterimUse.id)
    ).all()
    columns = [
        ("unit", Text("Raum")),
        ("initiative", Text("Initiative")),
        ("starts_on", Text("Beginn")),
        ("ends_on", Text("Ende")),
        ("costs", Text("Kosten")),
        ("insurance", Text("Versicherung")),
        ("key_handover", Text("Schlüsselübergabe")),
        ("notes", Text("Notizen (intern)")),
        ("ended_on", Text("beendet am")),
        ("outcome", Text("Ergebnis")),
    ]
    rows = [
        {
            "unit": f"{u.unit.building.address}, {u.unit.name}",
            "initiative": u.initiative.name if u.initiative else "",
            "starts_on": u.starts_on,
            "ends_on": u.ends_on,
            "costs": u.costs,
            "insurance": u.insurance,
            "key_handover": u.key_handover,
            "notes": u.notes,
            "ended_on": u.ended_on,
            "outcome": german(vocab.INTERIM_OUTCOMES, u.outcome),
        }
        for u in uses
    ]
    return Section("interim_uses", Text("Zwischennutzungen"), columns, rows)


MAIL_COLUMNS = [
    ("sent_at", Text("gesendet am")),
    ("to", Text("an")),
    ("subject", Text("Betreff")),
    ("body", Text("Text")),
]


def mails(owner: Owner, reqs: list[UseRequest], outbox_dir: str | None, smtp: bool) -> Section:
    """Mails to the owner: copies from the outbox when kept, else what the requests record."""
    copies = mail_copies(None if smtp else outbox_dir, {owner.email})
    rows = [
        {"sent_at": c.sent_at, "to": c.to, "subject": c.subject, "body": c.body} for c in copies
    ]
    if rows:
        return Section("mails", Text("E-Mails"), MAIL_COLUMNS, rows)
    for req in (r for r in reqs if r.channel == "email"):
        subject = f"Anfrage zur Zwischennutzung ({reference(req)})"
        rows.append({"sent_at": req.sent_at, "to": owner.email, "subject": subject, "body": ""})
        if req.reminder_sent_at:
            rows.append(
                {
                    "sent_at": req.reminder_sent_at,
                    "to": owner.email,
                    "subject": f"Erinnerung: {subject}",
                    "body": "",
                }
            )
    note = Text(
        "Kopien gesendeter E-Mails werden nicht gespeichert; die Liste nennt, was die "
        "Nutzungsanfragen über ihren Versand festhalten."
    )
    return Section("mails", Text("E-Mails"), MAIL_COLUMNS, rows, note)
