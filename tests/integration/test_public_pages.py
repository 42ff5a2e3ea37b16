"""Public pages: the map page lists exactly the public units, unit and proposal pages show only
allowlisted fields and 404 for everything not public; text is escaped."""

from __future__ import annotations

import re

import pytest

from tests.integration import public_world
from tests.integration.public_world import SECRETS

ITEM_RE = re.compile(r'data-unit-id="(\d+)"')


@pytest.fixture
def world(session, base):
    return public_world.build(session, base)


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def test_map_page_lists_exactly_the_public_units(client, world):
    html = page(client, "/")
    assert {int(i) for i in ITEM_RE.findall(html)} == set(world.public.values())
    for secret in SECRETS:
        assert secret not in html, secret
    assert "Anmelden (Verwaltung)" in html and 'href="/login"' in html
    assert 'id="public-map"' in html and "public.js" in html
    assert "pbf/dist/pbf.js" in html and 'data-tiles-url="/tiles/units/{z}/{x}/{y}.mvt"' in html
    assert "<script>" not in html and "style=" not in html


def test_map_page_applies_filters_and_reports_bad_ones(client, world):
    html = page(client, "/?kind=office&lat=51.7&lon=11.2&z=14")
    assert {int(i) for i in ITEM_RE.findall(html)} == {world.public["municipal"]}
    html = page(client, "/?kind=castle")
    assert '<a href="#filter-kind">Art</a>: bitte einen Eintrag aus der Liste wählen' in html
    assert {int(i) for i in ITEM_RE.findall(html)} == set(world.public.values())


def test_public_unit_page_shows_public_fields_only(client, world):
    html = page(client, f"/leerstand/{world.public['consent']}")
    assert "Heller Laden mit Schaufenster" in html
    assert "85 m²" in html and "Ladenlokal" in html
    for secret in SECRETS:
        assert secret not in html, secret


@pytest.mark.parametrize(
    "key", ["not_publishable", "occupied", "withdrawn", "no_consent", "other_municipality"]
)
def test_non_public_units_are_404(client, world, key):
    html = page(client, f"/leerstand/{world.hidden[key]}", 404)
    assert "INTERNALSECRET" not in html


def test_unit_text_is_escaped(client, session, world):
    from leerstand.models import Unit

    unit = session.get(Unit, world.public["consent"])
    unit.public_description = "<img src=x onerror=alert(1)>"
    session.flush()
    for url in ("/", f"/leerstand/{unit.id}"):
        html = page(client, url)
        assert "<img src=x" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_published_proposal_page(client, world):
    html = page(client, f"/ideen/{world.proposals['districts']}")
    assert "Repair-Café" in html and "Kulturverein Beispiel" in html
    assert "Badeborn, Rieder" in html
    for secret in SECRETS:
        assert secret not in html, secret


@pytest.mark.parametrize("state", ["draft", "submitted", "rejected"])
def test_unpublished_proposals_are_404(client, world, state):
    html = page(client, f"/ideen/{world.hidden_proposals[state]}", 404)
    assert "SECRET" not in html


def test_brand_links_to_the_public_map_for_visitors(client):
    html = page(client, "/login")
    assert 'class="brand" href="/"' in html


def test_map_page_gives_the_script_its_translated_texts(client, world):
    import json
    from html import unescape

    html = page(client, "/")
    features = json.loads(unescape(re.search(r"data-features='([^']*)'", html).group(1)))
    assert features["step_free"] == "barrierefrei (stufenlos)" and len(features) == 7
    for name in ("show", "by-arrangement", "available-from", "until", "error"):
        assert re.search(rf'data-text-{name}="[^"]+"', html), name
    html = page(client, f"/leerstand/{world.public['consent']}")
    assert '<span class="badge">Schaufenster</span>' in html


# --- issue 8: the new parts of the unit and proposal pages keep to the allowlist -----------
INTERIM_SECRETS = ("COSTSECRET", "INSURANCESECRET", "KEYSECRET", "NOTESECRET")


def test_unit_page_contact_map_and_button_show_no_owner_data(client, session, base, world):
    muni = base.municipality
    muni.contact_email, muni.contact_phone = "leerstand@stadt.example", "039483 970-0"
    muni.letter_signature, muni.letterhead = "Frau Amt, Bürgerbüro", "Rathausplatz 12"
    session.flush()
    unit_id = world.public["consent"]
    html = page(client, f"/leerstand/{unit_id}")
    for text in ("leerstand@stadt.example", "039483 970-0", "Frau Amt, Bürgerbüro"):
        assert text in html
    assert f'href="/initiative/ideen/neu?unit={unit_id}"' in html
    assert "Idee für diesen Raum einreichen" in html
    place = re.search(r'data-place="([^"]*)"', html).group(1)
    assert "&#34;role&#34;: &#34;unit&#34;" in place and "Point" in place
    for secret in SECRETS:
        assert secret not in html, secret


def test_realised_proposal_page_shows_public_interim_facts_only(client, session, base, world):
    from tests import factories as f

    proposal_id = world.proposals["unit"]
    from leerstand.models import Proposal, Unit

    proposal = session.get(Proposal, proposal_id)
    proposal.state = "realised"
    unit = session.get(Unit, world.public["consent"])
    f.interim_use(
        session, unit, proposal_id=proposal_id, costs="COSTSECRET", insurance="INSURANCESECRET",
        key_handover="KEYSECRET", notes="NOTESECRET",
    )  # fmt: skip
    session.flush()
    html = page(client, f"/ideen/{proposal_id}")
    assert "Diese Idee wurde verwirklicht:" in html
    for secret in SECRETS + INTERIM_SECRETS:
        assert secret not in html, secret


IDEA_RE = re.compile(r'<section class="card public-ideas".*?</section>', re.S)


def test_map_page_lists_the_published_ideas_as_links(client, world):
    """On the map ideas are shapes; the list under it reaches them by keyboard: exactly the
    published ideas, each a link to its page, no draft, submitted or rejected one."""
    html = page(client, "/")
    section = IDEA_RE.search(html).group(0)
    links = set(re.findall(r'<a href="/ideen/(\d+)">', section))
    assert links == {str(i) for i in world.proposals.values()}
    for title in ("Pop-up Galerie", "Jugendtreff", "Repair-Café", "Laden-Idee"):
        assert title in section
    for state in ("DRAFT", "SUBMITTED", "REJECTED"):
        assert f"{state}SECRET" not in html
