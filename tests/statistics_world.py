"""A hand-made world for the statistics (``leerstand.services.statistics``): units with given
vacancy periods, contact cases with given events, ideas, matches, use requests and interim uses,
each on a given day, so that tests can write the expected figures out by hand.

    w = StatisticsWorld(session, base.municipality)
    shop = w.unit([("vacant", date(2021, 3, 1), date(2024, 1, 1)),
                   ("occupied", date(2024, 1, 1), None)])
    case = w.case(shop, opened=date(2024, 2, 1), events=[(date(2024, 2, 10), "contacted")])
    idea = w.idea(published=date(2024, 3, 1), use_kind="atelier")
    req = w.request(w.match(idea, shop, on=date(2024, 3, 5)), sent=date(2024, 3, 9),
                    answer="yes", answered=date(2024, 3, 20))
    w.interim_use(shop, date(2024, 4, 1), date(2024, 9, 30), idea=idea,
                  ended_on=date(2024, 9, 30), outcome="let_permanently")

Days of timestamps (case opened, idea published, match, request sent and answered) are stored
as local noon, so they count on that local day. Every method adds its rows and flushes; nothing
commits. Personal data for privacy tests: ``OWNER_NAME``, ``INITIATIVE_*`` and ``NOTES`` are
written into every owner, initiative and interim use/unit/building note."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import count

from shapely.geometry import MultiPolygon, Point, box
from sqlalchemy import delete

from leerstand.dates import LOCAL_TZ
from leerstand.models import (
    Building,
    ContactCase,
    ContactEvent,
    FocusArea,
    Initiative,
    InterimUse,
    Match,
    Owner,
    Ownership,
    Proposal,
    Unit,
    UseRequest,
    VacancyPeriod,
)
from leerstand.spatial.geometry import to_db

ALLEE = (11.2265, 51.7192)  # on the Allee, Ballenstedt
OWNER_NAME = "Gisela Geheimbesitz"
INITIATIVE_PERSON = "Konrad Kontaktperson"
INITIATIVE_EMAIL = "konrad.geheim@example.org"
INITIATIVE_PHONE = "+49 3946 987654"
NOTES = "Interne Notiz: Schlüssel beim Nachbarn Herrn Vertraulich"

_seq = count(1)


def noon(day: date) -> datetime:
    """Local noon of ``day`` (an aware datetime)."""
    return datetime.combine(day, time(12), tzinfo=LOCAL_TZ)


class StatisticsWorld:
    """Builds rows in ``municipality`` (a Municipality of ``tests.base_data``)."""

    def __init__(self, session, municipality):
        self.session = session
        self.municipality = municipality

    def _add(self, obj):
        self.session.add(obj)
        self.session.flush()
        return obj

    def focus_area(self, west: float, south: float, east: float, north: float) -> FocusArea:
        """A rectangular focus area (lon/lat bounds)."""
        area = MultiPolygon([box(west, south, east, north)])
        return self._add(
            FocusArea(
                municipality_id=self.municipality.id,
                name=f"Fokus {next(_seq)}",
                area=to_db(area),
            )
        )

    def building(self, district=None, at: tuple[float, float] = ALLEE) -> Building:
        """A building at ``at`` (lon, lat) in ``district`` (a District or None)."""
        return self._add(
            Building(
                municipality_id=self.municipality.id,
                district_id=district.id if district is not None else None,
                street="Allee",
                house_number=str(next(_seq)),
                postcode="06493",
                place="Ballenstedt",
                location=to_db(Point(*at)),
                notes=NOTES,
            )
        )

    def unit(
        self,
        periods: list[tuple[str, date, date | None]],
        kind: str = "shop",
        area_m2: float | None = 100,
        building: Building | None = None,
        district=None,
        at: tuple[float, float] = ALLEE,
    ) -> Unit:
        """A unit whose vacancy history is exactly ``periods`` [(state, started_on, ended_on or
        None)], in ``building`` (else a new one in ``district`` at ``at``). Its vacancy_state is
        the last period's state."""
        building = building or self.building(district, at)
        unit = self._add(
            Unit(
                municipality_id=self.municipality.id,
                building_id=building.id,
                name=f"Einheit {next(_seq)}",
                kind=kind,
                area_m2=Decimal(str(area_m2)) if area_m2 is not None else None,
                vacancy_state=periods[-1][0],
                vacant_since=None,
                internal_notes=NOTES,
            )
        )
        self.session.execute(delete(VacancyPeriod).where(VacancyPeriod.unit_id == unit.id))
        self.session.add_all(
            VacancyPeriod(
                unit_id=unit.id,
                municipality_id=self.municipality.id,
                state=state,
                started_on=start,
                ended_on=end,
            )
            for state, start, end in periods
        )
        self.session.flush()
        return unit

    def owner(self, building: Building) -> Owner:
        """An owner (named ``OWNER_NAME``, with e-mail, phone and notes) of ``building``."""
        owner = self._add(
            Owner(
                municipality_id=self.municipality.id,
                name=OWNER_NAME,
                street="Geheimweg 7",
                postcode="06493",
                city="Ballenstedt",
                email=f"gisela{next(_seq)}@example.org",
                phone="+49 3946 111222",
                notes=NOTES,
            )
        )
        self._add(Ownership(building_id=building.id, owner_id=owner.id))
        return owner

    def case(
        self,
        unit: Unit,
        opened: date,
        state: str | None = None,
        events: list[tuple[date, str]] = (),
    ) -> ContactCase:
        """A contact case for the building of ``unit`` and a new owner, opened on ``opened``,
        with one event per (day, to_state) in order; its state is ``state`` or the last
        event's to_state (else not_contacted)."""
        building = self.session.get(Building, unit.building_id)
        now = state or (events[-1][1] if events else "not_contacted")
        case = self._add(
            ContactCase(
                municipality_id=self.municipality.id,
                building_id=building.id,
                owner_id=self.owner(building).id,
                state=now,
                created_at=noon(opened),
            )
        )
        before = "not_contacted"
        for day, to_state in events:
            self.session.add(
                ContactEvent(
                    case_id=case.id,
                    occurred_on=day,
                    channel="phone",
                    direction="out",
                    summary=NOTES,
                    from_state=before,
                    to_state=to_state,
                )
            )
            before = to_state
        self.session.flush()
        return case

    def idea(
        self,
        published: date | None,
        use_kind: str = "popup",
        title: str = "Pop-up-Galerie",
        description: str = "Kunst im leeren Laden",
        state: str = "published",
        districts: tuple = (),
    ) -> Proposal:
        """An idea (published on ``published``; None: never) of a new initiative whose contact
        person, e-mail and phone are ``INITIATIVE_*``; ``districts``: District rows it names."""
        initiative = self._add(
            Initiative(
                municipality_id=self.municipality.id,
                name=f"Initiative {next(_seq)}",
                contact_person=INITIATIVE_PERSON,
                email=f"{next(_seq)}.{INITIATIVE_EMAIL}",
                phone=INITIATIVE_PHONE,
                password_hash="x",
            )
        )
        at = noon(published) if published else None
        return self._add(
            Proposal(
                municipality_id=self.municipality.id,
                initiative_id=initiative.id,
                title=title,
                description=description,
                use_kind=use_kind,
                state=state,
                location_kind="districts",
                districts=list(districts),
                submitted_at=at,
                published_at=at,
            )
        )

    def match(self, idea: Proposal, unit: Unit, on: date) -> Match:
        """A shortlisted match of ``idea`` and ``unit`` computed on ``on``."""
        return self._add(
            Match(
                municipality_id=self.municipality.id,
                proposal_id=idea.id,
                unit_id=unit.id,
                score=80,
                reasons=[],
                status="shortlisted",
                computed_at=noon(on),
                created_at=noon(on),
            )
        )

    def request(
        self,
        match: Match,
        sent: date,
        channel: str = "email",
        answer: str | None = None,
        answered: date | None = None,
    ) -> UseRequest:
        """A use request of ``match`` sent on ``sent`` by ``channel`` to a new owner of the
        unit's building, answered ``answer`` on ``answered`` (both or neither)."""
        unit = self.session.get(Unit, match.unit_id)
        owner = self.owner(self.session.get(Building, unit.building_id))
        return self._add(
            UseRequest(
                municipality_id=self.municipality.id,
                match_id=match.id,
                owner_id=owner.id,
                channel=channel,
                token_hash=secrets.token_hex(32),
                sent_at=noon(sent),
                expires_at=noon(sent + timedelta(days=30)),
                answer=answer,
                answered_at=noon(answered) if answered else None,
                answer_message=NOTES if answer else "",
            )
        )

    def interim_use(
        self,
        unit: Unit,
        starts_on: date,
        ends_on: date,
        idea: Proposal | None = None,
        ended_on: date | None = None,
        outcome: str | None = None,
    ) -> InterimUse:
        """An interim use of ``unit`` planned ``starts_on``–``ends_on`` for ``idea`` (None:
        without an idea), ended on ``ended_on`` with ``outcome`` (both or neither). Its terms
        and notes are ``NOTES``. The unit's vacancy history is left as the test made it."""
        return self._add(
            InterimUse(
                municipality_id=self.municipality.id,
                unit_id=unit.id,
                proposal_id=idea.id if idea else None,
                initiative_id=idea.initiative_id if idea else None,
                starts_on=starts_on,
                ends_on=ends_on,
                ended_on=ended_on,
                outcome=outcome,
                costs=NOTES,
                key_handover=NOTES,
                notes=NOTES,
            )
        )
