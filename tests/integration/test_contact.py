"""Contact cases (Eigentümeransprache): service rules, append-only log, views, start page, audit."""

import html as html_lib
import re
from datetime import timedelta

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import DBAPIError

from leerstand.dates import local_today
from leerstand.models import AuditEvent, ContactCase, ContactEvent
from leerstand.services.contact import cases as contact
from leerstand.services.errors import Conflict, ServiceError
from tests import factories
from tests.conftest import csrf_token, login, post_form

TODAY = local_today()  # the town's calendar day, as the app counts (not the UTC date)


def _case(session, base, municipality=None, **kw) -> ContactCase:
    municipality = municipality or base.municipality
    building = factories.building(session, municipality)
    owner = factories.owner(session, municipality)
    factories.ownership(session, building, owner)
    case = factories.contact_case(session, building, owner, **kw)
    session.commit()
    return case


def _events(session, case_id: int) -> list[ContactEvent]:
    stmt = select(ContactEvent).where(ContactEvent.case_id == case_id).order_by(ContactEvent.id)
    return list(session.scalars(stmt))


def _audits(session, case_id: int) -> list[str]:
    stmt = select(AuditEvent.action).where(
        AuditEvent.entity == "contact_case", AuditEvent.entity_id == case_id
    )
    return list(session.scalars(stmt.order_by(AuditEvent.id)))


# --- service ---------------------------------------------------------------------------------


def test_transition_appends_event_and_sets_follow_up(session, base):
    case = _case(session, base)
    letter = contact.Contact(TODAY - timedelta(days=2), "letter", "out", "Brief geschickt")
    event = contact.transition(session, case, base.staff.id, "contacted", letter, version=1)
    assert case.state == "contacted"
    assert case.next_follow_up == TODAY - timedelta(days=2) + timedelta(days=14)
    assert (event.from_state, event.to_state, event.channel) == (
        "not_contacted",
        "contacted",
        "letter",
    )
    assert event.user_id == base.staff.id and event.summary == "Brief geschickt"
    assert _audits(session, case.id) == ["transition"]
    assert case.version == 2


def test_transition_follow_up_can_be_overridden(session, base):
    case = _case(session, base)
    wanted = TODAY + timedelta(days=3)
    contact.transition(
        session, case, None, "contacted", contact.Contact(TODAY), version=1, follow_up=wanted
    )
    assert case.next_follow_up == wanted


def test_transition_to_closed_clears_follow_up(session, base):
    case = _case(session, base, state="agreement", next_follow_up=TODAY)
    contact.transition(session, case, None, "closed", contact.Contact(TODAY), version=1)
    assert case.state == "closed" and case.next_follow_up is None


def test_forbidden_transition_changes_nothing(session, base):
    case = _case(session, base)
    with pytest.raises(ServiceError, match="Vereinbarung"):
        contact.transition(session, case, None, "agreement", contact.Contact(TODAY), version=1)
    assert case.state == "not_contacted"
    assert _events(session, case.id) == []


def test_stale_version_is_a_conflict(session, base):
    case = _case(session, base)
    with pytest.raises(Conflict, match="inzwischen"):
        contact.transition(session, case, None, "contacted", contact.Contact(TODAY), version=7)


def test_record_contact_keeps_state_and_sets_follow_up(session, base):
    case = _case(session, base, state="contacted", next_follow_up=TODAY)
    call = contact.Contact(TODAY, "phone", "in", "Rückruf der Eigentümerin", "interessiert")
    contact.record_contact(session, case, base.staff.id, call, version=1)
    assert case.state == "contacted" and case.next_follow_up == TODAY
    later = TODAY + timedelta(days=10)
    contact.record_contact(session, case, base.staff.id, call, version=2, follow_up=later)
    assert case.next_follow_up == later
    events = _events(session, case.id)
    assert len(events) == 2 and events[0].to_state is None and events[0].outcome == "interessiert"
    assert _audits(session, case.id) == ["contact", "contact"]


def test_record_contact_needs_a_summary(session, base):
    case = _case(session, base)
    with pytest.raises(ServiceError, match="beschreiben"):
        contact.record_contact(session, case, None, contact.Contact(TODAY), version=1)


def test_set_follow_up_is_an_event(session, base):
    case = _case(session, base)
    new = TODAY + timedelta(days=5)
    contact.set_follow_up(session, case, base.staff.id, new, TODAY, version=1)
    assert case.next_follow_up == new
    (event,) = _events(session, case.id)
    assert event.summary == "Wiedervorlage geändert auf " + new.strftime("%d.%m.%Y")
    assert _audits(session, case.id) == ["follow_up"]


