"""Matches, use requests and interim uses as report tables (columns and typed rows, written as
CSV by ``tables.csv_chunks``), with the filters of their staff list pages. Never a token, hash
or answer code; owner names in the use requests only when asked for and allowed (audited by
the caller with ``owner_ids``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from leerstand import vocab
from leerstand.messages import Text
from leerstand.models import InterimUse, Match, Proposal, Unit, UseRequest
from leerstand.services.exports.cells import Column
from leerstand.services.exports.service import ExportRefused
from leerstand.services.interim_uses.service import list_uses
from leerstand.services.use_requests.send import reference, state_condition

INTERIM_STATES = {"active": "laufend oder geplant", "ended": "beendet"}


def choice(args: Mapping, key: str, allowed: Mapping, what: Text) -> str | None:
    """The list page's filter value, None for none; an unknown value is refused with a German
    message (the export refuses rather than exporting everything); ``what`` names the filter."""
    raw = (args.get(key) or "").strip()
    if not raw:
        return None
    if raw not in allowed:
        message = Text(
            "Filter „%(what)s“: unbekannter Wert „%(raw)s“. Bitte einen Wert aus der Liste wählen.",
            what=what,
            raw=raw[:30],
        )
        raise ExportRefused([message])
    return raw


def _unit_text(unit: Unit) -> tuple[str, str]:
    return unit.name, unit.building.address


MATCH_COLUMNS = (
    Column("Treffer-Nr.", "int"), Column("Punkte", "int"), Column("Status"),
    Column("passt noch", "bool"), Column("Idee"), Column("Initiative"),
    Column("Nutzung"), Column("Einheit-Nr.", "int"), Column("Einheit"), Column("Adresse"),
    Column("Entfernung m", "int"), Column("berechnet am", "date"),
    Column("geprüft am", "date"), Column("Anfragen", "int"), Column("Zusagen", "int"),
)  # fmt: skip


def matches(session: Session, municipality_id: int, status: str | None) -> Iterator[list]:
    stmt = select(Match).where(Match.municipality_id == municipality_id)
    if status:
        stmt = stmt.where(Match.status == status)
    stmt = stmt.options(
        selectinload(Match.proposal).selectinload(Proposal.initiative),
        selectinload(Match.unit).selectinload(Unit.building),
        selectinload(Match.requests),
    ).order_by(Match.score.desc(), Match.id)
    for m in session.scalars(stmt):
        yes = [r for r in m.requests if r.answer in ("yes", "yes_conditions")]
        yield [
            m.id, m.score, vocab.german(vocab.MATCH_STATUSES, m.status), m.fits,
            m.proposal.title, m.proposal.initiative.name,
            vocab.german(vocab.USE_KINDS, m.proposal.use_kind), m.unit_id,
            *_unit_text(m.unit), m.distance_m, m.computed_at, m.reviewed_at,
            len(m.requests), len(yes),
        ]  # fmt: skip


REQUEST_COLUMNS = (
    Column("Zeichen"), Column("Treffer-Nr.", "int"), Column("Idee"), Column("Initiative"),
    Column("Einheit"), Column("Adresse"), Column("Weg"), Column("Stand"),
    Column("gesendet am", "date"), Column("gültig bis", "date"),
    Column("zurückgezogen am", "date"), Column("beantwortet am", "date"), Column("Antwort"),
    Column("Antwort über"),
)  # fmt: skip
REQUEST_OWNER = Column("Eigentümer:in")


def _requests_stmt(municipality_id: int, now: datetime, state: str | None):
    stmt = select(UseRequest).where(UseRequest.municipality_id == municipality_id)
    if state:
        stmt = stmt.where(state_condition(state, now))
    return stmt.options(
        selectinload(UseRequest.owner),
        selectinload(UseRequest.match)
        .selectinload(Match.proposal)
        .selectinload(Proposal.initiative),
        selectinload(UseRequest.match).selectinload(Match.unit).selectinload(Unit.building),
    ).order_by(UseRequest.sent_at.desc(), UseRequest.id.desc())


def requests(
    session: Session, municipality_id: int, now: datetime, state: str | None, with_owners: bool
) -> Iterator[list]:
    for r in session.scalars(_requests_stmt(municipality_id, now, state)):
        row = [
            reference(r), r.match_id, r.match.proposal.title, r.match.proposal.initiative.name,
            *_unit_text(r.match.unit), vocab.german(vocab.REQUEST_CHANNELS, r.channel),
            vocab.german(vocab.REQUEST_STATES, r.state(now)), r.sent_at, r.expires_at,
            r.revoked_at, r.answered_at, vocab.german(vocab.ANSWERS, r.answer),
            vocab.german(vocab.ANSWER_CHANNELS, r.answer_channel),
        ]  # fmt: skip
        hidden = r.owner.restricted_at is not None  # Art. 18: no data of a restricted owner
        yield row + ["gesperrter Eintrag" if hidden else r.owner.name] if with_owners else row


def request_owners(session: Session, municipality_id: int, now: datetime, state) -> tuple:
    """(number of requests, sorted owner ids) of the export: what its audit event records."""
    stmt = _requests_stmt(municipality_id, now, state).order_by(None)
    owner_ids = session.scalars(stmt.with_only_columns(UseRequest.owner_id))
    ids = list(owner_ids)
    return len(ids), sorted(set(ids))


INTERIM_COLUMNS = (
    Column("Nr.", "int"), Column("Stand"), Column("Einheit"), Column("Adresse"),
    Column("Initiative"), Column("Idee"), Column("Beginn", "date"), Column("Ende", "date"),
    Column("beendet am", "date"), Column("Ergebnis"), Column("Kosten"),
    Column("Versicherung"), Column("Schlüsselübergabe"), Column("Notizen (intern)"),
)  # fmt: skip


def _interim_state(use: InterimUse, today: date) -> str:
    if use.outcome is not None:
        return "beendet"
    return "geplant" if use.starts_on > today else "läuft"


def interim_uses(
    session: Session, municipality_id: int, state: str | None, today: date, with_notes: bool = True
) -> Iterator[list]:
    """The interim uses as rows; without ``with_notes`` the key handover and the notes stay
    empty (free texts that may name people)."""
    for u in list_uses(session, municipality_id, state):
        key_handover, notes = (u.key_handover, u.notes) if with_notes else (None, None)
        yield [
            u.id, _interim_state(u, today), *_unit_text(u.unit),
            u.initiative.name if u.initiative else None, u.proposal.title if u.proposal else None,
            u.starts_on, u.ends_on, u.ended_on, vocab.german(vocab.INTERIM_OUTCOMES, u.outcome),
            u.costs, u.insurance, key_handover, notes,
        ]  # fmt: skip
