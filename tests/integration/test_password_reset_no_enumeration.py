"""The form "Passwort vergessen" never tells whether an address has an account: an unknown
address and an inactive staff account get the same status, page and message as a known one,
no mail and no stored token; both paths cost alike (CPU time; the mail is sent after the
answer, so the SMTP server's time does not show); the form is rate-limited like the login."""

from __future__ import annotations

import statistics
import time

import pytest
from sqlalchemy import select

from leerstand.models import PasswordReset
from tests.conftest import csrf_token, post_form
from tests.initiatives import initiative, rate_limited_app

SENT = "Wenn es ein Konto mit dieser Adresse gibt, ist eine E-Mail mit einem Link unterwegs."


# CPU time (``time.thread_time``) of the app's work per request. Measured on this machine: with
# the mail written before the answer and no work for an unknown address, ~6.5 vs ~2.6 ms; now
# (the same UPDATE, the mail text rendered on both paths, the delivery after the answer)
# ~4.1 vs ~3.5 ms.
TOLERANCE_S = 0.003


def _ask(client, url: str, email: str):
    """POST the form and close the answer as a WSGI server does: the mail goes out then."""
    response = post_form(client, url, {"email": email})
    response.close()
    return response


def _answer(client, url: str, email: str) -> tuple:
    response = _ask(client, url, email)
    login_page = response.headers["Location"]
    flashes = client.get(login_page).get_data(as_text=True).count(SENT)
    return response.status_code, login_page, flashes


@pytest.mark.parametrize(
    ("url", "login_page"),
    [("/passwort-vergessen", "/login"), ("/initiative/passwort-vergessen", "/initiative/anmelden")],
)
def test_unknown_address_gets_the_same_answer_and_no_mail(
    mail_client, smtp_server, base, session, url, login_page
):
    base.viewer.active = False
    session.commit()
    ini = initiative(session, base.municipality, email="verein@example.org")
    known = "verein@example.org" if "initiative" in url else "staff@test.example"
    assert _answer(mail_client, url, known) == (303, login_page, 1)
    smtp_server.wait_for(1)
    smtp_server.clear()
    for nobody in ("niemand@example.org", "viewer@test.example"):  # unknown, inactive staff
        assert _answer(mail_client, url, nobody) == (303, login_page, 1)
    time.sleep(0.3)
    assert smtp_server.messages == []
    rows = session.scalars(select(PasswordReset)).all()
    assert len(rows) == 1 and (rows[0].user_id or rows[0].initiative_id) in (
        base.staff.id,
        ini.id,
    )


def test_unknown_and_known_addresses_cost_alike(throwaway_app, base, session):
    """CPU time of the request: both run the same UPDATE, make and hash a token and render the
    mail text; the known path also stores the token (the mail goes out after the answer)."""
    web = throwaway_app()
    client = web.test_client()
    token = csrf_token(client.get("/passwort-vergessen").get_data(as_text=True))

    def cost(email: str) -> float:
        start = time.thread_time()
        response = client.post("/passwort-vergessen", data={"email": email, "csrf_token": token})
        assert response.status_code == 303
        return time.thread_time() - start

    cost("staff@test.example")  # warm-up
    known, unknown = [], []
    for _ in range(9):
        known.append(cost("staff@test.example"))
        unknown.append(cost("niemand@example.org"))
    difference = abs(statistics.median(known) - statistics.median(unknown))
    assert difference < TOLERANCE_S, (statistics.median(known), statistics.median(unknown))


def test_the_forms_are_rate_limited(base):
    with rate_limited_app() as limited:
        client = limited.test_client()
        token = csrf_token(client.get("/passwort-vergessen").get_data(as_text=True))
        statuses = [
            client.post(
                "/passwort-vergessen", data={"email": "niemand@example.org", "csrf_token": token}
            ).status_code
            for _ in range(21)
        ]
    assert statuses == [303] * 20 + [429]


def test_the_mail_goes_out_after_the_answer(mail_client, smtp_server, base):
    """The SMTP server's time is not part of the answer: the mail is sent when the server
    closes the response (after writing it), not before."""
    response = post_form(mail_client, "/passwort-vergessen", {"email": base.staff.email})
    assert response.status_code == 303
    time.sleep(0.3)
    assert smtp_server.messages == []
    response.close()
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "staff@test.example"
