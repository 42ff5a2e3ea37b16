"""Real Chromium: the register's export block sends the page's filters and the owner tick to
the export and the browser downloads the file (read back with openpyxl); the block fits 320 px
and 1280 px (screenshots in /tmp/shots-h4)."""

from __future__ import annotations

import os
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from leerstand.db import db
from leerstand.models import Municipality
from tests import factories
from tests.browser.conftest import browser_login

SHOTS = "/tmp/shots-h4"


def _world(app) -> None:
    with app.app_context():
        s = db.session
        muni = s.scalar(select(Municipality).where(Municipality.ags == "15085040"))
        allee = factories.building(s, muni, street="Allee", house_number="10")
        factories.unit(s, allee, name="EG Laden", area_m2=Decimal("120.5"))
        factories.unit(s, allee, name="OG Wohnung", kind="flat")
        owner = factories.owner(s, muni, name="Jürgen Weiß")
        factories.ownership(s, allee, owner)
        s.commit()


def test_export_block_downloads_the_filtered_view(page, live_server, tmp_path):
    _world(live_server.app)
    os.makedirs(SHOTS, exist_ok=True)
    browser_login(page, live_server, "staff@test.example")
    page.goto(live_server.url + "/verwaltung/register?kind=shop")
    block = page.locator("form.export-block")
    assert block.is_visible()
    page.screenshot(path=f"{SHOTS}/register-export-1280.png", full_page=False)
    page.check("input[name=eigentuemer]")
    with page.expect_download() as info:
        page.click("form.export-block button:has-text('Excel')")
    download = info.value
    assert download.suggested_filename.startswith("leerstand-register-")
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / "register.xlsx"
    download.save_as(path)
    sheet = load_workbook(path)["Register"]
    rows = list(sheet.iter_rows(values_only=True))
    heads = rows[0]
    assert [r[heads.index("Einheit")] for r in rows[1:]] == ["EG Laden"]  # the filter came along
    assert rows[1][heads.index("Eigentümer:innen")] == "Jürgen Weiß (Eigentümer:in)"


def test_export_block_fits_a_phone(page, live_server):
    _world(live_server.app)
    os.makedirs(SHOTS, exist_ok=True)
    browser_login(page, live_server, "staff@test.example")
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server.url + "/verwaltung/register")
    block = page.locator("form.export-block")
    block.scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/register-export-320.png", full_page=True)
    box = block.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    overflow = page.evaluate(
        "() => document.querySelector('form.export-block').scrollWidth"
        " > document.querySelector('form.export-block').clientWidth"
    )
    assert not overflow


def test_list_pages_and_the_refusal_page_at_both_widths(page, live_server):
    _world(live_server.app)
    os.makedirs(SHOTS, exist_ok=True)
    browser_login(page, live_server, "staff@test.example")
    pages = {
        "treffer": "/verwaltung/treffer",
        "anfragen": "/verwaltung/anfragen",
        "zwischennutzungen": "/verwaltung/zwischennutzungen",
        "refused": "/verwaltung/register/export.csv?vacant_months=viele",
    }
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 700})
        for name, path in pages.items():
            response = page.goto(live_server.url + path)
            assert response.status == (400 if name == "refused" else 200)
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
            if name == "refused":
                assert page.locator(".errors[role=alert]").bounding_box()["y"] < 700
            else:
                assert page.locator(".export-block").is_visible()