def test_contact_event_is_append_only(session, base):
    case = _case(session, base)
    contact.record_contact(session, case, None, contact.Contact(TODAY, summary="x"), version=1)
    session.commit()
    for sql in ("UPDATE contact_event SET summary = 'y'", "DELETE FROM contact_event"):
        with pytest.raises(DBAPIError), session.begin_nested():
            session.execute(text(sql))
    with pytest.raises(DBAPIError), session.begin_nested():
        session.execute(text("UPDATE audit_event SET action = 'forged'"))


def test_responsible_must_belong_to_the_municipality(session, base):
    case = _case(session, base)
    with pytest.raises(ServiceError, match="zuständige Person"):
        contact.set_responsible(session, case, None, base.stranger.id, version=1)
    contact.set_responsible(session, case, None, str(base.staff.id), version=1)
    assert case.responsible_id == base.staff.id


# --- views -----------------------------------------------------------------------------------


def _case_url(case_id: int) -> str:
    return f"/verwaltung/ansprache/{case_id}"


def test_transition_via_post(staff_client, session, base):
    case_id = _case(session, base).id
    data = {"to_state": "contacted", "channel": "letter", "direction": "out", "version": "1"}
    data["summary"] = "Anschreiben verschickt"
    response = post_form(
        staff_client, _case_url(case_id) + "/status", data, page=_case_url(case_id)
    )
    assert response.status_code == 302
    case = session.get(ContactCase, case_id)
    assert case.state == "contacted" and case.next_follow_up == TODAY + timedelta(days=14)
    (event,) = _events(session, case_id)
    assert event.to_state == "contacted" and event.user_id == base.staff.id
    page = staff_client.get(_case_url(case_id)).get_data(as_text=True)
    assert "Anschreiben verschickt" in page and "im Gespräch" in page


def test_forbidden_transition_via_post(staff_client, session, base):
    case_id = _case(session, base).id
    data = {"to_state": "agreement", "version": "1", "summary": "Sofort einig"}
    response = post_form(
        staff_client, _case_url(case_id) + "/status", data, page=_case_url(case_id)
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Von „nicht kontaktiert“ kann nicht direkt zu „Vereinbarung“ gewechselt werden." in page
    assert "Sofort einig" in page
    assert session.get(ContactCase, case_id).state == "not_contacted"
    assert _events(session, case_id) == []


def test_record_contact_and_follow_up_via_post(staff_client, session, base):
    case_id = _case(session, base).id
    url = _case_url(case_id)
    data = {"summary": "Telefonat", "channel": "phone", "direction": "in", "version": "1"}
    data["occurred_on"] = TODAY.strftime("%d.%m.%Y")
    assert post_form(staff_client, url + "/kontakt", data, page=url).status_code == 302
    new = TODAY + timedelta(days=20)
    data = {"follow_up": new.isoformat(), "version": "2"}
    assert post_form(staff_client, url + "/wiedervorlage", data, page=url).status_code == 302
    assert session.get(ContactCase, case_id).next_follow_up == new
    summaries = [event.summary for event in _events(session, case_id)]
    assert summaries == ["Telefonat", "Wiedervorlage geändert auf " + new.strftime("%d.%m.%Y")]


def test_concurrent_case_forms_second_gets_409(staff_client, session, base):
    case_id = _case(session, base).id
    url = _case_url(case_id)
    first = staff_client.get(url).get_data(as_text=True)
    staff_client.get(url)
    assert 'name="version" value="1"' in first
    token = csrf_token(first)
    ok = {"to_state": "contacted", "version": "1", "csrf_token": token}
    assert staff_client.post(url + "/status", data=ok).status_code == 302
    late = {"to_state": "unreachable", "version": "1", "csrf_token": token}
    late["summary"] = "Niemand da"
    response = staff_client.post(url + "/status", data=late)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "inzwischen" in page and "Niemand da" in page
    session.expire_all()
    assert session.get(ContactCase, case_id).state == "contacted"
    assert len(_events(session, case_id)) == 1


def test_cases_list_filters(staff_client, session, base):
    due = _case(session, base, state="contacted", next_follow_up=TODAY - timedelta(days=1))
    later = _case(session, base, state="in_dialogue", next_follow_up=TODAY + timedelta(days=30))
    due_name, later_name = due.owner.name, later.owner.name
    _case(session, base, municipality=base.other_municipality, next_follow_up=TODAY)
    page = staff_client.get("/verwaltung/ansprache").get_data(as_text=True)
    assert due_name in page and later_name in page
    page = staff_client.get("/verwaltung/ansprache?due=1").get_data(as_text=True)
    assert due_name in page and later_name not in page
    page = staff_client.get("/verwaltung/ansprache?state=in_dialogue").get_data(as_text=True)
    assert due_name not in page and later_name in page


def test_start_page_shows_due_follow_ups(staff_client, session, base):
    overdue = _case(session, base, state="contacted", next_follow_up=TODAY - timedelta(days=3))
    soon = _case(session, base, state="contacted", next_follow_up=TODAY + timedelta(days=2))
    far = _case(session, base, state="contacted", next_follow_up=TODAY + timedelta(days=40))
    names = overdue.owner.name, soon.owner.name, far.owner.name
    foreign = _case(session, base, municipality=base.other_municipality, next_follow_up=TODAY)
    foreign_name = foreign.owner.name
    page = staff_client.get("/verwaltung/").get_data(as_text=True)
    due_part, _, rest = page.partition("In den nächsten 7 Tagen")
    assert "<h1>Wiedervorlage</h1>" in due_part
    assert names[0] in due_part and "überfällig seit 3 Tagen" in due_part
    assert names[1] not in due_part and names[1] in rest
    assert names[2] not in page and foreign_name not in page


def test_start_page_without_follow_ups(staff_client):
    assert "Keine fälligen Wiedervorlagen." in staff_client.get("/verwaltung/").get_data(
        as_text=True
    )


def test_viewer_gets_403_on_every_post(viewer_client, session, base):
    case_id = _case(session, base).id
    url = _case_url(case_id)
    page = viewer_client.get(url)
    assert page.status_code == 200
    token = csrf_token(page.get_data(as_text=True))
    for suffix in ("/status", "/kontakt", "/wiedervorlage", "/zustaendig"):
        data = {"to_state": "contacted", "summary": "x", "version": "1", "csrf_token": token}
        assert viewer_client.post(url + suffix, data=data).status_code == 403
    assert session.get(ContactCase, case_id).state == "not_contacted"


def test_other_municipality_case_is_404(client, session, base):
    case_id = _case(session, base).id
    login(client, base.stranger.email)
    assert client.get(_case_url(case_id)).status_code == 404
    data = {"to_state": "contacted", "version": "1"}
    response = post_form(client, _case_url(case_id) + "/status", data, page="/verwaltung/")
    assert response.status_code == 404
    assert session.get(ContactCase, case_id).state == "not_contacted"


def _page_text(client, url: str) -> str:
    """The page's visible text with single spaces (tags removed, entities decoded)."""
    response = client.get(url)
    assert response.status_code == 200
    no_tags = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html_lib.unescape(no_tags)).replace(" :", ":")


