"""Zwischennutzung: record the interim use that follows an owner's yes, edit its dates and
terms, record its end and outcome; list, count, and remind before the agreed end.

Recording (``start_use``, from a match here or from a unit's page in ``interim_uses.from_unit``)
sets the unit to ``interim_use`` (maps: "in Zwischennutzung"; a later start reads "geplant ab",
see ``interim_uses.state``), the proposal to ``realised`` and, from a match, the contact case
of every owner who said yes to ``agreement`` (or logs a contact when that transition is not
allowed). Ending sets the unit to ``occupied`` or, back to vacant, to ``vacant`` with
``vacant_since`` = the end date. Every check runs before anything is flushed; services flush,
the view commits once. The mails are in ``interim_uses.notices``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from leerstand.dates import day
from leerstand.messages import Text
from leerstand.models import InterimUse, Match, Unit, UseRequest
from leerstand.models.use_request import YES_ANSWERS
from leerstand.services.audit.log import flush_versioned
from leerstand.services.contact import cases as contact_service
from leerstand.services.errors import ServiceError
from leerstand.services.forms import choice, parse_date, text
from leerstand.services.locking import check_version
from leerstand.services.matching import service as matching
from leerstand.services.municipality import get_scoped
from leerstand.services.proposals import service as proposals
from leerstand.services.use_requests.contact_log import case_for
from leerstand.vocab import INTERIM_OUTCOMES

TERM_FIELDS = {
    "costs": Text("Kosten"),
    "insurance": Text("Versicherung"),
    "key_handover": Text("Schlüsselübergabe"),
    "notes": Text("Notizen"),
}
TERM_MAX_LEN = 2_000
FIRST_YEAR, LAST_YEAR = 2000, 2100
UNIT_STATE_AFTER = {
    "vacancy_ended": "occupied",
    "let_permanently": "occupied",
    "back_to_vacant": "vacant",
}


# --- look-ups ------------------------------------------------------------------------------


def get_interim_use(session: Session, municipality_id: int, interim_id: int) -> InterimUse:
    return get_scoped(
        session, InterimUse, interim_id, municipality_id, Text("Zwischennutzung nicht gefunden.")
    )


def yes_requests(match: Match) -> list[UseRequest]:
    """The match's requests answered yes or yes with conditions, earliest answer first."""
    answered = [r for r in match.requests if r.answer in YES_ANSWERS]
    return sorted(answered, key=lambda r: (r.answered_at, r.id))


def _with_parts(stmt):
    return stmt.options(
        selectinload(InterimUse.unit).selectinload(Unit.building),
        selectinload(InterimUse.initiative),
        selectinload(InterimUse.proposal),
    )


def list_uses(session: Session, municipality_id: int, state: str | None = None):
    """Interim uses, active ones first (soonest end first), then ended (latest end first)."""
    stmt = select(InterimUse).where(InterimUse.municipality_id == municipality_id)
    if state == "active":
        stmt = stmt.where(InterimUse.outcome.is_(None))
    elif state == "ended":
        stmt = stmt.where(InterimUse.outcome.is_not(None))
    stmt = stmt.order_by(
        InterimUse.outcome.is_(None).desc(),
        InterimUse.ended_on.desc().nulls_first(),
        InterimUse.ends_on,
        InterimUse.id,
    )
    return list(session.scalars(_with_parts(stmt)))


def for_units(session: Session, unit_ids, proposal_id: int | None = None) -> list[InterimUse]:
    """Interim uses of these units (and of that proposal): active first, then the latest first."""
    stmt = select(InterimUse).where(InterimUse.unit_id.in_(list(unit_ids) or [0]))
    if proposal_id is not None:
        stmt = stmt.where(InterimUse.proposal_id == proposal_id)
    stmt = stmt.order_by(InterimUse.outcome.is_(None).desc(), InterimUse.starts_on.desc())
    return list(session.scalars(_with_parts(stmt)))


