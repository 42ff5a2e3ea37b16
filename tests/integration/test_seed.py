"""The demo seeder on a real PostGIS: geography, buildings, units, owners, contact cases.

The test DB already holds Ballenstedt (AGS 15085040) from the base data, so the seeder runs
under a scratch AGS inside the rolled-back test transaction."""

import pytest
from sqlalchemy import func, select, text

from leerstand.dates import local_today
from leerstand.models import ContactCase, ContactEvent, Municipality, Ownership, User
from leerstand.seed import seed
from leerstand.seed.people import DEMO_USERS
from leerstand.services.contact.cases import check_transition

SCRATCH_AGS = "15085999"


@pytest.fixture
def seeded(session):
    lines, today = [], local_today()  # the seeder's dates are relative to this day
    result = seed(
        session, ags=SCRATCH_AGS, name="Ballenstedt (Test)", echo=lines.append, today=today
    )
    session.flush()
    result.lines, result.today = lines, today
    return result


def scalar(session, sql: str, mid: int):
    return session.execute(text(sql), {"mid": mid}).scalar()


def test_seed_prints_progress(seeded):
    assert seeded.lines[0] == f"Kommune Ballenstedt (Test) ({SCRATCH_AGS}) … ok"
    assert any(line.startswith("Gebäude 10/") for line in seeded.lines)
    assert seeded.municipality.letterhead.startswith("Stadt Ballenstedt")


def test_buildings_lie_inside_the_boundary(session, seeded):
    mid = seeded.municipality.id
    assert scalar(session, "SELECT count(*) FROM building WHERE municipality_id=:mid", mid) >= 40
    outside = scalar(
        session,
        "SELECT count(*) FROM building b JOIN municipality m ON m.id = b.municipality_id "
        "WHERE m.id = :mid AND NOT ST_Within(b.location, m.boundary)",
        mid,
    )
    assert outside == 0
    bad_footprints = scalar(
        session,
        "SELECT count(*) FROM building WHERE municipality_id = :mid AND footprint IS NOT NULL "
        "AND NOT (ST_IsValid(footprint) AND ST_Contains(footprint, location))",
        mid,
    )
    assert bad_footprints == 0


def test_districts_and_focus_areas(session, seeded):
    mid = seeded.municipality.id
    rows = session.execute(
        text(
            "SELECT d.name, ST_Area(d.boundary::geography), "
            "(SELECT count(*) FROM building b WHERE b.district_id = d.id "
            " AND ST_Covers(d.boundary, b.location)) "
            "FROM district d WHERE d.municipality_id = :mid"
        ),
        {"mid": mid},
    ).all()
    assert {r[0] for r in rows} == {
        "Ballenstedt",
        "Asmusstedt",
        "Badeborn",
        "Opperode",
        "Radisleben",
        "Rieder",
    }
    assert all(area > 1_000_000 for _, area, _ in rows)
    assert all(count >= 2 for _, _, count in rows), rows
    in_allee = scalar(
        session,
        "SELECT count(*) FROM building b "
        "JOIN focus_area f ON f.municipality_id = b.municipality_id "
        "WHERE f.municipality_id = :mid AND f.name = 'Schlossallee' "
        "AND ST_Intersects(f.area, b.location)",
        mid,
    )
    assert in_allee >= 15
    width = scalar(
        session,
        "SELECT ST_Area(area::geography) / ST_Length(ST_LongestLine(area, area)::geography) "
        "FROM focus_area WHERE municipality_id = :mid AND name = 'Schlossallee'",
        mid,
    )
    assert 55 < width < 75  # 2 × 35 m around a line of about 1 km


def test_units_mix_kinds_and_states(session, seeded):
    mid = seeded.municipality.id
    kinds = scalar(session, "SELECT count(DISTINCT kind) FROM unit WHERE municipality_id=:mid", mid)
    states = scalar(
        session, "SELECT count(DISTINCT vacancy_state) FROM unit WHERE municipality_id=:mid", mid
    )
    assert kinds >= 5
    assert states >= 4
    published = scalar(
        session, "SELECT count(*) FROM unit WHERE municipality_id=:mid AND publishable", mid
    )
    assert published >= 10


def test_ownership_shares_add_up(session, seeded):
    mid = seeded.municipality.id
    bad = scalar(
        session,
        "SELECT count(*) FROM (SELECT o.building_id, sum(o.share) AS total FROM ownership o "
        "JOIN building b ON b.id = o.building_id WHERE b.municipality_id = :mid "
        "GROUP BY o.building_id) s WHERE s.total <> 1",
        mid,
    )
    assert bad == 0
    per_building = session.execute(
        select(func.count(Ownership.id)).group_by(Ownership.building_id)
    ).scalars()
    assert all(1 <= n <= 3 for n in per_building)


