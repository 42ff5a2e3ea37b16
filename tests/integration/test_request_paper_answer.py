"""Staff record an answer that came on the reply slip or by phone: the same effects as an
online answer (request, contact case and log, consents, mails, proposal, match, availability),
stored with its channel and the recording user; refused twice, for a revoked request and for
a viewer; bad input writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from leerstand.dates import day, local_date, local_today
from leerstand.models import Consent, Match, Proposal, Unit, UseRequest
from tests.conftest import post_form
from tests.integration.use_requests_common import (
    answer,
    case_of,
    counts,
    events_of,
    ident,
    issue,
    make_world,
    reload,
    row,
    world_fixture,  # noqa: F401 (the fixture "world")
)
from tests.smtp import body

TITLE = "Galerie im Schaufenster"
MESSAGE = "Nur bis Ende August, Nebenkosten bitte."


def _url(request_id: int) -> str:
    return f"/verwaltung/anfragen/{request_id}"


def record(client, request_id: int, **data):
    return post_form(client, _url(request_id) + "/antwort", data, page=_url(request_id))


def _answer_data(available_from: str) -> dict:
    return {
        "answer": "yes_conditions",
        "message": MESSAGE,
        "available_from": available_from,
        "consent_public_map": "1",
        "consent_share_contact": "1",
    }


def _consents(session, owner_id: int) -> dict:
    rows = session.scalars(
        select(Consent)
        .where(Consent.owner_id == owner_id)
        .execution_options(populate_existing=True)
    )
    return {
        c.scope: (c.active, c.channel, c.text_version, c.recorded_by_id, local_date(c.given_at))
        for c in rows
    }


def _mails(messages) -> dict:
    return {
        m["To"]: (" ".join(m["Subject"].split()), body(m).replace("\r\n", "\n")) for m in messages
    }


def test_a_paper_answer_has_the_same_effects_as_an_online_one(
    mail_app, mail_staff, session, base, smtp_server
):
    online, paper = make_world(session, base), make_world(session, base)
    (sent_online,) = issue(session, online, {online.owner_id: "email"}, user=base.staff)
    (sent_paper,) = issue(session, paper, {paper.owner_id: "letter"}, user=base.staff)
    staff_id = ident(base.staff)
    today = local_today()
    later = today + timedelta(days=20)

    owner_client = mail_app.test_client()
    response = answer(owner_client, sent_online.secret, **_answer_data(later.isoformat()))
    assert response.status_code == 200
    online_mails = _mails(smtp_server.wait_for(2))
    smtp_server.clear()
    data = _answer_data(later.isoformat())
    response = record(
        mail_staff,
        sent_paper.request_id,
        answer_channel="paper",
        received_on=today.isoformat(),
        **data,
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    paper_mails = _mails(smtp_server.wait_for(2))

    # the request: answered, with how it came in and who recorded it
    for world, sent, channel, recorder in (
        (online, sent_online, "online", None),
        (paper, sent_paper, "paper", staff_id),
    ):
        stored = row(session, sent.request_id)
        assert (stored["answer"], stored["answer_message"]) == ("yes_conditions", MESSAGE)
        assert (stored["answer_channel"], stored["answer_recorded_by_id"]) == (channel, recorder)
        assert local_date(stored["answered_at"]) == today

        # the contact case moved the same way; the log's entry names the channel
        case = case_of(session, world)
        assert case.state == "open_to_interim_use"
        sent_event, answer_event = events_of(session, case.id)
        assert (sent_event.direction, sent_event.to_state) == ("out", "contacted")
        assert (answer_event.direction, answer_event.occurred_on) == ("in", today)
        assert (answer_event.from_state, answer_event.to_state) == (
            "contacted",
            "open_to_interim_use",
        )
        assert answer_event.outcome == "Ja, unter Bedingungen"
        assert answer_event.user_id == recorder

        # availability, the proposal and the match
        assert reload(session, Unit, world.unit_id).available_from == later
        assert reload(session, Proposal, world.proposal_id).state == "matched"
        match = reload(session, Match, world.match_id)
        assert (match.status, match.fits) == ("shortlisted", True)

    online_event = events_of(session, case_of(session, online).id)[1]
    paper_event = events_of(session, case_of(session, paper).id)[1]
    assert online_event.channel == "online"
    assert paper_event.channel == "letter"
    assert online_event.summary == (
        f"Antwort auf die Nutzungsanfrage ({TITLE}): Ja, unter Bedingungen\n{MESSAGE}"
    )
    assert paper_event.summary == (
        f"Antwort auf die Nutzungsanfrage ({TITLE}): Ja, unter Bedingungen "
        f"(Antwortbogen (Papier), erfasst von der Verwaltung)\n{MESSAGE}"
    )

    # consents: both given, through the channel the answer came
    version = "antwortseite-2026-01"
    assert _consents(session, online.owner_id) == {
        "public_map": (True, "online", version, None, today),
        "share_contact": (True, "online", version, None, today),
    }
    assert _consents(session, paper.owner_id) == {
        "public_map": (True, "letter", version, staff_id, today),
        "share_contact": (True, "letter", version, staff_id, today),
    }

    # mails: staff and (with consent) the initiative, in both cases
    assert set(online_mails) == {"staff@test.example", online.initiative_email}
    assert set(paper_mails) == {"staff@test.example", paper.initiative_email}
    for mails, world, how in (
        (online_mails, online, "online"),
        (paper_mails, paper, "Antwortbogen (Papier), erfasst von Test Staff"),
    ):
        subject, text = mails["staff@test.example"]
        assert subject == (
            f"Antwort auf Nutzungsanfrage (Ja, unter Bedingungen): {world.address}, EG Ladenlokal"
        )
        assert f"Antwort: Ja, unter Bedingungen (am {day(today)}, {how})\n" in text
        assert "Kontakt an die Initiative weitergeben: ja" in text
        subject, text = mails[world.initiative_email]
        assert subject == f"Antwort zu Ihrer Idee „{TITLE}“"
        assert "Die Antwort: Ja, unter Bedingungen\n" in text
        assert MESSAGE in text and world.owner_name in text and world.owner_email in text


def test_the_request_page_shows_how_the_answer_came(staff_client, world, session, base):
    (item,) = issue(session, world, {world.owner_id: "letter"}, user=base.staff)
    page = staff_client.get(_url(item.request_id)).get_data(as_text=True)
    assert "Antwort auf Papier oder am Telefon erfassen" in page
    assert 'name="answer_channel" value="paper" checked' in page  # a letter: paper preselected
    response = record(
        staff_client,
        item.request_id,
        answer="no",
        answer_channel="phone",
        received_on=local_today().isoformat(),
    )
    assert response.status_code == 302
    page = staff_client.get(_url(item.request_id)).get_data(as_text=True)
    assert '<dd class="answer-channel">Telefon, erfasst von Test Staff</dd>' in page
    assert "Antwort auf Papier oder am Telefon erfassen" not in page  # answered: no form
    assert case_of(session, world).state == "declined"
    event = events_of(session, case_of(session, world).id)[-1]
    assert (event.channel, event.direction, event.user_id) == ("phone", "in", ident(base.staff))


def test_an_answer_received_on_an_earlier_day_is_dated_that_day(staff_client, world, session):
    (item,) = issue(session, world, {world.owner_id: "letter"})
    earlier = local_today() - timedelta(days=3)
    response = record(
        staff_client, item.request_id, answer="yes", answer_channel="paper", received_on=earlier
    )
    # the request was sent today: a slip cannot have come before; nothing written
    assert response.status_code == 422
    assert "liegt vor dem Versand der Anfrage" in response.get_data(as_text=True)
    assert row(session, item.request_id)["answered_at"] is None

    session.execute(
        UseRequest.__table__.update()
        .where(UseRequest.id == item.request_id)
        .values(created_at=datetime.now(UTC) - timedelta(days=10))
    )
    session.commit()
    response = record(
        staff_client, item.request_id, answer="yes", answer_channel="paper", received_on=earlier
    )
    assert response.status_code == 302
    assert local_date(row(session, item.request_id)["answered_at"]) == earlier
    assert events_of(session, case_of(session, world).id)[-1].occurred_on == earlier


def test_answering_twice_is_refused(client, staff_client, world, session):
    (item,) = issue(session, world)
    today = local_today().isoformat()
    first = record(
        staff_client, item.request_id, answer="no", answer_channel="phone", received_on=today
    )
    assert first.status_code == 302
    before = row(session, item.request_id), counts(session)
    again = record(
        staff_client, item.request_id, answer="yes", answer_channel="paper", received_on=today
    )
    assert again.status_code == 422
    assert "bereits am" in again.get_data(as_text=True)
    assert "eine zweite Antwort wird nicht gespeichert" in again.get_data(as_text=True)
    assert (row(session, item.request_id), counts(session)) == before
    # the owner's link no longer opens either
    assert client.get(f"/antwort/{item.secret}").status_code == 404


def test_after_an_online_answer_staff_cannot_record_another(client, staff_client, world, session):
    (item,) = issue(session, world)
    assert answer(client, item.secret, answer="no").status_code == 200
    before = row(session, item.request_id), counts(session)
    response = record(
        staff_client,
        item.request_id,
        answer="yes",
        answer_channel="phone",
        received_on=local_today().isoformat(),
    )
    assert response.status_code == 422
    assert (row(session, item.request_id), counts(session)) == before


def test_a_revoked_request_is_refused_an_expired_one_accepted(staff_client, world, session):
    revoked, expired = issue(session, world, {world.owner_id: "letter", world.heir_id: "letter"})
    now = datetime.now(UTC)
    session.get(UseRequest, revoked.request_id).revoked_at = now
    session.get(UseRequest, expired.request_id).expires_at = now - timedelta(minutes=1)
    session.commit()
    today = local_today().isoformat()
    before = row(session, revoked.request_id), counts(session)
    response = record(
        staff_client, revoked.request_id, answer="yes", answer_channel="paper", received_on=today
    )
    assert response.status_code == 422
    assert "zurückgezogen" in response.get_data(as_text=True)
    assert (row(session, revoked.request_id), counts(session)) == before
    response = record(
        staff_client, expired.request_id, answer="yes", answer_channel="paper", received_on=today
    )
    assert response.status_code == 302  # a reply slip may arrive after the deadline
    assert row(session, expired.request_id)["answer_channel"] == "paper"


def test_a_viewer_cannot_record(viewer_client, world, session):
    (item,) = issue(session, world, {world.owner_id: "letter"})
    page = viewer_client.get(_url(item.request_id)).get_data(as_text=True)
    assert "Antwort auf Papier oder am Telefon erfassen" not in page
    before = row(session, item.request_id), counts(session)
    response = record(
        viewer_client,
        item.request_id,
        answer="yes",
        answer_channel="paper",
        received_on=local_today().isoformat(),
    )
    assert response.status_code == 403
    assert (row(session, item.request_id), counts(session)) == before


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"answer": "yes", "received_on": "today"},
            "Bitte wählen Sie, wie die Antwort kam: Antwortbogen (Papier) oder Telefon.",
        ),
        ({"answer": "yes", "answer_channel": "fax"}, "Bitte wählen Sie, wie die Antwort kam"),
        ({"answer": "yes", "answer_channel": "paper"}, "an welchem Tag die Antwort einging"),
        (
            {"answer": "yes", "answer_channel": "paper", "received_on": "tomorrow"},
            "„Eingegangen am“ darf nicht in der Zukunft liegen.",
        ),
        (
            {"answer": "yes", "answer_channel": "paper", "received_on": "32.13.2026"},
            "Eingegangen am: „32.13.2026“ ist kein Datum.",
        ),
        (
            {"answer": "yes_conditions", "answer_channel": "paper", "received_on": "today"},
            "Bitte tragen Sie die Bedingungen der Eigentümer:in ein.",
        ),
        (
            {"answer": "more_info", "answer_channel": "phone", "received_on": "today"},
            "Bitte tragen Sie ein, welche Informationen die Eigentümer:in braucht.",
        ),
        (
            {"answer": "", "answer_channel": "phone", "received_on": "today"},
            "Bitte wählen Sie eine Antwort aus.",
        ),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(staff_client, world, session, data, message):
    (item,) = issue(session, world, {world.owner_id: "letter"})
    days = {"today": local_today(), "tomorrow": local_today() + timedelta(days=1)}
    data = {k: days[v].isoformat() if v in days else v for k, v in data.items()}
    before = row(session, item.request_id), counts(session)
    response = record(staff_client, item.request_id, message="  ", **data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert 'id="record-answer-error"' in html  # shown in the recording form
    assert (row(session, item.request_id), counts(session)) == before


def test_the_reference_from_a_reply_slip_opens_the_request(viewer_client, world, session, base):
    (item,) = issue(session, world, {world.owner_id: "letter"})
    for typed in (f"NA-{item.request_id}", f"na {item.request_id}", str(item.request_id)):
        response = viewer_client.get("/verwaltung/anfragen", query_string={"nr": typed})
        assert response.status_code == 302, typed
        assert response.headers["Location"].endswith(_url(item.request_id))
    for typed in ("NA-999999999", "ABCD-EFGH-JKMN", "NA-"):
        response = viewer_client.get("/verwaltung/anfragen", query_string={"nr": typed})
        assert response.status_code == 404, typed
        assert f"Keine Anfrage mit dem Zeichen „{typed}“ gefunden." in response.get_data(
            as_text=True
        )


def test_a_reference_of_another_town_is_not_found(client, world, session):
    from tests.conftest import login

    (item,) = issue(session, world, {world.owner_id: "letter"})
    login(client, "staff@anderswo.example")
    response = client.get("/verwaltung/anfragen", query_string={"nr": f"NA-{item.request_id}"})
    assert response.status_code == 404
