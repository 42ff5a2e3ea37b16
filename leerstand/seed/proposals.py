"""Demo initiatives and their proposals (Nutzungsideen) in several states.

All fictional (@example.org, "Beispiel"); the account ``initiative@ballenstedt.example`` with
password ``leerstand-initiative`` is for the DEMO ONLY. Places: a point with a radius on the
Allee, an area drawn along the Allee, Ortsteile, and one publishable unit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from shapely.geometry import Point, box
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leerstand.models import Building, Initiative, Proposal
from leerstand.seed.geography import KERNSTADT, Geography
from leerstand.spatial.geometry import to_db

DEMO_INITIATIVE = ("initiative@ballenstedt.example", "leerstand-initiative")
INITIATIVES = [
    (
        "jugend",
        "Jugendclub Beispiel e.V.",
        "Jonas Beispiel",
        DEMO_INITIATIVE[0],
        "Offener Treff für Jugendliche aus Ballenstedt und den Ortsteilen.",
    ),
    (
        "kunst",
        "Kunstverein Harz (Beispiel)",
        "Karla Muster",
        "kunstverein@example.org",
        "Ausstellungen und Ateliers für Künstler:innen aus dem Harz.",
    ),
    (
        "repair",
        "Repair-Café Ballenstedt (Beispiel)",
        "Rudi Beispiel",
        "repair@example.org",
        "Wir reparieren gemeinsam Dinge, statt sie wegzuwerfen.",
    ),
]
ALLEE_POINT = Point(11.2265, 51.7192)
ALLEE_CORRIDOR = box(11.2200, 51.7180, 11.2340, 51.7205)
ALTSTADT_POINT = Point(11.2355, 51.7176)


def _initiatives(session: Session, municipality_id: int) -> dict[str, Initiative]:
    created = {}
    for key, name, person, email, profile in INITIATIVES:
        if session.scalar(select(Initiative.id).where(func.lower(Initiative.email) == email)):
            continue
        initiative = Initiative(
            municipality_id=municipality_id,
            name=name,
            contact_person=person,
            email=email,
            profile=profile,
            email_confirmed_at=datetime.now(UTC),
        )
        initiative.set_password(DEMO_INITIATIVE[1])
        session.add(initiative)
        created[key] = initiative
    session.flush()
    return created


def _specs(geo: Geography, today: date, unit_id: int | None) -> list[tuple[str, dict]]:
    districts = geo.districts
    soon, later = today + timedelta(days=30), today + timedelta(days=210)
    specs = [
        (
            "jugend",
            {
                "title": "Jugendraum in der Allee",
                "use_kind": "youth",
                "state": "published",
                "location_kind": "point",
                "point": to_db(ALLEE_POINT),
                "radius_m": 400,
                "area_min": Decimal(40),
                "area_max": Decimal(90),
                "street_level": True,
                "wc": True,
                "heating": True,
                "frequency": "dienstags und freitags nachmittags",
                "budget_kind": "costs_only",
                "description": "Ein Treffpunkt mit Sofa, Tischkicker und WLAN.",
            },
        ),
        (
            "kunst",
            {
                "title": "Schaufenster-Galerie Schlossallee",
                "use_kind": "exhibition",
                "state": "published",
                "location_kind": "area",
                "area": to_db(ALLEE_CORRIDOR),
                "area_min": Decimal(20),
                "area_max": Decimal(80),
                "street_level": True,
                "power": True,
                "time_from": soon,
                "time_to": later,
                "budget_kind": "nothing",
                "description": "Wechselnde Ausstellungen in leeren Schaufenstern.",
            },
        ),
        (
            "repair",
            {
                "title": "Repair-Café",
                "use_kind": "workshop",
                "state": "published",
                "location_kind": "districts",
                "districts": [districts[KERNSTADT]],
                "area_min": Decimal(50),
                "area_max": Decimal(120),
                "power": True,
                "water": True,
                "frequency": "jeden ersten Samstag im Monat",
                "budget_kind": "rent",
                "budget_eur_month": Decimal(150),
                "description": "Werkbänke, Nähmaschinen, Kaffee.",
            },
        ),
        (
            "jugend",
            {
                "title": "Proberaum für Schülerband",
                "use_kind": "club",
                "state": "submitted",
                "location_kind": "districts",
                "districts": [d for n, d in districts.items() if n in ("Rieder", "Badeborn")],
                "area_min": Decimal(25),
                "power": True,
                "heating": True,
                "budget_kind": "costs_only",
                "description": "Laut, aber nur bis 20 Uhr.",
            },
        ),
        (
            "kunst",
            {
                "title": "Atelier-Wochenende in der Altstadt",
                "use_kind": "atelier",
                "state": "draft",
                "location_kind": "point",
                "point": to_db(ALTSTADT_POINT),
                "radius_m": 300,
                "time_from": later,
                "time_to": later + timedelta(days=2),
                "budget_kind": "nothing",
            },
        ),
    ]
    rejected = {
        "title": "Nachbarschaftscafé",
        "use_kind": "cafe",
        "state": "rejected",
        "rejection_reason": "Bitte beschreiben Sie genauer, wann das Café öffnen soll.",
        "budget_kind": "costs_only",
        "water": True,
        "wc": True,
        "description": "Kuchen, Kaffee und Gespräche.",
    }
    if unit_id is not None:
        rejected.update(location_kind="unit", unit_id=unit_id)
    else:
        rejected.update(location_kind="districts", districts=[districts[KERNSTADT]])
    specs.append(("repair", rejected))
    return specs


def _public_unit_id(buildings: list[Building]) -> int | None:
    for building in buildings:
        for unit in building.units:
            if unit.publishable:
                return unit.id
    return None


def create_proposals(
    session: Session, geo: Geography, buildings: list[Building], today: date
) -> int:
    """Create the demo initiatives (skipping existing e-mails) and their proposals; returns the
    number of proposals. Only flushes."""
    initiatives = _initiatives(session, geo.municipality.id)
    now = datetime.now(UTC)
    count = 0
    for key, spec in _specs(geo, today, _public_unit_id(buildings)):
        initiative = initiatives.get(key)
        if initiative is None:
            continue
        districts = spec.pop("districts", [])
        proposal = Proposal(
            initiative_id=initiative.id, municipality_id=geo.municipality.id, **spec
        )
        proposal.districts = districts
        if proposal.state != "draft":
            proposal.submitted_at = now - timedelta(days=7)
        if proposal.state == "published":
            proposal.published_at = now - timedelta(days=5)
        session.add(proposal)
        count += 1
    session.flush()
    return count