def test_contact_chains_are_consistent(session, seeded):
    today = seeded.today
    cases = session.scalars(
        select(ContactCase).where(ContactCase.municipality_id == seeded.municipality.id)
    ).all()
    assert len(cases) >= 40
    assert len({c.state for c in cases}) == 8
    for case in cases:
        events = session.scalars(
            select(ContactEvent)
            .where(ContactEvent.case_id == case.id)
            .order_by(ContactEvent.occurred_on, ContactEvent.id)
        ).all()
        assert 1 <= len(events) <= 8  # up to 3 from the demo use request and interim use
        for before, after in zip(events, events[1:], strict=False):
            assert after.occurred_on >= before.occurred_on
        assert events[-1].occurred_on <= today
        changes = [e for e in events if e.to_state is not None]
        assert changes[0].from_state in (None, "not_contacted")
        assert changes[-1].to_state == case.state
        for before, after in zip(changes, changes[1:], strict=False):
            assert after.from_state == before.to_state
            check_transition(after.from_state, after.to_state)
        assert all(e.from_state is None for e in events if e.to_state is None)
    follow_ups = [c.next_follow_up for c in cases if c.next_follow_up]
    assert sum(d <= today for d in follow_ups) >= 5
    assert sum(d > today for d in follow_ups) >= 5


def test_demo_users_can_log_in(session, seeded):
    for email, password, role, _name in DEMO_USERS:
        user = session.scalar(select(User).where(User.email == email))
        assert user.role == role
        assert user.check_password(password)
        assert not user.check_password("falsch")


def test_seed_is_reproducible_and_skips_existing_users(session, seeded):
    first = [(b.street, b.house_number) for b in seeded.buildings]
    again = seed(
        session, ags="15085998", name="Nochmal", echo=lambda _line: None, today=seeded.today
    )
    assert [(b.street, b.house_number) for b in again.buildings] == first
    assert (
        session.scalar(select(func.count(User.id)).where(User.email.like("%@ballenstedt.example")))
        == 3
    )


def test_seed_demo_if_empty_does_nothing_when_a_municipality_exists(app, session):
    before = session.scalar(select(func.count(Municipality.id)))
    result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "nichts zu tun" in result.output
    assert session.scalar(select(func.count(Municipality.id))) == before


def test_seed_demo_refuses_an_existing_municipality(app, session):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "gibt es schon" in result.output


def test_demo_loop_from_proposal_to_interim_use(client, session, seeded):
    """Matches for the published proposals, a "yes with conditions" that became an interim use
    shown on the public map, and a letter whose demo answer code opens the owner's page."""
    from leerstand.models import InterimUse, Match, UseRequest
    from leerstand.seed.progress import DEMO_ANSWER_CODE

    mid = seeded.municipality.id
    (line,) = [line for line in seeded.lines if line.startswith("Vermittlung:")]
    assert "Zwischennutzung: ja" in line and "Antwortcode: ja" in line
    assert session.scalar(select(func.count(Match.id)).where(Match.municipality_id == mid)) >= 5
    stmt = select(InterimUse).where(
        InterimUse.municipality_id == mid,
        InterimUse.proposal_id.is_not(None),
        InterimUse.outcome.is_(None),  # the history's past uses have ended
    )
    (use,) = session.scalars(stmt)
    assert use.unit.vacancy_state == "interim_use" and use.proposal.state == "realised"
    assert use.use_request.answer == "yes_conditions"
    session.commit()
    geojson = client.get(f"/api/units.geojson?ags={SCRATCH_AGS}").get_json()
    (feature,) = [x for x in geojson["features"] if x["id"] == use.unit_id]
    assert feature["properties"]["vacancy_label"] == "in Zwischennutzung"
    letter = session.scalar(
        select(UseRequest).where(
            UseRequest.municipality_id == mid,
            UseRequest.channel == "letter",
            UseRequest.answered_at.is_(None),  # the history's letters were answered
        )
    )
    assert letter.answered_at is None
    page = client.get("/antwort/harz-antw-rt23")
    assert page.status_code == 200 and letter.match.proposal.title in page.get_data(as_text=True)
    assert DEMO_ANSWER_CODE == "HARZANTWRT23"


def test_every_unit_in_interim_use_has_its_record(session, seeded):
    """The demo's units "in Zwischennutzung" each have a running interim use: one starts in two
    weeks (planned), the others began 60 days ago, and the loop's own use starts today."""
    from datetime import timedelta

    from leerstand.models import InterimUse, Unit

    mid, today = seeded.municipality.id, seeded.today
    units = set(
        session.scalars(
            select(Unit.id).where(Unit.municipality_id == mid, Unit.vacancy_state == "interim_use")
        )
    )
    uses = list(
        session.scalars(
            select(InterimUse).where(
                InterimUse.municipality_id == mid, InterimUse.outcome.is_(None)
            )
        )
    )
    assert units and {use.unit_id for use in uses} == units
    assert "Zwischennutzungen erfasst: 2" in seeded.lines
    starts = sorted(use.starts_on for use in uses)
    assert starts == [today - timedelta(days=60), today, today + timedelta(days=14)]
    assert all(use.ends_on > today for use in uses)
