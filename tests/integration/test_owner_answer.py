"""The owner's answer page (no account), opening: what it shows, that GET changes nothing,
the same plain page for every secret that does not open, the letter code as typed, CSRF and
the rate limit."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from leerstand.models import (
    Proposal,
    UseRequest,
)
from leerstand.services.use_requests.tokens import format_code, normalise_code
from tests.conftest import csrf_token
from tests.integration.use_requests_common import (
    counts,
    issue,
    make_world,
    row,
    sent_fixture,  # noqa: F401 (the fixture "sent")
    world_fixture,  # noqa: F401 (the fixture "world")
)

# --- opening ---------------------------------------------------------------------------------


def test_page_shows_that_request_and_changes_nothing(client, world, sent, session, base):
    other = make_world(session, base)
    (other_item,) = issue(session, other)
    other_title = "Ganz andere Idee XYZ"
    session.get(Proposal, other.proposal_id).title = other_title
    session.commit()
    request_id, secret = sent
    before, before_counts = row(session, request_id), counts(session)
    response = client.get(f"/antwort/{secret}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    html = response.get_data(as_text=True)
    for expected in (
        "Galerie im Schaufenster",
        "Wechselnde Ausstellungen regionaler Künstler:innen.",
        "Ausstellung",
        world.initiative_name,
        "donnerstags bis samstags",
        "60,0 m²",
        "120,0 m²",
        "ebenerdig, Strom",
        world.address,
        "EG Ladenlokal",
        "92,0 m²",
        "Wir würden uns sehr freuen.",
        "leerstand@ballenstedt.example",
        "039483 123-45",
        "Ja, unter Bedingungen",
    ):
        assert expected in html, expected
    for hidden in (
        world.initiative_email,
        world.initiative_phone,
        "Ina Beispiel",
        other_title,
        world.heir_name,
        world.manager_name,
    ):
        assert hidden not in html, hidden
    assert row(session, request_id) == before
    assert counts(session) == before_counts
    assert client.get(f"/antwort/{other_item.secret}").status_code == 200


def _invalid_secrets(session, world, sent) -> dict[str, str]:
    request_id, secret = sent
    now = datetime.now(UTC)
    tampered = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    # expired, revoked and answered: three more requests to the heir (letter codes)
    out = {
        "tampered": tampered,
        "random": secrets.token_urlsafe(32),
        "random-code": "ABCD-EFGH-JKMN",
    }
    for state in ("expired", "revoked", "answered"):
        (item,) = issue(session, world, {world.heir_id: "letter"})
        req = session.get(UseRequest, item.request_id)
        if state == "expired":
            req.expires_at = now - timedelta(seconds=1)
        elif state == "revoked":
            req.revoked_at = now
        else:
            req.answer, req.answered_at = "no", now
        session.commit()
        out[state] = item.secret
    # foreign: another request's stored hash, altered, as if it were a secret
    out["foreign-hash"] = row(session, request_id)["token_hash"][:-1] + "0"
    return out


def test_every_invalid_secret_gets_the_same_plain_page(client, world, sent, session):
    invalid = _invalid_secrets(session, world, sent)
    pages = {}
    for name, secret in invalid.items():
        before = counts(session)
        response = client.get(f"/antwort/{secret}")
        assert response.status_code == 404, name
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        pages[name] = response.get_data(as_text=True)
        assert counts(session) == before
    assert len(set(pages.values())) == 1, "all invalid secrets must see the same page"
    page = next(iter(pages.values()))
    assert "gilt nicht (mehr)" in page
    for hidden in ("Galerie", world.owner_name, world.heir_name, "EG Ladenlokal", "Allee"):
        assert hidden not in page
    # the valid one still opens
    assert client.get(f"/antwort/{sent[1]}").status_code == 200


def test_posting_with_an_invalid_secret_gets_the_same_page(client, world, sent, session):
    invalid = _invalid_secrets(session, world, sent)
    token = csrf_token(client.get(f"/antwort/{sent[1]}").get_data(as_text=True))
    for name, secret in invalid.items():
        before = counts(session)
        response = client.post(f"/antwort/{secret}", data={"csrf_token": token, "answer": "yes"})
        assert response.status_code == 405, name  # answers go to /antwort/anfrage/<id> only
        assert counts(session) == before


def _request_ids(session) -> list[int]:
    return list(session.scalars(select(UseRequest.id).order_by(UseRequest.id)))


def test_request_address_opens_only_in_the_browser_that_opened_the_secret(
    client, app, world, sent, session
):
    request_id, secret = sent
    reference = client.get("/antwort/nichts").get_data(as_text=True)
    invalid = _invalid_secrets(session, world, sent)
    stranger = app.test_client()
    token = csrf_token(stranger.get("/antwort").get_data(as_text=True))
    # another browser, or this one before it opened anything: every request id is the 404 page
    for other_id in [*_request_ids(session), 999_999]:
        for who in (stranger, client):
            page = who.get(f"/antwort/anfrage/{other_id}")
            assert page.status_code == 404 and page.get_data(as_text=True) == reference
    before = row(session, request_id), counts(session)
    posted = stranger.post(
        f"/antwort/anfrage/{request_id}", data={"csrf_token": token, "answer": "yes"}
    )
    assert posted.status_code == 404 and posted.get_data(as_text=True) == reference
    assert (row(session, request_id), counts(session)) == before
    # opening the secret remembers it in this browser (the secret is in no later address)
    opened = client.get(f"/antwort/{secret}")
    assert opened.status_code == 200
    html = opened.get_data(as_text=True)
    assert f'action="/antwort/anfrage/{request_id}"' in html
    assert f'data-clean-url="/antwort/anfrage/{request_id}"' in html
    assert secret not in html
    assert client.get(f"/antwort/anfrage/{request_id}").status_code == 200
    assert "Galerie im Schaufenster" in client.get(f"/antwort/anfrage/{request_id}").get_data(
        as_text=True
    )
    # the session holds the request id and the stored hash, never the secret
    with client.session_transaction() as browser_session:
        remembered = browser_session["owner_requests"]
    assert remembered == {str(request_id): row(session, request_id)["token_hash"]}
    assert secret not in repr(remembered)
    # opening an invalid secret remembers nothing
    for secret_ in invalid.values():
        client.get(f"/antwort/{secret_}")
    with client.session_transaction() as browser_session:
        assert list(browser_session["owner_requests"]) == [str(request_id)]


def test_reissued_secret_ends_the_remembered_request(client, world, sent, session):
    request_id, secret = sent
    assert client.get(f"/antwort/{secret}").status_code == 200
    token = csrf_token(client.get(f"/antwort/anfrage/{request_id}").get_data(as_text=True))
    session.get(UseRequest, request_id).token_hash = "0" * 64  # as a reissue does
    session.commit()
    before = row(session, request_id), counts(session)
    assert client.get(f"/antwort/anfrage/{request_id}").status_code == 404
    posted = client.post(
        f"/antwort/anfrage/{request_id}", data={"csrf_token": token, "answer": "yes"}
    )
    assert posted.status_code == 404
    assert (row(session, request_id), counts(session)) == before


def test_letter_code_typed_in_lower_case_with_spaces(client, world, session):
    (item,) = issue(session, world, {world.heir_id: "letter"})
    code = item.secret
    assert normalise_code(code) == code
    typed = " " + " ".join(format_code(code).lower().split("-")) + " "
    page = client.get("/antwort")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    response = client.post(
        "/antwort", data={"csrf_token": csrf_token(page.get_data(as_text=True)), "code": typed}
    )
    # the code is posted, and the address it leads to carries the request id, not the code
    assert response.status_code == 303
    assert response.headers["Location"] == f"/antwort/anfrage/{item.request_id}"
    assert code not in response.headers["Location"]
    opened = client.get(response.headers["Location"])
    assert opened.status_code == 200 and code not in opened.get_data(as_text=True)
    # an unknown code: the plain invalid page, nothing remembered
    token = csrf_token(page.get_data(as_text=True))
    unknown = client.post("/antwort", data={"csrf_token": token, "code": "ABCD-EFGH-JKMN"})
    assert unknown.status_code == 404 and "gilt nicht (mehr)" in unknown.get_data(as_text=True)
    with client.session_transaction() as browser_session:
        assert list(browser_session["owner_requests"]) == [str(item.request_id)]
    # a malformed code is a form error, not a look-up
    bad = client.post(
        "/antwort", data={"csrf_token": csrf_token(page.get_data(as_text=True)), "code": "123"}
    )
    assert bad.status_code == 422 and "12 Zeichen" in bad.get_data(as_text=True)


def test_post_without_csrf_is_refused(client, world, sent, session):
    request_id, secret = sent
    before = row(session, request_id), counts(session)
    client.get(f"/antwort/{secret}")
    response = client.post(f"/antwort/anfrage/{request_id}", data={"answer": "yes"})
    assert response.status_code == 400
    assert (row(session, request_id), counts(session)) == before
    assert client.post("/antwort", data={"code": "ABCD-EFGH-JKMN"}).status_code == 400


def test_answer_pages_are_rate_limited(world, session):
    from tests.initiatives import rate_limited_app

    with rate_limited_app() as limited:
        client = limited.test_client()
        codes = [client.get(f"/antwort/RATE{i:08d}").status_code for i in range(20)]
        assert codes == [404] * 20
        blocked = client.get("/antwort/ABCD-EFGH-JKMN")
        assert blocked.status_code == 429
        assert blocked.headers["Cache-Control"] == "no-store"
        form = client.get("/antwort")  # the code form itself is not limited
        assert form.status_code == 200
        token = csrf_token(form.get_data(as_text=True))
        posted = client.post("/antwort", data={"csrf_token": token, "code": "ABCD-EFGH-JKMN"})
        assert posted.status_code == 429  # one shared budget for code entry and answers
