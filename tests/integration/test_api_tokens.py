"""Personal API tokens: created on "API-Zugang" and shown once (the database holds only the
SHA-256), listed, revoked with POST + CSRF; accepted as Bearer or as the Basic password on
GET/HEAD only while neither revoked nor expired and the user is active; deactivation revokes
them; every staff role may create its own, initiatives and anonymous visitors cannot reach the
page; the token never appears in a log line."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from flask import jsonify, request
from sqlalchemy import select

from leerstand.api.auth import token_required, token_user
from leerstand.extensions import csrf
from leerstand.models import ApiToken, AuditEvent
from leerstand.services.accounts import api_tokens
from leerstand.services.accounts.passwords import update_user
from tests.browser.conftest import LiveServer
from tests.conftest import login, post_form, reload
from tests.initiatives import initiative, login_initiative

TOKEN_RE = re.compile(r'id="api-token"[^>]*value="(lst_[A-Za-z0-9_-]+)"')


@pytest.fixture
def web(throwaway_app):
    """An app with one token-protected route (``/probe``) answering the token's user."""
    application = throwaway_app()

    @application.route("/probe", methods=["GET", "HEAD", "POST"])
    @token_required
    def probe():
        if request.headers.get("X-Boom"):
            raise RuntimeError("boom")
        return jsonify(user=token_user().email)

    csrf.exempt(probe)  # so that a POST reaches the decorator (an OGC route has no form)
    return application


@pytest.fixture
def staff(base):
    return SimpleNamespace(email=base.staff.email, id=base.staff.id, obj=base.staff)


def _create(client, name="QGIS Arbeitsplatz", days="90"):
    response = post_form(client, "/verwaltung/api-zugang", {"name": name, "days": days})
    assert response.status_code == 200, response.get_data(as_text=True)[:800]
    page = response.get_data(as_text=True)
    return TOKEN_RE.search(page).group(1), page


def _basic(token: str, user: str = "qgis") -> dict:
    raw = base64.b64encode(f"{user}:{token}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_token_is_shown_once_and_stored_only_hashed(web, session, staff):
    client = web.test_client()
    login(client, staff.email)
    token, page = _create(client)
    assert token.startswith("lst_") and len(token) == 4 + 43
    assert "Benutzername beliebig, Passwort = Token" in page
    assert "http://localhost/ogc/verwaltung" in page
    row = session.scalar(select(ApiToken).where(ApiToken.user_id == staff.id))
    assert row.name == "QGIS Arbeitsplatz"
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.expires_at - row.created_at == timedelta(days=90)
    stored_hash = row.token_hash
    assert token not in row.name and token not in stored_hash
    again = client.get("/verwaltung/api-zugang").get_data(as_text=True)
    assert "QGIS Arbeitsplatz" in again and token not in again and token[4:20] not in again
    audit = client.get("/verwaltung/protokoll", query_string={"entity": "app_user"})
    text = audit.get_data(as_text=True)
    assert "legte einen API-Zugang für Benutzer:in" in text and token not in text
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "api_token_created")
    ).all()
    assert [e.changes["api_token"] for e in events] == [[None, "QGIS Arbeitsplatz"]]
    assert token not in str(events[0].changes) and stored_hash not in str(events[0].changes)


def test_token_works_as_bearer_and_basic_password_on_get_and_head_only(web, session, staff):
    client = web.test_client()
    login(client, staff.email)
    token, _ = _create(client)
    anonymous = web.test_client()
    for headers in (_bearer(token), _basic(token), _basic(token, user="")):
        response = anonymous.get("/probe", headers=headers)
        assert response.status_code == 200
        assert response.get_json() == {"user": "staff@test.example"}
    assert anonymous.head("/probe", headers=_bearer(token)).status_code == 200
    refused = anonymous.post("/probe", headers=_bearer(token))
    assert refused.status_code == 405 and refused.headers["Allow"] == "GET, HEAD"
    row = session.scalar(select(ApiToken).where(ApiToken.user_id == staff.id))
    assert row.last_used_at is not None  # noted and committed by the request


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer lst_falsch"},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic kaputt"},
        {"Authorization": "Digest username=x"},
    ],
)
def test_without_a_valid_token_the_answer_is_401_json_with_basic_challenge(web, headers):
    response = web.test_client().get("/probe", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Basic realm="Leerstand"'
    body = response.get_json()
    assert body["status"] == 401 and "Passwort = Token" in body["error"]


def test_revoked_token_is_refused(web, session, staff):
    client = web.test_client()
    login(client, staff.email)
    token, _ = _create(client)
    row = session.scalar(select(ApiToken).where(ApiToken.user_id == staff.id))
    url = f"/verwaltung/api-zugang/{row.id}/widerrufen"
    assert client.post(url).status_code == 400  # no CSRF token: nothing happens
    assert web.test_client().get("/probe", headers=_bearer(token)).status_code == 200
    response = post_form(client, url, {}, page="/verwaltung/api-zugang")
    assert response.status_code == 302
    assert reload(session, row).revoked_at is not None
    assert web.test_client().get("/probe", headers=_bearer(token)).status_code == 401
    page = client.get("/verwaltung/api-zugang").get_data(as_text=True)
    assert "widerrufen am" in page
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == staff.id))
    assert "api_token_revoked" in list(actions)


def test_someone_elses_token_cannot_be_revoked(web, session, base, staff):
    token, raw = api_tokens.create(session, base.admin, "Admin", 30, datetime.now(UTC))
    session.commit()
    client = web.test_client()
    login(client, staff.email)
    url = f"/verwaltung/api-zugang/{token.id}/widerrufen"
    response = post_form(client, url, {}, page="/verwaltung/api-zugang")
    assert response.status_code == 404
    assert "gibt es nicht" in response.get_data(as_text=True)
    assert reload(session, token).revoked_at is None


