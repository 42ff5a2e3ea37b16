"""Eigentümeransprache: the state machine of a contact case and its append-only event log.
Lists of cases (filtered, due follow-ups, counts by state) are ``contact.lists``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func
from sqlalchemy.orm import Session

from leerstand.dates import day
from leerstand.messages import Text
from leerstand.models import ContactCase, ContactEvent, User
from leerstand.services.audit.log import flush_versioned, record
from leerstand.services.errors import ServiceError
from leerstand.services.forms import parse_date
from leerstand.services.locking import check_version
from leerstand.services.matching import service as matching
from leerstand.services.municipality import get_scoped
from leerstand.services.privacy.restriction import check_contactable
from leerstand.vocab import CHANNELS, CONTACT_STATES, DIRECTIONS, german

# Allowed transitions: from state -> target states (``unreachable`` is added below).
TRANSITIONS: dict[str, frozenset[str]] = {
    "not_contacted": frozenset({"contacted"}),
    "contacted": frozenset({"in_dialogue", "open_to_interim_use", "declined"}),
    "in_dialogue": frozenset({"open_to_interim_use", "declined", "agreement"}),
    "open_to_interim_use": frozenset({"in_dialogue", "agreement", "declined"}),
    "declined": frozenset({"in_dialogue", "closed"}),
    "agreement": frozenset({"closed"}),
    "unreachable": frozenset({"contacted", "closed"}),
    "closed": frozenset(),
}
UNREACHABLE_FROM_EXCEPT = frozenset({"closed", "unreachable"})
# The natural next step from a state, preselected in the form: always forward, never back.
NEXT_STATE: dict[str, str] = {
    "not_contacted": "contacted",
    "contacted": "in_dialogue",
    "in_dialogue": "open_to_interim_use",
    "open_to_interim_use": "agreement",
    "declined": "closed",
    "agreement": "closed",
    "unreachable": "contacted",
}

# Days until the next follow-up after a transition into the state (None: no follow-up).
FOLLOW_UP_CONTACTED = 14
FOLLOW_UP_IN_DIALOGUE = 14
FOLLOW_UP_OPEN_TO_INTERIM_USE = 7
FOLLOW_UP_DECLINED = 180
FOLLOW_UP_AGREEMENT = 30
FOLLOW_UP_UNREACHABLE = 90
FOLLOW_UP_DAYS: dict[str, int | None] = {
    "contacted": FOLLOW_UP_CONTACTED,
    "in_dialogue": FOLLOW_UP_IN_DIALOGUE,
    "open_to_interim_use": FOLLOW_UP_OPEN_TO_INTERIM_USE,
    "declined": FOLLOW_UP_DECLINED,
    "agreement": FOLLOW_UP_AGREEMENT,
    "unreachable": FOLLOW_UP_UNREACHABLE,
    "closed": None,
}


@dataclass
class Contact:
    """What happened: one entry of the log."""

    occurred_on: date
    channel: str | None = None
    direction: str = "internal"
    summary: str = ""
    outcome: str = ""


def allowed_targets(state: str) -> list[str]:
    """Target states reachable from ``state``, in the order of CONTACT_STATES."""
    targets = set(TRANSITIONS.get(state, ()))
    if state in TRANSITIONS and state not in UNREACHABLE_FROM_EXCEPT:
        targets.add("unreachable")
    return [code for code in CONTACT_STATES if code in targets]


def natural_next(state: str, wanted: str | None = None) -> str | None:
    """The state to preselect after ``state``: ``wanted`` when it is allowed (a link may ask
    for one, e.g. "abgeschlossen" after an interim use ended), else ``NEXT_STATE``."""
    allowed = allowed_targets(state)
    if wanted in allowed:
        return wanted
    return NEXT_STATE.get(state) if NEXT_STATE.get(state) in allowed else None


def state_name(code: str) -> str:
    """German label of a state (service messages are German, also outside requests)."""
    return german(CONTACT_STATES, code)


def _quoted(code: str) -> Text:
    """„kontaktiert“: the state's label in quotes, translated with the message."""
    return Text("„%(state)s“", state=Text(state_name(code)))


def _listed(codes: list[str]) -> Text:
    """„A“, „B“, „C“ (one ``Text`` per item, so that each label is translated)."""
    names = _quoted(codes[0])
    for code in codes[1:]:
        names = Text("%(names)s, %(name)s", names=names, name=_quoted(code))
    return names


def check_transition(from_state: str, to_state: str) -> None:
    if to_state not in CONTACT_STATES:
        raise ServiceError(
            Text("Unbekannter Zielstatus. Bitte wählen Sie einen Status aus der Liste.")
        )
    allowed = allowed_targets(from_state)
    if to_state in allowed:
        return
    states = {"current": _quoted(from_state), "target": _quoted(to_state)}
    if not allowed:
        raise ServiceError(
            Text(
                "Von %(current)s kann nicht direkt zu %(target)s gewechselt werden. "
                "Der Fall ist abgeschlossen.",
                **states,
            )
        )
    raise ServiceError(
        Text(
            "Von %(current)s kann nicht direkt zu %(target)s gewechselt werden. "
            "Erlaubt: %(allowed)s.",
            allowed=_listed(allowed),
            **states,
        )
    )


