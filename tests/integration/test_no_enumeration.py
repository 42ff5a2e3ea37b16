"""Login and registration never tell whether an address has an account: an unknown address, a
wrong password, a locked and an inactive account get the same status, the same text and take
the same time (a dummy hash is checked for unknown addresses); registering with a taken address
answers like a new registration and mails the existing account instead (both paths spend one
password hash and write one mail; their CPU time is compared with the mail going to the outbox,
as loopback SMTP makes wall time too noisy)."""

import re
import statistics
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from leerstand.models import Initiative
from tests.conftest import PASSWORD, csrf_token
from tests.initiatives import initiative, reload
from tests.smtp import body

FAILED = (
    "Die Anmeldung hat nicht geklappt: E-Mail-Adresse oder Passwort ist falsch, oder das Konto "
    "ist nach mehreren Fehlversuchen für einige Minuten gesperrt. Bitte prüfen Sie Ihre Eingaben "
    "und versuchen Sie es später noch einmal."
)
FLASH_RE = re.compile(r'<p class="flash flash-(\w+)"[^>]*>(.*?)</p>', re.S)
TRIES = 7
# Time is the CPU time of this thread, which runs the app (Flask's test client): the work the
# server does per case, not disturbed by other processes when parallel test runs load the
# machine (wall-clock medians then scatter by 100 ms and more). An attacker sees wall time,
# which on an idle machine follows this work. A hash takes ~100 ms; the cases must differ by
# less than 15 ms (or 15 % when a hash takes longer). Without the dummy hash an unknown
# address cost < 10 % of a known one.
TOLERANCE_S = 0.015
TOLERANCE_SHARE = 0.15


@pytest.fixture
def web(throwaway_app):
    """Its own app (a fresh app context per request); lockout out of the way while timing."""
    return throwaway_app(LOGIN_MAX_FAILURES=1000)


def _flashes(html: str) -> list[tuple[str, str]]:
    return FLASH_RE.findall(html)


class Poster:
    """POSTs a login form with one CSRF token; the CPU time of each request."""

    def __init__(self, client, url: str):
        self.client, self.url = client, url
        self.token = csrf_token(client.get(url).get_data(as_text=True))

    def __call__(self, email: str, password: str):
        start = time.thread_time()
        response = self.client.post(
            self.url, data={"email": email, "password": password, "csrf_token": self.token}
        )
        return response, time.thread_time() - start


def _medians(post, cases: dict[str, tuple[str, str]]):
    """Median time, statuses and flash texts per case; the cases take turns (drift hits all)."""
    post(*next(iter(cases.values())))  # warm-up: the dummy hash is made once
    times = {name: [] for name in cases}
    answers = {name: set() for name in cases}
    for _ in range(TRIES):
        for name, (email, password) in cases.items():
            response, elapsed = post(email, password)
            times[name].append(elapsed)
            html = response.get_data(as_text=True)
            answers[name].add((response.status_code, tuple(_flashes(html))))
    return {name: statistics.median(t) for name, t in times.items()}, answers


def _assert_alike(medians: dict[str, float]) -> None:
    wrong = medians["wrong"]
    assert wrong > 0.03, medians  # a real password hash was checked
    tolerance = max(TOLERANCE_S, TOLERANCE_SHARE * wrong)
    for median in medians.values():
        assert abs(median - wrong) < tolerance, medians


def test_staff_login_failures_look_alike(web, base, session):
    locked, inactive = base.viewer, base.admin
    locked_email, inactive_email, staff_email = locked.email, inactive.email, base.staff.email
    locked.locked_until = datetime.now(UTC) + timedelta(minutes=10)
    inactive.active = False
    session.commit()
    post = Poster(web.test_client(), "/login")
    cases = {
        "unknown": ("niemand@ballenstedt.example", "falsch-falsch"),
        "wrong": (staff_email, "falsch-falsch"),
        "locked, right password": (locked_email, PASSWORD),
        "inactive, right password": (inactive_email, PASSWORD),
    }
    medians, answers = _medians(post, cases)
    for name in cases:
        assert answers[name] == {(401, (("error", FAILED),))}, name
    # the hash check dominates: without the dummy hash "unknown" would be far quicker
    _assert_alike(medians)


def test_initiative_login_failures_look_alike(web, base, session):
    ini = initiative(session, base.municipality, email="verein@example.org")
    initiative(
        session,
        base.municipality,
        email="gesperrt@example.org",
        locked_until=datetime.now(UTC) + timedelta(minutes=10),
    )
    initiative(session, base.municipality, confirmed=False, email="neu@example.org")
    post = Poster(web.test_client(), "/initiative/anmelden")
    cases = {
        "unknown": ("niemand@example.org", "falsch-falsch"),
        "wrong": (ini.email, "falsch-falsch"),
        "locked, right password": ("gesperrt@example.org", "initiative-geheim-123"),
        "unconfirmed, wrong password": ("neu@example.org", "falsch-falsch"),
    }
    medians, answers = _medians(post, cases)
    for name in cases:
        assert answers[name] == {(401, (("error", FAILED),))}, name
    _assert_alike(medians)


