"""Demo contact cases (Eigentümeransprache) with a consistent, chronological event log.

The state-changing events of a case form a chain that follows
``services.contact.cases.TRANSITIONS``: the first starts at ``not_contacted`` (``None`` for
the event that opens a case still ``not_contacted``), each ``from_state`` is the previous
``to_state``, and the last ``to_state`` is the case's state. Plain contacts without a change of
state (a reminder, a visit) carry no states, as ``record_contact`` writes them. Follow-ups are
spread so that some are due today or overdue and others fall in the coming weeks."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy.orm import Session

from leerstand.models import ContactCase, ContactEvent, Ownership

# step -> (channel, direction, summary, outcome, from_state, to_state)
STEPS = {
    "open": (
        None,
        "internal",
        "Eigentümer:in über Grundbuchauskunft ermittelt",
        "",
        None,
        "not_contacted",
    ),
    "letter": (
        "letter",
        "out",
        "Anschreiben zum Leerstand mit Infoblatt Zwischennutzung versandt",
        "",
        "not_contacted",
        "contacted",
    ),
    "reminder": ("letter", "out", "Erinnerungsschreiben versandt", "", None, None),
    "callback": (
        "phone",
        "in",
        "Rückruf der Eigentümerseite",
        "Gesprächstermin vereinbart",
        "contacted",
        "in_dialogue",
    ),
    "visit": (
        "visit",
        "out",
        "Begehung vor Ort",
        "Zustand und Zugänge dokumentiert",
        None,
        None,
    ),
    "willing": (
        "meeting",
        "in",
        "Gespräch im Rathaus",
        "Offen für eine Zwischennutzung gegen Übernahme der Nebenkosten",
        "in_dialogue",
        "open_to_interim_use",
    ),
    "decline": (
        "phone",
        "in",
        "Telefonat mit der Eigentümerseite",
        "Kein Interesse an Zwischennutzung, Verkauf wird geprüft",
        "in_dialogue",
        "declined",
    ),
    "agree": (
        "meeting",
        "out",
        "Nutzungsvereinbarung besprochen",
        "Vereinbarung unterschrieben, Schlüsselübergabe geplant",
        "open_to_interim_use",
        "agreement",
    ),
    "close": (
        "email",
        "internal",
        "Fall abgeschlossen",
        "Zwischennutzung läuft, kein weiterer Handlungsbedarf",
        "agreement",
        "closed",
    ),
    "returned": (
        "letter",
        "internal",
        "Brief kam als unzustellbar zurück",
        "Neue Anschrift über Einwohnermeldeamt anfragen",
        "contacted",
        "unreachable",
    ),
}
CHAINS = {
    "not_contacted": [["open"]],
    "contacted": [["letter"], ["letter", "reminder"]],
    "in_dialogue": [["letter", "callback"], ["letter", "callback", "visit"]],
    "open_to_interim_use": [
        ["letter", "callback", "willing"],
        ["letter", "callback", "visit", "willing"],
    ],
    "declined": [["letter", "callback", "decline"], ["letter", "reminder", "callback", "decline"]],
    "agreement": [["letter", "callback", "willing", "agree"]],
    "closed": [["letter", "callback", "willing", "agree", "close"]],
    "unreachable": [["letter", "reminder", "returned"]],
}
STATE_WEIGHTS = {
    "not_contacted": 8,
    "contacted": 18,
    "in_dialogue": 20,
    "open_to_interim_use": 14,
    "declined": 10,
    "agreement": 8,
    "closed": 6,
    "unreachable": 6,
}
ACTIVE = {"not_contacted", "contacted", "in_dialogue", "open_to_interim_use", "agreement"}
# Settled cases lie further back, spread over the demo's five years of history (days, from the
# case's number: no draw from the seeded random, so the rest of the demo stays as it was).
SETTLED = {"declined", "unreachable", "closed"}
SETTLED_BACK_DAYS = 1_300


def _settled_back(state: str, k: int) -> timedelta:
    return timedelta(days=(k * 173) % SETTLED_BACK_DAYS if state in SETTLED else 0)


def _dates(rng: random.Random, n: int, today: date) -> list[date]:
    gaps = [rng.randint(7, 45) for _ in range(n - 1)]
    start = today - timedelta(days=sum(gaps) + rng.randint(3, 240))
    days = [start]
    for gap in gaps:
        days.append(days[-1] + timedelta(days=gap))
    return days


def _follow_up(rng: random.Random, state: str, last: date, today: date, k: int) -> date | None:
    if state in ACTIVE:
        if k % 3 == 0:
            return today - timedelta(days=rng.randint(0, 14))  # due or overdue
        return today + timedelta(days=rng.randint(1, 42))
    if state == "declined":
        return last + timedelta(days=365)
    return None


def create_case(session, ownership: Ownership, state: str, ctx: dict, k: int) -> ContactCase:
    rng, today, staff_id = ctx["rng"], ctx["today"], ctx["staff_id"]
    steps = rng.choice(CHAINS[state])
    days = _dates(rng, len(steps), today)
    case = ContactCase(
        municipality_id=ctx["municipality_id"],
        building=ownership.building,
        owner=ownership.owner,
        state=state,
        next_follow_up=_follow_up(rng, state, days[-1], today, k),
        responsible_id=staff_id,
    )
    session.add(case)
    days = [day - _settled_back(state, k) for day in days]  # the follow-up stays ahead
    add_events(
        session, case, staff_id, [(day, *STEPS[s]) for s, day in zip(steps, days, strict=True)]
    )
    return case


def add_events(session: Session, case: ContactCase, staff_id: int | None, events: list) -> None:
    """The contact log of ``case``: (day, channel, direction, summary, outcome, from_state,
    to_state) per event, written by ``staff_id``."""
    for day, channel, direction, summary, outcome, from_state, to_state in events:
        session.add(
            ContactEvent(
                case=case,
                occurred_on=day,
                channel=channel,
                direction=direction,
                summary=summary,
                outcome=outcome,
                from_state=from_state,
                to_state=to_state,
                user_id=staff_id,
            )
        )


def create_cases(session: Session, ownerships: list[Ownership], ctx: dict) -> list[ContactCase]:
    """A case for most building-owner pairs (property managers and a few others get none)."""
    rng = ctx["rng"]
    states, weights = list(STATE_WEIGHTS), list(STATE_WEIGHTS.values())
    cases = []
    for ownership in ownerships:
        if ownership.role == "manager" or rng.random() < 0.12:
            continue
        state = states[len(cases) % len(states)] if len(cases) < len(states) else None
        state = state or rng.choices(states, weights)[0]
        cases.append(create_case(session, ownership, state, ctx, len(cases)))
    session.flush()
    return cases
