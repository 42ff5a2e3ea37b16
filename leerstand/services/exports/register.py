"""The register export's rows: the staff register's filter (``register.filters``), conditions and
order (``register.search``) over buildings LEFT JOIN units, so that the export has exactly the
units of the view, all pages, in the same order. A building without units is one row with
empty unit fields, as long as the filter asks nothing of units (kind, vacancy, months).

``query`` is one SELECT; ``rows`` streams it through a server-side cursor (``yield_per``);
``count`` and ``owner_ids`` answer what the audit event needs before the file is sent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sqlalchemy import Select, and_, func, literal_column, or_, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from leerstand.models import Building, District, Owner, Ownership, Unit
from leerstand.services.interim_uses.state import planned_start_column
from leerstand.services.privacy.restriction import listable
from leerstand.services.register.filters import RegisterFilter
from leerstand.services.register.search import (
    building_conditions,
    contact_state,
    next_follow_up,
    order_by,
    unit_criteria,
)
from leerstand.spatial.crs import UTM32

YIELD_PER = 500
OWNER_KEYS = ("id", "name", "contact_person", "street", "postcode", "city", "phone", "email")


def _key(name: str):
    """A constant JSON key as SQL literal (static names only)."""
    return literal_column(f"'{name}'")


def _owners():
    """The building's owners as a JSON list (in the order they were linked)."""
    fields = [part for key in OWNER_KEYS for part in (_key(key), getattr(Owner, key))]
    owner = func.json_build_object(*fields, _key("role"), Ownership.role)
    return (
        select(func.json_agg(aggregate_order_by(owner, Ownership.id)))
        .select_from(Ownership)
        .join(Owner, Owner.id == Ownership.owner_id)
        .where(Ownership.building_id == Building.id, listable())
        .scalar_subquery()
    )


def _columns(today: date) -> list:
    b, u = Building, Unit
    return [
        b.id.label("building_id"), b.street, b.house_number, b.postcode, b.place,
        District.name.label("district"), b.parcel_id, b.alkis_id, b.listed, b.condition,
        b.year_built, b.notes.label("building_notes"),
        u.id.label("unit_id"), u.name.label("unit_name"), u.kind, u.floor, u.area_m2,
        u.street_level, u.step_free, u.shop_window, u.power, u.water, u.wc, u.heating,
        u.vacancy_state, planned_start_column(today).label("planned_from"), u.vacant_since,
        u.available_from, u.available_to, u.owner_expectation, u.rent_eur_month,
        u.suitable_uses, u.publishable, u.public_description, u.internal_notes,
        contact_state().label("contact_state"), next_follow_up().label("next_follow_up"),
        func.ST_X(b.location).label("lon"), func.ST_Y(b.location).label("lat"),
        func.ST_X(func.ST_Transform(b.location, UTM32)).label("easting"),
        func.ST_Y(func.ST_Transform(b.location, UTM32)).label("northing"),
    ]  # fmt: skip


def _where(f: RegisterFilter, municipality_id: int, today: date) -> list:
    criteria = unit_criteria(f, today)
    allowed = [and_(Unit.municipality_id == municipality_id, *criteria)]
    if not criteria:
        allowed.append(Unit.id.is_(None))  # a building without units
    return [*building_conditions(f, municipality_id, today), or_(*allowed)]


def query(
    f: RegisterFilter, municipality_id: int, today: date, with_owners: bool, *extra
) -> Select:
    """The export's SELECT, ordered like the register; ``extra`` columns (e.g. a geometry)."""
    columns = _columns(today) + ([_owners().label("owners")] if with_owners else [])
    return (
        select(*columns, *extra)
        .select_from(Building)
        .outerjoin(Unit, Unit.building_id == Building.id)
        .outerjoin(District, Building.district_id == District.id)
        .where(*_where(f, municipality_id, today))
        .order_by(*order_by(f), Building.id)
    )


def rows(session: Session, stmt: Select) -> Iterator:
    """The rows of ``stmt`` through a server-side cursor, ``YIELD_PER`` at a time."""
    yield from session.execute(stmt.execution_options(yield_per=YIELD_PER))


def count(session: Session, f: RegisterFilter, municipality_id: int, today: date) -> int:
    stmt = query(f, municipality_id, today, False).order_by(None)
    return session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def owner_ids(session: Session, f: RegisterFilter, municipality_id: int, today: date) -> list:
    """The ids of the owners of the exported buildings (what an export with owner data shows)."""
    buildings = query(f, municipality_id, today, False).order_by(None).subquery()
    stmt = (
        select(Ownership.owner_id)
        .where(Ownership.building_id.in_(select(buildings.c.building_id)))
        .distinct()
        .order_by(Ownership.owner_id)
    )
    return list(session.scalars(stmt))
