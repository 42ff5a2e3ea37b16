"""Shared helpers for the use request tests (staff side and owner answer page).

The fixtures ``world`` and ``sent`` are defined here once; a test module that wants them
imports ``world_fixture`` / ``sent_fixture`` (pytest finds fixtures among a module's names)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, inspect, select, text

from leerstand.models import (
    AuditEvent,
    Consent,
    ContactCase,
    ContactEvent,
    Match,
    Municipality,
    UseRequest,
)
from leerstand.services.use_requests import send as service
from tests import factories as f
from tests.conftest import post_form

VALID_DAYS = 30
REMINDER_DAYS = 14


def ident(obj) -> int:
    """The id of a row, also when the object is detached and expired."""
    return inspect(obj).identity[0]


@dataclass
class World:
    """Ids and texts of a ``factories.request_world`` (requests detach the objects)."""

    building_id: int
    unit_id: int
    owner_id: int
    heir_id: int
    manager_id: int
    initiative_id: int
    proposal_id: int
    match_id: int
    address: str
    owner_name: str
    owner_email: str
    heir_name: str
    manager_name: str
    initiative_name: str
    initiative_email: str
    initiative_phone: str


def make_world(session, base, **match_kw) -> World:
    municipality = session.get(Municipality, ident(base.municipality))
    w = f.request_world(session, municipality, **match_kw)
    session.commit()  # releases the test's savepoint: a request's rollback keeps it
    return World(
        building_id=w.building.id,
        unit_id=w.unit.id,
        owner_id=w.owner.id,
        heir_id=w.heir.id,
        manager_id=w.manager.id,
        initiative_id=w.initiative.id,
        proposal_id=w.proposal.id,
        match_id=w.match.id,
        address=w.building.address,
        owner_name=w.owner.name,
        owner_email=w.owner.email,
        heir_name=w.heir.name,
        manager_name=w.manager.name,
        initiative_name=w.initiative.name,
        initiative_email=w.initiative.email,
        initiative_phone=w.initiative.phone,
    )


@dataclass
class Sent:
    request_id: int
    secret: str


@pytest.fixture(name="world")
def world_fixture(session, base) -> World:
    """A fresh ``request_world`` (see ``make_world``)."""
    return make_world(session, base)


def issue(session, world, choices: dict | None = None, message: str = "", now=None, user=None):
    """Send requests through the service; returns [Sent] (ids and secrets)."""
    match = session.get(Match, world.match_id)
    if choices is None:
        choices = {world.owner_id: "email"}
    issued = service.send_requests(
        session,
        match,
        ident(user) if user is not None else None,
        choices,
        message,
        now or datetime.now(UTC),
        VALID_DAYS,
        REMINDER_DAYS,
    )
    session.commit()
    return [Sent(item.request.id, item.secret) for item in issued]


@pytest.fixture(name="sent")
def sent_fixture(world, session, base) -> tuple[int, str]:
    """An open e-mail request to the world's owner, sent by the staff user: (request id, secret)."""
    (item,) = issue(session, world, message="Wir würden uns sehr freuen.", user=base.staff)
    return item.request_id, item.secret


def send_form(client, match_id: int, choices: dict, message: str = ""):
    data = {"owner": [str(owner_id) for owner_id in choices], "message": message}
    data.update({f"channel_{owner_id}": channel for owner_id, channel in choices.items()})
    return post_form(client, f"/verwaltung/treffer/{match_id}/anfragen", data)


def row(session, request_id: int) -> dict:
    """The stored row, read with SQL (no ORM identity map)."""
    result = session.execute(text("SELECT * FROM use_request WHERE id = :id"), {"id": request_id})
    return dict(result.mappings().one())


def counts(session) -> dict:
    return {
        "requests": session.scalar(select(func.count()).select_from(UseRequest)),
        "events": session.scalar(select(func.count()).select_from(ContactEvent)),
        "audit": session.scalar(select(func.count()).select_from(AuditEvent)),
        "consents": session.scalar(select(func.count()).select_from(Consent)),
    }


def reload(session, model, obj_id: int):
    return session.get(model, obj_id, populate_existing=True)


ANSWER_FORM = re.compile(r'<form method="post" class="form answer-form" action="([^"]+)"')


def answer(client, secret: str, **data):
    """Open the mailed link (the browser remembers the request), then post the answer form to
    its address (without the secret); a link that does not open returns its 404 page."""
    opened = client.get(f"/antwort/{secret}")
    action = ANSWER_FORM.search(opened.get_data(as_text=True))
    if action is None:
        return opened
    return post_form(client, action.group(1), data)


def case_of(session, world) -> ContactCase:
    stmt = select(ContactCase).where(
        ContactCase.building_id == world.building_id, ContactCase.owner_id == world.owner_id
    )
    return session.scalar(stmt.execution_options(populate_existing=True))


def events_of(session, case_id: int) -> list[ContactEvent]:
    stmt = select(ContactEvent).where(ContactEvent.case_id == case_id).order_by(ContactEvent.id)
    return list(session.scalars(stmt))
