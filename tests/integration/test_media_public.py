"""What the public sees of photos and documents: a photo only with the photo consent of every
owner (or the town's own building) and on a public unit – on the unit page, in the GeoJSON and
OGC API, in the vector tiles and under its own URL; withdrawn or erased: gone at once.
Documents only when marked public; an internal one is a 404 to the public and to a logged-in
initiative, a 200 to staff of its town (a 404 to another town's staff)."""

from __future__ import annotations

from datetime import UTC, datetime

import mapbox_vector_tile
import pytest

from leerstand.models import Consent
from leerstand.services.privacy.erasure import erase_owner
from tests import factories as f
from tests.conftest import login
from tests.initiatives import initiative, login_initiative
from tests.integration import media_world

ALLEE_17 = "/tiles/units/17/69623/43460.mvt"


@pytest.fixture
def media_store(app, tmp_path):
    yield from media_world.temporary_store(app, tmp_path)


@pytest.fixture
def world(session, base, media_store):
    return media_world.build(session, base, media_store)


def unit_props(client, url: str = "/api/units.geojson") -> dict[int, dict]:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return {feat["id"]: feat["properties"] for feat in response.get_json()["features"]}


def tile_props(client) -> dict:
    layers = mapbox_vector_tile.decode(client.get(ALLEE_17).get_data())
    units = layers["units"]["features"] if layers else []
    return units[0]["properties"] if units else {}


def photo_visible(client, world, photo) -> bool:
    """Is ``photo`` shown anywhere public? Every place is asked, and all must agree."""
    page = client.get(f"/leerstand/{world.shop.id}").get_data(as_text=True)
    answers = {
        "page": f"/medien/{photo.id}" in page,
        "file": client.get(f"/medien/{photo.id}").status_code == 200,
        "thumb": client.get(f"/medien/{photo.id}/vorschau").status_code == 200,
    }
    if photo.is_cover and photo.unit_id == world.shop.id:
        cover = f"/medien/{photo.id}/vorschau"
        shop = unit_props(client).get(world.shop.id, {})  # erased: the unit too is gone
        answers["geojson"] = shop.get("photo") == f"http://localhost{cover}"
        ogc = unit_props(client, "/ogc/collections/units/items?f=json").get(world.shop.id, {})
        answers["ogc"] = ogc.get("photo") == f"http://localhost{cover}"
        answers["tile"] = tile_props(client).get("photo") == cover
        listing = client.get("/").get_data(as_text=True)
        answers["list"] = f'src="{cover}"' in listing
    assert len(set(answers.values())) == 1, answers
    return answers["page"]


def give_photo_consent(session, owner) -> Consent:
    return f.consent(session, owner, scope="photos")


def test_without_photo_consent_no_photo_is_public(client, world):
    for photo in (world.photo, world.second, world.building_photo):
        assert not photo_visible(client, world, photo)
    assert unit_props(client)[world.shop.id]["photo"] is None


def test_with_consent_every_photo_is_public_and_the_cover_everywhere(client, session, world):
    give_photo_consent(session, world.owner)
    for photo in (world.photo, world.second, world.building_photo):
        assert photo_visible(client, world, photo)
    page = client.get(f"/leerstand/{world.shop.id}").get_data(as_text=True)
    # the unit's cover first, its second photo, then the building's
    order = [page.index(f"/medien/{m.id}/vorschau") for m in (world.second, world.building_photo)]
    assert page.index(f'src="/medien/{world.photo.id}"') < order[0] < order[1]
    assert "Schaufenster &lt;b&gt;Allee&lt;/b&gt;" in page and "<b>Allee" not in page


def test_the_town_s_own_unit_needs_no_consent(client, world):
    props = unit_props(client)[world.town_unit.id]
    assert props["photo"] == f"http://localhost/medien/{world.town_photo.id}/vorschau"
    assert client.get(f"/medien/{world.town_photo.id}").status_code == 200


def test_withdrawn_consent_hides_at_once(client, session, world):
    consent = give_photo_consent(session, world.owner)
    assert photo_visible(client, world, world.photo)
    consent.withdrawn_at = datetime.now(UTC)
    session.flush()
    assert not photo_visible(client, world, world.photo)
    assert not photo_visible(client, world, world.building_photo)


def test_erasure_of_the_owner_hides_at_once(client, session, base, world):
    give_photo_consent(session, world.owner)
    assert photo_visible(client, world, world.photo)
    erase_owner(session, world.owner, base.admin.id, datetime.now(UTC))
    session.flush()
    assert not photo_visible(client, world, world.photo)


