"""Nutzungsideen: create and edit (initiative), submit, withdraw, publish and reject (staff).

State rules (see ``EDITABLE`` and ``TRANSITIONS``): an idea can be edited as a draft, while
submitted and after a rejection (then submitted again), not after publication; it can be
withdrawn as a draft, while submitted or when published; only a submitted idea can be
published or rejected, and a rejection needs a reason. Every problem raises ``ServiceError`` /
``GeometryError`` with a German message before anything is flushed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from leerstand.models import District, Initiative, Proposal, Unit
from leerstand.services import matching
from leerstand.services import municipality as municipality_service
from leerstand.services.errors import NotFound, ServiceError
from leerstand.services.forms import (
    check_version,
    choice,
    flag,
    parse_date,
    parse_decimal,
    parse_int,
    text,
)
from leerstand.services.municipality import get_scoped
from leerstand.services.public import UNIT_IS_PUBLIC
from leerstand.spatial.geometry import (
    ensure_inside,
    point_from_input,
    polygon_from_geojson,
    to_db,
)
from leerstand.vocab import BUDGET_KINDS, LOCATION_KINDS, PROPOSAL_STATES, USE_KINDS

NEED_FLAGS = ("street_level", "step_free", "power", "water", "wc", "heating")
EDITABLE = {"draft", "submitted", "rejected"}
TRANSITIONS = {
    "submit": {"draft", "rejected"},
    "withdraw": {"draft", "submitted", "published"},
    "publish": {"submitted"},
    "reject": {"submitted"},
}
RADIUS_MIN_M, RADIUS_MAX_M = 50, 20_000
AREA_MAX_M2 = Decimal("100000")


# --- look-ups ------------------------------------------------------------------------------


def get_own(session: Session, initiative: Initiative, proposal_id: int) -> Proposal:
    """The initiative's own idea; another's (or none) is NotFound, never a hint it exists."""
    proposal = session.get(Proposal, proposal_id)
    if proposal is None or proposal.initiative_id != initiative.id:
        raise NotFound("Idee nicht gefunden.")
    return proposal


def get_for_staff(session: Session, municipality_id: int, proposal_id: int) -> Proposal:
    return get_scoped(session, Proposal, proposal_id, municipality_id, "Idee nicht gefunden.")


def list_own(session: Session, initiative: Initiative) -> list[Proposal]:
    return list(
        session.scalars(
            select(Proposal)
            .where(Proposal.initiative_id == initiative.id)
            .order_by(Proposal.updated_at.desc(), Proposal.id.desc())
        )
    )


def moderation_queue(session: Session, municipality_id: int) -> list[Proposal]:
    return list(
        session.scalars(
            select(Proposal)
            .where(Proposal.municipality_id == municipality_id, Proposal.state == "submitted")
            .order_by(Proposal.submitted_at, Proposal.id)
        )
    )


def public_units(session: Session, municipality_id: int) -> list[Unit]:
    """Units an idea may name: those the public map shows (``public.UNIT_IS_PUBLIC``)."""
    sql = sql_text(
        f"SELECT u.* FROM unit u WHERE u.municipality_id = :mid AND {UNIT_IS_PUBLIC} ORDER BY u.id"
    )
    return list(session.scalars(select(Unit).from_statement(sql), {"mid": municipality_id}))


# --- validation ----------------------------------------------------------------------------


def _money(raw, what: str) -> Decimal | None:
    value = parse_decimal(raw, what)
    if value is not None and not Decimal(0) <= value < Decimal("10000000"):
        raise ServiceError(f"{what} muss zwischen 0 und 9.999.999 € liegen.")
    return None if value is None else value.quantize(Decimal("0.01"))


def _area_range(values: Mapping) -> dict:
    low = parse_decimal(values.get("area_min"), "Fläche von")
    high = parse_decimal(values.get("area_max"), "Fläche bis")
    for value in (low, high):
        if value is not None and not Decimal(0) <= value <= AREA_MAX_M2:
            raise ServiceError("Die Fläche muss zwischen 0 und 100.000 m² liegen.")
    if low is not None and high is not None and high < low:
        raise ServiceError("„Fläche bis“ ist kleiner als „Fläche von“. Bitte die Werte prüfen.")
    quant = Decimal("0.1")
    return {
        "area_min": None if low is None else low.quantize(quant),
        "area_max": None if high is None else high.quantize(quant),
    }


def _time(values: Mapping) -> dict:
    start = parse_date(values.get("time_from"), "Zeitraum von")
    end = parse_date(values.get("time_to"), "Zeitraum bis")
    if start and end and end < start:
        raise ServiceError("„Zeitraum bis“ liegt vor „Zeitraum von“. Bitte die Daten prüfen.")
    return {"time_from": start, "time_to": end, "frequency": text(values, "frequency", 200)}


def _ids(values: Mapping, key: str) -> list[int]:
    raw = values.getlist(key) if hasattr(values, "getlist") else values.get(key) or []
    raw = [raw] if isinstance(raw, str | int) else raw
    return sorted({i for i in (parse_int(r, "Ortsteil") for r in raw) if i is not None})


def _point(session: Session, municipality_id: int, values: Mapping) -> dict:
    if not text(values, "point_lon") and not text(values, "point_lat"):
        raise ServiceError("Bitte den Wunschort in die Karte klicken oder Koordinaten eingeben.")
    point = point_from_input(values.get("point_lon"), values.get("point_lat"))
    ensure_inside(point, *_boundary(session, municipality_id))
    radius = parse_int(values.get("radius_m"), "Umkreis")
    if radius is None or not RADIUS_MIN_M <= radius <= RADIUS_MAX_M:
        raise ServiceError("Der Umkreis muss zwischen 50 und 20.000 m liegen.")
    return {"point": to_db(point), "radius_m": radius}


def _boundary(session: Session, municipality_id: int):
    name, boundary = municipality_service.boundary(session, municipality_id)
    return boundary, name


def _area(session: Session, municipality_id: int, values: Mapping) -> dict:
    raw = text(values, "area_geojson", 200_000)
    if not raw:
        raise ServiceError("Bitte ein Gebiet auf der Karte zeichnen (Polygon-Werkzeug).")
    polygon = polygon_from_geojson(raw)
    ensure_inside(polygon, *_boundary(session, municipality_id))
    return {"area": to_db(polygon)}


def _districts(session: Session, municipality_id: int, values: Mapping) -> list[District]:
    ids = _ids(values, "district_ids")
    if not ids:
        raise ServiceError("Bitte mindestens einen Ortsteil ankreuzen.")
    found = list(
        session.scalars(
            select(District).where(
                District.id.in_(ids), District.municipality_id == municipality_id
            )
        )
    )
    if len(found) != len(ids):
        raise ServiceError("Bitte nur Ortsteile aus der Liste wählen.")
    return found


def _unit(session: Session, municipality_id: int, values: Mapping) -> dict:
    unit_id = parse_int(values.get("unit_id"), "Leerstand")
    if unit_id is None:
        raise ServiceError("Bitte einen Leerstand aus der Liste wählen.")
    if unit_id not in {u.id for u in public_units(session, municipality_id)}:
        raise ServiceError("Diesen Leerstand gibt es nicht (mehr) auf der öffentlichen Karte.")
    return {"unit_id": unit_id}


def _location(session: Session, municipality_id: int, values: Mapping) -> tuple[dict, list]:
    kind = choice(values, "location_kind", LOCATION_KINDS, "Wo", "districts")
    attrs = {"location_kind": kind, "point": None, "radius_m": None, "area": None, "unit_id": None}
    districts: list[District] = []
    if kind == "point":
        attrs.update(_point(session, municipality_id, values))
    elif kind == "area":
        attrs.update(_area(session, municipality_id, values))
    elif kind == "unit":
        attrs.update(_unit(session, municipality_id, values))
    else:
        districts = _districts(session, municipality_id, values)
    return attrs, districts


def proposal_values(session: Session, municipality_id: int, values: Mapping) -> tuple[dict, list]:
    """Validate the form; returns (model attributes, districts) or raises."""
    title = text(values, "title", 160)
    if not title:
        raise ServiceError("Bitte einen Titel für die Idee angeben.")
    budget_kind = choice(values, "budget_kind", BUDGET_KINDS, "Budget", "costs_only")
    attrs = {
        "title": title,
        "description": text(values, "description", 5_000),
        "use_kind": choice(values, "use_kind", USE_KINDS, "Art der Nutzung"),
        "budget_kind": budget_kind,
        "budget_eur_month": _money(values.get("budget_eur_month"), "Betrag pro Monat"),
        **_area_range(values),
        **_time(values),
        **{key: flag(values, key) for key in NEED_FLAGS},
    }
    if budget_kind == "rent" and attrs["budget_eur_month"] is None:
        raise ServiceError("Bitte angeben, wie viel Miete pro Monat möglich ist.")
    location, districts = _location(session, municipality_id, values)
    attrs.update(location)
    return attrs, districts


# --- initiative actions --------------------------------------------------------------------


def create(session: Session, initiative: Initiative, values: Mapping) -> Proposal:
    attrs, districts = proposal_values(session, initiative.municipality_id, values)
    proposal = Proposal(
        initiative_id=initiative.id, municipality_id=initiative.municipality_id, **attrs
    )
    proposal.districts = districts
    session.add(proposal)
    session.flush()
    return proposal


def update(session: Session, proposal: Proposal, values: Mapping) -> Proposal:
    if proposal.state not in EDITABLE:
        raise ServiceError(
            f"Eine Idee im Zustand „{PROPOSAL_STATES[proposal.state]}“ kann nicht mehr "
            "bearbeitet werden."
        )
    check_version(proposal, values.get("version"))
    attrs, districts = proposal_values(session, proposal.municipality_id, values)
    for key, value in attrs.items():
        setattr(proposal, key, value)
    proposal.districts = districts
    session.flush()
    matching.proposal_changed(session, proposal)
    return proposal


def _move(proposal: Proposal, action: str, target: str) -> None:
    if proposal.state not in TRANSITIONS[action]:
        raise ServiceError(
            f"Eine Idee im Zustand „{PROPOSAL_STATES[proposal.state]}“ kann nicht "
            f"„{PROPOSAL_STATES[target]}“ werden."
        )
    proposal.state = target


def submit(session: Session, proposal: Proposal) -> Proposal:
    _move(proposal, "submit", "submitted")
    proposal.submitted_at = datetime.now(UTC)
    proposal.rejection_reason = ""
    session.flush()
    return proposal


def withdraw(session: Session, proposal: Proposal) -> Proposal:
    _move(proposal, "withdraw", "withdrawn")
    session.flush()
    matching.proposal_changed(session, proposal)
    return proposal


# --- staff actions -------------------------------------------------------------------------


def publish(session: Session, proposal: Proposal) -> Proposal:
    _move(proposal, "publish", "published")
    proposal.published_at = datetime.now(UTC)
    session.flush()
    matching.proposal_changed(session, proposal)
    return proposal


def reject(session: Session, proposal: Proposal, reason: str | None) -> Proposal:
    reason = str(reason or "").strip()[:2_000]
    if not reason:
        raise ServiceError(
            "Bitte einen Grund für die Ablehnung angeben; er wird der Initiative gesendet."
        )
    _move(proposal, "reject", "rejected")
    proposal.rejection_reason = reason
    session.flush()
    return proposal
