"""Lists of contact cases for the staff pages: the filtered case list with each case's last
contact, the due and upcoming follow-ups, the counts by state, and the people a case can be
given to. The state machine and the event log are ``services.contact``."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from leerstand.models import ContactCase, ContactEvent, Owner, User
from leerstand.vocab import CONTACT_STATES


def municipality_users(session: Session, municipality_id: int) -> list[User]:
    stmt = select(User).where(User.municipality_id == municipality_id, User.active.is_(True))
    return list(session.scalars(stmt.order_by(User.name, User.email)))


# Art. 18: cases of a restricted owner appear in no list (their counts stay)
_NOT_RESTRICTED = ContactCase.owner_id.not_in(
    select(Owner.id).where(Owner.restricted_at.is_not(None))
)

# What a list of cases shows of each: loaded with the cases, not one query per row.
_CASE_LIST_LOADS = (
    joinedload(ContactCase.building),
    joinedload(ContactCase.owner),
    joinedload(ContactCase.responsible),
)


def list_cases(
    session: Session,
    municipality_id: int,
    today: date,
    state: str | None = None,
    due: bool = False,
    responsible_id: int | None = None,
    limit: int = 500,
) -> list[tuple[ContactCase, date | None]]:
    """[(case, date of the last contact event)] for the filters, follow-up soonest first."""
    last = (
        select(func.max(ContactEvent.occurred_on))
        .where(ContactEvent.case_id == ContactCase.id)
        .scalar_subquery()
    )
    stmt = (
        select(ContactCase, last)
        .options(*_CASE_LIST_LOADS)
        .where(ContactCase.municipality_id == municipality_id, _NOT_RESTRICTED)
    )
    if state:
        stmt = stmt.where(ContactCase.state == state)
    if due:
        stmt = stmt.where(ContactCase.next_follow_up <= today)
    if responsible_id:
        stmt = stmt.where(ContactCase.responsible_id == responsible_id)
    stmt = stmt.order_by(ContactCase.next_follow_up.asc().nulls_last(), ContactCase.id)
    return [(case, last_on) for case, last_on in session.execute(stmt.limit(limit))]


def follow_ups(session: Session, municipality_id: int, until: date, after: date | None = None):
    """Cases with a follow-up on or before ``until`` (and after ``after``), oldest first."""
    stmt = (
        select(ContactCase)
        .options(*_CASE_LIST_LOADS)
        .where(
            ContactCase.municipality_id == municipality_id,
            ContactCase.next_follow_up.is_not(None),
            ContactCase.next_follow_up <= until,
            _NOT_RESTRICTED,
        )
    )
    if after is not None:
        stmt = stmt.where(ContactCase.next_follow_up > after)
    return list(session.scalars(stmt.order_by(ContactCase.next_follow_up, ContactCase.id)))


def count_by_state(session: Session, municipality_id: int) -> dict[str, int]:
    stmt = (
        select(ContactCase.state, func.count())
        .where(ContactCase.municipality_id == municipality_id)
        .group_by(ContactCase.state)
    )
    counts = dict(session.execute(stmt).all())
    return {code: counts.get(code, 0) for code in CONTACT_STATES}
