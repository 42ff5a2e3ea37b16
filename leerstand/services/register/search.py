"""The staff register: units joined with their building, filtered, sorted and paged.

``search`` returns one page of rows (and, in one more query, the planned interim-use starts
of its units by ``interim_uses.state``), ``geojson`` all filtered units as one FeatureCollection
built by PostGIS in a single query (a planned interim use reads "Zwischennutzung geplant ab
dd.mm.yyyy" there too, by the same rule as a column); the filter comes from
``register.filters.parse_filters``."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    JSON,
    Integer,
    Select,
    Text,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal_column,
    nulls_last,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB, aggregate_order_by
from sqlalchemy.orm import Session

from leerstand.dates import local_today
from leerstand.models import Building, ContactCase, District, FocusArea, Ownership, Unit
from leerstand.services.forms import contains_pattern
from leerstand.services.interim_uses import state as interim_state
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
    page: int
    pages: int
    planned: dict[int, date]  # {unit id: start} of the page's units with a planned interim use


def _address():
    return func.concat_ws(" ", Building.street, func.nullif(Building.house_number, ""))


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


def building_conditions(f: RegisterFilter, municipality_id: int, today: date) -> list:
    """The filter's conditions on the building (the search text also looks at the unit's name,
    which is NULL for a building without units: then only address and place count)."""
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
        conds.append(contact_state() == f.contact_state)
    if f.follow_up_due:
        conds.append(_case_exists(ContactCase.next_follow_up <= today))
    if f.q:
        pattern = contains_pattern(f.q)
        conds.append(
            or_(
                _address().ilike(pattern),
                Building.place.ilike(pattern),
                Unit.name.ilike(pattern),
            )
        )
    return conds


def conditions(f: RegisterFilter, municipality_id: int, today: date) -> list:
    return [
        Unit.municipality_id == municipality_id,
        *unit_criteria(f, today),
        *building_conditions(f, municipality_id, today),
    ]


def contact_state():
    """The building's contact state, as shown in the register's column and filtered on."""
    rank = case({s: i for i, s in enumerate(CONTACT_RANK)}, value=ContactCase.state, else_=-1)
    manager = exists().where(
        Ownership.building_id == ContactCase.building_id,
        Ownership.owner_id == ContactCase.owner_id,
        Ownership.role == "manager",
    )
    most_advanced = (
        select(ContactCase.state)
        .where(ContactCase.building_id == Building.id, ~manager)
        .order_by(rank.desc())
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(most_advanced, "not_contacted")


def next_follow_up():
    return (
        select(func.min(ContactCase.next_follow_up))
        .where(ContactCase.building_id == Building.id)
        .scalar_subquery()
    )


def order_by(f: RegisterFilter) -> list:
    number = cast(
        func.nullif(func.regexp_replace(Building.house_number, r"\D", "", "g"), ""), Integer
    )
    keys = {
        "address": [Building.street, number, Building.house_number],
        "area": [Unit.area_m2],
        "vacant_since": [Unit.vacant_since],
        "district": [District.name],
    }[f.sort]
    keys = [nulls_last(k.desc() if f.desc else k.asc()) for k in keys]
    return [*keys, Unit.id.desc() if f.desc else Unit.id]


def rows_query(f: RegisterFilter, municipality_id: int, today: date) -> Select:
    return (
        select(
            Unit.id.label("unit_id"),
            Unit.name.label("unit_name"),
            Unit.kind,
            Unit.area_m2,
            Unit.vacancy_state,
            Unit.vacant_since,
            Building.id.label("building_id"),
            _address().label("address"),
            Building.place,
            District.name.label("district"),
            contact_state().label("contact_state"),
            next_follow_up().label("next_follow_up"),
        )
        .join(Building, Unit.building_id == Building.id)
        .outerjoin(District, Building.district_id == District.id)
        .where(*conditions(f, municipality_id, today))
    )


def search(
    session: Session,
    municipality_id: int,
    f: RegisterFilter,
    page_size: int,
    today: date | None = None,
) -> RegisterPage:
    today = today or local_today()
    stmt = rows_query(f, municipality_id, today)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, math.ceil(total / page_size))
    page = min(f.page, pages)
    rows = session.execute(
        stmt.order_by(*order_by(f)).limit(page_size).offset((page - 1) * page_size)
    ).all()
    states = {row.unit_id: row.vacancy_state for row in rows}
    planned = interim_state.planned_for(session, states, today)  # one query for the page
    return RegisterPage(rows=rows, total=total, page=page, pages=pages, planned=planned)


def _k(key: str):
    """A constant JSON key as SQL literal (static strings only)."""
    return literal_column(f"'{key}'")


def _label(labels, column):
    return func.coalesce(func.jsonb_extract_path_text(labels, column), column)


def geojson(
    session: Session,
    municipality_id: int,
    f: RegisterFilter,
    url_template: str,
    labels: Mapping[str, Mapping[str, str] | str],
    today: date | None = None,
) -> str:
    """All filtered units as a GeoJSON FeatureCollection (text), one PostGIS query.

    ``url_template`` contains ``{id}`` for the building id; ``labels`` maps ``kind`` and
    ``vacancy_state`` to {code: label} in the current language, and ``planned_interim`` to
    the words for a planned interim use with a ``{date}`` placeholder (dd.mm.yyyy)."""
    today = today or local_today()
    kind_labels = cast(bindparam("kind_labels", json.dumps(labels["kind"])), JSONB)
    state_labels = cast(bindparam("state_labels", json.dumps(labels["vacancy_state"])), JSONB)
    planned_label = func.replace(
        cast(bindparam("planned_label", labels["planned_interim"]), Text),
        "{date}",
        func.to_char(interim_state.planned_start_column(today), "DD.MM.YYYY"),
    )
    url = func.replace(
        cast(bindparam("url_template", url_template), Text), "{id}", cast(Building.id, Text)
    )
    props = func.json_build_object(
        _k("unit_id"), Unit.id,
        _k("name"), Unit.name,
        _k("address"), _address(),
        _k("kind"), Unit.kind,
        _k("kind_label"), _label(kind_labels, Unit.kind),
        _k("vacancy_state"), Unit.vacancy_state,
        _k("vacancy_label"),
        func.coalesce(planned_label, _label(state_labels, Unit.vacancy_state)),
        _k("url"), url,
    )  # fmt: skip
    feature = func.json_build_object(
        _k("type"), _k("Feature"),
        _k("id"), Unit.id,
        _k("properties"), props,
        _k("geometry"), cast(func.ST_AsGeoJSON(Building.location, 6), JSON),
    )  # fmt: skip
    collection = func.json_build_object(
        _k("type"),
        _k("FeatureCollection"),
        _k("features"),
        func.coalesce(
            func.json_agg(aggregate_order_by(feature, Unit.id)), literal_column("'[]'::json")
        ),
    )
    stmt = (
        select(cast(collection, Text))
        .select_from(Unit)
        .join(Building, Unit.building_id == Building.id)
        .where(*conditions(f, municipality_id, today))
    )
    return session.execute(stmt).scalar_one()
