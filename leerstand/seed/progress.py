"""Demo of the loop from proposal to interim use, through the real services (no mails are sent):

- every published proposal is matched against the vacant units;
- "Jugendraum in der Allee": the best public unit is shortlisted, its owner answered "yes with
  conditions" on the answer page and agreed to the public map, and staff recorded the interim
  use, so the public map shows the unit "in Zwischennutzung";
- "Schaufenster-Galerie Schlossallee": the best match is shortlisted and a letter went to its
  owner(s) with the answer code ``DEMO_ANSWER_CODE`` (DEMO ONLY: a known code, printed by
  scripts/run and the README, to try the owner's page at /antwort; it stays valid for
  ``DEMO_CODE_VALID_DAYS``, so the documented code keeps working in an old demo database).

The seed does not read the configuration: its periods are the constants below."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from leerstand.models import Match, Proposal, Unit, UseRequest
from leerstand.services.interim_uses import service as interim_use
from leerstand.services.matching import service as matching
from leerstand.services.use_requests import send as use_requests
from leerstand.services.use_requests.answer import answer, parse_answer
from leerstand.services.use_requests.tokens import hash_secret

DEMO_ANSWER_CODE = "HARZANTWRT23"  # shown as HARZ-ANTW-RT23
DEMO_CODE_VALID_DAYS = 3_650  # about ten years
VALID_DAYS = 30  # as REQUEST_VALID_DAYS by default
REMINDER_DAYS = 14  # as REQUEST_REMINDER_DAYS by default
DEMO_INTERIM_DAYS = 10  # the demo interim use ends soon: the start page lists it


def _best_match(session: Session, mid: int, title: str, public_first: bool) -> Match | None:
    stmt = (
        select(Match)
        .join(Proposal, Proposal.id == Match.proposal_id)
        .join(Unit, Unit.id == Match.unit_id)
        .where(Match.municipality_id == mid, Proposal.title == title, Match.fits.is_(True))
    )
    order = [Unit.publishable.desc()] if public_first else []
    stmt = stmt.order_by(*order, Match.score.desc(), Match.id)
    for match in session.scalars(stmt):
        if use_requests.recipients(session, match):
            return match
    return None


def _send(session: Session, match: Match, staff_id, channel: str, now: datetime):
    matching.set_status(session, match, "shortlisted", staff_id)
    choices = {owner.id: channel for _, owner in use_requests.recipients(session, match)}
    message = "Wir würden uns über ein Gespräch freuen."
    return use_requests.send_requests(
        session, match, staff_id, choices, message, now, VALID_DAYS, REMINDER_DAYS
    )


def _interim_use(session: Session, mid: int, staff_id, today: date) -> bool:
    match = _best_match(session, mid, "Jugendraum in der Allee", public_first=True)
    if match is None:
        return False
    now = datetime.now(UTC)
    for item in _send(session, match, staff_id, "email", now):
        form = {
            "answer": "yes_conditions",
            "message": "Gern, wenn der Verein die Nebenkosten übernimmt.",
            "consent_public_map": "1",
            "consent_share_contact": "1",
        }
        answer(session, item.secret, parse_answer(form), now)
    terms = {
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=DEMO_INTERIM_DAYS)).isoformat(),
        "costs": "nur Nebenkosten, 60 € im Monat",
        "insurance": "Haftpflicht des Jugendvereins",
        "key_handover": "zwei Schlüssel, Übergabe im Bürgerbüro",
    }
    interim_use.record_interim_use(session, match, staff_id, terms, today)
    return True


def _letter(session: Session, mid: int, staff_id) -> bool:
    match = _best_match(session, mid, "Schaufenster-Galerie Schlossallee", public_first=False)
    if match is None:
        return False
    now = datetime.now(UTC)
    issued = _send(session, match, staff_id, "letter", now)
    demo_hash = hash_secret(DEMO_ANSWER_CODE)
    if session.scalar(select(UseRequest.id).where(UseRequest.token_hash == demo_hash)) is None:
        demo = issued[0].request  # one demo code per database
        demo.token_hash = demo_hash
        demo.expires_at = now + timedelta(days=DEMO_CODE_VALID_DAYS)
        session.flush()
    return True


def create_progress(session: Session, municipality_id: int, staff_id, today: date) -> str:
    """Match, request, answer, interim use; returns a summary line. Only flushes."""
    total = matching.rematch_all(session, municipality_id, today)
    interim = _interim_use(session, municipality_id, staff_id, today)
    letter = _letter(session, municipality_id, staff_id)
    return f"{total} Treffer, Zwischennutzung: {'ja' if interim else 'nein'}, " + (
        f"Brief mit Antwortcode: {'ja' if letter else 'nein'}"
    )
