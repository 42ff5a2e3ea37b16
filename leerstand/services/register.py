"""The staff register: units joined with their building, filtered, sorted and paged.

``parse_filters`` turns a query string into a ``RegisterFilter``; a bad value is dropped with
a German message (never an exception). ``search`` returns one page of rows, ``geojson`` all
filtered units as one FeatureCollection built by PostGIS in a single query."""

from __future__ import annotations

import calendar
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
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

from leerstand.models import Building, ContactCase, District, FocusArea, Unit
from leerstand.vocab import CONTACT_STATES, UNIT_KINDS, VACANCY_STATES

SORTS = ("address", "area", "vacant_since", "district")
# "Most advanced" first: the register shows the furthest state any case of the building reached.
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
MAX_MONTHS = 1200
MAX_Q = 100


@dataclass
class RegisterFilter:
    district_id: int | None = None
    focus_area_id: int | None = None
    kind: str | None = None
    vacancy_state: str | None = None
    vacant_months: int | None = None
    contact_state: str | None = None
    follow_up_due: bool = False
    q: str = ""
    sort: str = "address"
    desc: bool = False
    page: int = 1
    errors: list[str] = field(default_factory=list)


@dataclass
class RegisterPage:
    rows: list
    total: int
    page: int
    pages: int


def _int(args: Mapping, key: str, label: str, errors: list[str], minimum: int) -> int | None:
    raw = (args.get(key) or "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        errors.append(f"Filter „{label}“: „{raw[:30]}“ ist keine ganze Zahl und wird ignoriert.")
        return None
    if value < minimum or value > 2**31 - 1:
        errors.append(f"Filter „{label}“: {value} ist nicht erlaubt und wird ignoriert.")
        return None
    return value


def _code(args: Mapping, key: str, label: str, allowed: Mapping, errors: list[str]) -> str | None:
    raw = (args.get(key) or "").strip()
    if not raw:
        return None
    if raw not in allowed:
        errors.append(f"Filter „{label}“: unbekannter Wert „{raw[:30]}“ wird ignoriert.")
        return None
    return raw


def parse_filters(args: Mapping) -> RegisterFilter:
    errors: list[str] = []
    months = _int(args, "vacant_months", "leer seit mehr als … Monaten", errors, 0)
    if months is not None and months > MAX_MONTHS:
        errors.append("Filter „leer seit mehr als … Monaten“: höchstens 1200 Monate.")
        months = None
    sort = (args.get("sort") or "address").strip()
    if sort not in SORTS:
        errors.append(f"Unbekannte Sortierung „{sort[:30]}“; sortiert wird nach Adresse.")
        sort = "address"
    page = _int(args, "page", "Seite", errors, 1) or 1
    return RegisterFilter(
        district_id=_int(args, "district_id", "Ortsteil", errors, 1),
        focus_area_id=_int(args, "focus_area_id", "Fokusgebiet", errors, 1),
        kind=_code(args, "kind", "Art", UNIT_KINDS, errors),
        vacancy_state=_code(args, "vacancy_state", "Leerstand", VACANCY_STATES, errors),
        vacant_months=months,
        contact_state=_code(args, "contact_state", "Ansprache", CONTACT_STATES, errors),
        follow_up_due=(args.get("follow_up_due") or "").strip() in {"1", "on", "true", "ja"},
        q=(args.get("q") or "").strip()[:MAX_Q],
        sort=sort,
        desc=(args.get("dir") or "").strip() == "desc",
        page=page,
        errors=errors,
    )


def months_ago(today: date, months: int) -> date:
    total = today.year * 12 + today.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def _address():
    return func.concat_ws(" ", Building.street, func.nullif(Building.house_number, ""))


def _like(q: str) -> str:
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _case_exists(*conds):
    return exists().where(ContactCase.building_id == Building.id, *conds)


def conditions(f: RegisterFilter, municipality_id: int, today: date) -> list:
    conds = [Unit.municipality_id == municipality_id, Building.municipality_id == municipality_id]
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
    if f.kind:
        conds.append(Unit.kind == f.kind)
    if f.vacancy_state:
        conds.append(Unit.vacancy_state == f.vacancy_state)
    if f.vacant_months is not None:
        conds.append(Unit.vacant_since <= months_ago(today, f.vacant_months))
    if f.contact_state:
        conds.append(_case_exists(ContactCase.state == f.contact_state))
    if f.follow_up_due:
        conds.append(_case_exists(ContactCase.next_follow_up <= today))
    if f.q:
        pattern = _like(f.q)
        conds.append(
            or_(
                _address().ilike(pattern),
                Building.place.ilike(pattern),
                Unit.name.ilike(pattern),
            )
        )
    return conds


def _contact_state():
    rank = case({s: i for i, s in enumerate(CONTACT_RANK)}, value=ContactCase.state, else_=-1)
    return (
        select(ContactCase.state)
        .where(ContactCase.building_id == Building.id)
        .order_by(rank.desc())
        .limit(1)
        .scalar_subquery()
    )


def _next_follow_up():
    return (
        select(func.min(ContactCase.next_follow_up))
        .where(ContactCase.building_id == Building.id)
        .scalar_subquery()
    )


def _order_by(f: RegisterFilter) -> list:
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
            _contact_state().label("contact_state"),
            _next_follow_up().label("next_follow_up"),
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
    today = today or date.today()
    stmt = rows_query(f, municipality_id, today)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, math.ceil(total / page_size))
    page = min(f.page, pages)
    rows = session.execute(
        stmt.order_by(*_order_by(f)).limit(page_size).offset((page - 1) * page_size)
    ).all()
    return RegisterPage(rows=rows, total=total, page=page, pages=pages)


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
    labels: Mapping[str, Mapping[str, str]],
    today: date | None = None,
) -> str:
    """All filtered units as a GeoJSON FeatureCollection (text), one PostGIS query.

    ``url_template`` contains ``{id}`` for the building id; ``labels`` maps ``kind`` and
    ``vacancy_state`` to {code: label} in the current language."""
    today = today or date.today()
    kind_labels = cast(bindparam("kind_labels", json.dumps(labels["kind"])), JSONB)
    state_labels = cast(bindparam("state_labels", json.dumps(labels["vacancy_state"])), JSONB)
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
        _k("vacancy_label"), _label(state_labels, Unit.vacancy_state),
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
