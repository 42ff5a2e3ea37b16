"""Real Chromium, photos: the public unit page's gallery (a thumbnail shows its photo in the
large frame, captions as text), the cover thumbnail in the public map's list and popup – only
with the photo consent –, and the staff page where photos are uploaded. Screenshots at 320 and
1280 px go to /tmp/shots/media."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from leerstand.db import db
from leerstand.models import Consent
from tests import factories as f
from tests.browser.conftest import LiveServer, browser_login
from tests.conftest import make_app, truncate_volatile
from tests.integration import media_world
from tests.media_files import jpeg_with_gps

SHOTS = Path("/tmp/shots/media")


@pytest.fixture
def media_server(app, tmp_path):
    live = make_app(MEDIA_STORE="disk", MEDIA_DIR=str(tmp_path / "media"))
    truncate_volatile(live.extensions["leerstand_db"])
    with LiveServer(live) as server:
        server.store_dir = tmp_path / "media"
        yield server
    truncate_volatile(live.extensions["leerstand_db"])
    live.extensions["leerstand_db"].dispose()


def _world(server, base, consent: bool) -> dict:
    with server.app.app_context():
        s = db.session
        w = media_world.build(s, base, media_world.DiskStore(server.store_dir))
        if consent:
            f.consent(s, w.owner, scope="photos")
        s.commit()
        return {"shop": w.shop.id, "photo": w.photo.id, "second": w.second.id,
                "owner": w.owner.id, "building_photo": w.building_photo.id}  # fmt: skip


def _shots(page, name: str) -> None:
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def test_gallery_and_cover_with_consent(page, media_server, base):
    ids = _world(media_server, base, consent=True)
    page.goto(f"{media_server.url}/leerstand/{ids['shop']}")
    frame = page.locator("#gallery-image")
    assert frame.get_attribute("src") == f"/medien/{ids['photo']}"
    assert page.evaluate("document.getElementById('gallery-image').naturalWidth") == 32
    assert page.inner_text("#gallery-caption") == "Schaufenster <b>Allee</b>"
    thumbs = page.locator(".gallery-thumbs a")
    assert thumbs.count() == 3
    thumbs.nth(1).click()
    assert frame.get_attribute("src") == f"/medien/{ids['second']}"
    assert page.inner_text("#gallery-caption") == "Hinterhof"
    assert thumbs.nth(1).get_attribute("aria-current") == "true"
    assert page.locator(".gallery-docs a").inner_text() == "Grundriss EG.pdf"
    _shots(page, "public-unit")
    assert page.js_errors == []

    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(media_server.url + "/")
    item = page.locator(f"#public-list li[data-unit-id='{ids['shop']}']")
    item.wait_for()
    thumb = f"/medien/{ids['photo']}/vorschau"
    assert item.locator("img.unit-item-photo").get_attribute("src") == thumb
    item.locator("button.public-show").click()
    popup = page.locator(".leaflet-popup-content .unit-popup")
    popup.wait_for()
    image = popup.locator("img.unit-photo")
    assert image.get_attribute("src") == thumb
    page.wait_for_function("document.querySelector('.unit-popup img').naturalWidth > 0")
    _shots(page, "public-map-popup")
    assert page.js_errors == []


def test_no_photo_without_consent_and_gone_after_withdrawal(page, media_server, base):
    ids = _world(media_server, base, consent=False)
    page.goto(f"{media_server.url}/leerstand/{ids['shop']}")
    assert page.locator("#gallery-image").count() == 0
    assert page.locator(".gallery-docs a").count() == 1  # the public floor plan only
    page.goto(media_server.url + "/")
    item = page.locator(f"#public-list li[data-unit-id='{ids['shop']}']")
    item.wait_for()
    assert item.locator("img").count() == 0
    item.locator("button.public-show").click()
    page.locator(".leaflet-popup-content .unit-popup").wait_for()
    assert page.locator(".leaflet-popup-content img").count() == 0
    response = page.request.get(f"{media_server.url}/medien/{ids['photo']}/vorschau")
    assert response.status == 404

    with media_server.app.app_context():
        consent = Consent(municipality_id=base.municipality.id, owner_id=ids["owner"],
                          scope="photos", given_at=datetime.now(UTC), text_version="t")  # fmt: skip
        db.session.add(consent)
        db.session.commit()
    assert page.request.get(f"{media_server.url}/medien/{ids['photo']}/vorschau").status == 200
    with media_server.app.app_context():
        row = db.session.query(Consent).filter_by(owner_id=ids["owner"], scope="photos").one()
        row.withdrawn_at = datetime.now(UTC)
        db.session.commit()
    assert page.request.get(f"{media_server.url}/medien/{ids['photo']}/vorschau").status == 404
    page.goto(f"{media_server.url}/leerstand/{ids['shop']}")
    assert page.locator("#gallery-image").count() == 0


def test_staff_upload_page(page, media_server, base, tmp_path):
    ids = _world(media_server, base, consent=False)
    browser_login(page, media_server, base.staff.email)
    page.goto(f"{media_server.url}/verwaltung/einheiten/{ids['shop']}/medien")
    photo = tmp_path / "schaufenster.jpg"
    photo.write_bytes(jpeg_with_gps(640, 480))
    fake = tmp_path / "bild.jpg"
    fake.write_bytes(b"<html><script>alert(1)</script></html>")
    page.set_input_files("#photo-upload input[type=file]", [str(fake)])
    page.click("#photo-upload button[type=submit]")
    assert "kein Foto im Format JPEG, PNG oder WebP" in page.inner_text("#media-error")
    assert page.locator(".media-photos .media-item").count() == 2
    page.set_input_files("#photo-upload input[type=file]", [str(photo)])
    page.fill("#photo-upload input[name=caption]", "Neues Foto")
    page.click("#photo-upload button[type=submit]")
    assert page.locator(".media-photos .media-item").count() == 3
    assert "Neues Foto" in page.inner_text(".media-photos")
    _shots(page, "staff-media")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{media_server.url}/verwaltung/einheiten/{ids['shop']}")
    assert page.locator(".media-card .media-thumbs img").count() == 3
    _shots(page, "staff-unit")
    assert page.js_errors == []
