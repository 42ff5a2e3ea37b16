"""One rule for a planned interim use everywhere (``interim_state``): a unit whose interim use
starts tomorrow reads "Zwischennutzung geplant ab <date>", one starting today "in
Zwischennutzung" — on the unit page, the building page, the register, the public API, the
public pages; and the public count of free spaces never includes a unit in interim use, running
or planned. The register asks for the planned starts once per page, not once per row."""

from __future__ import annotations

import html as html_lib
import re
from datetime import timedelta

import pytest
from flask_babel import refresh
from sqlalchemy import event

from leerstand.dates import local_today
from leerstand.models import Unit
from tests import factories

UNITS = "/api/units.geojson"


def _text(fragment: str) -> str:
    no_tags = re.sub(r"<[^>]+>", " ", fragment)
    return re.sub(r"\s+", " ", html_lib.unescape(no_tags)).strip()


def _row(page: str, unit_id: int) -> str:
    """The text of the table row ``data-unit-id=unit_id``."""
    match = re.search(rf'<tr data-unit-id="{unit_id}">(.*?)</tr>', page, re.S)
    assert match, f"no row for unit {unit_id}"
    return _text(match.group(1))


def _dd(page: str, css_class: str) -> str:
    match = re.search(rf'<dd class="{css_class}">(.*?)</dd>', page, re.S)
    assert match, css_class
    return _text(match.group(1))


def _badge(page: str) -> str:
    match = re.search(r'<p class="unit-state">\s*<span class="([^"]*)">(.*?)</span>', page, re.S)
    assert match
    return f"{match.group(1)}: {_text(match.group(2))}"


def _world(session, base, house_number: str = "31") -> dict:
    """A town-owned building (public without consent) with three publishable units: interim
    use from tomorrow (planned), from today (running), and a vacant one whose interim use has
    ended (free again)."""
    today = local_today()
    tomorrow = today + timedelta(days=1)
    town = factories.owner(session, base.municipality, name="Stadt", is_municipality=True)
    building = factories.building(session, base.municipality, house_number=house_number)
    factories.ownership(session, building, town)
    planned = factories.unit(
        session, building, name="EG geplant", vacancy_state="interim_use", publishable=True
    )
    running = factories.unit(
        session, building, name="OG läuft", vacancy_state="interim_use", publishable=True
    )
    free = factories.unit(session, building, name="DG frei", publishable=True)
    factories.interim_use(session, planned, starts_on=tomorrow, ends_on=today + timedelta(days=40))
    factories.interim_use(session, running, starts_on=today, ends_on=today + timedelta(days=40))
    factories.interim_use(
        session,
        free,
        starts_on=today - timedelta(days=90),
        ends_on=today - timedelta(days=10),
        ended_on=today - timedelta(days=10),
        outcome="back_to_vacant",
    )
    return {
        "building": building.id,
        "planned": planned.id,
        "running": running.id,
        "free": free.id,
        "tomorrow": f"{tomorrow:%d.%m.%Y}",
    }


# --- staff pages ---------------------------------------------------------------------------


def test_unit_page_planned_vs_running(staff_client, session, base):
    w = _world(session, base)
    planned = staff_client.get(f"/verwaltung/einheiten/{w['planned']}").get_data(as_text=True)
    expected = f"Zwischennutzung geplant ab {w['tomorrow']}"
    assert _dd(planned, "unit-vacancy") == expected
    assert _badge(planned) == f"badge: {expected}"
    assert "in Zwischennutzung" not in _text(planned)

    running = staff_client.get(f"/verwaltung/einheiten/{w['running']}").get_data(as_text=True)
    assert _dd(running, "unit-vacancy") == "in Zwischennutzung"
    assert _badge(running) == "badge state-interim_use: in Zwischennutzung"
    assert "geplant ab" not in _dd(running, "unit-vacancy")

    free = staff_client.get(f"/verwaltung/einheiten/{w['free']}").get_data(as_text=True)
    assert _dd(free, "unit-vacancy") == "leer"


def test_building_page_planned_vs_running(viewer_client, session, base):
    w = _world(session, base, house_number="32")
    page = viewer_client.get(f"/verwaltung/gebaeude/{w['building']}").get_data(as_text=True)
    assert f"Zwischennutzung geplant ab {w['tomorrow']}" in _row(page, w["planned"])
    assert "in Zwischennutzung" not in _row(page, w["planned"])
    assert "in Zwischennutzung" in _row(page, w["running"])
    assert "geplant" not in _row(page, w["running"])
    assert " leer " in f" {_row(page, w['free'])} "


def test_register_planned_vs_running(staff_client, session, base):
    w = _world(session, base, house_number="33")
    page = staff_client.get("/verwaltung/register?q=Allee+33").get_data(as_text=True)
    assert "3 Einheiten" in page
    assert f"Zwischennutzung geplant ab {w['tomorrow']}" in _row(page, w["planned"])
    assert "in Zwischennutzung" not in _row(page, w["planned"])
    assert "in Zwischennutzung" in _row(page, w["running"])
    assert "geplant" not in _row(page, w["running"])


