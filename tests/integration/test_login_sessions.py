"""Server-side login sessions: a session cookie copied before logout, a password change, a
role change or a deactivation is refused afterwards (staff and initiatives). Two test clients
of an app of their own (``web``: a fresh app context, and so a fresh user, per request; the
test's app context belongs to ``app``): the second one gets a copy of the first one's cookie."""

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from leerstand.models import LoginSession, User
from leerstand.services.accounts import sessions
from tests.conftest import PASSWORD, login, post_form
from tests.initiatives import INITIATIVE_PASSWORD, initiative, login_initiative, reload

STAFF_HOME = "/verwaltung/"
PROPOSALS = "/initiative/ideen"


@pytest.fixture
def web(throwaway_app):
    return throwaway_app()


@pytest.fixture
def client(web):
    return web.test_client()


@pytest.fixture
def staff(base):
    """The staff user's address and id, read before any request detaches ``base.staff``."""
    return SimpleNamespace(email=base.staff.email, id=base.staff.id, obj=base.staff)


def _copy_cookie(source, app):
    """A second client carrying the same session cookie as ``source``."""
    thief = app.test_client()
    cookie = source.get_cookie("session")
    assert cookie is not None
    thief.set_cookie("session", cookie.value)
    return thief


def _is_logged_in(client, url: str) -> bool:
    status = client.get(url).status_code
    assert status in (200, 302), status
    return status == 200


def _open_sessions(session, **owner) -> int:
    (column,) = owner
    rows = session.scalars(
        select(LoginSession).where(
            getattr(LoginSession, column) == owner[column], LoginSession.ended_at.is_(None)
        )
    )
    return len(list(rows))


def test_staff_cookie_copied_before_logout_is_refused_after_it(web, client, staff, session):
    login(client, staff.email)
    thief = _copy_cookie(client, web)
    assert _is_logged_in(thief, STAFF_HOME)
    assert _open_sessions(session, user_id=staff.id) == 1

    assert post_form(client, "/logout", {}, page=STAFF_HOME).status_code == 302
    assert not _is_logged_in(client, STAFF_HOME)
    assert not _is_logged_in(thief, STAFF_HOME)
    assert _open_sessions(session, user_id=staff.id) == 0


def test_logout_ends_only_its_own_session(web, staff, session):
    first, second = web.test_client(), web.test_client()
    login(first, staff.email)
    login(second, staff.email)
    assert _open_sessions(session, user_id=staff.id) == 2
    post_form(first, "/logout", {}, page=STAFF_HOME)
    assert not _is_logged_in(first, STAFF_HOME)
    assert _is_logged_in(second, STAFF_HOME)
    assert _open_sessions(session, user_id=staff.id) == 1


def test_initiative_cookie_copied_before_logout_is_refused_after_it(web, client, base, session):
    ini = initiative(session, base.municipality)
    assert login_initiative(client, ini.email).status_code == 302
    thief = _copy_cookie(client, web)
    assert _is_logged_in(thief, PROPOSALS)

    assert post_form(client, "/initiative/abmelden", {}, page=PROPOSALS).status_code == 302
    assert not _is_logged_in(client, PROPOSALS)
    assert not _is_logged_in(thief, PROPOSALS)
    assert _open_sessions(session, initiative_id=ini.id) == 0


def test_cookie_with_login_id_but_no_session_token_is_refused(client, staff):
    """A cookie signed with the secret but without a server-side session (e.g. one issued
    before this change) does not log anybody in."""
    with client.session_transaction() as cookie_session:
        cookie_session["_user_id"] = f"s:{staff.id}"
        cookie_session["_fresh"] = True
    assert not _is_logged_in(client, STAFF_HOME)
    with client.session_transaction() as cookie_session:
        cookie_session["login_token"] = "ausgedacht"
    assert not _is_logged_in(client, STAFF_HOME)


def test_staff_password_change_ends_other_sessions(web, client, staff, session):
    login(client, staff.email)
    thief = _copy_cookie(client, web)
    page = client.get("/passwort")
    assert page.status_code == 200 and "Bisheriges Passwort" in page.get_data(as_text=True)

    wrong = post_form(
        client,
        "/passwort",
        {"current_password": "falsch", "password": "neu-und-lang-1", "password2": "neu-und-lang-1"},
    )
    assert wrong.status_code == 422
    assert "Das bisherige Passwort ist falsch." in wrong.get_data(as_text=True)
    assert _is_logged_in(thief, STAFF_HOME)  # nothing changed
    assert reload(session, staff.obj).check_password(PASSWORD)

    short = post_form(
        client, "/passwort", {"current_password": PASSWORD, "password": "kurz", "password2": "kurz"}
    )
    assert short.status_code == 422
    assert "mindestens 10 Zeichen" in short.get_data(as_text=True)
    assert _is_logged_in(thief, STAFF_HOME)

    response = post_form(
        client,
        "/passwort",
        {"current_password": PASSWORD, "password": "neu-und-lang-1", "password2": "neu-und-lang-1"},
    )
    assert response.status_code == 302
    assert _is_logged_in(client, STAFF_HOME)  # this browser got a new session
    assert not _is_logged_in(thief, STAFF_HOME)
    staff = reload(session, staff.obj)
    assert staff.check_password("neu-und-lang-1") and not staff.check_password(PASSWORD)
    assert _open_sessions(session, user_id=staff.id) == 1


