"""Staff pages for matches: overview, ranked lists both ways, one match, the review buttons,
"neu berechnen", re-matching after edits through the staff routes; roles and scoping."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy import select

from leerstand.models import Match, Proposal, Unit
from leerstand.services.matching import service as matching
from leerstand.services.matching.reasons import reason_text
from leerstand.views.staff.buildings import unit_form
from tests import factories as f
from tests.conftest import post_form
from tests.initiatives import XSS, initiative, reload
from tests.integration.public_world import proposal


@dataclass
class World:
    proposal_id: int
    near: int
    far: int
    near_match: int
    far_match: int


@pytest.fixture
def world(session, base) -> World:
    ini = initiative(session, base.municipality, name="Kunstverein Treffer")
    p = proposal(
        session, ini, title="Galerie am Markt", area_min=Decimal(40), area_max=Decimal(120),
        radius_m=800,
    )  # fmt: skip
    near = f.unit(session, f.building(session, base.municipality, street="Nahweg"), name="EG")
    far = f.unit(
        session,
        f.building(session, base.municipality, street="Fernweg", lonlat=(11.2265, 51.7230)),
        name="Laden hinten",
    )
    matching.rematch_proposal(session, p)
    rows = {m.unit_id: m.id for m in session.scalars(select(Match))}
    session.commit()  # a failed request rolls the request's session back
    return World(p.id, near.id, far.id, rows[near.id], rows[far.id])


def match_row(session, match_id: int) -> Match | None:
    return session.get(Match, match_id, populate_existing=True)


def test_overview_lists_proposals_and_shortlist(staff_client, session, world):
    html = staff_client.get("/verwaltung/treffer").get_data(as_text=True)
    assert "Galerie am Markt" in html and "Kunstverein Treffer" in html
    assert "Noch kein Treffer vorgemerkt." in html
    matching.set_status(session, match_row(session, world.near_match), "shortlisted", None)
    session.commit()
    html = staff_client.get("/verwaltung/treffer").get_data(as_text=True)
    assert f'data-match-id="{world.near_match}"' in html and "Nahweg" in html


def test_proposal_matches_ranked_with_reasons(staff_client, session, world):
    response = staff_client.get(f"/verwaltung/ideen/{world.proposal_id}/treffer")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.index("Nahweg") < html.index("Fernweg")  # closer ranks first
    assert "m vom Wunschort" in html and "80 m² – passt (gesucht 40–120 m²)" in html
    for label in ("Lage", "Fläche", "Ausstattung", "Kosten", "Dauer des Leerstands"):
        assert label in html
    assert "vormerken" in html and "verwerfen" in html and "neu berechnen" in html


def test_unit_matches_and_match_page(staff_client, world):
    html = staff_client.get(f"/verwaltung/einheiten/{world.near}/treffer").get_data(as_text=True)
    assert "Galerie am Markt" in html and "Kunstverein Treffer" in html
    response = staff_client.get(f"/verwaltung/treffer/{world.near_match}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Galerie am Markt" in html and "Nahweg" in html and "/ 100" in html
    assert "passt nach Änderungen nicht mehr" not in html


def test_review_buttons_and_dismissed_filter(staff_client, session, world):
    url = f"/verwaltung/ideen/{world.proposal_id}/treffer"
    status_url = f"/verwaltung/treffer/{world.far_match}/status"
    response = post_form(staff_client, status_url, {"status": "dismissed", "next": url}, page=url)
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    assert match_row(session, world.far_match).status == "dismissed"
    assert "Fernweg" not in staff_client.get(url).get_data(as_text=True)
    assert "Fernweg" in staff_client.get(url + "?verworfene=1").get_data(as_text=True)
    data = {"status": "shortlisted", "next": "https://evil.example/"}
    response = post_form(staff_client, status_url, data, page=url)
    assert response.headers["Location"].endswith(f"/verwaltung/treffer/{world.far_match}")
    assert match_row(session, world.far_match).status == "shortlisted"


def test_bad_status_is_a_german_422(staff_client, session, world):
    url = f"/verwaltung/treffer/{world.near_match}"
    response = post_form(staff_client, url + "/status", {"status": "requested"}, page=url)
    assert response.status_code == 422
    assert "Unbekannter Status für den Treffer" in response.get_data(as_text=True)
    assert match_row(session, world.near_match).status == "suggested"


def test_viewer_reads_but_cannot_review(viewer_client, session, world):
    url = f"/verwaltung/ideen/{world.proposal_id}/treffer"
    html = viewer_client.get(url).get_data(as_text=True)
    assert "Nahweg" in html and "vormerken" not in html and "neu berechnen" not in html
    status_url = f"/verwaltung/treffer/{world.near_match}/status"
    response = post_form(viewer_client, status_url, {"status": "shortlisted"}, page=url)
    assert response.status_code == 403
    assert post_form(viewer_client, url + "/neu-berechnen", {}, page=url).status_code == 403
    assert match_row(session, world.near_match).status == "suggested"


def test_other_municipality_is_404(client, session, base, world):
    from tests.conftest import login

    login(client, base.stranger.email)
    for url in (
        f"/verwaltung/treffer/{world.near_match}",
        f"/verwaltung/ideen/{world.proposal_id}/treffer",
        f"/verwaltung/einheiten/{world.near}/treffer",
    ):
        assert client.get(url).status_code == 404, url
    response = post_form(
        client, f"/verwaltung/treffer/{world.near_match}/status", {"status": "dismissed"},
        page="/verwaltung/treffer",
    )  # fmt: skip
    assert response.status_code == 404
    assert match_row(session, world.near_match).status == "suggested"


def test_editing_a_unit_through_the_staff_form_rematches(staff_client, session, base, world):
    matching.set_status(session, match_row(session, world.near_match), "shortlisted", None)
    session.commit()
    near, far = (session.get(Unit, i) for i in (world.near, world.far))
    edit = f"/verwaltung/einheiten/{world.near}/bearbeiten"
    response = post_form(staff_client, edit, {**unit_form(near), "area_m2": "300"})
    assert response.status_code == 302
    assert match_row(session, world.near_match).fits is False
    html = staff_client.get(f"/verwaltung/treffer/{world.near_match}").get_data(as_text=True)
    assert "passt nach Änderungen nicht mehr" in html

    response = post_form(staff_client, f"/verwaltung/einheiten/{world.far}/bearbeiten",
                         {**unit_form(far), "vacancy_state": "occupied"})  # fmt: skip
    assert response.status_code == 302
    assert match_row(session, world.far_match) is None  # only suggested: gone

    response = post_form(staff_client, edit, {**unit_form(reload(session, near)), "area_m2": "90"})
    assert response.status_code == 302
    row = match_row(session, world.near_match)
    assert row.fits is True and row.status == "shortlisted"
    assert reason_text(row.reasons[1]) == "90 m² – passt (gesucht 40–120 m²)"


def test_rematch_button_and_publishing_through_moderation(mail_client, session, base, world):
    from tests.conftest import login

    login(mail_client, base.staff.email)
    ini = initiative(session, base.municipality)
    submitted = proposal(session, ini, title="Neue Idee", state="submitted").id
    session.commit()
    url = f"/verwaltung/ideen-pruefen/{submitted}"
    assert "Passende Einheiten" not in mail_client.get(url).get_data(as_text=True)
    assert post_form(mail_client, url + "/veroeffentlichen", {}, page=url).status_code == 302
    matches = session.scalars(select(Match).where(Match.proposal_id == submitted)).all()
    assert {m.unit_id for m in matches} == {world.near}  # far is beyond 300 m
    assert "Passende Einheiten" in mail_client.get(url).get_data(as_text=True)

    session.execute(Match.__table__.delete().where(Match.proposal_id == world.proposal_id))
    session.commit()
    page = f"/verwaltung/ideen/{world.proposal_id}/treffer"
    response = post_form(mail_client, page + "/neu-berechnen", {}, page, follow_redirects=True)
    assert "Treffer neu berechnet: 2 passende Einheiten." in response.get_data(as_text=True)
    unit_page = f"/verwaltung/einheiten/{world.near}/treffer"
    response = post_form(
        mail_client, unit_page + "/neu-berechnen", {}, unit_page, follow_redirects=True
    )
    assert "Treffer neu berechnet: 2 passende Ideen." in response.get_data(as_text=True)


def test_building_page_links_to_unit_matches(staff_client, session, world):
    unit = session.get(Unit, world.near)
    html = staff_client.get(f"/verwaltung/gebaeude/{unit.building_id}").get_data(as_text=True)
    assert f"/verwaltung/einheiten/{world.near}/treffer" in html


def test_untrusted_text_is_escaped(staff_client, session, base, world):
    p = session.get(Proposal, world.proposal_id)
    p.title = XSS
    session.commit()
    for url in (
        "/verwaltung/treffer",
        f"/verwaltung/ideen/{world.proposal_id}/treffer",
        f"/verwaltung/treffer/{world.near_match}",
        f"/verwaltung/einheiten/{world.near}/treffer",
    ):
        html = staff_client.get(url).get_data(as_text=True)
        assert XSS not in html, url
        assert "&lt;img src=x onerror=alert(1)&gt;" in html, url  # shown, as text


def test_pages_need_login(client, world):
    assert client.get("/verwaltung/treffer").status_code == 302
    assert client.get(f"/verwaltung/treffer/{world.near_match}").status_code == 302


def test_initiative_withdrawing_its_proposal_drops_unreviewed_matches(client, session, world):
    from tests.initiatives import login_initiative

    matching.set_status(session, match_row(session, world.near_match), "shortlisted", None)
    session.commit()
    p = session.get(Proposal, world.proposal_id)
    assert login_initiative(client, p.initiative.email).status_code == 302
    url = f"/initiative/ideen/{world.proposal_id}"
    assert post_form(client, url + "/zurueckziehen", {}, page=url).status_code == 302
    assert reload(session, p).state == "withdrawn"
    assert match_row(session, world.far_match) is None
    assert match_row(session, world.near_match).status == "shortlisted"
