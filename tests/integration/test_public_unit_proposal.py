"""Issue 8, the public side: filter errors named by their label with the typed value kept, the
unit page's contact and its way to a proposal (``next`` through registration, confirmation and
login), the proposal page's place and its states after a match or an interim use."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from leerstand.dates import local_today
from leerstand.models import Proposal
from tests import factories as f
from tests.conftest import post_form
from tests.initiatives import initiative, login_initiative
from tests.integration import public_world
from tests.smtp import links

ITEM_RE = re.compile(r'data-unit-id="(\d+)"')


@pytest.fixture
def world(session, base):
    return public_world.build(session, base)


def html_of(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def ids(html: str) -> set[int]:
    return {int(i) for i in ITEM_RE.findall(html)}


# --- filters -------------------------------------------------------------------------------


def test_bad_number_names_the_label_keeps_the_text_and_other_filters_apply(client, world):
    html = html_of(client, "/?area_min=abc&kind=office")
    assert '<a href="#filter-area_min">Fläche von</a>: bitte eine Zahl eingeben, z. B. 50' in html
    field = re.search(r'<input name="area_min"[^>]*>', html).group(0)
    assert 'value="abc"' in field and 'aria-invalid="true"' in field
    assert ids(html) == {world.public["municipal"]}  # kind=office still applies


def test_good_number_is_kept_without_error(client, world):
    html = html_of(client, "/?area_min=50")
    assert "Bitte prüfen Sie die Filter" not in html
    field = re.search(r'<input name="area_min"[^>]*>', html).group(0)
    assert 'value="50"' in field and "aria-invalid" not in field
    assert ids(html) == {world.public["consent"], world.public["interim"]}  # 85 m², 200 m²


def test_minimum_above_maximum_blames_the_maximum(client, world):
    html = html_of(client, "/?area_min=100&area_max=50")
    assert "Fläche bis</a>: bitte eine Zahl eingeben, die nicht kleiner ist als" in html
    assert ids(html) == {world.public["interim"]}  # only area_min=100 applied
    html = html_of(client, "/?area_min=50&area_max=50")
    assert "Bitte prüfen Sie die Filter" not in html


def test_typed_text_is_escaped_and_cut(client, world):
    html = html_of(client, "/?area_max=" + quote('"><script>alert(1)</script>'))
    assert "<script>alert(1)" not in html
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    html = html_of(client, "/?area_max=" + "9" * 150)
    assert f'value="{"9" * 100}"' in html and "9" * 101 not in html


def test_bad_date_and_choice_are_named(client, world):
    html = html_of(client, "/?available_from=31.12.2026&district=abc")
    assert "verfügbar ab</a>: bitte ein Datum eingeben, z. B. 2026-12-31" in html
    assert "Ortsteil</a>: bitte einen Eintrag aus der Liste wählen" in html


def test_api_keeps_its_parameter_messages(client):
    response = client.get("/api/units.geojson?area_min=abc")
    assert response.status_code == 400
    assert "Parameter „area_min“" in response.get_json()["error"]


# --- the unit page -------------------------------------------------------------------------


def test_contact_shows_only_what_is_set(client, session, base, world):
    url = f"/leerstand/{world.public['consent']}"
    html = html_of(client, url)
    assert "Die Stadtverwaltung vermittelt den Kontakt." in html
    assert "Telefon" not in html and "E-Mail" not in html
    base.municipality.contact_phone = "039483 970-0"
    session.flush()
    html = html_of(client, url)
    assert '<dt>Telefon</dt><dd><a href="tel:039483970-0">039483 970-0</a></dd>' in html
    assert "<dt>E-Mail</dt>" not in html and "<dt>Zuständig</dt>" not in html


def test_unit_map_carries_the_unit_point(client, world):
    html = html_of(client, f"/leerstand/{world.public['municipal']}")
    place = json.loads(unescape(re.search(r'data-place="([^"]*)"', html).group(1)))
    (feature,) = place["features"]
    assert feature["properties"] == {"role": "unit"}
    assert feature["geometry"] == {"type": "Point", "coordinates": [11.2439, 51.7619]}


def test_staff_see_no_proposal_button(staff_client, world):
    html = html_of(staff_client, f"/leerstand/{world.public['consent']}")
    assert "Idee für diesen Raum einreichen" not in html


# --- from the unit page to the proposal form -----------------------------------------------


def test_logged_out_button_leads_to_login_and_back(client, session, base, world):
    unit_id = world.public["consent"]
    target = f"/initiative/ideen/neu?unit={unit_id}"
    response = client.get(target)
    assert response.status_code == 302
    login_url = response.headers["Location"]
    assert next_of(login_url, "/initiative/anmelden") == target
    html = unescape(html_of(client, login_url))
    assert (
        next_of(re.search(r'<form method="post" class="form" action="([^"]+)"', html)[1]) == target
    )
    assert next_of(re.search(r'href="(/initiative/registrieren[^"]*)"', html)[1]) == target
    ini = initiative(session, base.municipality)
    response = post_form(
        client, login_url, {"email": ini.email, "password": "initiative-geheim-123"}
    )
    assert response.status_code == 302 and response.headers["Location"] == target
    _assert_unit_chosen(html_of(client, target), unit_id)


def next_of(url: str, path: str | None = None) -> str:
    """The ``next`` parameter of ``url`` (whose path must be ``path`` when given)."""
    parts = urlsplit(url)
    assert path is None or parts.path == path, url
    return parse_qs(parts.query)["next"][0]


def test_foreign_next_is_ignored(client, session, base):
    ini = initiative(session, base.municipality)
    data = {"email": ini.email, "password": "initiative-geheim-123"}
    url = "/initiative/anmelden?next=//evil.example/x"
    response = post_form(client, url, data)
    assert response.headers["Location"] == "/initiative/ideen"


def _assert_unit_chosen(html: str, unit_id: int) -> None:
    assert re.search(r'value="unit" checked', html), "location kind unit not preset"
    assert re.search(rf'<option value="{unit_id}" selected>', html), "unit not selected"


def test_not_public_unit_is_not_preset(client, session, base, world):
    ini = initiative(session, base.municipality)
    login_initiative(client, ini.email)
    html = html_of(client, f"/initiative/ideen/neu?unit={world.hidden['no_consent']}")
    assert "nicht (mehr) auf der öffentlichen Karte" in html
    assert re.search(r'value="point" checked', html)
    assert "selected>" not in html.split('name="unit_id"')[1].split("</select>")[0]


def test_registration_carries_next_through_the_mail(mail_client, smtp_server, session, world):
    target = f"/initiative/ideen/neu?unit={world.public['consent']}"
    session.commit()
    register = "/initiative/registrieren?next=" + quote(target, safe="/")
    data = {"name": "Raumsucher e.V.", "email": "raum@example.org"}
    data.update(password="sehr-geheim-42", password2="sehr-geheim-42")
    response = post_form(mail_client, register, data)
    assert response.status_code == 302
    assert next_of(response.headers["Location"], "/initiative/anmelden") == target
    (message,) = smtp_server.wait_for(1)
    (link,) = links(message)
    assert next_of(link) == target and "/initiative/bestaetigen/" in link
    response = post_form(mail_client, link, {})
    assert next_of(response.headers["Location"], "/initiative/anmelden") == target


# --- the proposal page ---------------------------------------------------------------------


def _place(html: str) -> dict:
    return json.loads(unescape(re.search(r'data-place="([^"]*)"', html).group(1)))


def test_proposal_places(client, world):
    point = _place(html_of(client, f"/ideen/{world.proposals['point']}"))["features"]
    assert [p["properties"] for p in point] == [{"role": "point", "name": None, "radius_m": 300}]
    area = _place(html_of(client, f"/ideen/{world.proposals['area']}"))["features"]
    assert [a["geometry"]["type"] for a in area] == ["Polygon"]
    districts = _place(html_of(client, f"/ideen/{world.proposals['districts']}"))["features"]
    assert sorted(d["properties"]["name"] for d in districts) == ["Badeborn", "Rieder"]
    unit = _place(html_of(client, f"/ideen/{world.proposals['unit']}"))["features"]
    assert [u["properties"]["role"] for u in unit] == ["unit"]
    html = html_of(client, f"/ideen/{world.proposals['hidden_unit']}")
    assert "data-place" not in html  # a non-public unit is never placed


def _realise(session, world, **interim):
    from leerstand.models import Unit

    proposal = session.get(Proposal, world.proposals["unit"])
    proposal.state = "realised"
    unit = session.get(Unit, world.public["interim"])
    unit.building.street, unit.building.house_number = "Marktstraße", "7a"
    f.interim_use(session, unit, proposal_id=proposal.id, **interim)
    session.flush()
    return proposal.id


def test_realised_proposal_says_where_and_since_when(client, session, world):
    start = local_today() - timedelta(days=30)
    proposal_id = _realise(session, world, starts_on=start)
    html = html_of(client, f"/ideen/{proposal_id}")
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    since = start.strftime("%d.%m.%Y")
    expected = (
        "Diese Idee wurde verwirklicht: Zwischennutzung in Saal / Halle, Marktstraße 7a (Badeborn)"
    )
    assert f"{expected} seit {since}." in text
    assert f'href="/leerstand/{world.public["interim"]}"' in html


def test_planned_interim_use_reads_planned(client, session, world):
    start = local_today() + timedelta(days=5)
    proposal_id = _realise(session, world, starts_on=start, ends_on=start + timedelta(days=20))
    html = html_of(client, f"/ideen/{proposal_id}")
    assert f"geplant ab {start.strftime('%d.%m.%Y')}" in html


def test_matched_proposal_stays_reachable(client, session, world):
    session.get(Proposal, world.proposals["point"]).state = "matched"
    session.flush()
    html = html_of(client, f"/ideen/{world.proposals['point']}")
    assert "Für diese Idee wurde ein Raum gefunden." in html and "Pop-up Galerie" in html


@pytest.mark.parametrize("state", ["withdrawn", "rejected", "expired", "draft"])
def test_other_states_say_not_published(client, session, world, state):
    session.get(Proposal, world.proposals["point"]).state = state
    session.flush()
    html = html_of(client, f"/ideen/{world.proposals['point']}", 404)
    assert "Diese Idee ist nicht (mehr) veröffentlicht" in html
    assert "Pop-up Galerie" not in html


def test_unknown_proposal_looks_the_same(client):
    html = html_of(client, "/ideen/987654", 404)
    assert "Diese Idee ist nicht (mehr) veröffentlicht" in html


def test_map_shows_published_proposals_only(client, session, world):
    session.get(Proposal, world.proposals["point"]).state = "realised"
    session.flush()
    features = client.get("/api/proposals.geojson").get_json()["features"]
    assert world.proposals["point"] not in {feature["id"] for feature in features}