def test_password_page_is_for_staff_only(client, base, session):
    assert client.get("/passwort").status_code == 302  # to the login
    ini = initiative(session, base.municipality)
    login_initiative(client, ini.email)
    assert client.get("/passwort").status_code == 403


def test_initiative_password_change_ends_other_sessions(web, client, base, session):
    ini = initiative(session, base.municipality)
    login_initiative(client, ini.email)
    thief = _copy_cookie(client, web)
    profile = {"name": ini.name, "version": str(ini.version)}
    # a profile change without a new password keeps the other sessions
    assert post_form(client, "/initiative/profil", profile).status_code == 302
    assert _is_logged_in(thief, PROPOSALS)

    ini = reload(session, ini)
    data = {
        "name": ini.name,
        "version": str(ini.version),
        "current_password": INITIATIVE_PASSWORD,
        "password": "ganz-neues-pw-1",
        "password2": "ganz-neues-pw-1",
    }
    assert post_form(client, "/initiative/profil", data).status_code == 302
    assert _is_logged_in(client, PROPOSALS)
    assert not _is_logged_in(thief, PROPOSALS)
    assert reload(session, ini).check_password("ganz-neues-pw-1")


def _update(web, *args, input=None):
    return web.test_cli_runner().invoke(args=["user-update", *args], input=input)


def test_role_change_by_command_ends_sessions(web, client, staff, session):
    login(client, staff.email)
    thief = _copy_cookie(client, web)
    result = _update(web, "--email", staff.email, "--role", "viewer")
    assert result.exit_code == 0, result.output
    assert "Alle Anmeldungen des Kontos sind beendet." in result.output
    assert not _is_logged_in(thief, STAFF_HOME)
    assert not _is_logged_in(client, STAFF_HOME)
    assert reload(session, staff.obj).role == "viewer"


def test_unchanged_role_keeps_sessions(web, client, staff, session):
    login(client, staff.email)
    result = _update(web, "--email", staff.email.upper(), "--role", "staff")
    assert result.exit_code == 0, result.output
    assert "nichts geändert" in result.output
    assert _is_logged_in(client, STAFF_HOME)


def test_deactivation_ends_sessions_and_activation_lets_in_again(web, client, staff, session):
    login(client, staff.email)
    thief = _copy_cookie(client, web)
    result = _update(web, "--email", staff.email, "--deactivate")
    assert result.exit_code == 0, result.output
    assert not _is_logged_in(thief, STAFF_HOME)
    assert reload(session, staff.obj).active is False
    refused = post_form(client, "/login", {"email": staff.email, "password": PASSWORD})
    assert refused.status_code == 401

    result = _update(web, "--email", staff.email, "--activate")
    assert result.exit_code == 0, result.output
    assert reload(session, staff.obj).active is True
    login(client, staff.email)
    assert _is_logged_in(client, STAFF_HOME)


def test_password_by_command_ends_sessions(web, client, staff, session):
    login(client, staff.email)
    short = _update(web, "--email", staff.email, "--password-stdin", input="kurz\n")
    assert short.exit_code == 1
    assert "mindestens 10 Zeichen" in short.output
    assert _is_logged_in(client, STAFF_HOME)
    assert reload(session, staff.obj).check_password(PASSWORD)

    result = _update(web, "--email", staff.email, "--password-stdin", input="ein-neues-passwort\n")
    assert result.exit_code == 0, result.output
    assert "neues Passwort" in result.output
    assert not _is_logged_in(client, STAFF_HOME)
    assert reload(session, staff.obj).check_password("ein-neues-passwort")


def test_user_update_names_an_unknown_address(web, base):
    result = _update(web, "--email", "niemand@example.org", "--role", "viewer")
    assert result.exit_code == 1
    assert "Es gibt kein Konto mit niemand@example.org." in result.output


def test_end_all_ends_only_that_account(session, base, staff):
    staff_token = sessions.start(session, staff.obj)
    viewer_token = sessions.start(session, base.viewer)
    assert sessions.end_all(session, staff.obj) == 1
    assert not sessions.is_live(session, staff.obj, staff_token)
    assert sessions.is_live(session, base.viewer, viewer_token)
    # a token is only good for its own account
    assert not sessions.is_live(session, session.get(User, base.admin.id), viewer_token)
