"""The staff register: units joined with their building, filtered, sorted and paged.

``search`` returns one page of rows (and, in one more query, the planned interim-use starts
of its units by ``interim_uses.state``) with the number of filtered units; the map's layer is
``register.map_layer``; the filter comes from ``register.filters.parse_filters``.

Built to stay fast at a million units: the count joins the building only when the filter asks
something of it; the contact-state filter is a pair of (anti-)semi-joins instead of the
column's per-building subquery; a page in the back half of the list is read from the end (the
reverse order, a short offset) and turned around, so the last page costs what the first does;
the address sort uses constant arguments, so that an index on the same expression serves it; a
search fetches its hits through the trigram indexes and by key (``CHEAP_PROBES``) instead of
reading every unit, and a ``broad`` one (more than ``BROAD`` hits expected) reads in the page's
order and stops at the page's end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    Integer,
    Select,
    and_,
    case,
    cast,
    exists,
    func,
    literal_column,
    nulls_first,
    nulls_last,
    or_,
    select,
)
from sqlalchemy.orm import Session

from leerstand.dates import local_today
from leerstand.models import Building, ContactCase, District, FocusArea, Ownership, Unit
from leerstand.services.forms import contains_pattern
from leerstand.services.interim_uses import state as interim_state
from leerstand.services.register import paging
from leerstand.services.register.filters import RegisterFilter, months_ago

# The building's contact state is the most advanced state of its cases (last in this list),
# "not_contacted" when it has none. Like matching, the property manager's case does not count.
CONTACT_RANK = (
    "not_contacted",
    "unreachable",
    "contacted",
    "in_dialogue",
    "declined",
    "open_to_interim_use",
    "agreement",
    "closed",
)


@dataclass
class RegisterPage:
    rows: list
    total: int
    estimated: bool  # total is PostgreSQL's estimate (more than paging.EXACT_UP_TO units)
    page: int  # from the start (1, 2, …) or from the end (-1 the last page)
    pages: int  # (estimated with total)
    previous: int | None  # the pager's links (page numbers as above)
    following: int | None
    last: int
    planned: dict[int, date]  # {unit id: start} of the page's units with a planned interim use


def address():
    """Street and house number, as shown and searched. Immutable operators and inline constants
    (unlike concat_ws), so that a trigram index on the same expression serves the search."""
    number = case(
        (Building.house_number == literal_column("''"), literal_column("''")),
        else_=literal_column("' '").op("||")(Building.house_number),
    )
    return Building.street.op("||")(number)


def _case_exists(*conds):
    return exists().where(ContactCase.building_id == Building.id, *conds)


def unit_criteria(f: RegisterFilter, today: date) -> list:
    """The filter's conditions on the unit itself (kind, vacancy, vacant for months)."""
    conds = []
    if f.kind:
        conds.append(Unit.kind == f.kind)
    if f.vacancy_state:
        conds.append(Unit.vacancy_state == f.vacancy_state)
    if f.vacant_months is not None:
        conds.append(Unit.vacant_since <= months_ago(today, f.vacant_months))
    return conds


def building_conditions(
    f: RegisterFilter, municipality_id: int, today: date, with_text: bool = True
) -> list:
    """The filter's conditions on the building (the search text also looks at the unit's name,
    which is NULL for a building without units: then only address and place count);
    ``with_text=False`` leaves the search text to the caller (``text_search``)."""
    conds = [Building.municipality_id == municipality_id]
    if f.district_id is not None:
        conds.append(Building.district_id == f.district_id)
    if f.focus_area_id is not None:
        conds.append(
            exists().where(
                FocusArea.id == f.focus_area_id,
                FocusArea.municipality_id == municipality_id,
                func.ST_Intersects(FocusArea.area, Building.location),
            )
        )
    if f.contact_state:
        conds.append(contact_state_is(f.contact_state))
    if f.follow_up_due:
        conds.append(_case_exists(ContactCase.next_follow_up <= today))
    if f.q and with_text:
        pattern = contains_pattern(f.q)
        conds.append(
            or_(
                address().ilike(pattern),
                Building.place.ilike(pattern),
                Unit.name.ilike(pattern),
            )
        )
    return conds


def text_search(q: str, municipality_id: int):
    """The search text as ``unit.id IN (units of buildings whose address or place contains it
    UNION units whose name does)``: each half can use its own index, where the OR across the
    join makes PostgreSQL read every unit."""
    pattern = contains_pattern(q)
    by_building = (
        select(Unit.id)
        .join(Building, Unit.building_id == Building.id)
        .where(
            Building.municipality_id == municipality_id,
            or_(address().ilike(pattern), Building.place.ilike(pattern)),
        )
    )
    by_name = select(Unit.id).where(
        Unit.municipality_id == municipality_id, Unit.name.ilike(pattern)
    )
    return Unit.id.in_(by_building.union(by_name))


def conditions(f: RegisterFilter, municipality_id: int, today: date, broad: bool = False) -> list:
    """The register's filter on units joined with their building (the page and the map).
    ``broad``: the search text as a plain condition on each row (a search matching a large part
    of the units: reading in the page's order finds a page's hits after a few rows)."""
    conds = [
        Unit.municipality_id == municipality_id,
        *unit_criteria(f, today),
        *building_conditions(f, municipality_id, today, with_text=broad),
    ]
    return [*conds, text_search(f.q, municipality_id)] if f.q and not broad else conds


def _manager():
    """The case is with the building's property manager (it does not count)."""
    return exists().where(
        Ownership.building_id == ContactCase.building_id,
        Ownership.owner_id == ContactCase.owner_id,
        Ownership.role == "manager",
    )