def _queries(session, run) -> int:
    statements = []

    def count(*_args):
        statements.append(1)

    engine = session.get_bind().engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


@pytest.mark.parametrize("url", ["/verwaltung/register", "/verwaltung/register.geojson"])
def test_register_asks_once_for_all_planned_starts(staff_client, session, base, url):
    """The table and its map: the same number of queries for one building or four."""

    def register():
        assert staff_client.get(url).status_code == 200

    _world(session, base, house_number="34")
    few = _queries(session, register)
    for number in ("35", "36", "37"):
        _world(session, base, house_number=number)
    assert _queries(session, register) == few


# --- public side ---------------------------------------------------------------------------


def _features(client) -> dict[int, dict]:
    response = client.get(UNITS)
    assert response.status_code == 200
    return {f["id"]: f["properties"] for f in response.get_json()["features"]}


def test_public_api_label_planned_vs_running(client, session, base):
    w = _world(session, base, house_number="38")
    features = _features(client)
    assert features[w["planned"]]["vacancy_label"] == f"Zwischennutzung geplant ab {w['tomorrow']}"
    assert features[w["running"]]["vacancy_label"] == "in Zwischennutzung"
    assert features[w["free"]]["vacancy_label"] == "leer"
    assert features[w["planned"]]["in_interim_use"] is True
    assert features[w["running"]]["in_interim_use"] is True
    assert features[w["free"]]["in_interim_use"] is False


def test_public_api_label_in_english(client, session, base):
    w = _world(session, base, house_number="39")
    client.get("/?lang=en")
    features = _features(client)
    assert features[w["planned"]]["vacancy_label"] == f"Interim use planned from {w['tomorrow']}"
    assert features[w["running"]]["vacancy_label"] == "in interim use"


def test_public_unit_page_says_planned(client, session, base):
    w = _world(session, base, house_number="40")
    planned = _text(client.get(f"/leerstand/{w['planned']}").get_data(as_text=True))
    assert f"Stand Zwischennutzung geplant ab {w['tomorrow']}" in planned
    running = _text(client.get(f"/leerstand/{w['running']}").get_data(as_text=True))
    assert "Stand in Zwischennutzung" in running and "geplant" not in running


def _count_text(page: str) -> str:
    match = re.search(r'<p class="muted" id="public-count">(.*?)</p>', page, re.S)
    assert match
    return _text(match.group(1))


def test_public_count_leaves_out_running_and_planned_interim_uses(client, session, base):
    _world(session, base, house_number="41")
    page = client.get("/").get_data(as_text=True)
    assert (
        _count_text(page) == "1 freier Raum, außerdem 2 in Zwischennutzung (laufend oder geplant)"
    )
    assert (
        'data-text-count-interim="außerdem {n} in Zwischennutzung (laufend oder geplant)"' in page
    )


def test_public_count_without_interim_use_names_only_free_spaces(client, session, base):
    town = factories.owner(session, base.municipality, is_municipality=True)
    building = factories.building(session, base.municipality)
    factories.ownership(session, building, town)
    factories.unit(session, building, publishable=True)
    factories.unit(session, building, publishable=True, vacancy_state="partly_vacant")
    page = client.get("/").get_data(as_text=True)
    assert _count_text(page) == "2 freie Räume"


def _map_labels(client, query: str) -> dict[int, str]:
    response = client.get(f"/verwaltung/register.geojson?{query}")
    assert response.status_code == 200
    return {f["id"]: f["properties"]["vacancy_label"] for f in response.get_json()["features"]}


def test_register_map_popup_planned_vs_running(staff_client, session, base):
    w = _world(session, base, house_number="42")
    labels = _map_labels(staff_client, "q=Allee+42")
    assert labels == {
        w["planned"]: f"Zwischennutzung geplant ab {w['tomorrow']}",
        w["running"]: "in Zwischennutzung",
        w["free"]: "leer",
    }


def test_register_map_popup_in_english(staff_client, session, base):
    w = _world(session, base, house_number="48")
    refresh()  # the test's app context would keep the language of the login requests
    staff_client.get("/?lang=en")
    labels = _map_labels(staff_client, "q=Allee+48")
    assert labels[w["planned"]] == f"Interim use planned from {w['tomorrow']}"
    assert labels[w["running"]] == "in interim use"


def test_register_map_state_decides_not_only_the_start(staff_client, session, base):
    """A future interim use on a unit whose state staff set back to vacant reads "leer"."""
    w = _world(session, base, house_number="43")
    unit = session.get(Unit, w["planned"])
    unit.vacancy_state = "vacant"
    session.flush()
    assert _map_labels(staff_client, "q=Allee+43")[w["planned"]] == "leer"
