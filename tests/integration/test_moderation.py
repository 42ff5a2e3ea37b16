"""Staff moderation of proposals: the queue, publish, reject with a reason that is mailed to the
initiative (real SMTP on loopback), both audited; viewers may only read; untrusted text stays
text. And the later steps of the proposal's state machine (owner's yes, interim use)."""

import pytest
from sqlalchemy import inspect, select

from leerstand.models import AuditEvent, Proposal
from leerstand.services.proposals import service as proposals
from tests.conftest import post_form
from tests.initiatives import XSS, initiative, reload
from tests.smtp import body

ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


def _proposal(session, ini, state="submitted", **kw) -> Proposal:
    values = {
        "initiative_id": ini.id,
        "municipality_id": ini.municipality_id,
        "title": "Galerie im Schaufenster",
        "use_kind": "exhibition",
        "location_kind": "districts",
        "state": state,
    }
    values.update(kw)
    proposal = Proposal(**values)
    session.add(proposal)
    session.commit()
    return proposal


@pytest.fixture
def ini(base, session):
    return initiative(
        session, base.municipality, name="Kunstverein Test", email="kunst@example.org"
    )


def test_queue_lists_only_submitted_proposals_of_the_own_municipality(
    staff_client, ini, base, session
):
    submitted = _proposal(session, ini, title="Eingereicht")
    _proposal(session, ini, state="draft", title="Entwurf-Titel")
    _proposal(session, ini, state="published", title="Schon-veröffentlicht")
    stranger = initiative(session, base.other_municipality)
    _proposal(session, stranger, title="Anderswo-Idee")
    html = staff_client.get("/verwaltung/ideen-pruefen").get_data(as_text=True)
    assert "Eingereicht" in html and "Kunstverein Test" in html
    for hidden in ("Entwurf-Titel", "Schon-veröffentlicht", "Anderswo-Idee"):
        assert hidden not in html
    assert "Ideen prüfen" in html  # nav entry
    detail = staff_client.get(f"/verwaltung/ideen-pruefen/{submitted.id}")
    assert detail.status_code == 200
    assert "kunst@example.org" in detail.get_data(as_text=True)  # staff see the contact


def test_other_municipality_proposal_is_404(staff_client, base, session):
    stranger = initiative(session, base.other_municipality)
    theirs = _proposal(session, stranger)
    assert staff_client.get(f"/verwaltung/ideen-pruefen/{theirs.id}").status_code == 404
    url = f"/verwaltung/ideen-pruefen/{theirs.id}/veroeffentlichen"
    response = post_form(staff_client, url, {}, page="/verwaltung/ideen-pruefen")
    assert response.status_code == 404
    assert reload(session, theirs).state == "submitted"


def test_publish(mail_staff, ini, session, smtp_server):
    proposal = _proposal(session, ini)
    url = f"/verwaltung/ideen-pruefen/{proposal.id}"
    response = post_form(mail_staff, url + "/veroeffentlichen", {}, page=url)
    assert response.status_code == 302
    proposal = reload(session, proposal)
    assert proposal.state == "published" and proposal.published_at is not None
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "kunst@example.org"
    assert "Galerie im Schaufenster" in body(message)
    response = post_form(mail_staff, url + "/veroeffentlichen", {}, page=url)
    assert response.status_code == 409  # only a submitted proposal can be published


def test_reject_needs_a_reason_and_mails_it(mail_staff, ini, session, smtp_server):
    proposal = _proposal(session, ini, title=XSS)
    url = f"/verwaltung/ideen-pruefen/{proposal.id}"
    response = post_form(mail_staff, url + "/ablehnen", {"reason": "  "}, page=url)
    assert response.status_code == 422
    assert "Grund für die Ablehnung" in response.get_data(as_text=True)
    assert reload(session, proposal).state == "submitted"
    assert smtp_server.messages == []

    reason = "Bitte genauer beschreiben, <b>wann</b> der Raum gebraucht wird."
    response = post_form(mail_staff, url + "/ablehnen", {"reason": reason}, page=url)
    assert response.status_code == 302
    proposal = reload(session, proposal)
    assert proposal.state == "rejected" and proposal.rejection_reason == reason
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "kunst@example.org"
    assert message.get_content_type() == "text/plain" and not message.is_multipart()
    text = body(message)
    assert reason in text
    assert f"„{XSS}“" in text  # plain text mail: the title as typed, nothing interpreted


