"""Zwischennutzung: reminders before the end (real SMTP, once per use), the start-page list,
the pages and partials, viewers may only read, other municipalities get 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import render_template
from flask_login import login_user
from sqlalchemy import select

from leerstand.dates import local_today
from leerstand.db import db
from leerstand.models import InterimUse
from leerstand.services.interim_uses import notices as interim_notices
from leerstand.services.interim_uses import service
from tests import factories as f
from tests.conftest import login, post_form
from tests.integration.test_interim_use import form, make_world, reload
from tests.smtp import body, links

END_REMINDER_DAYS = 14  # INTERIM_END_REMINDER_DAYS of the test apps


def _use(session, base, days_left: int, **kw) -> InterimUse:
    building = f.building(session, base.municipality)
    unit = f.unit(session, building, vacancy_state="interim_use", name=f"Einheit {days_left}")
    initiative = f.interim_initiative(session, base.municipality)
    proposal = f.interim_proposal(session, initiative, state="realised")
    values = {
        "proposal_id": proposal.id,
        "initiative_id": initiative.id,
        "ends_on": local_today() + timedelta(days=days_left),
        "created_by_id": base.staff.id,
    }
    values.update(kw)
    return f.interim_use(session, unit, **values)


# --- reminders -----------------------------------------------------------------------------


def _remind_ending(today) -> int:
    return interim_notices.remind_ending(db.session, today, END_REMINDER_DAYS, db.session.commit)


def test_remind_ending_once_to_initiative_and_staff(mail_app, session, base, smtp_server):
    today = local_today()
    due = _use(session, base, 5, key_handover="Schlüssel an Frau Lange")
    base.municipality.contact_email = "leerstand@ballenstedt.example"
    no_author = _use(session, base, 14, created_by_id=None)
    ended = _use(session, base, 3, outcome="vacancy_ended", ended_on=today)
    far = _use(session, base, 15)
    overdue = _use(session, base, -1)
    session.commit()
    with mail_app.app_context():  # no request: as in ``flask reminders``
        assert _remind_ending(today) == 2
    messages = smtp_server.wait_for(4)
    by_to = {}
    for message in messages:
        by_to.setdefault(message["To"], []).append(message)
    assert set(by_to) == {
        due.initiative.email,
        no_author.initiative.email,
        base.staff.email,
        "leerstand@ballenstedt.example",
    }
    initiative_text = body(by_to[due.initiative.email][0])
    assert due.ends_on.strftime("%d.%m.%Y") in initiative_text
    assert "Schlüssel an Frau Lange" in initiative_text
    staff_links = links(by_to[base.staff.email][0])
    base_url = mail_app.config["BASE_URL"]
    assert staff_links == [f"{base_url}/verwaltung/zwischennutzungen/{due.id}"]
    for use in (due, no_author):
        assert reload(session, use).end_reminder_sent_at is not None
        assert reload(session, use).version == 1  # open edit forms stay valid
    for use in (ended, far, overdue):
        assert reload(session, use).end_reminder_sent_at is None
    smtp_server.clear()
    with mail_app.app_context():
        assert _remind_ending(today) == 0
    assert smtp_server.messages == []


def test_ending_soon_lists_active_ones_ending_soon_or_overdue(app, session, base):
    today = local_today()
    due = _use(session, base, 14)
    overdue = _use(session, base, -3)
    _use(session, base, 15)
    _use(session, base, 2, outcome="back_to_vacant", ended_on=today)
    stranger_unit = f.unit(
        session, f.building(session, base.other_municipality, lonlat=(10.05, 50.05))
    )
    f.interim_use(session, stranger_unit, ends_on=today + timedelta(days=1))
    found = service.ending_soon(session, base.municipality.id, today, END_REMINDER_DAYS)
    ids = [use.id for use in found]
    assert ids == [overdue.id, due.id]


# --- pages and partials ---------------------------------------------------------------------


def test_pages_render(staff_client, session, base):
    today = local_today()
    w = make_world(session, base)
    use = service.record_interim_use(session, w.match, base.staff.id, form(), today)
    ended = f.interim_use(
        session, w.unit, starts_on=today - timedelta(days=400), ends_on=today - timedelta(days=300),
        outcome="back_to_vacant", ended_on=today - timedelta(days=300),
    )  # fmt: skip
    session.commit()
    html = staff_client.get("/verwaltung/zwischennutzungen").get_data(as_text=True)
    assert html.index(f'data-interim-id="{use.id}"') < html.index(f'data-interim-id="{ended.id}"')
    active = staff_client.get("/verwaltung/zwischennutzungen?state=active").get_data(as_text=True)
    assert f'data-interim-id="{use.id}"' in active and f'data-interim-id="{ended.id}"' not in active
    done = staff_client.get("/verwaltung/zwischennutzungen?state=ended").get_data(as_text=True)
    assert f'data-interim-id="{ended.id}"' in done and f'data-interim-id="{use.id}"' not in done
    for url in (
        f"/verwaltung/zwischennutzungen/{use.id}",
        f"/verwaltung/zwischennutzungen/{ended.id}",
        w.new_url,
    ):
        response = staff_client.get(url)
        assert response.status_code == 200, url
    building = staff_client.get(f"/verwaltung/gebaeude/{w.unit.building_id}")
    assert building.status_code == 200
    page = building.get_data(as_text=True)
    assert f"/verwaltung/zwischennutzungen/{use.id}" in page
    assert f"/verwaltung/zwischennutzungen/{ended.id}" in page


def _render_as(app, user, template: str, **context) -> str:
    with app.test_request_context():
        login_user(user)
        return render_template(template, **context)


def test_match_partial(app, session, base):
    w = make_world(session, base)
    html = _render_as(app, base.staff, "staff/_match_interim.html", match=w.match)
    assert "Zwischennutzung erfassen" in html and w.new_url in html
    assert w.new_url not in _render_as(app, base.viewer, "staff/_match_interim.html", match=w.match)
    use = service.record_interim_use(session, w.match, base.staff.id, form(), local_today())
    html = _render_as(app, base.staff, "staff/_match_interim.html", match=w.match)
    assert f"/verwaltung/zwischennutzungen/{use.id}" in html
    assert "Zwischennutzung erfassen" not in html  # one is active
    no = make_world(session, base, answer="no")
    html = _render_as(app, base.staff, "staff/_match_interim.html", match=no.match)
    assert "Zwischennutzung erfassen" not in html


def test_home_partial(app, session, base):
    soon = _use(session, base, 3)
    _use(session, base, 40)
    today = local_today()
    ending = service.ending_soon(session, base.municipality.id, today, END_REMINDER_DAYS)
    html = _render_as(
        app, base.staff, "staff/_home_interim.html", interim_ending=ending, today=today
    )
    assert f"/verwaltung/zwischennutzungen/{soon.id}" in html
    assert html.count("/verwaltung/zwischennutzungen/") == 1
    empty = _render_as(app, base.staff, "staff/_home_interim.html", interim_ending=[], today=today)
    assert "Keine Zwischennutzung endet" in empty


# --- access --------------------------------------------------------------------------------


def test_viewer_reads_but_cannot_write(viewer_client, session, base):
    w = make_world(session, base)
    use = _use(session, base, 30)
    session.commit()
    url = f"/verwaltung/zwischennutzungen/{use.id}"
    page = viewer_client.get(url)
    assert page.status_code == 200 and "/beenden" not in page.get_data(as_text=True)
    assert viewer_client.get("/verwaltung/zwischennutzungen").status_code == 200
    data = form(version="1", outcome="vacancy_ended", ended_on=local_today().isoformat())
    for target in (url + "/bearbeiten", url + "/beenden", w.new_url):
        assert post_form(viewer_client, target, data, page=url).status_code == 403
    assert session.scalars(select(InterimUse).where(InterimUse.unit_id == w.unit.id)).all() == []
    assert reload(session, use).active


def test_other_municipality_is_404(client, session, base):
    w = make_world(session, base)
    use = _use(session, base, 30)
    session.commit()
    login(client, base.stranger.email)
    url = f"/verwaltung/zwischennutzungen/{use.id}"
    assert client.get(url).status_code == 404
    assert client.get(w.new_url).status_code == 404
    home = "/verwaltung/zwischennutzungen"
    data = form(version="1", outcome="vacancy_ended", ended_on=local_today().isoformat())
    for target in (url + "/bearbeiten", url + "/beenden", w.new_url):
        assert post_form(client, target, data, page=home).status_code == 404
    assert f"/verwaltung/zwischennutzungen/{use.id}" not in client.get(home).get_data(as_text=True)
    assert reload(session, use).active


@pytest.mark.parametrize(
    "url", ["/verwaltung/zwischennutzungen", "/verwaltung/zwischennutzungen/1"]
)
def test_login_required(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