def contact_state():
    """The building's contact state, as shown in the register's column."""
    rank = case({s: i for i, s in enumerate(CONTACT_RANK)}, value=ContactCase.state, else_=-1)
    manager = _manager()
    most_advanced = (
        select(ContactCase.state)
        .where(ContactCase.building_id == Building.id, ~manager)
        .order_by(rank.desc())
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(most_advanced, "not_contacted")


def contact_state_is(state: str):
    """``contact_state() == state`` as semi-joins: the building has a counting case in
    ``state`` (any or none for "not_contacted") and none in a more advanced one."""
    higher = CONTACT_RANK[CONTACT_RANK.index(state) + 1 :]
    counting = [ContactCase.building_id == Building.id, ~_manager()]
    beyond = ~exists().where(*counting, ContactCase.state.in_(higher)) if higher else None
    if state == CONTACT_RANK[0]:
        return beyond
    reached = exists().where(*counting, ContactCase.state == state)
    return reached if beyond is None else and_(reached, beyond)


def next_follow_up():
    return (
        select(func.min(ContactCase.next_follow_up))
        .where(ContactCase.building_id == Building.id)
        .scalar_subquery()
    )


def house_number():
    """The house number's digits as a number (constants inline: an index can match it)."""
    digits = func.regexp_replace(
        Building.house_number, literal_column("'\\D'"), literal_column("''"),
        literal_column("'g'"),
    )  # fmt: skip
    return cast(func.nullif(digits, literal_column("''")), Integer)


def order_by(f: RegisterFilter, reverse: bool = False) -> list:
    """The page's order; ``reverse``: exactly the opposite (NULLs too), for reading from the
    end."""
    keys = {
        "address": [Building.street, house_number(), Building.house_number],
        "area": [Unit.area_m2],
        "vacant_since": [Unit.vacant_since],
        "district": [District.name],
    }[f.sort]
    descending = f.desc != reverse
    place = nulls_first if reverse else nulls_last
    keys = [place(k.desc() if descending else k.asc()) for k in keys]
    return [*keys, Unit.id.desc() if descending else Unit.id]


def rows_query(f: RegisterFilter, municipality_id: int, today: date, broad: bool = False) -> Select:
    return (
        select(
            Unit.id.label("unit_id"),
            Unit.name.label("unit_name"),
            Unit.kind,
            Unit.area_m2,
            Unit.vacancy_state,
            Unit.vacant_since,
            Building.id.label("building_id"),
            address().label("address"),
            Building.place,
            District.name.label("district"),
            contact_state().label("contact_state"),
            next_follow_up().label("next_follow_up"),
        )
        .join(Building, Unit.building_id == Building.id)
        .outerjoin(District, Building.district_id == District.id)
        .where(*conditions(f, municipality_id, today, broad))
    )


def _needs_building(f: RegisterFilter) -> bool:
    return any(
        (f.district_id is not None, f.focus_area_id is not None, f.contact_state,
         f.follow_up_due, f.q)
    )  # fmt: skip


def filtered_ids(
    f: RegisterFilter, municipality_id: int, today: date, broad: bool = False
) -> Select:
    """The filtered units' ids, for counting; without the building when the filter asks
    nothing of it (every unit has one building of its own town)."""
    if not _needs_building(f):
        return select(Unit.id).where(
            Unit.municipality_id == municipality_id, *unit_criteria(f, today)
        )
    return (
        select(Unit.id)
        .join(Building, Unit.building_id == Building.id)
        .where(*conditions(f, municipality_id, today, broad))
    )


def _links(page: int, rows: int, size: int, total: paging.Count, more: bool):
    """(previous page, next page, last page) for the pager; None where there is none."""
    if page < 0:
        return (page - 1 if rows == size else None), (page + 1 if page < -1 else None), -1
    last = paging.pages(total, size)
    following = more if total.estimated else page < last
    return (page - 1 or None), (page + 1 if following else None), (-1 if total.estimated else last)


# an index probe costs little more than reading in order once the tables are cached (SSD, RAM):
# with PostgreSQL's default of 4 a search with 9,000 hits at a million units re-reads every unit
# (hash join, 160 ms) instead of fetching its hits by key (50 ms); for this transaction only
CHEAP_PROBES = "SELECT set_config('random_page_cost', '1.1', true)"
# a search PostgreSQL expects to match more units than this is a ``broad`` one
BROAD = 50_000


def search(
    session: Session,
    municipality_id: int,
    f: RegisterFilter,
    page_size: int,
    today: date | None = None,
) -> RegisterPage:
    today = today or local_today()
    broad = False
    if f.q:
        session.connection().exec_driver_sql(CHEAP_PROBES)
        broad = paging.planner_rows(session, filtered_ids(f, municipality_id, today)) > BROAD
    total = paging.count(session, filtered_ids(f, municipality_id, today, broad))
    page = paging.clamp(f.page, total, page_size)
    w = paging.window(page, page_size, total)
    stmt = rows_query(f, municipality_id, today, broad).order_by(*order_by(f, reverse=w.reverse))
    rows = session.execute(stmt.limit(w.limit).offset(w.offset)).all()
    rows = rows[::-1] if w.reverse else rows
    more, rows = len(rows) > page_size, rows[:page_size]
    previous, following, last = _links(page, len(rows), page_size, total, more)
    states = {row.unit_id: row.vacancy_state for row in rows}
    planned = interim_state.planned_for(session, states, today)  # one query for the page
    return RegisterPage(
        rows=rows, total=total.value, estimated=total.estimated, page=page,
        pages=paging.pages(total, page_size), previous=previous, following=following,
        last=last, planned=planned,
    )  # fmt: skip