def test_initiative_sees_rejection_and_resubmits(mail_client, ini, session):
    from tests.initiatives import login_initiative

    proposal = _proposal(session, ini, state="rejected", rejection_reason="Zu ungenau.")
    login_initiative(mail_client, ini.email)
    assert "Zu ungenau." in mail_client.get("/initiative/ideen").get_data(as_text=True)
    url = f"/initiative/ideen/{proposal.id}"
    assert "Zu ungenau." in mail_client.get(url).get_data(as_text=True)
    assert post_form(mail_client, url + "/einreichen", {}, page=url).status_code == 302
    proposal = reload(session, proposal)
    assert proposal.state == "submitted" and proposal.rejection_reason == ""


def test_viewer_cannot_moderate(viewer_client, ini, session):
    proposal = _proposal(session, ini)
    url = f"/verwaltung/ideen-pruefen/{proposal.id}"
    page = viewer_client.get(url).get_data(as_text=True)
    assert "Veröffentlichen" not in page
    response = post_form(viewer_client, url + "/veroeffentlichen", {}, page=url)
    assert response.status_code == 403
    assert reload(session, proposal).state == "submitted"


def test_title_is_escaped_in_the_queue(staff_client, ini, session):
    proposal = _proposal(session, ini, title=XSS, description=XSS)
    for url in ("/verwaltung/ideen-pruefen", f"/verwaltung/ideen-pruefen/{proposal.id}"):
        html = staff_client.get(url).get_data(as_text=True)
        assert XSS not in html and ESCAPED in html, url


def test_queue_needs_login(client):
    assert client.get("/verwaltung/ideen-pruefen").status_code == 302


def _audit(session, proposal_id: int) -> list[AuditEvent]:
    stmt = select(AuditEvent).where(
        AuditEvent.entity == "proposal", AuditEvent.entity_id == proposal_id
    )
    return list(session.scalars(stmt.order_by(AuditEvent.id)))


def test_publish_and_reject_are_audited_with_the_staff_user(mail_staff, ini, session, base):
    staff_id = inspect(base.staff).identity[0]  # the login detached it
    published, rejected = _proposal(session, ini).id, _proposal(session, ini, title="Zweite").id
    for proposal_id, action, data in (
        (published, "/veroeffentlichen", {}),
        (rejected, "/ablehnen", {"reason": "Zu ungenau."}),
    ):
        url = f"/verwaltung/ideen-pruefen/{proposal_id}"
        assert post_form(mail_staff, url + action, data, page=url).status_code == 302
    (event,) = _audit(session, published)
    assert (event.action, event.user_id) == ("status", staff_id)
    assert event.changes["state"] == ["submitted", "published"]
    (event,) = _audit(session, rejected)
    assert (event.action, event.user_id) == ("status", staff_id)
    assert event.changes["state"] == ["submitted", "rejected"]
    assert event.changes["rejection_reason"] == ["", "Zu ungenau."]


def _proposal_in_state(session, base, state: str) -> Proposal:
    ini = initiative(session, base.municipality, email=f"zustand-{state}@example.org")
    proposal = Proposal(
        initiative_id=ini.id, municipality_id=ini.municipality_id, title="Zustände",
        use_kind="exhibition", location_kind="districts", state=state,
    )  # fmt: skip
    session.add(proposal)
    session.flush()
    return proposal


def test_owner_yes_and_interim_use_move_the_proposal_through_the_one_state_machine(session, base):
    staff_id = base.staff.id
    proposal = _proposal_in_state(session, base, "published")
    assert proposals.mark_matched(session, proposal, None, {"use_request_id": [None, 7]})
    assert proposal.state == "matched"
    assert not proposals.mark_matched(session, proposal, None)  # already matched: nothing written
    assert proposals.realise(session, proposal, staff_id)
    assert proposal.state == "realised"
    assert not proposals.realise(session, proposal, staff_id)
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == "proposal", AuditEvent.entity_id == proposal.id)
        .order_by(AuditEvent.id)  # written in this order; without ORDER BY the order is open
    ).all()
    assert [(e.action, e.user_id, e.changes["state"]) for e in events] == [
        ("owner_answer", None, ["published", "matched"]),
        ("update", staff_id, ["matched", "realised"]),
    ]
    assert events[0].changes["use_request_id"] == [None, 7]

    rejected = _proposal_in_state(session, base, "rejected")
    assert not proposals.mark_matched(session, rejected, None)
    assert not proposals.realise(session, rejected, None)
    assert rejected.state == "rejected"

    matched = _proposal_in_state(session, base, "matched")
    proposals.withdraw(session, matched)  # a proposal with a room found can still be withdrawn
    assert matched.state == "withdrawn"
