"""Demo owners, ownerships and staff accounts.

The three accounts below are for the DEMO ONLY (well-known passwords, printed in the README):
never run seed-demo against a production database."""

from __future__ import annotations

import random
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leerstand.models import Building, Municipality, Owner, Ownership, User
from leerstand.seed.texts import HEIR_PERSONS, MANAGERS, OWNERS

DEMO_USERS = [
    ("demo@ballenstedt.example", "leerstand-demo", "staff", "Demo Sachbearbeitung"),
    ("admin@ballenstedt.example", "leerstand-admin", "admin", "Demo Administration"),
    ("gast@ballenstedt.example", "leerstand-gast", "viewer", "Demo Gast"),
]
PUBLIC_OWNER = "Stadt Ballenstedt"
HEIR_SHARES = [("0.5", "0.5"), ("0.5", "0.25", "0.25"), ("0.6", "0.4")]


def create_users(session: Session, municipality: Municipality, echo) -> User | None:
    """Create the demo accounts that do not exist yet; return the demo staff account when it
    belongs to this municipality (it becomes the responsible person for contact cases)."""
    staff = None
    for email, password, role, name in DEMO_USERS:
        user = session.scalar(select(User).where(func.lower(User.email) == email))
        if user is None:
            user = User(email=email, role=role, name=name, municipality_id=municipality.id)
            user.set_password(password)
            session.add(user)
            echo(f"Konto {email} ({role}) … ok")
        else:
            echo(f"Konto {email} gibt es schon – übersprungen")
        if role == "staff" and user.municipality_id in (None, municipality.id):
            staff = user
    session.flush()
    return staff


def _email(name: str) -> str:
    slug = name.lower()
    for old, new in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        slug = slug.replace(old, new)
    slug = "".join(c if c.isalnum() else "." for c in slug)
    return ".".join(part for part in slug.split(".") if part)[:40] + "@example.org"


# Letters greet persons (and heirs' contact persons) as Frau/Herr; companies, the town,
# churches and associations as "Sehr geehrte Damen und Herren".
FIRST_NAMES = {
    "frau": {"Erika", "Anna", "Petra", "Sabine", "Gisela", "Monika", "Ursula", "Karin", "Renate"},
    "herr": {"Max", "Klaus", "Jürgen", "Horst", "Dieter", "Frank", "Thomas", "Wolfgang"},
}


def _salutation(kind: str, name: str, contact: str) -> str:
    if kind not in ("person", "heirs"):
        return "organisation"
    first = (contact or name).split(" ", 1)[0]
    return next((code for code, names in FIRST_NAMES.items() if first in names), "neutral")


def create_owners(session: Session, municipality: Municipality) -> dict[str, Owner]:
    owners = {}
    for i, line in enumerate(OWNERS):
        kind, name, contact, street, town, channel = line.split("|")
        postcode, city = town.split(" ", 1)
        owners[name] = Owner(
            municipality_id=municipality.id,
            kind=kind,
            salutation=_salutation(kind, name, contact),
            name=name,
            contact_person=contact,
            street=street,
            postcode=postcode,
            city=city,
            email=_email(name),
            phone=f"03946 000{i:03d}",
            preferred_channel=channel,
        )
    session.add_all(owners.values())
    session.flush()
    return owners


class OwnerPicker:
    """Hands out owners so that every owner gets a building first, then at random (some
    owners thus hold several buildings)."""

    def __init__(self, owners: dict[str, Owner], rng: random.Random) -> None:
        self.rng = rng
        self.private = [o for o in owners.values() if o.kind != "public" and o.name not in MANAGERS]
        self.queue = self.private[:]
        rng.shuffle(self.queue)
        self.persons = [o for o in owners.values() if o.name in HEIR_PERSONS]
        self.managers = [owners[name] for name in MANAGERS]
        self.public = owners[PUBLIC_OWNER]

    def next(self) -> Owner:
        return self.queue.pop() if self.queue else self.rng.choice(self.private)

    def links(self, public: bool) -> list[tuple[Owner, str, str | None]]:
        """1–3 (owner, role, share) for one building; shares of owners add up to 1."""
        if public:
            return [(self.public, "owner", "1")]
        roll = self.rng.random()
        if roll < 0.22:
            shares = self.rng.choice(HEIR_SHARES)
            heirs = self.rng.sample(self.persons, k=len(shares))
            return [(o, "heir", s) for o, s in zip(heirs, shares, strict=True)]
        first = self.next()
        if roll < 0.36:
            second = self.next()
            if second is not first:
                return [(first, "co_owner", "0.5"), (second, "co_owner", "0.5")]
        links = [(first, "owner", "1")]
        if first.kind in ("company", "heirs") or roll > 0.8:
            links.append((self.rng.choice(self.managers), "manager", None))
        return links


def link_owners(building: Building, links) -> list[Ownership]:
    """Ownership rows for a new building (added to the session through the building)."""
    return [
        Ownership(
            building=building,
            owner=owner,
            role=role,
            share=None if share is None else Decimal(share),
        )
        for owner, role, share in links
    ]