def default_follow_up(to_state: str, occurred_on: date) -> date | None:
    days = FOLLOW_UP_DAYS.get(to_state)
    return None if days is None else occurred_on + timedelta(days=days)


def make_contact(data: dict, today: date) -> Contact:
    """Validated Contact from form values (occurred_on, channel, direction, summary, outcome)."""
    occurred_on = parse_date(data.get("occurred_on"), Text("Datum")) or today
    if occurred_on > today:
        raise ServiceError(Text("Das Datum des Kontakts darf nicht in der Zukunft liegen."))
    channel = (data.get("channel") or "").strip() or None
    if channel is not None and channel not in CHANNELS:
        raise ServiceError(Text("Bitte wählen Sie einen gültigen Kontaktweg."))
    direction = (data.get("direction") or "internal").strip()
    if direction not in DIRECTIONS:
        raise ServiceError(Text("Bitte wählen Sie eine gültige Richtung."))
    return Contact(
        occurred_on=occurred_on,
        channel=channel,
        direction=direction,
        summary=(data.get("summary") or "").strip(),
        outcome=(data.get("outcome") or "").strip(),
    )


def get_case(session: Session, municipality_id: int, case_id: int) -> ContactCase:
    return get_scoped(
        session, ContactCase, case_id, municipality_id, Text("Ansprache nicht gefunden.")
    )


def _append(session, case, user_id, contact: Contact, from_state=None, to_state=None):
    event = ContactEvent(
        case_id=case.id,
        occurred_on=contact.occurred_on,
        channel=contact.channel,
        direction=contact.direction,
        summary=contact.summary,
        outcome=contact.outcome,
        from_state=from_state,
        to_state=to_state,
        user_id=user_id,
    )
    session.add(event)
    return event


def _save(session, user_id, case, action: str, extra: dict) -> None:
    """Flush the case with an audit event, also when only the log grew."""
    case.updated_at = func.now()
    changes = flush_versioned(session, user_id, case, action)
    if not changes:
        record(session, user_id, action, case, extra)


def transition(
    session: Session,
    case: ContactCase,
    user_id: int | None,
    to_state: str,
    contact: Contact,
    version=None,
    follow_up: date | None = None,
) -> ContactEvent:
    """Change the state, append an event, set the next follow-up (explicit date wins)."""
    check_version(case, version)
    check_transition(case.state, to_state)
    if to_state == "contacted":  # Art. 18/21: a restricted or objecting owner is not contacted
        check_contactable(case.owner)
    from_state = case.state
    event = _append(session, case, user_id, contact, from_state, to_state)
    case.state = to_state
    case.next_follow_up = follow_up or default_follow_up(to_state, contact.occurred_on)
    _save(session, user_id, case, "transition", {})
    matching.contact_changed(session, case.building)
    return event


def advance(
    session: Session,
    case: ContactCase,
    user_id: int | None,
    contact: Contact,
    target: str | None = None,
    follow_up: date | None = None,
) -> ContactEvent:
    """For automatic steps (use requests, owner answers, interim uses): move the case to
    ``target`` when that transition is allowed from its state, otherwise only log the contact."""
    if target and target in allowed_targets(case.state):
        return transition(session, case, user_id, target, contact, case.version, follow_up)
    return record_contact(session, case, user_id, contact, case.version, follow_up)


def record_contact(
    session: Session,
    case: ContactCase,
    user_id: int | None,
    contact: Contact,
    version=None,
    follow_up: date | None = None,
) -> ContactEvent:
    """Log a contact without a change of state; an explicit follow-up date is set."""
    check_version(case, version)
    if not contact.summary:
        raise ServiceError(Text("Bitte beschreiben Sie kurz, worum es bei dem Kontakt ging."))
    if case.owner.restricted_at is not None or case.owner.erased_at is not None:
        check_contactable(case.owner)  # Art. 18: no contact events while restricted
    event = _append(session, case, user_id, contact)
    if follow_up is not None:
        case.next_follow_up = follow_up
    _save(session, user_id, case, "contact", {"contact": [None, contact.summary]})
    return event


def set_follow_up(
    session: Session,
    case: ContactCase,
    user_id: int | None,
    follow_up: date | None,
    today: date,
    version=None,
) -> ContactEvent:
    """Change (or clear) the follow-up date; logged as an internal event."""
    check_version(case, version)
    if follow_up is not None and follow_up < today:
        raise ServiceError(Text("Die Wiedervorlage darf nicht in der Vergangenheit liegen."))
    text = "Wiedervorlage geändert auf " + day(follow_up) if follow_up else "Wiedervorlage entfernt"
    event = _append(session, case, user_id, Contact(occurred_on=today, summary=text))
    case.next_follow_up = follow_up
    _save(session, user_id, case, "follow_up", {"contact": [None, text]})
    return event


def set_responsible(
    session: Session, case: ContactCase, user_id: int | None, responsible_id, version=None
) -> None:
    check_version(case, version)
    new_id = None
    if responsible_id not in (None, ""):
        try:
            new_id = int(responsible_id)
        except (TypeError, ValueError):
            new_id = -1
        user = session.get(User, new_id)
        if user is None or user.municipality_id != case.municipality_id:
            raise ServiceError(Text("Bitte wählen Sie eine zuständige Person aus der Liste."))
    case.responsible_id = new_id
    _save(session, user_id, case, "update", {})