def test_audit_page_lists_changes_and_filters(staff_client, session, base):
    building = factories.building(session, base.municipality, house_number="77")
    owner = factories.owner(session, base.municipality, name="Olga Ort")
    factories.ownership(session, building, owner)
    case_id = factories.contact_case(session, building, owner).id
    session.commit()
    data = {"to_state": "contacted", "version": "1"}
    post_form(staff_client, _case_url(case_id) + "/status", data, page=_case_url(case_id))
    sentence = "Test Staff änderte den Status von Ansprache „Olga Ort – Allee 77“:"
    change = "Status nicht kontaktiert → kontaktiert"
    page = _page_text(staff_client, "/verwaltung/protokoll")
    assert sentence in page and change in page
    by_record = _page_text(
        staff_client, f"/verwaltung/protokoll?entity=contact_case&entity_id={case_id}"
    )
    assert sentence in by_record and change in by_record
    filtered = _page_text(staff_client, "/verwaltung/protokoll?entity=owner")
    assert sentence not in filtered and change not in filtered
    mine = _page_text(staff_client, f"/verwaltung/protokoll?user_id={base.staff.id}")
    assert sentence in mine
    others = _page_text(staff_client, f"/verwaltung/protokoll?user_id={base.admin.id}")
    assert sentence not in others and change not in others
    assert staff_client.get("/verwaltung/protokoll?page=99").status_code == 200


def _queries_for(session, run) -> int:
    statements = []

    def count(*_args):
        statements.append(1)

    engine = session.get_bind().engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def test_case_list_and_start_page_need_the_same_queries_for_more_cases(staff_client, session, base):
    def pages():
        assert staff_client.get("/verwaltung/ansprache").status_code == 200
        assert staff_client.get("/verwaltung/").status_code == 200

    _case(session, base, next_follow_up=TODAY, responsible_id=base.staff.id)
    few = _queries_for(session, pages)
    for _ in range(4):
        _case(session, base, next_follow_up=TODAY, responsible_id=base.admin.id)
    assert _queries_for(session, pages) == few
