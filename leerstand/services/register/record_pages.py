"""What the read-only pages of a unit and a building show besides the record itself: the
building's owners with their contact case, the unit's matches, use requests and interim uses
(current, planned and past), the planned starts (``interim_uses.state``'s rule) and the record's
history. Reading only; nothing is written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from leerstand.models import Building, InterimUse, Match, Unit, UseRequest
from leerstand.services.audit import history
from leerstand.services.interim_uses import service as interim_service
from leerstand.services.interim_uses import state as interim_state
from leerstand.services.matching.review import matches_for_unit
from leerstand.services.owners.service import building_owner_rows


@dataclass
class UnitPage:
    unit: Unit
    owner_rows: list
    matches: list[Match]
    requests: list[UseRequest]
    interim_uses: list[InterimUse]
    planned_from: date | None  # the start of a planned (future) interim use
    history: list[history.Entry]


def use_requests_for_unit(session: Session, unit_id: int) -> list[UseRequest]:
    """Use requests about the unit (through its matches), newest first."""
    stmt = (
        select(UseRequest)
        .join(Match, UseRequest.match_id == Match.id)
        .where(Match.unit_id == unit_id)
        .options(joinedload(UseRequest.owner), joinedload(UseRequest.match))
        .order_by(UseRequest.sent_at.desc(), UseRequest.id.desc())
    )
    return list(session.scalars(stmt))


def unit_page(session: Session, unit: Unit, today: date) -> UnitPage:
    uses = interim_service.for_units(session, [unit.id])
    return UnitPage(
        unit=unit,
        owner_rows=building_owner_rows(session, unit.building_id),
        matches=matches_for_unit(session, unit, include_dismissed=True),
        requests=use_requests_for_unit(session, unit.id),
        interim_uses=uses,
        planned_from=interim_state.planned_start(session, unit, today),
        history=history.record_history(session, unit.municipality_id, "unit", unit.id),
    )


def building_planned(session: Session, building: Building, today: date) -> dict[int, date]:
    """{unit id: start} for the building's units whose interim use is planned, not running."""
    states = {unit.id: unit.vacancy_state for unit in building.units}
    return interim_state.planned_for(session, states, today)


def building_history(session: Session, building: Building) -> list[history.Entry]:
    return history.record_history(session, building.municipality_id, "building", building.id)
