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


# --- interim uses (helper C): initiative, idea, match, answered request, interim use --------


def interim_initiative(session: Session, municipality: Municipality, **kw):
    from leerstand.models import Initiative

    n = next(_seq)
    values = {
        "municipality_id": municipality.id,
        "name": f"Kulturverein {n}",
        "contact_person": "Ina Beispiel",
        "email": f"verein{n}@example.org",
        "password_hash": "x",
    }
    values.update(kw)
    obj = Initiative(**values)
    session.add(obj)
    session.flush()
    return obj


def interim_proposal(session: Session, initiative_, **kw):
    from leerstand.models import Proposal

    values = {
        "municipality_id": initiative_.municipality_id,
        "initiative_id": initiative_.id,
        "title": "Pop-up-Galerie",
        "use_kind": "exhibition",
        "state": "published",
        "location_kind": "districts",
        "time_from": date.today() + timedelta(days=10),
        "time_to": date.today() + timedelta(days=100),
    }
    values.update(kw)
    obj = Proposal(**values)
    session.add(obj)
    session.flush()
    return obj


def interim_match(session: Session, proposal_, unit_, **kw):
    from leerstand.models import Match

    values = {
        "municipality_id": unit_.municipality_id,
        "proposal_id": proposal_.id,
        "unit_id": unit_.id,
        "score": 80,
        "reasons": [],
        "status": "shortlisted",
    }
    values.update(kw)
    obj = Match(**values)
    session.add(obj)
    session.flush()
    return obj


def answered_request(session: Session, match_, owner_, answer: str | None = "yes", **kw):
    """A use request of ``match_`` to ``owner_``, answered with ``answer`` (None: open)."""
    import secrets
    from datetime import UTC, datetime

    from leerstand.models import UseRequest

    now = datetime.now(UTC)
    values = {
        "municipality_id": match_.municipality_id,
        "match_id": match_.id,
        "owner_id": owner_.id,
        "channel": "email",
        "token_hash": secrets.token_hex(32),
        "sent_at": now - timedelta(days=5),
        "expires_at": now + timedelta(days=25),
        "answer": answer,
        "answered_at": now - timedelta(days=1) if answer else None,
        "answer_message": "Gern, bitte Schlüssel bei mir abholen." if answer else "",
    }
    values.update(kw)
    obj = UseRequest(**values)
    session.add(obj)
    session.flush()
    return obj


def interim_use(session: Session, unit_, **kw):
    from leerstand.models import InterimUse

    values = {
        "municipality_id": unit_.municipality_id,
        "unit_id": unit_.id,
        "starts_on": date.today() - timedelta(days=30),
        "ends_on": date.today() + timedelta(days=60),
    }
    values.update(kw)
    obj = InterimUse(**values)
    session.add(obj)
    session.flush()
    return obj


# --- use requests (helper B): a shortlisted match; owner, heir (no e-mail) and a manager ----


@dataclass
class RequestWorld:
    building: Building
    unit: Unit
    owner: Owner
    heir: Owner
    manager: Owner
    initiative: object
    proposal: object
    match: object


def request_world(session: Session, municipality: Municipality, **match_kw) -> RequestWorld:
    """Letterhead fields on ``municipality``; a building on the Allee with one unit, an owner
    with e-mail, an heir without, a property manager; a published idea; a shortlisted match."""
    from leerstand.models import Initiative, Match, Proposal

    n = next(_seq)
    municipality.letterhead = (
        "Stadt Ballenstedt\nDer Bürgermeister\nRathausplatz 12, 06493 Ballenstedt"
    )
    municipality.contact_email = "leerstand@ballenstedt.example"
    municipality.contact_phone = "039483 123-45"
    municipality.letter_signature = "Maria Beispiel, Wirtschaftsförderung"
    building_ = building(session, municipality)
    unit_ = unit(session, building_, name="EG Ladenlokal", area_m2=Decimal("92.0"))
    owner_ = owner(session, municipality, name=f"Erika Eigen {n}", email=f"eigen{n}@example.org")
    heir = owner(session, municipality, name=f"Hans Erbe {n}", email="", kind="person")
    manager = owner(session, municipality, name=f"Hausverwaltung {n}", email=f"hv{n}@example.org")
    ownership(session, building_, owner_, role="owner")
    ownership(session, building_, heir, role="heir")
    ownership(session, building_, manager, role="manager")
    initiative_ = Initiative(
        municipality_id=municipality.id,
        name=f"Kunstverein Allee {n}",
        contact_person="Ina Beispiel",
        email=f"kunstverein{n}@example.org",
        phone="0170 1234567",
        password_hash="x",
    )
    session.add(initiative_)
    session.flush()
    proposal_ = Proposal(
        municipality_id=municipality.id,
        initiative_id=initiative_.id,
        title="Galerie im Schaufenster",
        description="Wechselnde Ausstellungen regionaler Künstler:innen.",
        use_kind="exhibition",
        area_min=Decimal("60"),
        area_max=Decimal("120"),
        street_level=True,
        power=True,
        time_from=date.today() + timedelta(days=30),
        time_to=date.today() + timedelta(days=120),
        frequency="donnerstags bis samstags",
        state="published",
        location_kind="point",
        point=to_db(Point(*ALLEE)),
        radius_m=500,
    )
    session.add(proposal_)
    session.flush()
    values = {
        "score": 87,
        "reasons": [{"criterion": "area", "points": 22.5, "max": 25, "text": "92 m² – passt"}],
        "status": "shortlisted",
    }
    values.update(match_kw)
    match_ = Match(
        municipality_id=municipality.id, proposal_id=proposal_.id, unit_id=unit_.id, **values
    )
    session.add(match_)
    session.flush()
    return RequestWorld(building_, unit_, owner_, heir, manager, initiative_, proposal_, match_)
