"""Contact cases: the slips the rest of the suite let through (issue 9) — counts per town, the
channel a form stores, the follow-up edge at today, the due list's edge."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from leerstand.dates import local_today
from leerstand.models import AuditEvent, ContactCase, ContactEvent
from leerstand.services.contact import cases as contact
from leerstand.services.contact import lists as contact_lists
from leerstand.services.errors import NotFound, ServiceError
from tests import factories
from tests.conftest import post_form

TODAY = local_today()  # the town's calendar day, as the app counts (not the UTC date)


def _case(session, municipality, **kw) -> ContactCase:
    building = factories.building(session, municipality)
    owner = factories.owner(session, municipality)
    factories.ownership(session, building, owner)
    case = factories.contact_case(session, building, owner, **kw)
    session.commit()
    return case


def _events(session, case_id: int) -> list[ContactEvent]:
    stmt = select(ContactEvent).where(ContactEvent.case_id == case_id).order_by(ContactEvent.id)
    return list(session.scalars(stmt))


def _url(case_id: int) -> str:
    return f"/verwaltung/ansprache/{case_id}"


def _towns(session, base):
    """Own town: 2 contacted, 1 agreement; the other town: 3 contacted, 1 closed."""
    for state in ("contacted", "contacted", "agreement"):
        _case(session, base.municipality, state=state)
    for state in ("contacted", "contacted", "contacted", "closed"):
        _case(session, base.other_municipality, state=state)


def test_count_by_state_counts_only_the_own_town(session, base):
    _towns(session, base)
    assert contact_lists.count_by_state(session, base.municipality.id) == {
        "not_contacted": 0,
        "contacted": 2,
        "in_dialogue": 0,
        "open_to_interim_use": 0,
        "declined": 0,
        "agreement": 1,
        "closed": 0,
        "unreachable": 0,
    }
    other = contact_lists.count_by_state(session, base.other_municipality.id)
    assert (other["contacted"], other["closed"], other["agreement"]) == (3, 1, 0)


def test_start_page_counts_only_the_own_town(staff_client, session, base):
    _towns(session, base)
    page = staff_client.get("/verwaltung/").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Ansprache: kontaktiert 2 " in text
    assert "Ansprache: Vereinbarung 1 " in text
    assert "Ansprache: abgeschlossen 0 " in text
    assert "Ansprache: nicht kontaktiert 0 " in text


def test_transition_form_stores_the_chosen_channel_and_direction(staff_client, session, base):
    case_id = _case(session, base.municipality).id
    data = {"to_state": "contacted", "channel": "phone", "direction": "in", "version": "1"}
    data["summary"] = "Rückruf der Eigentümerin"
    response = post_form(staff_client, _url(case_id) + "/status", data, page=_url(case_id))
    assert response.status_code == 302
    session.expire_all()
    (event,) = _events(session, case_id)
    assert (event.channel, event.direction, event.summary) == (
        "phone",
        "in",
        "Rückruf der Eigentümerin",
    )
    assert (event.from_state, event.to_state) == ("not_contacted", "contacted")


def test_contact_form_stores_the_chosen_channel(staff_client, session, base):
    case_id = _case(session, base.municipality).id
    data = {"summary": "Besuch vor Ort", "channel": "visit", "direction": "out", "version": "1"}
    response = post_form(staff_client, _url(case_id) + "/kontakt", data, page=_url(case_id))
    assert response.status_code == 302
    session.expire_all()
    (event,) = _events(session, case_id)
    assert (event.channel, event.direction, event.summary) == ("visit", "out", "Besuch vor Ort")
    assert (event.from_state, event.to_state) == (None, None)


def test_unknown_channel_is_refused_whole_and_nothing_is_written(staff_client, session, base):
    case_id = _case(session, base.municipality).id
    data = {"summary": "Brieftaube", "channel": "pigeon", "direction": "out", "version": "1"}
    response = post_form(staff_client, _url(case_id) + "/kontakt", data, page=_url(case_id))
    assert response.status_code == 422
    assert "Bitte wählen Sie einen gültigen Kontaktweg." in response.get_data(as_text=True)
    assert _events(session, case_id) == []


def test_follow_up_due_today_is_accepted(staff_client, session, base):
    case_id = _case(session, base.municipality, state="contacted").id
    data = {"follow_up": TODAY.isoformat(), "version": "1"}
    response = post_form(staff_client, _url(case_id) + "/wiedervorlage", data, page=_url(case_id))
    assert response.status_code == 302
    session.expire_all()
    assert session.get(ContactCase, case_id).next_follow_up == TODAY


def test_follow_up_yesterday_is_refused(staff_client, session, base):
    case_id = _case(session, base.municipality, state="contacted").id
    data = {"follow_up": (TODAY - timedelta(days=1)).isoformat(), "version": "1"}
    response = post_form(staff_client, _url(case_id) + "/wiedervorlage", data, page=_url(case_id))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Die Wiedervorlage darf nicht in der Vergangenheit liegen." in page
    session.expire_all()
    assert session.get(ContactCase, case_id).next_follow_up is None
    assert _events(session, case_id) == []


def test_set_follow_up_service_edge(session, base):
    case = _case(session, base.municipality, state="contacted")
    with pytest.raises(ServiceError) as info:
        contact.set_follow_up(session, case, base.staff.id, TODAY - timedelta(days=1), TODAY, 1)
    assert str(info.value) == "Die Wiedervorlage darf nicht in der Vergangenheit liegen."
    event = contact.set_follow_up(session, case, base.staff.id, TODAY, TODAY, 1)
    assert case.next_follow_up == TODAY
    assert event.summary == "Wiedervorlage geändert auf " + TODAY.strftime("%d.%m.%Y")
    event = contact.set_follow_up(session, case, base.staff.id, None, TODAY, 2)
    assert case.next_follow_up is None and event.summary == "Wiedervorlage entfernt"


def test_due_list_includes_today_and_not_tomorrow(session, base):
    today = _case(session, base.municipality, state="contacted", next_follow_up=TODAY)
    tomorrow = _case(
        session, base.municipality, state="contacted", next_follow_up=TODAY + timedelta(days=1)
    )
    _case(session, base.other_municipality, state="contacted", next_follow_up=TODAY)
    due = contact_lists.list_cases(session, base.municipality.id, TODAY, due=True)
    assert [case.id for case, _ in due] == [today.id]
    listed = contact_lists.follow_ups(session, base.municipality.id, until=TODAY)
    assert [case.id for case in listed] == [today.id]
    upcoming = contact_lists.follow_ups(
        session, base.municipality.id, until=TODAY + timedelta(days=7), after=TODAY
    )
    assert [case.id for case in upcoming] == [tomorrow.id]


def test_advance_moves_when_allowed_and_only_logs_otherwise(session, base):
    case = _case(session, base.municipality)
    mail = contact.Contact(TODAY, "email", "out", "Nutzungsanfrage verschickt")
    event = contact.advance(session, case, base.staff.id, mail, "contacted")
    assert (event.from_state, event.to_state) == ("not_contacted", "contacted")
    assert case.state == "contacted" and case.next_follow_up == TODAY + timedelta(days=14)
    answer = contact.Contact(TODAY, "online", "in", "Antwort: ja")
    later = TODAY + timedelta(days=3)
    event = contact.advance(session, case, None, answer, "agreement", later)
    assert (case.state, event.to_state, event.channel) == ("contacted", None, "online")
    assert case.next_follow_up == later and event.summary == "Antwort: ja"
    event = contact.advance(session, case, None, answer, "in_dialogue", later)
    assert (case.state, event.from_state, event.to_state) == (
        "in_dialogue",
        "contacted",
        "in_dialogue",
    )
    assert case.next_follow_up == later
    event = contact.advance(session, case, None, contact.Contact(TODAY, summary="Notiz"))
    assert (case.state, event.to_state, event.direction) == ("in_dialogue", None, "internal")
    assert [e.summary for e in _events(session, case.id)] == [
        "Nutzungsanfrage verschickt",
        "Antwort: ja",
        "Antwort: ja",
        "Notiz",
    ]


# --- what the forms hand to the service, read back whole -----------------------------------
DAY = date(2026, 3, 5)


def test_make_contact_reads_every_field():
    data = {
        "occurred_on": "02.03.2026",
        "channel": " letter ",
        "direction": " out ",
        "summary": " Brief geschickt ",
        "outcome": " Rückruf zugesagt ",
    }
    assert contact.make_contact(data, DAY) == contact.Contact(
        date(2026, 3, 2), "letter", "out", "Brief geschickt", "Rückruf zugesagt"
    )
    assert contact.make_contact({}, DAY) == contact.Contact(DAY, None, "internal", "", "")
    assert contact.make_contact({"occurred_on": "2026-03-05"}, DAY).occurred_on == DAY


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"occurred_on": "06.03.2026"}, "Das Datum des Kontakts darf nicht in der Zukunft liegen."),
        ({"occurred_on": "32.13.2026"},
         "Datum: „32.13.2026“ ist kein Datum. Bitte TT.MM.JJJJ eingeben."),
        ({"channel": "pigeon"}, "Bitte wählen Sie einen gültigen Kontaktweg."),
        ({"direction": "sideways"}, "Bitte wählen Sie eine gültige Richtung."),
    ],
)  # fmt: skip
def test_make_contact_messages_whole(data, message):
    with pytest.raises(ServiceError) as info:
        contact.make_contact(data, DAY)
    assert str(info.value) == message


def test_natural_next_written_out():
    assert {state: contact.natural_next(state) for state in contact.NEXT_STATE} == {
        "not_contacted": "contacted",
        "contacted": "in_dialogue",
        "in_dialogue": "open_to_interim_use",
        "open_to_interim_use": "agreement",
        "declined": "closed",
        "agreement": "closed",
        "unreachable": "contacted",
    }
    assert contact.natural_next("closed") is None
    assert contact.natural_next("in_dialogue", "agreement") == "agreement"
    assert contact.natural_next("in_dialogue", "closed") == "open_to_interim_use"
    assert contact.natural_next("agreement", "unreachable") == "unreachable"
    assert contact.natural_next("happy") is None
    assert contact.allowed_targets("happy") == []


def test_check_transition_messages_whole():
    with pytest.raises(ServiceError) as info:
        contact.check_transition("closed", "in_dialogue")
    assert str(info.value) == (
        "Von „abgeschlossen“ kann nicht direkt zu „im Gespräch“ gewechselt werden. "
        "Der Fall ist abgeschlossen."
    )
    with pytest.raises(ServiceError) as info:
        contact.check_transition("contacted", "happy")
    assert str(info.value) == (
        "Unbekannter Zielstatus. Bitte wählen Sie einen Status aus der Liste."
    )


def _audit_rows(session, case_id: int) -> list[tuple]:
    stmt = select(AuditEvent.action, AuditEvent.user_id, AuditEvent.changes).where(
        AuditEvent.entity == "contact_case", AuditEvent.entity_id == case_id
    )
    return [tuple(row) for row in session.execute(stmt.order_by(AuditEvent.id))]


def test_record_contact_and_follow_up_are_audited_with_their_author(session, base):
    case = _case(session, base.municipality, state="contacted")
    note = contact.Contact(TODAY, "phone", "in", "Telefonat")
    event = contact.record_contact(session, case, base.staff.id, note, 1)
    assert event.user_id == base.staff.id
    contact.set_follow_up(session, case, base.staff.id, TODAY, TODAY, case.version)
    rows = _audit_rows(session, case.id)
    assert [(action, user) for action, user, _ in rows] == [
        ("contact", base.staff.id),
        ("follow_up", base.staff.id),
    ]
    assert rows[0][2] == {"contact": [None, "Telefonat"]}
    assert [e.user_id for e in _events(session, case.id)] == [base.staff.id, base.staff.id]
    with pytest.raises(ServiceError) as info:
        contact.record_contact(session, case, base.staff.id, contact.Contact(TODAY), case.version)
    assert str(info.value) == "Bitte beschreiben Sie kurz, worum es bei dem Kontakt ging."


def test_advance_keeps_the_author(session, base):
    case = _case(session, base.municipality)
    note = contact.Contact(TODAY, "email", "out", "Anfrage")
    assert contact.advance(session, case, base.staff.id, note, "contacted").user_id == base.staff.id
    assert contact.advance(session, case, base.staff.id, note, "closed").user_id == base.staff.id


def test_set_responsible_both_sides(session, base):
    case = _case(session, base.municipality)
    contact.set_responsible(session, case, base.staff.id, str(base.staff.id), 1)
    assert case.responsible_id == base.staff.id
    rows = _audit_rows(session, case.id)
    assert [(action, user) for action, user, _ in rows] == [("update", base.staff.id)]
    contact.set_responsible(session, case, base.staff.id, "", case.version)
    assert case.responsible_id is None
    for bad in ("abc", str(base.stranger.id), "0", "-1"):
        with pytest.raises(ServiceError) as info:
            contact.set_responsible(session, case, base.staff.id, bad, case.version)
        assert str(info.value) == "Bitte wählen Sie eine zuständige Person aus der Liste."
    assert case.responsible_id is None


def test_case_of_another_town_is_not_found_whole(session, base):
    case = _case(session, base.other_municipality)
    with pytest.raises(NotFound) as info:
        contact.get_case(session, base.municipality.id, case.id)
    assert str(info.value) == "Ansprache nicht gefunden."
    assert contact.get_case(session, base.other_municipality.id, case.id) is case
