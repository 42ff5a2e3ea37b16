"""The demo's past ideas (``history.ideas``) written as they would have happened: each realised
idea with its shortlisted match, the owner's use request answered "yes" (by e-mail or letter),
the interim use that ended with its outcome and the owner's contact case through the whole
funnel; the ideas that found no space with their requests (answered "no", "more information" or
never).

Which unit: one in the state the outcome left (occupied, or vacant again), best one whose owner
has no contact case yet – that case then gets the whole chain; contact events are append-only,
so an existing case stays as it is and the request is not linked to it – then of a kind the idea
wished for. Dates are days before today; the caller's seeded ``rng`` draws the scores, the
vacancies' starts and the requests' secrets (nobody types them: every request here is answered
or long expired)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from leerstand.dates import LOCAL_TZ
from leerstand.dates import day as fmt_day
from leerstand.models import (
    ContactCase,
    Initiative,
    InterimUse,
    Match,
    Ownership,
    Proposal,
    Unit,
    UseRequest,
)
from leerstand.seed.contacts import add_events
from leerstand.seed.history.ideas import NO_SPACE, PAST_USES, PastUse
from leerstand.services.use_requests.tokens import hash_secret
from leerstand.vocab import INTERIM_OUTCOMES, german

ANSWER_DAYS = 20  # the owner answered this many days after the request
OCCUPIED_AFTER = ("vacancy_ended", "let_permanently")


def noon(day: date) -> datetime:
    """Local noon of ``day``: a timestamp that counts on that local day."""
    return datetime.combine(day, time(12), tzinfo=LOCAL_TZ)


def _pool(session: Session, mid: int) -> list[tuple[Unit, int, bool]]:
    """(unit, owner id, owner has no case yet) for every unit with an owner (no manager);
    an owner without a contact case about the building is preferred."""
    no_case = ~exists().where(
        ContactCase.building_id == Unit.building_id, ContactCase.owner_id == Ownership.owner_id
    )
    rows = session.execute(
        select(Unit, Ownership.owner_id, no_case)
        .join(Ownership, Ownership.building_id == Unit.building_id)
        .where(Unit.municipality_id == mid, Ownership.role != "manager")
        .order_by(Unit.id, no_case.desc(), Ownership.owner_id)
    ).all()
    pool: dict[int, tuple[Unit, int, bool]] = {}
    for unit, owner_id, free in rows:
        pool.setdefault(unit.id, (unit, owner_id, free))
    return list(pool.values())


def _pick(pool: list, spec: PastUse, buildings: set[int]):
    """The unit for ``spec``: in the state its outcome left, in a building not used yet, best
    with an owner who has no case yet (contact events are append-only: a new case gets the whole
    chain), then of a wished kind, then any kind but a flat."""
    wanted = "vacant" if spec.outcome == "back_to_vacant" else "occupied"
    fits = [p for p in pool if p[0].building_id not in buildings and p[0].vacancy_state == wanted]
    for group in ([p for p in fits if p[2]], [p for p in fits if not p[2]]):
        for kind in spec.kinds:
            found = next((p for p in group if p[0].kind == kind), None)
            if found is not None:
                return found
        found = next((p for p in group if p[0].kind != "flat"), None)
        if found is not None:
            return found
    return fits[0] if fits else None


def _request(session, rng, match, owner_id, channel, sent: date, answer, staff_id, case_id=None):
    answered = sent + timedelta(days=ANSWER_DAYS) if answer else None
    request = UseRequest(
        municipality_id=match.municipality_id,
        match_id=match.id,
        owner_id=owner_id,
        case_id=case_id,
        channel=channel,
        token_hash=hash_secret(f"{rng.getrandbits(128):032x}"),
        message="Wir würden uns über ein Gespräch freuen.",
        sent_at=noon(sent),
        expires_at=noon(sent + timedelta(days=30)),
        answered_at=noon(answered) if answered else None,
        answer=answer,
        answer_channel=(("online" if channel == "email" else "paper") if answer else None),
        answer_recorded_by_id=staff_id if answer and channel == "letter" else None,
        created_by_id=staff_id,
    )
    session.add(request)
    return request


def _idea(session, initiative: Initiative, mid: int, published: date, **values) -> Proposal:
    proposal = Proposal(
        municipality_id=mid,
        initiative_id=initiative.id,
        location_kind="districts",
        budget_kind="costs_only",
        submitted_at=noon(published - timedelta(days=4)),
        published_at=noon(published),
        created_at=noon(published - timedelta(days=6)),
        **values,
    )
    session.add(proposal)
    return proposal


def _match(session, proposal: Proposal, unit: Unit, on: date, staff_id, score: int) -> Match:
    match = Match(
        municipality_id=unit.municipality_id,
        proposal=proposal,
        unit=unit,
        score=score,
        reasons=[],
        status="shortlisted",
        reviewed_by_id=staff_id,
        reviewed_at=noon(on + timedelta(days=3)),
        computed_at=noon(on),
    )
    session.add(match)
    session.flush()
    return match


def _chain(use: InterimUse, request: UseRequest, title: str) -> list[tuple]:
    """(day, channel, direction, summary, outcome, from_state, to_state) of the owner's case:
    first letter, callback, the request, the yes, the agreement and the end."""
    start, end = use.starts_on, use.ended_on
    sent, answered = request.sent_at.date(), request.answered_at.date()
    how = "per E-Mail" if request.channel == "email" else "per Brief"
    agreed = f"vom {fmt_day(start)} bis {fmt_day(use.ends_on)}"
    return [
        (start - timedelta(days=160), "letter", "out",
         "Anschreiben zum Leerstand mit Infoblatt Zwischennutzung versandt", "",
         "not_contacted", "contacted"),
        (start - timedelta(days=130), "phone", "in", "Rückruf der Eigentümerseite",
         "Gesprächstermin vereinbart", "contacted", "in_dialogue"),
        (sent, request.channel, "out", f"Nutzungsanfrage {how} gesendet: Idee „{title}“", "",
         None, None),
        (answered, request.channel, "in", f"Antwort auf die Nutzungsanfrage ({title}): Ja",
         "Ja", "in_dialogue", "open_to_interim_use"),
        (start - timedelta(days=7), None, "internal", f"Zwischennutzung vereinbart {agreed}.",
         "", "open_to_interim_use", "agreement"),
        (end, None, "internal", "Zwischennutzung beendet",
         german(INTERIM_OUTCOMES, use.outcome), "agreement", "closed"),
    ]  # fmt: skip


def _case(session, unit: Unit, owner_id: int, events: list[tuple], staff_id) -> ContactCase:
    """A new, closed case of the unit's building and owner with exactly ``events``."""
    case = ContactCase(
        municipality_id=unit.municipality_id,
        building_id=unit.building_id,
        owner_id=owner_id,
        responsible_id=staff_id,
        state="closed",
        next_follow_up=None,
    )
    session.add(case)
    session.flush()
    add_events(session, case, staff_id, events)
    return case


