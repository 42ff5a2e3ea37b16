"""Factories for the models: plain functions with sensible defaults, overridable by keyword.
Each adds its row and flushes; none commits. The base data (Ballenstedt, its districts, the
users) come from ``tests.base_data`` once per run."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import count

from shapely.geometry import Point
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from leerstand.dates import local_today
from leerstand.models import (
    Building,
    Consent,
    ContactCase,
    Initiative,
    InterimUse,
    Match,
    Municipality,
    Owner,
    Ownership,
    Proposal,
    Unit,
    UseRequest,
)
from leerstand.spatial.geometry import to_db

_seq = count(1)
ALLEE = (11.2265, 51.7192)  # on the Allee, Ballenstedt
OUTSIDE = (11.05, 51.80)  # west of the municipality (Harz, outside the boundary)


def ident(obj) -> int:
    """The id of a row, also when the object is detached and expired."""
    return inspect(obj).identity[0]


def _add(session: Session, model, defaults: dict, kw: dict):
    """``model(**defaults, **kw)`` (``kw`` wins), added and flushed."""
    obj = model(**{**defaults, **kw})
    session.add(obj)
    session.flush()
    return obj


# --- register: buildings, units, owners, contact ------------------------------------------


def building(session: Session, municipality: Municipality, **kw) -> Building:
    lon, lat = kw.pop("lonlat", ALLEE)
    defaults = {
        "street": "Allee",
        "house_number": str(next(_seq)),
        "postcode": "06493",
        "place": "Ballenstedt",
        "location": to_db(Point(lon, lat)),
        "municipality_id": municipality.id,
    }
    return _add(session, Building, defaults, kw)


def unit(session: Session, building_: Building, **kw) -> Unit:
    defaults = {
        "building_id": building_.id,
        "municipality_id": building_.municipality_id,
        "name": "EG Ladenlokal",
        "kind": "shop",
        "floor": "EG",
        "area_m2": Decimal("80.0"),
        "street_level": True,
        "vacancy_state": "vacant",
        "vacant_since": local_today() - timedelta(days=400),
    }
    return _add(session, Unit, defaults, kw)


def owner(session: Session, municipality: Municipality, **kw) -> Owner:
    defaults = {
        "municipality_id": municipality.id,
        "name": f"Erika Muster {next(_seq)}",
        "kind": "person",
        "street": "Musterweg 1",
        "postcode": "06493",
        "city": "Ballenstedt",
        "email": "erika@example.org",
    }
    return _add(session, Owner, defaults, kw)


def ownership(session: Session, building_: Building, owner_: Owner, **kw) -> Ownership:
    return _add(session, Ownership, {"building_id": building_.id, "owner_id": owner_.id}, kw)


def contact_case(session: Session, building_: Building, owner_: Owner, **kw) -> ContactCase:
    defaults = {
        "building_id": building_.id,
        "owner_id": owner_.id,
        "municipality_id": building_.municipality_id,
    }
    return _add(session, ContactCase, defaults, kw)


def consent(session: Session, owner_: Owner, scope="public_map", withdrawn=False, **kw) -> Consent:
    """A consent given 30 days ago (``withdrawn``: withdrawn now)."""
    now = datetime.now(UTC)
    defaults = {
        "municipality_id": owner_.municipality_id,
        "owner_id": owner_.id,
        "scope": scope,
        "given_at": now - timedelta(days=30),
        "withdrawn_at": now if withdrawn else None,
        "text_version": "2026-01",
    }
    return _add(session, Consent, defaults, kw)


# --- matching: initiatives, proposals, matches, use requests, interim uses -----------------


def initiative(
    session: Session, municipality, confirmed: bool = False, password: str | None = None, **kw
) -> Initiative:
    """An initiative with a unique name and e-mail; ``confirmed``: e-mail confirmed now;
    ``password``: its login password (else an unusable hash). ``municipality`` may be
    detached."""
    n = next(_seq)
    defaults = {
        "municipality_id": ident(municipality),
        "name": f"Initiative {n}",
        "contact_person": "Ina Beispiel",
        "email": f"initiative{n}@example.org",
        "email_confirmed_at": datetime.now(UTC) if confirmed else None,
        "password_hash": "x",
    }
    obj = Initiative(**{**defaults, **kw})
    if password is not None:
        obj.set_password(password)
    session.add(obj)
    session.flush()
    return obj


def proposal(session: Session, initiative_: Initiative, **kw) -> Proposal:
    """A published proposal of ``initiative_``: a point on the Allee with 300 m around it."""
    defaults = {
        "municipality_id": initiative_.municipality_id,
        "initiative_id": initiative_.id,
        "title": "Idee",
        "use_kind": "exhibition",
        "state": "published",
        "location_kind": "point",
        "point": to_db(Point(*ALLEE)),
        "radius_m": 300,
    }
    return _add(session, Proposal, defaults, kw)


def proposal_in(session: Session, municipality, **kw) -> Proposal:
    """A ``proposal`` (published, point + 300 m on the Allee) of its own new initiative."""
    return proposal(session, initiative(session, municipality), **kw)


def match(session: Session, proposal_: Proposal, unit_: Unit, **kw) -> Match:
    defaults = {
        "municipality_id": unit_.municipality_id,
        "proposal_id": proposal_.id,
        "unit_id": unit_.id,
        "score": 80,
        "reasons": [],
        "status": "shortlisted",
    }
    return _add(session, Match, defaults, kw)


def use_request(
    session: Session, match_: Match, owner_: Owner, answer: str | None = None, **kw
) -> UseRequest:
    """A use request of ``match_`` to ``owner_`` sent 5 days ago, open (``answer`` None) or
    answered yesterday with ``answer``."""
    now = datetime.now(UTC)
    defaults = {
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
    return _add(session, UseRequest, defaults, kw)


def interim_use(session: Session, unit_: Unit, **kw) -> InterimUse:
    """An interim use of ``unit_`` running from 30 days ago for another 60 days."""
    today = local_today()
    defaults = {
        "municipality_id": unit_.municipality_id,
        "unit_id": unit_.id,
        "starts_on": today - timedelta(days=30),
        "ends_on": today + timedelta(days=60),
    }
    return _add(session, InterimUse, defaults, kw)


# older names, still used by tests/integration/test_interim_use*.py and test_cli_reminders.py
interim_initiative = initiative
interim_match = match


def interim_proposal(session: Session, initiative_: Initiative, **kw) -> Proposal:
    """A published proposal for some districts, wanted from in 10 to in 100 days."""
    today = local_today()
    defaults = {
        "title": "Pop-up-Galerie",
        "location_kind": "districts",
        "point": None,
        "radius_m": None,
        "time_from": today + timedelta(days=10),
        "time_to": today + timedelta(days=100),
    }
    return proposal(session, initiative_, **{**defaults, **kw})


def answered_request(session: Session, match_, owner_, answer: str | None = "yes", **kw):
    """``use_request`` answered "yes" unless ``answer`` says otherwise."""
    return use_request(session, match_, owner_, answer=answer, **kw)


# --- use requests: a shortlisted match; owner, heir (no e-mail) and a manager -------------


@dataclass
class RequestWorld:
    building: Building
    unit: Unit
    owner: Owner
    heir: Owner
    manager: Owner
    initiative: Initiative
    proposal: Proposal
    match: Match


def request_world(session: Session, municipality: Municipality, **match_kw) -> RequestWorld:
    """Letterhead fields on ``municipality``; a building on the Allee with one unit, an owner
    with e-mail, an heir without, a property manager; a published proposal; a shortlisted match."""
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
    initiative_ = initiative(
        session,
        municipality,
        name=f"Kunstverein Allee {n}",
        email=f"kunstverein{n}@example.org",
        phone="0170 1234567",
    )
    today = local_today()
    proposal_ = proposal(
        session,
        initiative_,
        title="Galerie im Schaufenster",
        description="Wechselnde Ausstellungen regionaler Künstler:innen.",
        area_min=Decimal("60"),
        area_max=Decimal("120"),
        street_level=True,
        power=True,
        time_from=today + timedelta(days=30),
        time_to=today + timedelta(days=120),
        frequency="donnerstags bis samstags",
        radius_m=500,
    )
    values = {"size": 92.0, "low": 60.0, "high": 120.0}
    reasons = [
        {"criterion": "area", "points": 22.5, "max": 25, "key": "area.fits", "values": values}
    ]
    match_ = match(session, proposal_, unit_, **{"score": 87, "reasons": reasons, **match_kw})
    return RequestWorld(building_, unit_, owner_, heir, manager, initiative_, proposal_, match_)
