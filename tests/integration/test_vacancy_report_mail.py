"""The reporter's e-mail address: a confirmation mail with a signed, expiring, single-use link
(only its hash stored); opening it changes nothing, the POST confirms; expired, used and
forged links are refused with the same German page. The photo of a report is stored
re-encoded without its GPS data."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image
from sqlalchemy import func, select

from leerstand.models import VacancyReport
from leerstand.services.media.report_tokens import hash_token
from tests.conftest import csrf_token
from tests.media_files import jpeg_with_gps
from tests.report_world import (  # noqa: F401  (fixtures)
    _report_app,
    report_app,
    report_client,
    send_report,
)
from tests.smtp import body, links

INVALID = "Dieser Bestätigungslink ist ungültig, abgelaufen (gültig 7 Tage) oder schon benutzt."


def _send_with_address(client, smtp_server) -> str:
    response = send_report(
        client, {"lon": "11.2265", "lat": "51.7192", "email": "Melder@Example.org"}
    )
    assert response.headers["Location"] == "/melden/danke?art=mail"
    (mail,) = smtp_server.wait_for(1)
    assert mail["To"] == "Melder@Example.org"
    assert "gültig 7 Tage" in body(mail)
    (link,) = links(mail)
    assert link.startswith("http://localhost/melden/bestaetigen/")
    return link.removeprefix("http://localhost")


def _report(session) -> VacancyReport:
    report_id = session.scalar(select(VacancyReport.id))
    return session.get(VacancyReport, report_id, populate_existing=True)


def _confirm(client, path: str):
    page = client.get(path)
    token = csrf_token(page.get_data(as_text=True))
    return page, client.post(path, data={"csrf_token": token})


def test_the_link_confirms_once(session, report_client, smtp_server):  # noqa: F811
    path = _send_with_address(report_client, smtp_server)
    token = path.rsplit("/", 1)[1]
    report = _report(session)
    assert report.email_token_hash == hash_token(token)
    assert token not in (report.email_token_hash or "")
    opened = report_client.get(path)
    assert opened.status_code == 200
    assert "Adresse bestätigen" in opened.get_data(as_text=True)
    assert opened.headers["Cache-Control"] == "private, no-store"
    assert _report(session).email_confirmed_at is None  # GET changes nothing
    _page, confirmed = _confirm(report_client, path)
    assert confirmed.status_code == 200
    assert "Danke, Ihre Adresse ist bestätigt." in confirmed.get_data(as_text=True)
    report = _report(session)
    assert report.email_confirmed_at is not None and report.email_token_hash is None
    used = report_client.get(path)
    assert used.status_code == 400 and INVALID in used.get_data(as_text=True)


def test_an_expired_link_is_refused(session, report_client, smtp_server):  # noqa: F811
    path = _send_with_address(report_client, smtp_server)
    report = _report(session)
    report.email_token_expires_at = datetime.now(UTC) - timedelta(seconds=1)
    session.commit()
    page = report_client.get(path)
    assert page.status_code == 400 and INVALID in page.get_data(as_text=True)
    assert _report(session).email_confirmed_at is None


def test_a_forged_link_is_refused(session, report_client, smtp_server):  # noqa: F811
    path = _send_with_address(report_client, smtp_server)
    token = path.rsplit("/", 1)[1]
    head, _dot, tail = token.rpartition(".")
    forged = f"{head}.{'A' if tail[0] != 'A' else 'B'}{tail[1:]}"
    for bad in (forged, "kein-token", "x" * 400):
        page = report_client.get(f"/melden/bestaetigen/{bad}")
        assert page.status_code == 400, bad
        assert INVALID in page.get_data(as_text=True)
    response = report_client.post(f"/melden/bestaetigen/{forged}", data={})
    assert response.status_code in (400, 403)  # no CSRF token or a bad link: never confirmed
    assert _report(session).email_confirmed_at is None


def test_the_photo_is_stored_without_gps(session, report_app, report_client, smtp_server):  # noqa: F811
    response = send_report(
        report_client, {"lon": "11.2265", "lat": "51.7192", "photo_consent": "1"},
        photo=jpeg_with_gps(),
    )  # fmt: skip
    assert response.status_code == 303
    report = _report(session)
    assert report.photo_consent is True and report.photo_mime == "image/jpeg"
    stored = Path(report_app.config["MEDIA_DIR"], report.photo_key).read_bytes()
    image = Image.open(io.BytesIO(stored))
    assert not image.getexif()  # no EXIF at all, so no GPS
    assert image.size == (32, 64)  # orientation 6 applied: 64×32 turned upright


def test_an_html_file_named_jpg_is_refused(session, report_client):  # noqa: F811
    html = b"<!doctype html><script>alert(1)</script>"
    response = send_report(report_client, {"lon": "11.2265", "lat": "51.7192"}, photo=html)
    assert response.status_code == 422
    assert "Diese Datei ist kein Foto im Format JPEG, PNG oder WebP." in response.get_data(
        as_text=True
    )
    assert session.scalar(select(VacancyReport.id)) is None


def test_the_photo_size_limit_on_both_sides(session, throwaway_app, tmp_path):
    photo = jpeg_with_gps()
    for limit, status in ((len(photo), 303), (len(photo) - 1, 422)):
        app = throwaway_app(MEDIA_MAX_IMAGE_BYTES=limit, MEDIA_DIR=str(tmp_path))
        response = send_report(app.test_client(), {"lon": "11.2265", "lat": "51.7192"}, photo=photo)
        assert response.status_code == status, limit
        if status == 422:
            assert "Die Datei ist zu groß" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(VacancyReport)) == 1