def _past_use(session, rng, spec: PastUse, picked, initiative, ctx: dict) -> tuple:
    """Idea, match, request, interim use and case of one spec; returns (unit, periods)."""
    unit, owner_id, free = picked
    today, staff_id = ctx["today"], ctx["staff_id"]
    start = today - timedelta(days=spec.starts)
    end = start + timedelta(days=spec.days)
    idea = _idea(
        session, initiative, unit.municipality_id, start - timedelta(days=100),
        title=spec.title, description=spec.description, use_kind=spec.use_kind,
        state="realised", time_from=start, time_to=end,
    )  # fmt: skip
    idea.districts = [unit.building.district] if unit.building.district else []
    match = _match(session, idea, unit, start - timedelta(days=98), staff_id, rng.randint(62, 90))
    sent = start - timedelta(days=60)
    request = _request(session, rng, match, owner_id, spec.channel, sent, "yes", staff_id)
    use = InterimUse(
        municipality_id=unit.municipality_id, unit=unit, proposal=idea, initiative=initiative,
        use_request=request, starts_on=start, ends_on=end, ended_on=end, outcome=spec.outcome,
        costs="nur Nebenkosten", insurance="Haftpflicht der Initiative",
        key_handover="Übergabe im Bürgerbüro", notes="Demo-Daten",
        created_by_id=staff_id, created_at=noon(start - timedelta(days=7)),
        end_reminder_sent_at=noon(end - timedelta(days=14)),
    )  # fmt: skip
    session.add(use)
    session.flush()
    if free:  # else the owner's case is older than this use and stays as it is
        events = _chain(use, request, spec.title)
        request.case_id = _case(session, unit, owner_id, events, staff_id).id
    vacant_from = start - timedelta(days=rng.randint(220, 520))
    after = "occupied" if spec.outcome in OCCUPIED_AFTER else "vacant"
    if after == "vacant":
        unit.vacant_since = end  # as ending an interim use "back to vacant" records it
    periods = [("vacant", vacant_from, start), ("interim_use", start, end), (after, end, None)]
    return unit, periods


