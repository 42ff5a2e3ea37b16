"""/verwaltung/einstellungen: admins edit their town's settings (read back from the database,
audited); bad values get a German message at the top and change nothing; other roles get 403.
The maps use the town's tile server and start view, and the Content-Security-Policy allows
that tile server on the town's pages only."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from leerstand.models import AuditEvent, Municipality
from leerstand.spatial.geometry import from_db
from tests.conftest import csrf_token, login, reload

URL = "/verwaltung/einstellungen"
# inside Ballenstedt (the Allee) and outside (Quedlinburg's market, about 10 km east)
INSIDE = ("51.719200", "11.226500")
OUTSIDE = ("51.789600", "11.141000")
VALID = {
    "name": "Stadt Ballenstedt",
    "letterhead": "Stadt Ballenstedt · Rathausplatz 12 · 06493 Ballenstedt",
    "contact_person": "Frau Beispiel",
    "contact_phone": "039483 970-0",
    "contact_email": "leerstand@ballenstedt.example",
    "letter_signature": "Ihr Team Leerstand",
    "centre_lat": INSIDE[0],
    "centre_lon": INSIDE[1],
    "map_zoom": "15",
    "tile_url": "https://tiles.example.org/{z}/{x}/{y}.png",
    "tile_attribution": "© Beispielkacheln",
    "import_role": "admin",
}


def save(client, **changes):
    data = {**VALID, **changes}
    data["csrf_token"] = csrf_token(client.get(URL).get_data(as_text=True))
    return client.post(URL, data=data)


def stored(session, base) -> Municipality:
    return reload(session, base.municipality)


def error_of(response) -> str:
    html = response.get_data(as_text=True)
    match = re.search(r'<div class="errors" role="alert" id="settings-error"><p>(.*?)</p>', html)
    assert match, html[:2000]
    # the message comes before the form (at the top of the page)
    assert html.index('id="settings-error"') < html.index('class="form settings-form"')
    return match.group(1)


def test_admin_saves_settings_and_reads_them_back(admin_client, session, base):
    response = save(admin_client)
    assert response.status_code == 302 and response.headers["Location"].endswith(URL)
    town = stored(session, base)
    assert town.name == "Stadt Ballenstedt"
    assert town.letterhead == "Stadt Ballenstedt · Rathausplatz 12 · 06493 Ballenstedt"
    assert town.contact_person == "Frau Beispiel"
    assert town.contact_phone == "039483 970-0"
    assert town.contact_email == "leerstand@ballenstedt.example"
    assert town.letter_signature == "Ihr Team Leerstand"
    centre = from_db(town.map_centre)
    assert (round(centre.y, 6), round(centre.x, 6)) == (51.7192, 11.2265)
    assert town.map_zoom == 15
    assert town.tile_url == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert town.tile_attribution == "© Beispielkacheln"
    assert town.import_role == "admin"
    assert town.ags == "15085040"
    html = admin_client.get(URL).get_data(as_text=True)
    assert 'value="51.719200"' in html and 'value="11.226500"' in html
    assert 'value="15085040" readonly' in html
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "municipality").order_by(AuditEvent.id.desc())
    ).first()
    assert event.user_id == base.admin.id and event.entity_id == base.municipality.id
    assert event.changes["map_centre"] == [None, "51.719200, 11.226500"]
    assert event.changes["import_role"] == ["staff", "admin"]
    audit = admin_client.get("/verwaltung/protokoll").get_data(as_text=True)
    assert "Test Admin änderte Kommune „Stadt Ballenstedt“" in audit
    assert "Kartenmittelpunkt" in audit and "51.719200, 11.226500" in audit


def test_emptying_fields_clears_them(admin_client, session, base):
    save(admin_client)
    response = save(admin_client, centre_lat="", centre_lon="", map_zoom="", tile_url="",
                    tile_attribution="", contact_person="", import_role="staff")  # fmt: skip
    assert response.status_code == 302
    town = stored(session, base)
    assert (town.map_centre, town.map_zoom, town.tile_url, town.contact_person) == (
        None, None, None, None)  # fmt: skip
    assert town.import_role == "staff"


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("http://tiles.example.org/{z}/{x}/{y}.png", False),
        ("https://tiles.example.org/{z}/{x}.png", False),
        ("https://tiles.example.org/{z}/{x}/{y}.png; script-src *", False),
        ("https://tiles.example.org/{z}/{x}/{y}.png", True),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", True),
    ],
)
def test_tile_url_must_be_https_with_z_x_y(admin_client, session, base, url, ok):
    response = save(admin_client, tile_url=url)
    if ok:
        assert response.status_code == 302
        assert stored(session, base).tile_url == url
        return
    assert response.status_code == 422
    assert "Die Kachel-URL muss mit https:// beginnen und {z}, {x} und {y} enthalten" in error_of(
        response
    )
    assert stored(session, base).tile_url is None


def test_centre_outside_the_boundary_is_refused(admin_client, session, base):
    response = save(admin_client, centre_lat=OUTSIDE[0], centre_lon=OUTSIDE[1])
    assert response.status_code == 422
    assert "Kartenmittelpunkt: Der Ort liegt außerhalb von Ballenstedt." in error_of(response)
    town = stored(session, base)
    assert town.map_centre is None and town.contact_person is None  # nothing saved
    response = save(admin_client, centre_lat=INSIDE[0], centre_lon="")
    assert "bitte Breite und Länge angeben" in error_of(response)


@pytest.mark.parametrize(("zoom", "ok"), [("0", False), ("1", True), ("19", True), ("20", False)])
def test_zoom_from_1_to_19(admin_client, session, base, zoom, ok):
    response = save(admin_client, map_zoom=zoom)
    if ok:
        assert response.status_code == 302
        assert stored(session, base).map_zoom == int(zoom)
    else:
        assert response.status_code == 422
        assert f"Zoomstufe: {zoom} ist nicht erlaubt" in error_of(response)
        assert stored(session, base).map_zoom is None


def test_html_in_the_attribution_and_a_bad_mail_are_refused(admin_client, session, base):
    response = save(admin_client, tile_attribution='<img src=x onerror="alert(1)">')
    assert "reiner Text" in error_of(response)
    response = save(admin_client, contact_email="keine-adresse")
    assert "gültige E-Mail-Adresse" in error_of(response)
    response = save(admin_client, name="  ")
    assert "Namen der Kommune" in error_of(response)
    assert stored(session, base).name == "Ballenstedt"


@pytest.mark.parametrize("who", ["staff", "viewer", "stranger"])
def test_only_admins_may_open_the_settings(client, base, who):
    login(client, getattr(base, who).email)
    assert client.get(URL).status_code == 403
    assert client.post(URL, data={"name": "X"}).status_code in (400, 403)
    assert f'href="{URL}"' not in client.get("/verwaltung/").get_data(as_text=True)


def test_admins_see_the_nav_entry(admin_client):
    assert f'href="{URL}"' in admin_client.get("/verwaltung/").get_data(as_text=True)


def test_maps_use_the_towns_tiles_and_the_csp_allows_them(admin_client, client, session, base):
    before = client.get("/").headers["Content-Security-Policy"]
    assert "tiles.example.org" not in before
    save(admin_client)
    page = client.get("/")
    html = page.get_data(as_text=True)
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert "data-town-center='[51.7192, 11.2265]'" in html and 'data-town-zoom="15"' in html
    img_src = next(p for p in page.headers["Content-Security-Policy"].split("; ")
                   if p.startswith("img-src"))  # fmt: skip
    assert img_src == "img-src 'self' data: https://tiles.example.org"
    staff_map = admin_client.get("/verwaltung/register")
    assert "https://tiles.example.org" in staff_map.headers["Content-Security-Policy"]
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in staff_map.get_data(
        as_text=True
    )
    # another town's map page does not allow Ballenstedt's tile server
    other = client.get(f"/k/{base.other_municipality.ags}/")
    assert other.status_code == 200
    assert "tiles.example.org" not in other.headers["Content-Security-Policy"]


def test_contact_person_appears_on_the_public_unit_contact(admin_client, session, base):
    save(admin_client)
    from tests.integration import public_world

    world = public_world.build(session, base)
    html = admin_client.get(f"/leerstand/{world.public['consent']}").get_data(as_text=True)
    assert "<dt>Zuständig</dt><dd>Frau Beispiel</dd>" in html
