"""The list under the public map as the server renders it (for browsers without scripts):
one page of 50 units by id with links to the previous and next page that keep the filters,
and a count that stops at a cap instead of counting a whole state's register."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from leerstand.services.public import listing
from leerstand.services.public.params import PublicFilter
from tests import factories as f

ITEM_RE = re.compile(r'data-unit-id="(\d+)"')
PAGER_RE = re.compile(r'<a href="([^"]+)" rel="(prev|next)">')


@pytest.fixture
def units(session, base) -> list[int]:
    """101 public units of the town (ids ascending), the last three offices."""
    town = f.owner(session, base.municipality, name="Stadt", is_municipality=True)
    building = f.building(session, base.municipality)
    f.ownership(session, building, town)
    ids = [
        f.unit(session, building, publishable=True, kind="office" if i >= 98 else "shop").id
        for i in range(101)
    ]
    f.unit(session, building, publishable=False)  # never listed, never counted
    session.flush()
    return ids


def _page(client, url: str) -> tuple[list[int], dict[str, str]]:
    html = client.get(url).get_data(as_text=True)
    links = {rel: href.replace("&amp;", "&") for href, rel in PAGER_RE.findall(html)}
    return [int(i) for i in ITEM_RE.findall(html)], links


def test_the_list_pages_through_every_unit(client, units):
    first, links = _page(client, "/")
    assert first == units[:50] and links == {"next": "/?seite=2"}
    second, links = _page(client, links["next"])
    assert second == units[50:100] and links == {"prev": "/?seite=1", "next": "/?seite=3"}
    third, links = _page(client, links["next"])
    assert third == units[100:] and links == {"prev": "/?seite=2"}


def test_the_pages_keep_the_filters(client, units):
    ids, links = _page(client, "/?kind=office")
    assert ids == units[98:] and links == {}
    ids, links = _page(client, "/?kind=shop&seite=2")
    assert ids == units[50:98] and links == {"prev": "/?kind=shop&seite=1"}


@pytest.mark.parametrize("raw", ["0", "-1", "x", "100001", "99999999999999999999"])
def test_a_bad_page_number_shows_the_first_page(client, units, raw):
    ids, _links = _page(client, f"/?seite={raw}")
    assert ids == units[:50]


def test_exactly_fifty_units_have_no_next_page(client, session, base):
    town = f.owner(session, base.municipality, name="Stadt", is_municipality=True)
    building = f.building(session, base.municipality)
    f.ownership(session, building, town)
    for _ in range(50):
        f.unit(session, building, publishable=True, area_m2=Decimal(60))
    session.flush()
    ids, links = _page(client, "/")
    assert len(ids) == 50 and links == {}


def test_the_count_stops_at_the_cap(session, units, monkeypatch):
    monkeypatch.setattr(listing, "CAP", 101)
    assert listing.summary(session, PublicFilter()) == {
        "matched": 101, "interim": 0, "capped": False}  # fmt: skip
    monkeypatch.setattr(listing, "CAP", 100)
    assert listing.summary(session, PublicFilter()) == {
        "matched": 101, "interim": 0, "capped": True}  # fmt: skip


def test_the_page_says_more_than_the_cap(client, units, monkeypatch):
    monkeypatch.setattr(listing, "CAP", 100)
    html = client.get("/").get_data(as_text=True)
    count = re.search(r'<p class="muted" id="public-count">(.*?)</p>', html, re.S).group(1)
    assert count == "mehr als 100 Räume – bitte Karte vergrößern oder Filter wählen"
    monkeypatch.setattr(listing, "CAP", 101)
    html = client.get("/").get_data(as_text=True)
    assert '<p class="muted" id="public-count">101 freie Räume</p>' in html


def test_the_list_of_a_map_view_pages_by_fifty(client, units):
    allee = "bbox=11.22,51.71,11.23,51.72"  # the units' building (factories.ALLEE)
    body = client.get(f"/tiles/units/list.json?{allee}").get_json()
    assert [f["id"] for f in body["features"]] == units[:50]
    assert body["more"] is True and body["offset"] == 0
    assert body["features"][0]["properties"]["url"] == f"/leerstand/{units[0]}"
    body = client.get(f"/tiles/units/list.json?{allee}&offset=100").get_json()
    assert [f["id"] for f in body["features"]] == units[100:] and body["more"] is False
    body = client.get(f"/tiles/units/list.json?{allee}&offset=50&kind=office").get_json()
    assert body["features"] == [] and body["more"] is False
    elsewhere = client.get("/tiles/units/list.json?bbox=11.3,51.8,11.4,51.9").get_json()
    assert elsewhere["features"] == [] and elsewhere["more"] is False


def test_a_bad_list_parameter_is_a_json_400(client, units):
    response = client.get("/tiles/units/list.json?offset=-1")
    assert response.status_code == 400 and "offset" in response.get_json()["error"]
    response = client.get("/tiles/units/list.json?bbox=1,2,3")
    assert response.status_code == 400 and "bbox" in response.get_json()["error"]
