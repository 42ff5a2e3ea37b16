"""Use requests, staff pages: the list with its state filter, the request page, revoke and
reissue (the old secret dies, the new one works), the match partial, roles and towns."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from leerstand.models import UseRequest
from leerstand.services.use_requests.tokens import hash_secret, normalise_code
from tests.conftest import login, post_form
from tests.integration.use_requests_common import (
    counts,
    issue,
    reload,
    row,
    send_form,
    world_fixture,  # noqa: F401 (the fixture "world")
)
from tests.smtp import body, links

CODE_RE = re.compile(r'class="answer-code">([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})<')


def _states(session, world) -> dict[str, int]:
    """One request in each state (owner email open, heir letters otherwise); name -> id."""
    now = datetime.now(UTC)
    ids = {"open": issue(session, world)[0].request_id}
    for state in ("revoked", "expired", "answered"):  # an answered one blocks new requests
        (item,) = issue(session, world, {world.heir_id: "letter"})
        req = session.get(UseRequest, item.request_id)
        if state == "answered":
            req.answer, req.answered_at, req.answer_message = "more_info", now, "Wie lange?"
        elif state == "revoked":
            req.revoked_at = now
        else:
            req.expires_at = now - timedelta(minutes=1)
        session.commit()
        ids[state] = item.request_id
    return ids


def _listed(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'<tr data-request="(\d+)"', html)}


def test_list_filters_by_state(staff_client, world, session):
    ids = _states(session, world)
    html = staff_client.get("/verwaltung/anfragen").get_data(as_text=True)
    assert _listed(html) == set(ids.values())
    for state, request_id in ids.items():
        html = staff_client.get(f"/verwaltung/anfragen?state={state}").get_data(as_text=True)
        assert _listed(html) == {request_id}, state
    assert _listed(staff_client.get("/verwaltung/anfragen?state=quatsch").get_data(as_text=True))


def test_request_page_shows_answer_and_log(staff_client, world, session):
    ids = _states(session, world)
    html = staff_client.get(f"/verwaltung/anfragen/{ids['answered']}").get_data(as_text=True)
    assert "Ich brauche mehr Informationen" in html and "Wie lange?" in html
    assert "Neu ausstellen" not in html  # an answered request cannot be reissued
    assert "Nutzungsanfrage per Brief gesendet" in html  # the contact log
    html = staff_client.get(f"/verwaltung/anfragen/{ids['open']}").get_data(as_text=True)
    assert "Zurückziehen" in html and "Neu ausstellen und E-Mail senden" in html


def test_match_partial_lists_requests_and_the_send_form(staff_client, world, session):
    url = f"/verwaltung/treffer/{world.match_id}/anfragen"
    html = staff_client.get(url).get_data(as_text=True)
    assert world.owner_name in html and world.heir_name in html
    assert world.manager_name not in html  # the property manager gets no request
    heir_row = html.split(f'data-owner="{world.heir_id}"')[1].split("</tr>")[0]
    assert '<option value="email" disabled' in heir_row  # no address: letter only
    issue(session, world)
    html = staff_client.get(url).get_data(as_text=True)
    assert 'class="badge request-state-open"' in html
    owner_row = html.split(f'data-owner="{world.owner_id}"')[1].split("</tr>")[0]
    assert "disabled" in owner_row.split("<select")[0]  # open request: not again


def test_revoke_kills_the_secret(staff_client, client, world, session):
    (item,) = issue(session, world)
    assert client.get(f"/antwort/{item.secret}").status_code == 200
    url = f"/verwaltung/anfragen/{item.request_id}"
    response = post_form(staff_client, url + "/zurueckziehen", {}, page=url)
    assert response.status_code == 302
    assert reload(session, UseRequest, item.request_id).revoked_at is not None
    assert client.get(f"/antwort/{item.secret}").status_code == 404
    again = post_form(staff_client, url + "/zurueckziehen", {}, page=url)
    assert again.status_code == 422 and "Nur eine offene Anfrage" in again.get_data(as_text=True)


def test_reissue_email_sends_a_new_link_and_kills_the_old(
    mail_staff, client, world, session, smtp_server
):
    (item,) = issue(session, world)
    old = row(session, item.request_id)
    url = f"/verwaltung/anfragen/{item.request_id}"
    response = post_form(mail_staff, url + "/neu-ausstellen", {}, page=url)
    assert response.status_code == 302
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == world.owner_email
    (link,) = [u for u in links(message) if "/antwort/" in u]
    new_secret = link.rsplit("/antwort/", 1)[1]
    new = row(session, item.request_id)
    assert new["token_hash"] == hash_secret(new_secret) != old["token_hash"]
    assert new["issue_count"] == 2
    assert new["expires_at"] > old["expires_at"]
    assert client.get(f"/antwort/{item.secret}").status_code == 404
    assert client.get(f"/antwort/{new_secret}").status_code == 200
    assert "Galerie im Schaufenster" in body(message)


def test_reissue_letter_shows_a_new_letter_also_after_revoking(
    staff_client, client, world, session
):
    (item,) = issue(session, world, {world.heir_id: "letter"})
    url = f"/verwaltung/anfragen/{item.request_id}"
    post_form(staff_client, url + "/zurueckziehen", {}, page=url)
    response = post_form(staff_client, url + "/neu-ausstellen", {}, page=url)
    assert response.status_code == 200
    (code,) = CODE_RE.findall(response.get_data(as_text=True))
    assert normalise_code(code) != item.secret
    req = reload(session, UseRequest, item.request_id)
    assert req.revoked_at is None and req.issue_count == 2
    assert client.get(f"/antwort/{item.secret}").status_code == 404
    assert client.get(f"/antwort/{code}").status_code == 200


def test_answered_request_cannot_be_reissued(staff_client, world, session):
    ids = _states(session, world)
    url = f"/verwaltung/anfragen/{ids['answered']}"
    before = row(session, ids["answered"]), counts(session)
    response = post_form(staff_client, url + "/neu-ausstellen", {}, page=url)
    assert response.status_code == 422
    assert "beantwortete Anfrage" in response.get_data(as_text=True)
    assert (row(session, ids["answered"]), counts(session)) == before


def test_viewer_reads_but_cannot_write(viewer_client, world, session):
    (item,) = issue(session, world)
    url = f"/verwaltung/anfragen/{item.request_id}"
    assert viewer_client.get("/verwaltung/anfragen").status_code == 200
    page = viewer_client.get(url)
    assert page.status_code == 200 and "Zurückziehen" not in page.get_data(as_text=True)
    match_page = f"/verwaltung/treffer/{world.match_id}/anfragen"
    assert "Anfragen senden" not in viewer_client.get(match_page).get_data(as_text=True)
    before = row(session, item.request_id), counts(session)
    for action in ("/zurueckziehen", "/neu-ausstellen"):
        assert post_form(viewer_client, url + action, {}, page=url).status_code == 403
    response = send_form(viewer_client, world.match_id, {world.heir_id: "letter"})
    assert response.status_code == 403
    assert (row(session, item.request_id), counts(session)) == before


def test_other_municipality_gets_404(client, world, session, base):
    (item,) = issue(session, world)
    login(client, "staff@anderswo.example")
    url = f"/verwaltung/anfragen/{item.request_id}"
    assert client.get(url).status_code == 404
    assert client.get(f"/verwaltung/treffer/{world.match_id}/anfragen").status_code == 404
    assert item.request_id not in _listed(client.get("/verwaltung/anfragen").get_data(as_text=True))
    before = row(session, item.request_id), counts(session)
    for action in ("/zurueckziehen", "/neu-ausstellen"):
        assert post_form(client, url + action, {}, page="/verwaltung/anfragen").status_code == 404
    page = "/verwaltung/anfragen"
    data = {"owner": [str(world.heir_id)], f"channel_{world.heir_id}": "letter"}
    response = post_form(client, f"/verwaltung/treffer/{world.match_id}/anfragen", data, page=page)
    assert response.status_code == 404
    assert (row(session, item.request_id), counts(session)) == before


def test_email_only_send_redirects_to_the_match(mail_staff, world, session, smtp_server):
    response = send_form(mail_staff, world.match_id, {world.owner_id: "email"})
    assert response.status_code == 302
    assert f"/verwaltung/treffer/{world.match_id}" in response.headers["Location"]
    page = mail_staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "E-Mail an" in page and world.owner_name in page  # flash + the request in the list
    smtp_server.wait_for(1)


def test_a_mail_that_cannot_be_rendered_is_reported_not_raised(app, smtp_server):
    """``mail.send_template`` never raises: callers (views, the CLI) get False and go on."""
    from leerstand import mail

    with app.test_request_context():
        assert mail.send_template("a@example.org", "Test", "gibt-es-nicht.txt") is False
        assert mail.send("a@example.org\nBcc: b@example.org", "Test", "Text") is False
    assert smtp_server.messages == []