def ending_soon(session: Session, municipality_id: int, today: date, days: int) -> list[InterimUse]:
    """Active interim uses that end within ``days`` (INTERIM_END_REMINDER_DAYS), or overdue."""
    until = today + timedelta(days=days)
    stmt = select(InterimUse).where(
        InterimUse.municipality_id == municipality_id,
        InterimUse.outcome.is_(None),
        InterimUse.ends_on <= until,
    )
    return list(session.scalars(_with_parts(stmt.order_by(InterimUse.ends_on, InterimUse.id))))


def outcome_counts(session: Session, municipality_id: int) -> dict[str, int]:
    """{outcome: number of ended interim uses} for every outcome (zeros included)."""
    stmt = (
        select(InterimUse.outcome, func.count())
        .where(InterimUse.municipality_id == municipality_id, InterimUse.outcome.is_not(None))
        .group_by(InterimUse.outcome)
    )
    counts = dict(session.execute(stmt).all())
    return {code: counts.get(code, 0) for code in INTERIM_OUTCOMES}


# --- form values ---------------------------------------------------------------------------


def form_defaults(match: Match) -> dict:
    """Values for a new form: the proposal's time window."""
    proposal = match.proposal
    return {
        "starts_on": proposal.time_from.isoformat() if proposal.time_from else "",
        "ends_on": proposal.time_to.isoformat() if proposal.time_to else "",
    }


def _required_date(values: Mapping, key: str, what: Text) -> date:
    value = parse_date(values.get(key), what)
    if value is None:
        raise ServiceError(Text("Bitte geben Sie das Datum „%(what)s“ an.", what=what))
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ServiceError(
            Text(
                "%(what)s: %(day)s liegt nicht zwischen %(first)d und %(last)d.",
                what=what,
                day=day(value),
                first=FIRST_YEAR,
                last=LAST_YEAR,
            )
        )
    return value


def clean_values(values: Mapping) -> dict:
    """Validated period and terms from a form; raises ServiceError (German)."""
    starts_on = _required_date(values, "starts_on", Text("Beginn"))
    ends_on = _required_date(values, "ends_on", Text("Ende"))
    if ends_on < starts_on:
        raise ServiceError(
            Text(
                "Das Ende (%(end)s) liegt vor dem Beginn (%(start)s). Bitte prüfen Sie die Daten.",
                end=day(ends_on),
                start=day(starts_on),
            )
        )
    cleaned = {"starts_on": starts_on, "ends_on": ends_on}
    for key, label in TERM_FIELDS.items():
        cleaned[key] = text(values, key, TERM_MAX_LEN, label)
    return cleaned


def check_overlap(session: Session, unit_id: int, cleaned: dict, exclude_id=None) -> None:
    """Refuse a period that overlaps another active interim use of the unit. The unit row is
    locked first, so that two staff members recording at once cannot both pass."""
    session.execute(select(Unit.id).where(Unit.id == unit_id).with_for_update())
    stmt = select(InterimUse).where(
        InterimUse.unit_id == unit_id,
        InterimUse.outcome.is_(None),
        InterimUse.starts_on <= cleaned["ends_on"],
        InterimUse.ends_on >= cleaned["starts_on"],
    )
    if exclude_id is not None:
        stmt = stmt.where(InterimUse.id != exclude_id)
    other = session.scalars(stmt.limit(1)).first()
    if other is not None:
        raise ServiceError(
            Text(
                "Für diese Nutzungseinheit läuft im gewählten Zeitraum schon eine Zwischennutzung "
                "(%(start)s – %(end)s). Bitte beenden Sie diese zuerst oder wählen Sie einen "
                "anderen Zeitraum.",
                start=day(other.starts_on),
                end=day(other.ends_on),
            )
        )


# --- writing -------------------------------------------------------------------------------


def _agreement(session: Session, use: InterimUse, requests, user_id, today: date) -> None:
    """Move each yes-owner's contact case to ``agreement``, or log the agreement there."""
    name = use.initiative.name if use.initiative else "eine Initiative"
    summary = (
        f"Zwischennutzung vereinbart: {name} nutzt „{use.unit.name}“ "
        f"vom {day(use.starts_on)} bis {day(use.ends_on)}."
    )
    seen: set[int] = set()
    for request in requests:
        case = case_for(session, request, user_id)
        if case.id in seen:
            continue
        seen.add(case.id)
        contact = contact_service.Contact(
            occurred_on=today, channel=None, direction="internal", summary=summary
        )
        contact_service.advance(session, case, user_id, contact, "agreement")


