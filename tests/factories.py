"""Factories for the models: plain functions with sensible defaults, overridable by keyword.

``base_data`` creates Ballenstedt (real boundary), its districts and three users once per run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from shapely.geometry import MultiPolygon, Point, box
from sqlalchemy import select
from sqlalchemy.orm import Session

from leerstand.geodata import load_boundary, load_reference_points
from leerstand.models import (
    Building,
    ContactCase,
    District,
    Municipality,
    Owner,
    Ownership,
    Unit,
    User,
)
from leerstand.spatial.geometry import to_db

_seq = count(1)
ALLEE = (11.2265, 51.7192)  # on the Allee, Ballenstedt
OUTSIDE = (11.05, 51.80)  # west of the municipality (Harz, outside the boundary)


def base_data(session: Session, password: str) -> None:
    props, boundary = load_boundary()
    municipality = Municipality(
        name="Ballenstedt", ags=props["AGS"], postcode="06493", boundary=to_db(boundary)
    )
    session.add(municipality)
    session.flush()
    for props_, point in load_reference_points():
        if props_["kind"] == "ortsteil":
            name = props_["name"].split(" (")[0]
            session.add(District(municipality_id=municipality.id, name=name, centre=to_db(point)))
    other = Municipality(
        name="Anderswo", ags="99999999", boundary=to_db(MultiPolygon([box(10.0, 50.0, 10.1, 50.1)]))
    )
    session.add(other)
    session.flush()
    for role in ("admin", "staff", "viewer"):
        user = User(
            email=f"{role}@test.example",
            name=f"Test {role.title()}",
            role=role,
            municipality_id=municipality.id,
        )
        user.set_password(password)
        session.add(user)
    stranger = User(email="staff@anderswo.example", role="staff", municipality_id=other.id)
    stranger.set_password(password)
    session.add(stranger)


@dataclass
class Base:
    municipality: Municipality
    other_municipality: Municipality
    admin: User
    staff: User
    viewer: User
    stranger: User
    districts: dict[str, District]

    @classmethod
    def load(cls, session: Session) -> Base:
        munis = {m.ags: m for m in session.scalars(select(Municipality))}
        users = {u.email: u for u in session.scalars(select(User))}
        ballenstedt = munis["15085040"]
        districts = {
            d.name: d
            for d in session.scalars(
                select(District).where(District.municipality_id == ballenstedt.id)
            )
        }
        return cls(
            municipality=ballenstedt,
            other_municipality=munis["99999999"],
            admin=users["admin@test.example"],
            staff=users["staff@test.example"],
            viewer=users["viewer@test.example"],
            stranger=users["staff@anderswo.example"],
            districts=districts,
        )


def building(session: Session, municipality: Municipality, **kw) -> Building:
    lon, lat = kw.pop("lonlat", ALLEE)
    values = {
        "street": "Allee",
        "house_number": str(next(_seq)),
        "postcode": "06493",
        "place": "Ballenstedt",
        "location": to_db(Point(lon, lat)),
        "municipality_id": municipality.id,
    }
    values.update(kw)
    obj = Building(**values)
    session.add(obj)
    session.flush()
    return obj


def unit(session: Session, building_: Building, **kw) -> Unit:
    values = {
        "building_id": building_.id,
        "municipality_id": building_.municipality_id,
        "name": "EG Ladenlokal",
        "kind": "shop",
        "floor": "EG",
        "area_m2": Decimal("80.0"),
        "street_level": True,
        "vacancy_state": "vacant",
        "vacant_since": date.today() - timedelta(days=400),
    }
    values.update(kw)
    obj = Unit(**values)
    session.add(obj)
    session.flush()
    return obj


def owner(session: Session, municipality: Municipality, **kw) -> Owner:
    values = {
        "municipality_id": municipality.id,
        "name": f"Erika Muster {next(_seq)}",
        "kind": "person",
        "street": "Musterweg 1",
        "postcode": "06493",
        "city": "Ballenstedt",
        "email": "erika@example.org",
    }
    values.update(kw)
    obj = Owner(**values)
    session.add(obj)
    session.flush()
    return obj


def ownership(session: Session, building_: Building, owner_: Owner, **kw) -> Ownership:
    obj = Ownership(building_id=building_.id, owner_id=owner_.id, **kw)
    session.add(obj)
    session.flush()
    return obj


def contact_case(session: Session, building_: Building, owner_: Owner, **kw) -> ContactCase:
    obj = ContactCase(
        building_id=building_.id,
        owner_id=owner_.id,
        municipality_id=building_.municipality_id,
        **kw,
    )
    session.add(obj)
    session.flush()
    return obj