def test_expiry_instant_both_sides(session, base):
    start = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    token, raw = api_tokens.create(session, base.staff, "kurz", 1, start)
    expires = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    assert token.expires_at == expires
    before = expires - timedelta(microseconds=1)
    assert api_tokens.authenticate(session, raw, before) is base.staff
    assert api_tokens.authenticate(session, raw, expires) is None
    assert api_tokens.authenticate(session, raw, expires + timedelta(seconds=1)) is None


def test_last_used_is_noted_at_most_once_a_minute(session, base):
    start = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    token, raw = api_tokens.create(session, base.staff, "QGIS", 90, start)
    api_tokens.authenticate(session, raw, start + timedelta(seconds=5))
    assert token.last_used_at == start + timedelta(seconds=5)
    api_tokens.authenticate(session, raw, start + timedelta(seconds=64))
    assert token.last_used_at == start + timedelta(seconds=5)
    api_tokens.authenticate(session, raw, start + timedelta(seconds=65))
    assert token.last_used_at == start + timedelta(seconds=65)


def test_deactivation_revokes_the_tokens_for_good(web, session, base, staff):
    now = datetime.now(UTC)
    token, raw = api_tokens.create(session, base.staff, "QGIS", 90, now)
    session.commit()
    probe = web.test_client()
    assert probe.get("/probe", headers=_bearer(raw)).status_code == 200
    update_user(session, base.staff, active=False, actor_id=base.admin.id)
    session.commit()
    assert probe.get("/probe", headers=_bearer(raw)).status_code == 401
    assert reload(session, token).revoked_at is not None
    update_user(session, reload(session, base.staff), active=True, actor_id=base.admin.id)
    session.commit()
    assert probe.get("/probe", headers=_bearer(raw)).status_code == 401


def test_role_and_password_changes_keep_the_token(session, base):
    now = datetime.now(UTC)
    _, raw = api_tokens.create(session, base.staff, "QGIS", 90, now)
    update_user(session, base.staff, role="viewer", password="ein-neues-passwort-1")
    assert api_tokens.authenticate(session, raw, now) is base.staff


def test_inactive_user_is_refused_even_with_a_live_token(session, base):
    now = datetime.now(UTC)
    _, raw = api_tokens.create(session, base.staff, "QGIS", 90, now)
    base.staff.active = False  # set directly (no revoke): the user check alone refuses
    assert api_tokens.authenticate(session, raw, now) is None


def test_viewer_may_create_their_own_token(web, session, base):
    viewer_id = base.viewer.id
    client = web.test_client()
    login(client, base.viewer.email)
    token, _ = _create(client, name="Lesen", days="365")
    row = session.scalar(select(ApiToken).where(ApiToken.user_id == viewer_id))
    assert row.expires_at - row.created_at == timedelta(days=365)
    assert web.test_client().get("/probe", headers=_bearer(token)).get_json() == {
        "user": "viewer@test.example"
    }


@pytest.mark.parametrize(
    ("name", "days", "message"),
    [
        ("", "90", "Bitte eine Bezeichnung angeben"),
        ("x" * 81, "90", "höchstens 80 Zeichen"),
        ("QGIS", "0", "von 1 bis 365"),
        ("QGIS", "366", "von 1 bis 365"),
        ("QGIS", "zehn", "keine ganze Zahl"),
    ],
)
def test_bad_form_input_is_refused_with_a_message_and_nothing_stored(
    web, session, staff, name, days, message
):
    client = web.test_client()
    login(client, staff.email)
    response = post_form(client, "/verwaltung/api-zugang", {"name": name, "days": days})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and 'id="api-token"' not in page
    assert session.scalar(select(ApiToken).where(ApiToken.user_id == staff.id)) is None


def test_days_edges_are_allowed():
    for days in ("1", "365", ""):
        name, parsed = api_tokens.parse_form({"name": "QGIS", "days": days})
        assert parsed == {"1": 1, "365": 365, "": 90}[days]


def test_initiative_and_anonymous_cannot_reach_the_page(web, session, base):
    anonymous = web.test_client()
    response = anonymous.get("/verwaltung/api-zugang")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    account = initiative(session, base.municipality)
    client = web.test_client()
    login_initiative(client, account.email)
    assert client.get("/verwaltung/api-zugang").status_code == 403


def test_the_token_never_appears_in_log_output(web, session, base, caplog):
    """Through a real server (werkzeug's request log) and an exception in a token request."""
    _, token = api_tokens.create(session, base.staff, "QGIS", 90, datetime.now(UTC))
    session.commit()
    caplog.set_level(logging.DEBUG)
    with LiveServer(web) as server:
        for headers, status in [
            (_bearer(token), 200),
            (_basic(token), 200),
            (_bearer(token + "x"), 401),
            ({**_bearer(token), "X-Boom": "1"}, 500),
        ]:
            request = urllib.request.Request(server.url + "/probe", headers=headers)
            try:
                answer = urllib.request.urlopen(request, timeout=10).status
            except urllib.error.HTTPError as error:
                answer = error.code
            assert answer == status
    assert "GET /probe HTTP/1.1" in caplog.text and "RuntimeError: boom" in caplog.text
    assert token not in caplog.text and token[4:] not in caplog.text


def test_header_links_to_the_page(staff_client):
    page = staff_client.get("/verwaltung/").get_data(as_text=True)
    assert 'href="/verwaltung/api-zugang"' in page