def record_interim_use(
    session: Session, match: Match, user_id: int | None, values: Mapping, today: date
) -> InterimUse:
    """Record the interim use that follows a yes on ``match``."""
    requests = yes_requests(match)
    if not requests:
        raise ServiceError(
            Text(
                "Für diesen Treffer gibt es noch keine Zusage der Eigentümer:innen. Eine "
                "Zwischennutzung kann erst nach einem „Ja“ erfasst werden."
            )
        )
    cleaned = clean_values(values)
    check_overlap(session, match.unit_id, cleaned)
    proposal = match.proposal
    with matching.batch(session):  # unit, proposal and every yes-owner's case: re-matched once
        use = start_use(
            session, match.unit, proposal, proposal.initiative, user_id, cleaned, requests[-1]
        )
        _agreement(session, use, requests, user_id, today)
    return use


def start_use(session, unit, proposal, initiative, user_id, cleaned, request=None) -> InterimUse:
    """Write a checked interim use (``cleaned``, overlap checked): the unit goes to
    ``interim_use`` (also for a later start: it is promised), the proposal (if any) is realised."""
    use = InterimUse(
        municipality_id=unit.municipality_id,
        unit_id=unit.id,
        proposal_id=proposal.id if proposal else None,
        initiative_id=initiative.id if initiative else None,
        use_request_id=request.id if request else None,
        created_by_id=user_id,
        **cleaned,
    )
    use.unit, use.proposal, use.initiative = unit, proposal, initiative
    flush_versioned(session, user_id, use, "create")
    unit.vacancy_state = "interim_use"
    matching.unit_changed(session, unit, flush_versioned(session, user_id, unit, "update"))
    if proposal is not None:
        proposals.realise(session, proposal, user_id)
    return use


def _require_active(use: InterimUse) -> None:
    if not use.active:
        raise ServiceError(
            Text("Diese Zwischennutzung ist schon beendet und kann nicht mehr geändert werden.")
        )


def update_interim_use(
    session: Session, use: InterimUse, user_id: int | None, values: Mapping
) -> InterimUse:
    """Change the dates and terms of a running interim use (form carries its version)."""
    check_version(use, values.get("version"))
    _require_active(use)
    cleaned = clean_values(values)
    check_overlap(session, use.unit_id, cleaned, exclude_id=use.id)
    if cleaned["ends_on"] != use.ends_on:
        use.end_reminder_sent_at = None  # a new end date gets its own reminder
    for key, value in cleaned.items():
        setattr(use, key, value)
    flush_versioned(session, user_id, use, "update")
    return use


def end_interim_use(
    session: Session, use: InterimUse, user_id: int | None, values: Mapping, today: date
) -> InterimUse:
    """Record the end and its outcome; the unit becomes occupied or vacant again (unless
    another interim use of the unit is still running)."""
    check_version(use, values.get("version"))
    _require_active(use)
    outcome = choice(values, "outcome", INTERIM_OUTCOMES, Text("Ergebnis"))
    ended_on = _required_date(values, "ended_on", Text("Beendet am"))
    if ended_on > today:
        raise ServiceError(
            Text(
                "Das Ende darf nicht in der Zukunft liegen. Bitte erfassen Sie das Ergebnis, "
                "wenn die Zwischennutzung vorbei ist."
            )
        )
    use.outcome, use.ended_on = outcome, ended_on
    end_notes = text(values, "end_notes", TERM_MAX_LEN, Text("Anmerkung zum Ende"))
    if end_notes:
        use.notes = f"{use.notes}\n\n{end_notes}".strip()
    flush_versioned(session, user_id, use, "end")
    others = select(InterimUse.id).where(
        InterimUse.unit_id == use.unit_id, InterimUse.outcome.is_(None)
    )
    if session.scalars(others.limit(1)).first() is None:
        unit = use.unit
        unit.vacancy_state = UNIT_STATE_AFTER[outcome]
        if outcome == "back_to_vacant":
            unit.vacant_since = ended_on
        matching.unit_changed(session, unit, flush_versioned(session, user_id, unit, "update"))
    return use
