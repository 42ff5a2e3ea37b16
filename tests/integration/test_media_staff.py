"""The staff pages of photos and documents: uploading (several photos, a document), refusing
HTML named .jpg, SVG and oversized uploads with the German message on the form and nothing
stored (no row, no file), order, cover, caption, delete (the file goes after the commit),
file names as escaped text, viewers read only, the audit log; deleting a unit through an
import's undo removes its rows and files."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from leerstand.models import AuditEvent, Building, MediaFile, MediaTrash, Unit
from leerstand.services import imports
from leerstand.services.media import photos
from leerstand.services.media.storage import purge_trash
from tests import factories as f
from tests.conftest import csrf_token, login
from tests.integration import media_world
from tests.integration.test_import_undo import do_import
from tests.media_files import GPS_IFD, HTML, SVG, jpeg_with_gps, pdf, png

WRONG_PHOTO = (
    "Diese Datei ist kein Foto im Format JPEG, PNG oder WebP. Bitte laden Sie ein "
    "solches Bild hoch."
)


@pytest.fixture
def media_store(app, tmp_path):
    yield from media_world.temporary_store(app, tmp_path)


@pytest.fixture
def unit(session, base):
    return f.unit(session, f.building(session, base.municipality))


def page_url(unit) -> str:
    return f"/verwaltung/einheiten/{unit.id}/medien"


def upload(client, unit, files: list[tuple[bytes, str]], **fields):
    token = csrf_token(client.get(page_url(unit)).get_data(as_text=True))
    data = {"csrf_token": token, "kind": "photo", **fields}
    data["files"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post(page_url(unit), data=data, content_type="multipart/form-data")


def rows(session) -> list[MediaFile]:
    return session.scalars(select(MediaFile).order_by(MediaFile.position, MediaFile.id)).all()


def test_staff_upload_several_photos(client, session, base, unit, media_store):
    login(client, base.staff.email)
    response = upload(
        client, unit, [(jpeg_with_gps(), "IMG_0001.jpg"), (png(), "hof.png")],
        caption="Schaufenster", taken_on="03.11.2026",
    )  # fmt: skip
    assert response.status_code == 302
    stored = rows(session)
    assert [(m.unit_id, m.kind, m.caption, m.taken_on.isoformat(), m.is_cover) for m in stored] == [
        (unit.id, "photo", "Schaufenster", "2026-11-03", True),
        (unit.id, "photo", "Schaufenster", "2026-11-03", False),
    ]
    assert [m.mime for m in stored] == ["image/jpeg", "image/png"]
    image = Image.open(io.BytesIO(media_store.get(stored[0].file_key)))
    assert dict(image.getexif()) == {} and image.getexif().get_ifd(GPS_IFD) == {}
    assert image.size == (32, 64)  # the orientation tag was applied
    page = client.get(f"/verwaltung/einheiten/{unit.id}").get_data(as_text=True)
    assert f"/medien/{stored[0].id}/vorschau" in page and "Titelbild" in page


@pytest.mark.parametrize(("content", "name"), [(HTML, "foto.jpg"), (SVG, "plan.svg")])
def test_html_named_jpg_and_svg_are_refused(
    client, session, base, unit, media_store, content, name
):
    login(client, base.staff.email)
    response = upload(client, unit, [(jpeg_with_gps(), "gut.jpg"), (content, name)])
    assert response.status_code == 422
    assert WRONG_PHOTO in response.get_data(as_text=True)
    assert rows(session) == [] and media_store.all_keys() == []  # the good one went too


def test_svg_as_a_document_is_refused(client, session, base, unit, media_store):
    login(client, base.staff.email)
    response = upload(
        client, unit, [(SVG, "plan.pdf")], kind="document", document_kind="floor_plan"
    )
    assert response.status_code == 422
    assert "Diese Datei ist weder ein Bild (JPEG, PNG, WebP) noch ein PDF." in response.get_data(
        as_text=True
    )
    assert rows(session) == [] and media_store.all_keys() == []


def test_an_oversized_request_gets_the_message_on_the_form(
    app, client, session, base, unit, media_store
):
    login(client, base.staff.email)
    old = app.config["MEDIA_MAX_UPLOAD_BYTES"]
    app.config["MEDIA_MAX_UPLOAD_BYTES"] = 3 * 1024 * 1024
    try:
        big = b"\xff\xd8\xff" + bytes(3 * 1024 * 1024)
        response = upload(client, unit, [(big, "riesig.jpg")])
    finally:
        app.config["MEDIA_MAX_UPLOAD_BYTES"] = old
    body = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "Die gesendeten Dateien sind zu groß: zusammen höchstens 3 MB" in body
    assert 'id="photo-upload"' in body and body.index("zu groß") < body.index('id="photo-upload"')
    assert rows(session) == [] and media_store.all_keys() == []


def test_a_photo_over_the_image_limit_is_refused_one_byte_below_passes(
    app, client, session, base, unit, media_store
):
    login(client, base.staff.email)
    data = png()
    old = app.config["MEDIA_MAX_IMAGE_BYTES"]
    app.config["MEDIA_MAX_IMAGE_BYTES"] = len(data) - 1
    try:
        refused = upload(client, unit, [(data, "a.png")])
        assert refused.status_code == 422
        assert "Die Datei ist zu groß (höchstens " in refused.get_data(as_text=True)
        assert rows(session) == []
        app.config["MEDIA_MAX_IMAGE_BYTES"] = len(data)
        assert upload(client, unit, [(data, "a.png")]).status_code == 302
    finally:
        app.config["MEDIA_MAX_IMAGE_BYTES"] = old
    assert len(rows(session)) == 1


def test_document_upload_keeps_the_name_as_text(client, session, base, unit, media_store):
    login(client, base.staff.email)
    name = "<img src=x onerror=alert(1)>.pdf"
    response = upload(
        client, unit, [(pdf(), name)], kind="document", document_kind="expert_report",
        caption="Gutachten 2026", public="1",
    )  # fmt: skip
    assert response.status_code == 302
    (doc,) = rows(session)
    assert (doc.kind, doc.document_kind, doc.public, doc.file_name) == (
        "document", "expert_report", True, name,
    )  # fmt: skip
    assert media_store.get(doc.file_key) == pdf()  # stored as uploaded
    for url in (page_url(unit), f"/verwaltung/einheiten/{unit.id}"):
        body = client.get(url).get_data(as_text=True)
        assert "&lt;img src=x onerror=alert(1)&gt;.pdf" in body and "<img src=x" not in body


def test_order_cover_caption_and_delete(client, session, base, unit, media_store):
    login(client, base.staff.email)
    upload(client, unit, [(png(), "1.png"), (png(20, 20), "2.png"), (png(10, 10), "3.png")])
    first, second, third = rows(session)
    token = csrf_token(client.get(page_url(unit)).get_data(as_text=True))

    def post(url, **data):
        return client.post(url, data={"csrf_token": token, **data})

    assert post(f"/verwaltung/medien/{third.id}/verschieben", direction="up").status_code == 302
    assert [m.id for m in rows(session)] == [first.id, third.id, second.id]
    post(f"/verwaltung/medien/{first.id}/verschieben", direction="up")  # already first
    assert [m.id for m in rows(session)] == [first.id, third.id, second.id]
    post(f"/verwaltung/medien/{second.id}/titelbild")
    assert [m.is_cover for m in rows(session)] == [False, False, True]
    post(
        f"/verwaltung/medien/{third.id}/bearbeiten", caption=" Hof  hinten ", taken_on="2026-10-01"
    )
    session.refresh(third)
    assert (third.caption, third.taken_on.isoformat()) == ("Hof hinten", "2026-10-01")
    bad = post(f"/verwaltung/medien/{third.id}/bearbeiten", caption="x", taken_on="32.13.2026")
    assert bad.status_code == 422 and "ist kein Datum" in bad.get_data(as_text=True)
    keys = {second.file_key, second.thumb_key}
    assert post(f"/verwaltung/medien/{second.id}/loeschen").status_code == 302
    assert [(m.id, m.is_cover) for m in rows(session)] == [(first.id, True), (third.id, False)]
    assert keys.isdisjoint(media_store.all_keys())  # removed after the commit
    assert session.scalar(select(func.count()).select_from(MediaTrash)) == 0
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity == "media_file").order_by(AuditEvent.id)
    ).all()
    assert actions == ["create", "create", "create", "update", "update", "update", "delete"]


def test_viewers_read_but_may_not_change(client, session, base, unit, media_store):
    photo = photos.add_unit_photo(
        session, media_store, unit_id=unit.id, data=png(), caption="", taken_on=None,
        user_id=base.staff.id,
    )  # fmt: skip
    login(client, base.viewer.email)
    page = client.get(page_url(unit))
    assert page.status_code == 200 and 'id="photo-upload"' not in page.get_data(as_text=True)
    token = csrf_token(page.get_data(as_text=True))
    assert (
        client.post(
            f"/verwaltung/medien/{photo.id}/loeschen", data={"csrf_token": token}
        ).status_code
        == 403
    )
    files = {"csrf_token": token, "kind": "photo", "files": (io.BytesIO(png()), "x.png")}
    assert client.post(page_url(unit), data=files).status_code == 403
    assert len(rows(session)) == 1


def test_another_town_s_staff_get_404(client, session, base, unit, media_store):
    photo = photos.add_unit_photo(
        session, media_store, unit_id=unit.id, data=png(), caption="", taken_on=None,
        user_id=base.staff.id,
    )  # fmt: skip
    login(client, base.stranger.email)
    assert client.get(page_url(unit)).status_code == 404
    token = csrf_token(client.get("/verwaltung/").get_data(as_text=True))
    response = client.post(f"/verwaltung/medien/{photo.id}/loeschen", data={"csrf_token": token})
    assert response.status_code == 404
    assert len(rows(session)) == 1


def test_import_undo_removes_the_rows_and_files(session, base, tmp_path, media_store):
    batch = do_import(session, base, tmp_path)
    imported = session.scalars(select(Unit).where(Unit.import_batch_id == batch.id)).first()
    building = session.get(Building, imported.building_id)
    unit_photo = photos.add_unit_photo(
        session, media_store, unit_id=imported.id, data=png(), caption="", taken_on=None,
        user_id=base.staff.id,
    )  # fmt: skip
    building_photo = photos.add_building_photo(
        session, media_store, building_id=building.id, data=png(), caption="", taken_on=None,
        user_id=base.staff.id,
    )  # fmt: skip
    kept = photos.add_unit_photo(
        session, media_store, unit_id=f.unit(session, f.building(session, base.municipality)).id,
        data=png(), caption="", taken_on=None, user_id=base.staff.id,
    )  # fmt: skip
    assert len(media_store.all_keys()) == 6
    gone = {key for m in (unit_photo, building_photo) for key in (m.file_key, m.thumb_key)}
    kept_keys = sorted([kept.file_key, kept.thumb_key])
    kept_id = kept.id
    imports.undo(session, base.municipality.id, batch.id, base.admin.id)
    session.flush()
    assert [m.id for m in rows(session)] == [kept_id]
    assert set(session.scalars(select(MediaTrash.key))) == gone
    assert purge_trash(session, media_store) == 4
    assert media_store.all_keys() == kept_keys
    assert session.scalar(select(func.count()).select_from(MediaTrash)) == 0


def test_building_photos_and_documents(client, session, base, media_store):
    building = f.building(session, base.municipality)
    login(client, base.staff.email)
    url = f"/verwaltung/gebaeude/{building.id}/medien"
    token = csrf_token(client.get(url).get_data(as_text=True))
    files = {"csrf_token": token, "kind": "photo", "files": (io.BytesIO(png()), "haus.png")}
    assert client.post(url, data=files, content_type="multipart/form-data").status_code == 302
    plan = {
        "csrf_token": token, "kind": "document", "document_kind": "agreement",
        "files": (io.BytesIO(pdf()), "Vertrag.pdf"),
    }  # fmt: skip
    assert client.post(url, data=plan, content_type="multipart/form-data").status_code == 302
    photo, doc = sorted(rows(session), key=lambda m: m.kind, reverse=True)
    assert (photo.building_id, photo.unit_id, photo.kind, photo.is_cover) == (
        building.id, None, "photo", True,
    )  # fmt: skip
    assert (doc.document_kind, doc.public, doc.file_name) == ("agreement", False, "Vertrag.pdf")
    page = client.get(f"/verwaltung/gebaeude/{building.id}").get_data(as_text=True)
    assert f"/medien/{photo.id}/vorschau" in page and "Vertrag.pdf" in page
    missing = {"csrf_token": token, "kind": "document", "document_kind": "agreement"}
    response = client.post(url, data=missing, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Bitte wählen Sie eine Datei aus." in response.get_data(as_text=True)
    assert len(rows(session)) == 2


def test_the_import_upload_keeps_its_own_too_large_page(app, client, base):
    login(client, base.admin.email)
    old = app.config["IMPORT_MAX_BYTES"]
    app.config["IMPORT_MAX_BYTES"] = 1024
    try:
        token = csrf_token(client.get("/verwaltung/import").get_data(as_text=True))
        data = {"csrf_token": token, "file": (io.BytesIO(b"a;b\n" * 1000), "liste.csv")}
        response = client.post("/verwaltung/import", data=data, content_type="multipart/form-data")
    finally:
        app.config["IMPORT_MAX_BYTES"] = old
    assert response.status_code == 413
    assert "Daten importieren" in response.get_data(as_text=True)