def _no_space(session, rng, initiatives, ctx: dict, used: set[int]) -> int:
    """The ideas that found no space and the requests about them; returns their number."""
    mid, today, staff_id = ctx["municipality_id"], ctx["today"], ctx["staff_id"]
    count = 0
    for i, (ago, state, use_kind, title, description, answers) in enumerate(NO_SPACE):
        published = today - timedelta(days=ago)
        idea = _idea(
            session, initiatives[i % len(initiatives)], mid, published,
            title=title, description=description, use_kind=use_kind, state=state,
        )  # fmt: skip
        candidates = session.execute(
            select(Unit, Ownership.owner_id)
            .join(Ownership, Ownership.building_id == Unit.building_id)
            .where(Unit.municipality_id == mid, Unit.vacancy_state == "vacant",
                   Unit.kind != "flat", Unit.vacant_since <= published,
                   Ownership.role != "manager", Unit.id.not_in(used or {0}))
            .order_by(Unit.id, Ownership.owner_id)
        ).all()  # fmt: skip
        targets: dict[int, tuple] = {}
        for unit, owner_id in candidates:
            targets.setdefault(unit.id, (unit, owner_id))
        pairs = zip(answers, targets.values(), strict=False)
        for k, ((channel, answer), (unit, owner_id)) in enumerate(pairs):
            match = _match(session, idea, unit, published + timedelta(days=2), staff_id, 70 - k)
            sent = published + timedelta(days=20 + 15 * k)
            _request(session, rng, match, owner_id, channel, sent, answer, staff_id)
            used.add(unit.id)
        count += 1
    return count


def create_past_uses(session: Session, rng: random.Random, ctx: dict) -> dict[int, list]:
    """Write the past ideas and interim uses; returns {unit id: its periods} of the units
    they used (the caller writes every unit's history). Nothing without initiatives."""
    mid = ctx["municipality_id"]
    initiatives = list(
        session.scalars(
            select(Initiative).where(Initiative.municipality_id == mid).order_by(Initiative.id)
        )
    )
    if not initiatives:
        return {}
    pool, buildings, periods = _pool(session, mid), set(), {}
    for spec in PAST_USES:
        picked = _pick(pool, spec, buildings)
        if picked is None:
            continue
        buildings.add(picked[0].building_id)
        initiative = initiatives[spec.initiative % len(initiatives)]
        unit, unit_periods = _past_use(session, rng, spec, picked, initiative, ctx)
        periods[unit.id] = unit_periods
    _no_space(session, rng, initiatives, ctx, set(periods))
    session.flush()
    return periods
