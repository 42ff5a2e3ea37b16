"""Benutzer (``/verwaltung/benutzer``): only admins; the list shows role, state and last login;
an invitation mails a set-password link that leads to a working login; a role change and a
deactivation end the account's sessions at once (a copied cookie stops working) and are
audited; the last active admin can neither demote nor deactivate themselves."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from leerstand.models import AuditEvent, PasswordReset, User
from tests.conftest import PASSWORD, login, post_form, reload
from tests.smtp import body, links

USERS = "/verwaltung/benutzer"
NEW = "mein-erstes-passwort-1"
LAST_ADMIN = "Das geht nicht: Sie sind die letzte aktive Administration dieser Kommune."


@pytest.fixture
def web(mail_app):
    """The app that mails over the loopback SMTP server (a fresh app context per request)."""
    return mail_app


@pytest.fixture
def people(base):
    return SimpleNamespace(
        admin=SimpleNamespace(email=base.admin.email, id=base.admin.id, obj=base.admin),
        staff=SimpleNamespace(email=base.staff.email, id=base.staff.id, obj=base.staff),
        stranger_id=base.stranger.id,
        town_id=base.municipality.id,
    )


def _admin(web, people):
    client = web.test_client()
    login(client, people.admin.email)
    return client


def _copy_cookie(source, app):
    thief = app.test_client()
    thief.set_cookie("session", source.get_cookie("session").value)
    return thief


def _logged_in(client) -> bool:
    status = client.get("/verwaltung/").status_code
    assert status in (200, 302), status
    return status == 200


def _events(session, user_id: int) -> list[tuple]:
    rows = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == "app_user", AuditEvent.entity_id == user_id)
        .order_by(AuditEvent.id)
    )
    return [(e.user_id, e.action, e.changes) for e in rows]


def _row(html: str, user_id: int) -> str:
    match = re.search(rf'<tr data-user="{user_id}">(.*?)</tr>', html, re.S)
    assert match, f"no row for user {user_id}"
    return match.group(1)


def test_only_admins_see_the_page_and_its_link(web, people):
    admin = _admin(web, people)
    page = admin.get(USERS)
    assert page.status_code == 200
    assert f'href="{USERS}"' in admin.get("/verwaltung/").get_data(as_text=True)
    for email in ("staff@test.example", "viewer@test.example"):
        other = web.test_client()
        login(other, email)
        assert other.get(USERS).status_code == 403
        assert other.post(f"{USERS}/einladen", data={}).status_code in (400, 403)
        assert f'href="{USERS}"' not in other.get("/verwaltung/").get_data(as_text=True)
    assert web.test_client().get(USERS).status_code == 302  # not logged in: to the login


def test_list_shows_roles_state_and_last_login(web, people, session):
    admin = _admin(web, people)
    stamped = reload(session, people.admin.obj).last_login_at
    assert stamped is not None and datetime.now(UTC) - stamped < timedelta(minutes=1)
    viewer = session.scalar(select(User).where(User.email == "viewer@test.example"))
    viewer.last_login_at = None  # never logged in (browser tests may have logged it in)
    session.flush()
    viewer_id = viewer.id
    html = admin.get(USERS).get_data(as_text=True)
    assert "staff@anderswo.example" not in html  # another town's account
    viewer_row = _row(html, viewer_id)
    assert "noch nie" in viewer_row and "aktiv" in viewer_row
    assert '<option value="viewer" selected>Nur lesen</option>' in viewer_row
    admin_row = _row(html, people.admin.id)
    local = stamped.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Berlin"))
    assert local.strftime("%d.%m.%Y %H:%M") in admin_row


def test_invite_mail_set_password_login(web, smtp_server, people, session):
    admin = _admin(web, people)
    form = {"email": "Neu.Person@Ballenstedt.example", "name": "Nora Neu", "role": "analyst"}
    response = post_form(admin, f"{USERS}/einladen", form, page=USERS)
    assert response.status_code == 303
    user = session.scalar(select(User).where(User.email == "neu.person@ballenstedt.example"))
    assert (user.name, user.role, user.active, user.municipality_id) == (
        "Nora Neu",
        "analyst",
        True,
        people.town_id,
    )
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "neu.person@ballenstedt.example"
    assert message["Subject"] == "Einladung zum Leerstandsmanagement"
    assert "7 Tage gültig, nur einmal nutzbar" in body(message)
    (link,) = [link for link in links(message) if "/passwort-neu/" in link]
    (row,) = session.scalars(select(PasswordReset).where(PasswordReset.user_id == user.id))
    assert row.expires_at - row.created_at == timedelta(days=7)
    assert _events(session, user.id) == [
        (
            people.admin.id,
            "create",
            {"email": [None, "neu.person@ballenstedt.example"], "role": [None, "analyst"]},
        )
    ]

    user_id, email = user.id, user.email
    protokoll = admin.get("/verwaltung/protokoll", query_string={"entity": "app_user"})
    assert protokoll.status_code == 200
    assert "Test Admin legte" in protokoll.get_data(as_text=True)
    person = web.test_client()
    refused = post_form(person, "/login", {"email": email, "password": "irgendein-passwort"})
    assert refused.status_code == 401  # the random first password is nobody's
    assert person.get(link.removeprefix("http://localhost")).status_code == 303
    done = post_form(person, "/passwort-neu", {"password": NEW, "password2": NEW})
    assert done.status_code == 303 and done.headers["Location"] == "/login"
    login(person, email, NEW)
    assert _logged_in(person)
    assert session.get(User, user_id, populate_existing=True).last_login_at is not None


def test_invite_refuses_a_taken_address_and_a_bad_role(web, smtp_server, people, session):
    admin = _admin(web, people)
    count = len(session.scalars(select(User)).all())
    taken = post_form(
        admin, f"{USERS}/einladen", {"email": "STAFF@anderswo.example", "role": "staff"}, page=USERS
    )
    assert taken.status_code == 422
    assert "Für staff@anderswo.example gibt es schon ein Konto." in taken.get_data(as_text=True)
    bad_role = post_form(
        admin, f"{USERS}/einladen", {"email": "x@ballenstedt.example", "role": "boss"}, page=USERS
    )
    assert bad_role.status_code == 422
    assert "Bitte bei „Rolle“ einen Wert aus der Liste wählen." in bad_role.get_data(as_text=True)
    bad_mail = post_form(
        admin, f"{USERS}/einladen", {"email": "kein@", "role": "staff"}, page=USERS
    )
    assert bad_mail.status_code == 422
    assert len(session.scalars(select(User)).all()) == count
    assert smtp_server.messages == []


def test_role_change_ends_the_sessions_at_once(web, people, session):
    staff_browser = web.test_client()
    login(staff_browser, people.staff.email)
    copy = _copy_cookie(staff_browser, web)
    assert _logged_in(copy)
    admin = _admin(web, people)
    response = post_form(admin, f"{USERS}/{people.staff.id}", {"role": "viewer"}, page=USERS)
    assert response.status_code == 303
    assert reload(session, people.staff.obj).role == "viewer"
    assert not _logged_in(staff_browser) and not _logged_in(copy)
    assert _events(session, people.staff.id) == [
        (people.admin.id, "role_changed", {"role": ["staff", "viewer"]})
    ]
    assert _logged_in(admin)  # the admin's own session goes on


def test_deactivate_and_reactivate(web, people, session):
    staff_browser = web.test_client()
    login(staff_browser, people.staff.email)
    admin = _admin(web, people)
    off = post_form(admin, f"{USERS}/{people.staff.id}", {"active": "0"}, page=USERS)
    assert off.status_code == 303
    assert reload(session, people.staff.obj).active is False
    assert not _logged_in(staff_browser)
    again = post_form(
        web.test_client(), "/login", {"email": people.staff.email, "password": PASSWORD}
    )
    assert again.status_code == 401
    assert "deaktiviert" in _row(admin.get(USERS).get_data(as_text=True), people.staff.id)

    on = post_form(admin, f"{USERS}/{people.staff.id}", {"active": "1"}, page=USERS)
    assert on.status_code == 303
    assert reload(session, people.staff.obj).active is True
    login(web.test_client(), people.staff.email)
    assert [e[1] for e in _events(session, people.staff.id)] == ["deactivated", "activated"]


def test_the_last_admin_cannot_demote_or_deactivate_themselves(web, people, session):
    admin = _admin(web, people)
    for change in ({"role": "staff"}, {"active": "0"}):
        refused = post_form(admin, f"{USERS}/{people.admin.id}", change, page=USERS)
        assert refused.status_code == 422
        html = refused.get_data(as_text=True)
        assert LAST_ADMIN in html
        assert html.index(LAST_ADMIN) < html.index('class="form form-grid users-invite"')
    user = reload(session, people.admin.obj)
    assert (user.role, user.active) == ("admin", True)
    assert _events(session, people.admin.id) == []
    assert _logged_in(admin)


def test_with_a_second_admin_one_may_step_down(web, people, session):
    staff_user = reload(session, people.staff.obj)
    staff_user.role = "admin"
    session.commit()
    admin = _admin(web, people)
    response = post_form(admin, f"{USERS}/{people.admin.id}", {"role": "staff"}, page=USERS)
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert reload(session, people.admin.obj).role == "staff"
    assert not _logged_in(admin)  # one's own sessions end too


def test_another_towns_account_is_not_found(web, people, session):
    admin = _admin(web, people)
    response = post_form(admin, f"{USERS}/{people.stranger_id}", {"active": "0"}, page=USERS)
    assert response.status_code == 404
    assert session.get(User, people.stranger_id).active is True
