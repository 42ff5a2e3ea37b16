"""The media interface: content checks, re-encoding (EXIF/GPS gone, orientation applied), the
disk store and ``add_unit_photo`` (row, files, cover, audit), on a real PostGIS."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from leerstand.models import AuditEvent, MediaFile
from leerstand.services.errors import ServiceError
from leerstand.services.media import images, photos, uploads
from leerstand.services.media.storage import DiskStore
from tests import factories as f
from tests.media_files import GPS_IFD, HTML, SVG, jpeg_with_gps, pdf, png, webp

WRONG_PHOTO = (
    "Diese Datei ist kein Foto im Format JPEG, PNG oder WebP. Bitte laden Sie ein "
    "solches Bild hoch."
)
WRONG_DOCUMENT = (
    "Diese Datei ist weder ein Bild (JPEG, PNG, WebP) noch ein PDF. Bitte laden Sie "
    "ein Foto oder ein PDF-Dokument hoch."
)


@pytest.mark.parametrize(
    ("data", "mime"),
    [(jpeg_with_gps(), "image/jpeg"), (png(), "image/png"), (webp(), "image/webp")],
)
def test_images_are_known_by_their_bytes(data, mime):
    found = uploads.check_upload(data, allow_pdf=False, max_bytes=1_000_000)
    assert (found.kind, found.mime) == ("image", mime)


def test_pdf_only_where_documents_are_allowed():
    assert uploads.check_upload(pdf(), allow_pdf=True, max_bytes=100_000).mime == (
        "application/pdf"
    )
    with pytest.raises(ServiceError) as refused:
        uploads.check_upload(pdf(), allow_pdf=False, max_bytes=100_000)
    assert str(refused.value) == WRONG_PHOTO


@pytest.mark.parametrize("data", [HTML, SVG, b"GIF89a\x01\x00\x01\x00", b"plain text"])
def test_html_svg_and_others_are_refused(data):
    for allow_pdf, message in ((False, WRONG_PHOTO), (True, WRONG_DOCUMENT)):
        with pytest.raises(ServiceError) as refused:
            uploads.check_upload(data, allow_pdf=allow_pdf, max_bytes=100_000)
        assert str(refused.value) == message


def test_a_truncated_jpeg_and_a_fake_pdf_are_refused():
    with pytest.raises(ServiceError, match="Das Bild lässt sich nicht lesen"):
        uploads.check_upload(jpeg_with_gps()[:300], allow_pdf=False, max_bytes=100_000)
    with pytest.raises(ServiceError, match="Das PDF lässt sich nicht lesen"):
        uploads.check_upload(b"%PDF-1.4\n<html>", allow_pdf=True, max_bytes=100_000)


def test_size_limit_on_both_sides_and_empty():
    data = png()
    assert uploads.check_upload(data, allow_pdf=False, max_bytes=len(data)).kind == "image"
    with pytest.raises(ServiceError) as refused:
        uploads.check_upload(data, allow_pdf=False, max_bytes=len(data) - 1)
    assert str(refused.value).startswith("Die Datei ist zu groß (höchstens ")
    with pytest.raises(ServiceError) as empty:
        uploads.check_upload(b"", allow_pdf=True, max_bytes=100)
    assert str(empty.value) == "Die Datei ist leer. Bitte wählen Sie eine andere Datei aus."


def test_reencoding_drops_exif_and_gps_and_applies_the_orientation():
    source = Image.open(io.BytesIO(jpeg_with_gps(64, 32, orientation=6)))
    assert source.getexif().get_ifd(GPS_IFD)  # the test file does carry a position
    encoded = images.reencode(jpeg_with_gps(64, 32, orientation=6))
    result = Image.open(io.BytesIO(encoded.data))
    assert dict(result.getexif()) == {}
    assert result.getexif().get_ifd(GPS_IFD) == {}
    assert "exif" not in result.info and "icc_profile" not in result.info
    assert (encoded.width, encoded.height, result.size) == (32, 64, (32, 64))
    red, blue = result.convert("RGB").getpixel((16, 8)), result.convert("RGB").getpixel((16, 56))
    assert red[0] > 200 and red[2] < 60  # turned 90° clockwise: the red half is on top
    assert blue[2] > 200 and blue[0] < 60
    thumb = Image.open(io.BytesIO(encoded.thumb))
    assert (thumb.format, dict(thumb.getexif())) == ("JPEG", {})


def test_large_images_are_capped_and_thumbnails_made():
    encoded = images.reencode(png(3000, 1500))
    assert (encoded.width, encoded.height, encoded.mime) == (2000, 1000, "image/png")
    assert Image.open(io.BytesIO(encoded.thumb)).size == (480, 240)
    with_alpha = images.reencode(png(10, 10, alpha=True))
    assert with_alpha.mime == "image/png"
    assert Image.open(io.BytesIO(with_alpha.data)).mode == "RGBA"


def test_add_unit_photo_stores_files_row_cover_and_audit(session, base, tmp_path):
    store = DiskStore(tmp_path)
    unit = f.unit(session, f.building(session, base.municipality))
    first = photos.add_unit_photo(
        session, store, unit_id=unit.id, data=jpeg_with_gps(), caption="  Schaufenster  ",
        taken_on=None, user_id=base.staff.id,
    )  # fmt: skip
    second = photos.add_unit_photo(
        session, store, unit_id=unit.id, data=png(), caption=None, taken_on=None,
        user_id=base.staff.id, source="report",
    )  # fmt: skip
    rows = session.scalars(select(MediaFile).order_by(MediaFile.id)).all()
    assert [(r.unit_id, r.kind, r.caption, r.position, r.is_cover, r.source) for r in rows] == [
        (unit.id, "photo", "Schaufenster", 1, True, "staff"),
        (unit.id, "photo", "", 2, False, "report"),
    ]
    assert sorted(store.all_keys()) == sorted(
        [first.file_key, first.thumb_key, second.file_key, second.thumb_key]
    )
    assert first.mime == "image/jpeg" and first.file_key.startswith(f"{base.municipality.id}/")
    stored = Image.open(io.BytesIO(store.get(first.file_key)))
    assert dict(stored.getexif()) == {}
    events = session.scalar(
        select(func.count()).where(AuditEvent.entity == "media_file", AuditEvent.action == "create")
    )
    assert events == 2


def test_refused_photo_leaves_no_row_and_no_file(session, base, tmp_path):
    store = DiskStore(tmp_path)
    unit = f.unit(session, f.building(session, base.municipality))
    for bad in (HTML, SVG):
        with pytest.raises(ServiceError) as refused:
            photos.add_unit_photo(
                session, store, unit_id=unit.id, data=bad, caption="x", taken_on=None,
                user_id=base.staff.id,
            )  # fmt: skip
        assert str(refused.value) == WRONG_PHOTO
    assert session.scalar(select(func.count()).select_from(MediaFile)) == 0
    assert store.all_keys() == []
