"""Staff password, role and active-flag changes are in the audit log: the page "Passwort ändern"
and ``flask user-update`` each write one event per change (never the password or its hash),
and the Protokoll reads them as sentences; a refused or empty change writes nothing."""

from __future__ import annotations

import html as html_lib
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from leerstand.models import AuditEvent
from tests.conftest import PASSWORD, login, post_form, reload

NEW_PASSWORD = "ein-ganz-neues-passwort"


@pytest.fixture
def web(throwaway_app):
    return throwaway_app()


@pytest.fixture
def staff(base):
    """The staff user's address and id, read before any request detaches ``base.staff``."""
    return SimpleNamespace(email=base.staff.email, id=base.staff.id, obj=base.staff)


def _events(session, user_id: int) -> list[tuple]:
    rows = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == "app_user", AuditEvent.entity_id == user_id)
        .order_by(AuditEvent.id)
    )
    return [(e.user_id, e.action, e.changes) for e in rows]


def _update(web, *args, input=None):
    result = web.test_cli_runner().invoke(args=["user-update", *args], input=input)
    assert result.exit_code == 0, result.output
    return result


def _protokoll(client) -> tuple[str, str]:
    """(visible text of the app_user entries, raw HTML) of the Protokoll."""
    response = client.get("/verwaltung/protokoll", query_string={"entity": "app_user"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    items = re.findall(r'<li class="audit-entry"[^>]*>(.*?)</li>', page, re.S)
    text = " | ".join(
        re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", item))).strip()
        for item in items
    )
    return text, page


def _no_secret(session, staff, page: str, password: str) -> None:
    stored_hash = reload(session, staff.obj).password_hash
    assert password not in page and stored_hash not in page
    assert not re.search(r"\b[0-9a-f]{32,}\b", page)
    for _user, _action, changes in _events(session, staff.id):
        assert password not in str(changes) and stored_hash not in str(changes)
        assert "password" not in changes and "password_hash" not in changes


def test_password_page_writes_an_event_read_as_a_sentence(web, staff, session, viewer_client):
    client = web.test_client()
    login(client, staff.email)
    data = {"current_password": PASSWORD, "password": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert post_form(client, "/passwort", data).status_code == 302
    assert _events(session, staff.id) == [(staff.id, "password_changed", {})]
    text, page = _protokoll(viewer_client)
    assert "Test Staff änderte das Passwort von Benutzer:in „Test Staff“" in text
    _no_secret(session, staff, page, NEW_PASSWORD)


def test_refused_password_change_writes_nothing(web, staff, session):
    client = web.test_client()
    login(client, staff.email)
    wrong = {
        "current_password": "falsch-falsch",
        "password": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    assert post_form(client, "/passwort", wrong).status_code == 422
    short = {"current_password": PASSWORD, "password": "kurz", "password2": "kurz"}
    assert post_form(client, "/passwort", short).status_code == 422
    assert _events(session, staff.id) == []
    assert reload(session, staff.obj).check_password(PASSWORD)


def test_role_change_by_command_reads_old_and_new_role(web, staff, session, viewer_client):
    _update(web, "--email", staff.email, "--role", "viewer")
    assert _events(session, staff.id) == [(None, "role_changed", {"role": ["staff", "viewer"]})]
    text, _page = _protokoll(viewer_client)
    assert "System änderte die Rolle von Benutzer:in „Test Staff“" in text
    assert "„Test Staff“: Rolle Sachbearbeitung → Nur lesen" in text


def test_unchanged_role_writes_nothing(web, staff, session):
    result = _update(web, "--email", staff.email, "--role", "staff")
    assert "nichts geändert" in result.output
    assert _events(session, staff.id) == []


def test_deactivation_and_activation_are_two_events(web, staff, session, viewer_client):
    _update(web, "--email", staff.email, "--deactivate")
    _update(web, "--email", staff.email, "--deactivate")  # already inactive: nothing new
    _update(web, "--email", staff.email, "--activate")
    assert _events(session, staff.id) == [
        (None, "deactivated", {"active": [True, False]}),
        (None, "activated", {"active": [False, True]}),
    ]
    text, _page = _protokoll(viewer_client)
    assert "System deaktivierte Benutzer:in „Test Staff“" in text
    assert "System aktivierte Benutzer:in „Test Staff“" in text


def test_password_by_command_writes_an_event_without_the_password(
    web, staff, session, viewer_client
):
    _update(web, "--email", staff.email, "--password-stdin", input=f"{NEW_PASSWORD}\n")
    assert _events(session, staff.id) == [(None, "password_changed", {})]
    text, page = _protokoll(viewer_client)
    assert "System änderte das Passwort von Benutzer:in „Test Staff“" in text
    _no_secret(session, staff, page, NEW_PASSWORD)


def test_refused_password_by_command_writes_nothing(web, staff, session):
    result = web.test_cli_runner().invoke(
        args=["user-update", "--email", staff.email, "--role", "viewer", "--password-stdin"],
        input="kurz\n",
    )
    assert result.exit_code == 1
    assert _events(session, staff.id) == []
    assert reload(session, staff.obj).role == "staff"
