"""The place search (/api/places) and the staff buildings layer (/api/buildings.geojson):
login and municipality scoping, initiatives see only public buildings' addresses, German JSON
400s, ILIKE with % and _ taken literally, and the optional geocoder (a real HTTP server on
loopback) clipped to the municipality."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from leerstand.services import places
from leerstand.services.places import MAX_QUERY
from tests import factories as f
from tests.conftest import login
from tests.initiatives import initiative, login_initiative

PLACES = "/api/places"


def hits(client, q: str) -> list[dict]:
    response = client.get(PLACES, query_string={"q": q})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()


def labels(client, q: str) -> list[str]:
    return [hit["label"] for hit in hits(client, q)]


@pytest.fixture
def town(session, base):
    """Buildings of Ballenstedt and of "Anderswo"; one public unit (the town owns it)."""
    hidden = f.building(session, base.municipality, street="Geheimweg", house_number="3")
    f.unit(session, hidden, publishable=False)
    public = f.building(
        session, base.municipality, street="Offene Gasse", house_number="5", lonlat=(11.23, 51.72)
    )
    town_owner = f.owner(session, base.municipality, is_municipality=True, kind="public")
    f.ownership(session, public, town_owner)
    f.unit(session, public, publishable=True)
    f.building(session, base.municipality, street="100%_Weg", house_number="1")
    f.building(session, base.municipality, street="100 Prozent Weg", house_number="2")
    f.building(session, base.other_municipality, street="Geheimweg", house_number="9",
               lonlat=(10.05, 50.05))  # fmt: skip
    return {"hidden": hidden.id, "public": public.id}


def test_places_need_a_login(client, town):
    response = client.get(PLACES, query_string={"q": "Geheim"})
    assert response.status_code == 401
    assert response.get_json()["error"] == "Bitte melden Sie sich an, um die Ortssuche zu nutzen."


def test_staff_find_streets_addresses_and_districts_of_their_town(staff_client, town):
    found = hits(staff_client, "geheim")
    assert found == [
        {"label": "Geheimweg", "kind": "street", "lon": 11.2265, "lat": 51.7192},
        {"label": "Geheimweg 3", "kind": "address", "lon": 11.2265, "lat": 51.7192},
    ]  # not the Geheimweg 9 of "Anderswo"
    assert hits(staff_client, "badeb") == [
        {"label": "Badeborn", "kind": "district", "lon": 11.243889, "lat": 51.761944}
    ]
    assert labels(staff_client, "Schloss Ballen") == ["Schloss Ballenstedt (Schlossplatz 3)"]


def test_staff_of_another_town_do_not_see_ballenstedt(client, base, town):
    login(client, base.stranger.email)
    assert labels(client, "Geheimweg") == ["Geheimweg", "Geheimweg 9"]
    assert labels(client, "Badeborn") == []
    assert labels(client, "Schloss") == []  # the demo landmarks belong to Ballenstedt only


def test_initiatives_see_only_addresses_of_public_buildings(client, session, base, town):
    ini = initiative(session, base.municipality)
    login_initiative(client, ini.email)
    assert labels(client, "Geheim") == []
    assert labels(client, "Offene") == ["Offene Gasse", "Offene Gasse 5"]
    assert labels(client, "Rieder") == ["Rieder"]


def test_percent_and_underscore_are_taken_literally(staff_client, town):
    assert labels(staff_client, "100%_") == ["100%_Weg", "100%_Weg 1"]
    assert labels(staff_client, "100%") == ["100%_Weg", "100%_Weg 1"]
    assert labels(staff_client, "0 P") == ["100 Prozent Weg", "100 Prozent Weg 2"]
    assert labels(staff_client, "_") == ["100%_Weg", "100%_Weg 1"]


MISSING = "Bitte einen Suchbegriff angeben, z. B. eine Straße, Adresse oder einen Ortsteil."
TOO_LONG = "Der Suchbegriff ist zu lang (höchstens 100 Zeichen). Bitte kürzer fassen."


@pytest.mark.parametrize(
    ("q", "message"), [("", MISSING), ("   ", MISSING), ("x" * (MAX_QUERY + 1), TOO_LONG)]
)
def test_bad_query_is_a_german_400(staff_client, q, message):
    response = staff_client.get(PLACES, query_string={"q": q})
    assert response.status_code == 400
    assert response.get_json() == {"error": message, "status": 400}


def test_longest_allowed_query_and_missing_q(staff_client):
    assert hits(staff_client, "x" * MAX_QUERY) == []
    response = staff_client.get(PLACES)
    assert response.status_code == 400


def test_results_are_limited(staff_client, session, base):
    for n in range(places.LIMIT + 3):
        f.building(session, base.municipality, street="Langer Weg", house_number=str(n + 1))
    found = hits(staff_client, "Langer")
    assert len(found) == 10
    assert found[0] == {"label": "Langer Weg", "kind": "street", "lon": 11.2265, "lat": 51.7192}


# --- the staff buildings layer -----------------------------------------------------------


def test_buildings_layer_is_staff_only_and_scoped(client, session, base, town):
    assert client.get("/api/buildings.geojson").status_code == 401
    ini = initiative(session, base.municipality)
    login_initiative(client, ini.email)
    response = client.get("/api/buildings.geojson")
    assert response.status_code == 403
    assert response.get_json()["error"] == (
        "Die Gebäude des Registers sind nur für die Verwaltung sichtbar."
    )


def test_buildings_layer_lists_the_towns_buildings(staff_client, town):
    response = staff_client.get("/api/buildings.geojson")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    features = {ft["properties"]["address"]: ft for ft in response.get_json()["features"]}
    assert sorted(features) == ["100 Prozent Weg 2", "100%_Weg 1", "Geheimweg 3", "Offene Gasse 5"]
    public = features["Offene Gasse 5"]
    assert public["geometry"] == {"type": "Point", "coordinates": [11.23, 51.72]}
    assert public["properties"]["units"] == 1
    assert public["properties"]["url"] == f"/verwaltung/gebaeude/{town['public']}"


def test_buildings_layer_bbox(staff_client, town):
    inside = staff_client.get("/api/buildings.geojson?bbox=11.229,51.719,11.231,51.721")
    assert [ft["properties"]["address"] for ft in inside.get_json()["features"]] == [
        "Offene Gasse 5"
    ]
    bad = staff_client.get("/api/buildings.geojson?bbox=1,2,3")
    assert bad.status_code == 400
    assert "bbox" in bad.get_json()["error"]


# --- optional geocoder --------------------------------------------------------------------

GEOCODER_ANSWER = [
    {"display_name": "Marktplatz, Ballenstedt", "lon": "11.2385", "lat": "51.7177"},
    {"display_name": "Marktplatz, Quedlinburg", "lon": "11.1417", "lat": "51.7894"},
    {"display_name": "kaputt", "lon": "x", "lat": "51"},
]


@pytest.fixture
def geocoder():
    asked = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            body = json.dumps(GEOCODER_ANSWER).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/search?format=json&q={{q}}", asked
    server.shutdown()
    server.server_close()


def test_geocoder_results_are_clipped_to_the_town(app, staff_client, geocoder):
    url, asked = geocoder
    app.config["GEOCODER_URL"] = url
    try:
        found = hits(staff_client, "Markt platz")
    finally:
        app.config["GEOCODER_URL"] = ""
    assert asked == ["/search?format=json&q=Markt%20platz"]
    assert found == [
        {"label": "Marktplatz, Ballenstedt", "kind": "geocoder", "lon": 11.2385, "lat": 51.7177}
    ]


def test_unreachable_geocoder_leaves_the_own_results(app, staff_client, town):
    app.config["GEOCODER_URL"] = "http://127.0.0.1:9/search?q={q}"
    try:
        assert labels(staff_client, "Geheim") == ["Geheimweg", "Geheimweg 3"]
    finally:
        app.config["GEOCODER_URL"] = ""
