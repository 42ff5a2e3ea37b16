"""The base data every test can rely on, committed once per run: Ballenstedt with its real
boundary and districts, a second municipality "Anderswo", staff users of both (``Base``)."""

from __future__ import annotations

from dataclasses import dataclass

from shapely.geometry import MultiPolygon, box
from sqlalchemy import select
from sqlalchemy.orm import Session

from leerstand.geodata import load_boundary, load_reference_points
from leerstand.models import District, Municipality, User
from leerstand.spatial.geometry import to_db


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