def test_lock_still_holds_and_ends(web, base, session):
    """Five wrong passwords lock the account: then even the right one fails (same text); after
    the lock time the right password works again."""
    web.config["LOGIN_MAX_FAILURES"] = 5
    viewer, email = base.viewer, base.viewer.email
    post = Poster(web.test_client(), "/login")
    for _ in range(5):
        response, _ = post(email, "falsch-falsch")
    assert reload(session, viewer).locked_until is not None
    response, _ = post(email, PASSWORD)
    assert response.status_code == 401
    assert _flashes(response.get_data(as_text=True)) == [("error", FAILED)]

    viewer = reload(session, viewer)
    viewer.locked_until = datetime.now(UTC) - timedelta(seconds=1)
    session.commit()
    response, _ = post(email, PASSWORD)
    assert response.status_code == 302


def _registration(email: str) -> dict:
    return {
        "name": "Jugendclub Test e.V.",
        "contact_person": "Jana Test",
        "email": email,
        "password": "sehr-geheim-42",
        "password2": "sehr-geheim-42",
        "profile": "Wir suchen einen Raum.",
    }


def _register(client, email: str):
    token = csrf_token(client.get("/initiative/registrieren").get_data(as_text=True))
    start = time.perf_counter()
    response = client.post(
        "/initiative/registrieren", data={**_registration(email), "csrf_token": token}
    )
    elapsed = time.perf_counter() - start
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    return response.status_code, response.headers["Location"], _flashes(page), elapsed


def test_registration_with_a_taken_address_answers_like_a_new_one(
    mail_client, smtp_server, base, session
):
    existing = initiative(
        session, base.municipality, email="vergeben@example.org", name="Heimatverein"
    )
    count = session.scalar(select(func.count()).select_from(Initiative))

    new = _register(mail_client, "frei@example.org")
    (confirmation,) = smtp_server.wait_for(1)
    smtp_server.clear()
    taken = _register(mail_client, "VERGEBEN@example.org")
    (notice,) = smtp_server.wait_for(1)

    assert new[:3] == taken[:3]
    assert new[0] == 302 and new[1] == "/initiative/anmelden"
    assert new[2] == [
        ("message", "Fast geschafft: Wir haben Ihnen einen Bestätigungslink per E-Mail geschickt.")
    ]
    assert confirmation["To"] == "frei@example.org"
    assert notice["To"] == "vergeben@example.org"
    text = body(notice).replace("\r\n", "\n")
    assert "schon das Konto\n„Heimatverein“; ein zweites wurde nicht angelegt." in text
    assert "http://localhost/initiative/anmelden" in text
    assert "Passwort nicht mehr wissen" in text
    assert "http://localhost/initiative/passwort-vergessen" in text
    assert "/initiative/bestaetigen/" not in text
    # one new account (frei@), none for the taken address; the existing one unchanged
    assert session.scalar(select(func.count()).select_from(Initiative)) == count + 1
    existing = reload(session, existing)
    assert existing.name == "Heimatverein" and existing.check_password("initiative-geheim-123")


def test_registration_with_an_unconfirmed_address_sends_the_link_again(
    mail_client, smtp_server, base, session
):
    initiative(session, base.municipality, confirmed=False, email="offen@example.org")
    status, location, flashes, _ = _register(mail_client, "offen@example.org")
    assert status == 302 and location == "/initiative/anmelden"
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "offen@example.org"
    assert "/initiative/bestaetigen/" in body(message)


def _registration_cpu(client, email: str) -> tuple[int, str, float]:
    """Status, redirect and CPU time of one registration POST (mail to the test outbox)."""
    token = csrf_token(client.get("/initiative/registrieren").get_data(as_text=True))
    start = time.thread_time()
    response = client.post(
        "/initiative/registrieren", data={**_registration(email), "csrf_token": token}
    )
    return response.status_code, response.headers.get("Location", ""), time.thread_time() - start


def test_registration_takes_as_long_for_a_taken_address(web, base, session):
    """New and taken addresses alternate; each new one is fresh. Both spend one password hash
    and write one mail; the medians of their CPU time differ by less than the tolerance."""
    initiative(session, base.municipality, email="vergeben@example.org")
    client = web.test_client()
    _registration_cpu(client, "aufwaermen@example.org")  # warm-up (templates, dummy hash)
    new, taken = [], []
    for i in range(TRIES):
        status, location, elapsed = _registration_cpu(client, f"frei{i}@example.org")
        assert (status, location) == (302, "/initiative/anmelden")
        new.append(elapsed)
        status, location, elapsed = _registration_cpu(client, "vergeben@example.org")
        assert (status, location) == (302, "/initiative/anmelden")
        taken.append(elapsed)
    _assert_alike({"wrong": statistics.median(new), "taken": statistics.median(taken)})