def test_a_co_owner_without_consent_hides_a_manager_does_not(client, session, base, world):
    give_photo_consent(session, world.owner)
    manager = f.owner(session, base.municipality, kind="company", name="Hausverwaltung")
    f.ownership(session, world.building, manager, role="manager")
    assert photo_visible(client, world, world.photo)
    heir = f.owner(session, base.municipality, name="Erbin ohne Einwilligung")
    f.ownership(session, world.building, heir, role="co_owner")
    assert not photo_visible(client, world, world.photo)
    give_photo_consent(session, heir)
    assert photo_visible(client, world, world.photo)


def test_a_photo_of_a_unit_that_is_not_public_stays_hidden(client, session, world):
    give_photo_consent(session, world.owner)
    world.shop.publishable = False
    session.flush()
    assert client.get(f"/medien/{world.photo.id}").status_code == 404
    assert client.get(f"/medien/{world.building_photo.id}/vorschau").status_code == 404
    assert client.get(f"/medien/{world.public_pdf.id}").status_code == 404


def test_internal_document_is_404_to_the_public_and_to_an_initiative(client, session, base, world):
    url = f"/medien/{world.internal_pdf.id}"
    assert client.get(url).status_code == 404
    ini = initiative(session, base.municipality)
    assert login_initiative(client, ini.email).status_code == 302
    assert client.get("/initiative/profil").status_code == 200  # logged in for real
    assert client.get(url).status_code == 404
    assert client.get(f"/medien/{world.photo.id}").status_code == 404  # no photo consent


def test_internal_document_is_200_to_staff_of_its_town(client, base, world):
    login(client, base.staff.email)
    response = client.get(f"/medien/{world.internal_pdf.id}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"Gutachten_intern.pdf\"; filename*=UTF-8''Gutachten%20intern.pdf"
    )
    assert response.get_data() == world.store.get(world.internal_pdf.file_key)
    assert client.get(f"/medien/{world.photo.id}").status_code == 200  # staff see every photo


def test_internal_document_is_404_to_another_town_s_staff(client, base, world):
    login(client, base.stranger.email)
    assert client.get(f"/medien/{world.internal_pdf.id}").status_code == 404
    assert client.get(f"/medien/{world.photo.id}/vorschau").status_code == 404


def test_public_document_is_served_as_a_download_to_everyone(client, world):
    response = client.get(f"/medien/{world.public_pdf.id}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="Grundriss_EG')
    page = client.get(f"/leerstand/{world.shop.id}").get_data(as_text=True)
    assert f"/medien/{world.public_pdf.id}" in page
    assert f"/medien/{world.internal_pdf.id}" not in page and "Gutachten intern" not in page


def test_photo_headers_and_revalidation(client, session, world):
    give_photo_consent(session, world.owner)
    response = client.get(f"/medien/{world.photo.id}")
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == (
        f'inline; filename="foto-{world.photo.id}.jpg"'
    )
    assert response.headers["Cache-Control"] == "no-cache"
    etag = response.headers["ETag"]
    again = client.get(f"/medien/{world.photo.id}", headers={"If-None-Match": etag})
    assert (again.status_code, again.get_data()) == (304, b"")
    thumb = client.get(f"/medien/{world.photo.id}/vorschau")
    assert thumb.headers["Content-Type"] == "image/jpeg" and thumb.get_data()[:3] == b"\xff\xd8\xff"


def test_a_document_without_a_thumbnail_and_unknown_ids_are_404(client, world):
    assert client.get(f"/medien/{world.public_pdf.id}/vorschau").status_code == 404
    assert client.get("/medien/999999").status_code == 404
    assert client.get("/medien/99999999999").status_code == 404


def test_non_ascii_file_name_gets_an_ascii_fallback(client, session, base, world):
    from leerstand.services.media import documents

    doc = documents.add_document(
        session, world.store, unit_id=world.shop.id, data=media_world.pdf(),
        file_name='C:\\Ablage\\Gutachten "Müller" 2026.pdf', document_kind="expert_report",
        caption="", public=False, user_id=base.staff.id,
    )  # fmt: skip
    assert doc.file_name == 'Gutachten "Müller" 2026.pdf'
    login(client, base.staff.email)
    response = client.get(f"/medien/{doc.id}")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="Gutachten_Muller_2026.pdf"; '
        "filename*=UTF-8''Gutachten%20%22M%C3%BCller%22%202026.pdf"
    )
