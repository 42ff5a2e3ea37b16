"""Defects from the security review (issue 8): where a login sends people next (only a path on
this site), and pages with personal data that no browser or proxy may keep (``no-store``)."""

from __future__ import annotations

import pytest

from tests import factories
from tests.conftest import PASSWORD, csrf_token
from tests.initiatives import INITIATIVE_PASSWORD, initiative, login_initiative

BAD_NEXT = [
    "/%09/evil.example",  # a tab: browsers drop it and go to //evil.example
    "/%5Cevil.example",  # /\evil.example
    "/%5C%5Cevil.example",  # /\\evil.example
    "//evil.example",
    "https://evil.example",
    "/%0d%0aSet-Cookie:x",  # CR LF: gave a 500
    "/%0Aevil",
    "/%E2%80%8B/evil.example",  # a zero-width space
    "%2F%2Fevil.example",
]
GOOD_NEXT = ("%2Fverwaltung%2Fregister%3Fx%3D1", "/verwaltung/register?x=1")


def _post_login(client, url: str, email: str, password: str):
    token = csrf_token(client.get(url.split("?")[0]).get_data(as_text=True))
    data = {"email": email, "password": password, "csrf_token": token}
    return client.post(url, data=data)


@pytest.mark.parametrize("raw", BAD_NEXT)
def test_staff_login_never_redirects_off_site(client, base, raw):
    response = _post_login(client, f"/login?next={raw}", base.staff.email, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/verwaltung/"
    assert not any(c.startswith("x") for c in response.headers.getlist("Set-Cookie"))


def test_staff_login_keeps_a_local_next(client, base):
    response = _post_login(client, f"/login?next={GOOD_NEXT[0]}", base.staff.email, PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == GOOD_NEXT[1]


@pytest.mark.parametrize("raw", BAD_NEXT)
def test_initiative_login_never_redirects_off_site(client, base, session, raw):
    ini = initiative(session, base.municipality)
    response = _post_login(
        client, f"/initiative/anmelden?next={raw}", ini.email, INITIATIVE_PASSWORD
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/initiative/ideen"


def test_initiative_login_keeps_a_local_next(client, base, session):
    ini = initiative(session, base.municipality)
    url = "/initiative/anmelden?next=%2Finitiative%2Fideen%2Fneu%3Funit%3D5"
    response = _post_login(client, url, ini.email, INITIATIVE_PASSWORD)
    assert response.headers["Location"] == "/initiative/ideen/neu?unit=5"


# --- 5. Cache-Control: private, no-store -----------------------------------------------------


@pytest.fixture
def owner_id(session, base) -> int:
    building = factories.building(session, base.municipality)
    owner = factories.owner(session, base.municipality, name="Hanna Privat")
    factories.ownership(session, building, owner)
    session.commit()
    return owner.id


def test_staff_pages_are_not_stored(staff_client, owner_id):
    for url in (
        "/verwaltung/",
        "/verwaltung/register",
        "/verwaltung/register.geojson",
        "/verwaltung/eigentuemer",
        f"/verwaltung/eigentuemer/{owner_id}",
        f"/verwaltung/eigentuemer/{owner_id}/bearbeiten",
        "/verwaltung/ansprache",
        "/verwaltung/gebaeude/2147483647",  # a 404 page too
    ):
        response = staff_client.get(url)
        assert response.status_code in (200, 404), url
        assert response.headers.get("Cache-Control") == "private, no-store", url


def test_owner_page_shows_the_owner_and_is_not_stored(staff_client, owner_id):
    response = staff_client.get(f"/verwaltung/eigentuemer/{owner_id}")
    assert "Hanna Privat" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "private, no-store"


def test_logins_and_owner_answer_pages_are_not_stored(client):
    for url in ("/login", "/initiative/anmelden", "/initiative/registrieren", "/antwort"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.headers.get("Cache-Control", ""), url


def test_initiative_account_pages_are_not_stored(client, base, session):
    ini = initiative(session, base.municipality)
    login_initiative(client, ini.email)
    for url in ("/initiative/ideen", "/initiative/ideen/neu", "/initiative/profil"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers.get("Cache-Control") == "private, no-store", url


def test_public_pages_keep_their_caching(client, base):
    assert "Cache-Control" not in client.get("/").headers
    assert client.get("/api/units.geojson").headers["Cache-Control"] == "no-cache"
