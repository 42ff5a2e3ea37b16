"""A small world for the public allowlist tests: units that must and must not be public,
owners with and without consent, proposals in every state. Secret marker strings sit in every
field that must never leave the staff area."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from shapely.geometry import box

from leerstand.dates import local_today
from leerstand.models import Initiative, Proposal
from leerstand.spatial.geometry import to_db
from tests import factories as f

SECRETS = (
    "OWNERSECRET",
    "owner-secret@example.org",
    "INTERNALSECRET",
    "BUILDINGNOTESECRET",
    "DRAFTSECRET",
    "SUBMITTEDSECRET",
    "REJECTEDSECRET",
    "initiative-secret@example.org",
    "CONTACTPERSONSECRET",
    "0399-SECRETPHONE",
    "in_dialogue",
    "im Gespräch",
    "987,65",
    "987.65",
)
BADEBORN = (11.2439, 51.7619)
consent = f.consent  # the old name: test_interim_use.py imports it from here


def __getattr__(name: str):
    """``TODAY`` (imported by test_public_api.py) is the local date when it is asked for."""
    if name == "TODAY":
        return local_today()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass
class World:
    public: dict[str, int] = field(default_factory=dict)
    hidden: dict[str, int] = field(default_factory=dict)
    proposals: dict[str, int] = field(default_factory=dict)
    hidden_proposals: dict[str, int] = field(default_factory=dict)


def _owner(session, muni, label: str, **kw):
    return f.owner(
        session,
        muni,
        name=f"OWNERSECRET {label}",
        email="owner-secret@example.org",
        phone="0399-SECRETPHONE",
        notes="OWNERSECRET notes",
        **kw,
    )


def _building(session, muni, owner, role="owner", **kw):
    b = f.building(session, muni, notes="BUILDINGNOTESECRET", **kw)
    f.ownership(session, b, owner, role=role)
    return b


def _units(session, base, w: World) -> dict:
    muni, today = base.municipality, local_today()
    unit_kw = {
        "publishable": True,
        "internal_notes": "INTERNALSECRET",
        "rent_eur_month": Decimal("987.65"),
    }
    consenting = _owner(session, muni, "mit Einwilligung")
    f.consent(session, consenting)
    a = _building(session, muni, consenting, district_id=base.districts["Ballenstedt"].id)
    f.contact_case(session, a, consenting, state="in_dialogue")
    w.public["consent"] = f.unit(
        session, a, area_m2=Decimal("83.0"), available_from=today + timedelta(days=10),
        public_description="Heller Laden mit Schaufenster", shop_window=True, **unit_kw,
    ).id  # fmt: skip
    w.hidden["not_publishable"] = f.unit(session, a, **{**unit_kw, "publishable": False}).id
    w.hidden["occupied"] = f.unit(session, a, vacancy_state="occupied", **unit_kw).id

    withdrawn = _owner(session, muni, "widerrufen")
    f.consent(session, withdrawn, withdrawn=True)
    w.hidden["withdrawn"] = f.unit(session, _building(session, muni, withdrawn), **unit_kw).id

    nobody = _owner(session, muni, "ohne")
    f.consent(session, nobody, scope="photos")
    manager = _owner(session, muni, "Verwaltung")
    f.consent(session, manager)
    c = _building(session, muni, nobody)
    f.ownership(session, c, manager, role="manager")
    w.hidden["no_consent"] = f.unit(session, c, **unit_kw).id

    town = _owner(session, muni, "Stadt", is_municipality=True, kind="public")
    d = _building(session, muni, town, lonlat=BADEBORN, district_id=base.districts["Badeborn"].id)
    w.public["municipal"] = f.unit(
        session, d, kind="office", area_m2=Decimal("42.0"), street_level=False, step_free=True,
        **unit_kw,
    ).id  # fmt: skip
    w.public["interim"] = f.unit(
        session, d, kind="hall", area_m2=Decimal("201.0"), vacancy_state="interim_use",
        available_from=today + timedelta(days=100), available_to=today + timedelta(days=400),
        street_level=False, **unit_kw,
    ).id  # fmt: skip

    other = base.other_municipality
    stranger = f.owner(session, other, name="OWNERSECRET fremd", is_municipality=True)
    e = _building(session, other, stranger, lonlat=(10.05, 50.05))
    w.hidden["other_municipality"] = f.unit(session, e, **unit_kw).id
    return {"consenting_building": a, "hidden_building": c}


def initiative(
    session, muni, name="Kulturverein Beispiel", email="initiative-secret@example.org", **kw
) -> Initiative:
    """An initiative whose e-mail, phone and contact person are secret markers."""
    secret = {"phone": "0399-SECRETPHONE", "contact_person": "CONTACTPERSONSECRET"}
    return f.initiative(session, muni, name=name, email=email, **{**secret, **kw})


def proposal(session, ini, **kw) -> Proposal:
    """``factories.proposal``: published, a point on the Allee with 300 m around it."""
    return f.proposal(session, ini, **kw)


def _proposals(session, base, w: World) -> None:
    ini = initiative(session, base.municipality)
    w.proposals["point"] = proposal(session, ini, title="Pop-up Galerie", area_min=Decimal(40)).id
    area = to_db(box(11.22, 51.715, 11.23, 51.722))
    w.proposals["area"] = proposal(
        session, ini, title="Jugendtreff", use_kind="youth", location_kind="area", area=area,
        point=None, street_level=True,
    ).id  # fmt: skip
    p = proposal(session, ini, title="Repair-Café", use_kind="workshop", location_kind="districts")
    p.districts = [base.districts["Badeborn"], base.districts["Rieder"]]
    w.proposals["districts"] = p.id
    kw = {"location_kind": "unit", "point": None}
    w.proposals["unit"] = proposal(
        session, ini, title="Laden-Idee", unit_id=w.public["consent"], **kw
    ).id
    w.proposals["hidden_unit"] = proposal(
        session, ini, title="Versteckte Einheit", unit_id=w.hidden["no_consent"], **kw
    ).id
    for state in ("draft", "submitted", "rejected"):
        title = f"{state.upper()}SECRET Idee"
        w.hidden_proposals[state] = proposal(session, ini, title=title, state=state).id
    session.flush()


def build(session, base) -> World:
    w = World()
    w.extra = _units(session, base, w)
    _proposals(session, base, w)
    session.flush()
    return w
