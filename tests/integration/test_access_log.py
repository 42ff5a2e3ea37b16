"""The access log (who saw what): reading an owner's page, printing letters and exporting with
owner data each write their entries; the log page for admins and the DPO with filters; the
database refuses UPDATE and DELETE."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from leerstand.models import AccessEvent, Municipality, User
from tests import factories as f
from tests.conftest import PASSWORD, login, post_form
from tests.integration.use_requests_common import (
    send_form,
    world_fixture,  # noqa: F401 (the fixture "world")
)


def _events(session, action: str | None = None) -> list[tuple]:
    stmt = select(AccessEvent).order_by(AccessEvent.id)
    if action:
        stmt = stmt.where(AccessEvent.action == action)
    return [(e.user_id, e.action, e.entity, e.entity_id) for e in session.scalars(stmt)]


def _owners(session, base, *names: str) -> list[int]:
    town = session.get(Municipality, base.municipality.id)
    ids = [f.owner(session, town, name=name).id for name in names]
    session.commit()
    return ids


def test_reading_an_owner_page_writes_exactly_one_entry(staff_client, session, base):
    owner_id, other_id = _owners(session, base, "Lea Lesbar", "Otto Ungelesen")
    assert _events(session) == []
    response = staff_client.get(f"/verwaltung/eigentuemer/{owner_id}")
    assert response.status_code == 200
    assert _events(session) == [(base.staff.id, "read", "owner", owner_id)]
    staff_client.get("/verwaltung/eigentuemer")  # the list is not a read of one person
    assert len(_events(session)) == 1
    assert other_id not in [e[3] for e in _events(session)]


def test_printing_letters_writes_a_print_entry(staff_client, session, world):
    response = send_form(staff_client, world.match_id, {world.owner_id: "letter"})
    assert response.status_code == 200
    assert 'class="letter"' in response.get_data(as_text=True)
    staff = session.scalars(select(User).where(User.email == "staff@test.example")).one()
    assert _events(session, "print") == [(staff.id, "print", "owner", world.owner_id)]
    event = session.scalars(select(AccessEvent).where(AccessEvent.action == "print")).one()
    assert event.detail["request"].startswith("NA-")


def test_an_email_request_writes_no_print_entry(staff_client, session, world):
    response = send_form(staff_client, world.match_id, {world.owner_id: "email"})
    assert response.status_code == 302
    assert _events(session, "print") == []


def test_export_with_owner_data_writes_one_entry_per_owner(staff_client, session, world):
    send_form(staff_client, world.match_id, {world.owner_id: "email"})
    plain = staff_client.get("/verwaltung/anfragen/export.csv")
    assert plain.status_code == 200 and plain.data  # (read the streamed body)
    assert _events(session, "export") == []  # no owner columns, no access
    named = staff_client.get("/verwaltung/anfragen/export.csv?eigentuemer=1")
    assert named.status_code == 200 and world.owner_name in named.get_data(as_text=True)
    staff = session.scalars(select(User).where(User.email == "staff@test.example")).one()
    assert _events(session, "export") == [(staff.id, "export", "owner", world.owner_id)]
    event = session.scalars(select(AccessEvent).where(AccessEvent.action == "export")).one()
    assert event.detail == {
        "export": "Nutzungsanfragen CSV",
        "filter": "kein Filter (alle)",
        "rows": 1,
    }


def test_the_database_refuses_update_and_delete(staff_client, session, base):
    [owner_id] = _owners(session, base, "Una Veränderlich")
    staff_client.get(f"/verwaltung/eigentuemer/{owner_id}")
    event_id = session.scalars(select(AccessEvent.id)).one()
    for statement in (
        "UPDATE access_event SET action = 'export' WHERE id = :id",
        "UPDATE access_event SET user_id = NULL WHERE id = :id",
        "DELETE FROM access_event WHERE id = :id",
    ):
        nested = session.begin_nested()
        with pytest.raises(DBAPIError, match="access_event is append-only"):
            session.execute(text(statement), {"id": event_id})
        nested.rollback()
    assert _events(session) == [(base.staff.id, "read", "owner", owner_id)]


def test_the_log_page_for_admin_and_dpo_with_filters(client, session, base):
    first, second = _owners(session, base, "Fritz Gefiltert", "Greta Daneben")
    login(client, base.staff.email)
    client.get(f"/verwaltung/eigentuemer/{first}")
    client.get(f"/verwaltung/eigentuemer/{second}")
    dpo = User(email="dpo-log@test.example", role="dpo", municipality_id=base.municipality.id)
    dpo.set_password(PASSWORD)
    session.add(dpo)
    session.commit()
    post_form(client, "/logout", {}, page="/verwaltung/")
    login(client, "dpo-log@test.example")
    page = client.get("/verwaltung/zugriffe").get_data(as_text=True)
    assert "Fritz Gefiltert" in page and "Greta Daneben" in page and "Test Staff" in page
    only = client.get(f"/verwaltung/zugriffe?entity=owner&entity_id={first}")
    html = only.get_data(as_text=True)
    assert "Fritz Gefiltert" in html and "Greta Daneben" not in html
    by_admin = client.get(f"/verwaltung/zugriffe?user_id={base.admin.id}").get_data(as_text=True)
    assert "Fritz Gefiltert" not in by_admin and "Keine Einträge." in by_admin
    bad = client.get("/verwaltung/zugriffe?date_from=31.02.2026&user_id=abc")
    assert bad.status_code == 200
    bad_html = bad.get_data(as_text=True)
    assert "„Datum von“" in bad_html and "„Benutzer:in“" in bad_html
    assert "Diese Filter werden nicht angewendet." in bad_html
    assert bad_html.index('role="alert"') < bad_html.index('class="filters"')
    later = client.get("/verwaltung/zugriffe?date_from=01.01.2099").get_data(as_text=True)
    assert "Keine Einträge." in later


@pytest.mark.parametrize("who", ["staff", "viewer"])
def test_the_log_page_is_403_for_other_roles(client, base, who):
    login(client, getattr(base, who).email)
    assert client.get("/verwaltung/zugriffe").status_code == 403


def test_reissuing_a_letter_writes_a_second_print_entry(staff_client, session, world):
    send_form(staff_client, world.match_id, {world.owner_id: "letter"})
    event = session.scalars(select(AccessEvent).where(AccessEvent.action == "print")).one()
    request_id = int(event.detail["request"].removeprefix("NA-"))
    url = f"/verwaltung/anfragen/{request_id}/neu-ausstellen"
    response = post_form(staff_client, url, {}, page=f"/verwaltung/anfragen/{request_id}")
    assert response.status_code == 200 and 'class="letter"' in response.get_data(as_text=True)
    entries = _events(session, "print")
    assert len(entries) == 2 and {e[3] for e in entries} == {world.owner_id}
