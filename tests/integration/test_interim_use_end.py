"""Zwischennutzung: changing dates and terms (version check, stale form → 409), recording the
end with each outcome and what it does to the unit, and the outcome statistics."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from leerstand.dates import local_today
from leerstand.models import AuditEvent, InterimUse
from leerstand.services.errors import Conflict
from leerstand.services.interim_uses import service
from tests import factories as f
from tests.conftest import post_form
from tests.integration.test_interim_use import dated, form, ident, in_days, make_world, reload

# --- edit and end --------------------------------------------------------------------------


def _recorded(session, base, **kw) -> InterimUse:
    w = make_world(session, base, **kw)
    use = service.record_interim_use(session, w.match, base.staff.id, form(), local_today())
    session.commit()
    return use


def test_edit_terms_and_dates(staff_client, session, base):
    use = _recorded(session, base)
    use.end_reminder_sent_at = func.now()
    session.commit()
    url = f"/verwaltung/zwischennutzungen/{use.id}"
    new_end = in_days(200)
    data = form(ends_on=new_end, costs="kostenfrei", version=str(use.version))
    response = post_form(staff_client, url + "/bearbeiten", data, page=url)
    assert response.status_code == 302
    use = reload(session, use)
    assert use.ends_on.isoformat() == new_end and use.costs == "kostenfrei"
    assert use.end_reminder_sent_at is None  # a new end gets a new reminder
    audit = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "interim_use", AuditEvent.action == "update")
    ).one()
    assert audit.changes["costs"] == ["nur Nebenkosten, 80 € im Monat", "kostenfrei"]


def test_edit_with_stale_version_is_409(staff_client, session, base):
    use = _recorded(session, base)
    url = f"/verwaltung/zwischennutzungen/{use.id}"
    page = staff_client.get(url).get_data(as_text=True)
    assert 'name="version" value="1"' in page  # the form as loaded by the first person
    other = form(costs="kostenfrei", version="1")  # meanwhile someone else saves
    service.update_interim_use(session, use, ident(base.admin), other)
    session.commit()
    stale = form(costs="überschrieben", version="1")
    response = post_form(staff_client, url + "/bearbeiten", stale, page=url)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "inzwischen von jemand anderem geändert" in html and "überschrieben" in html
    use = reload(session, use)
    assert use.costs == "kostenfrei" and use.version == 2
    ended = {"outcome": "vacancy_ended", "ended_on": in_days(0), "version": "1"}
    assert post_form(staff_client, url + "/beenden", ended, page=url).status_code == 409
    assert reload(session, use).active
    with pytest.raises(Conflict):
        service.update_interim_use(session, use, None, {"version": "x"})


@pytest.mark.parametrize(
    ("outcome", "state"),
    [("vacancy_ended", "occupied"), ("let_permanently", "occupied"), ("back_to_vacant", "vacant")],
)
def test_end_with_each_outcome(staff_client, session, base, outcome, state):
    use = _recorded(session, base)
    url = f"/verwaltung/zwischennutzungen/{use.id}"
    today = local_today()
    ended = today - timedelta(days=1)
    data = {"outcome": outcome, "ended_on": ended.isoformat(), "version": str(use.version)}
    response = post_form(
        staff_client, url + "/beenden", {**data, "end_notes": "Ende gut"}, page=url
    )
    assert response.status_code == 302
    use = reload(session, use)
    assert (use.outcome, use.ended_on, use.active) == (outcome, ended, False)
    assert use.notes.endswith("Ende gut")
    unit = reload(session, use.unit)
    assert unit.vacancy_state == state
    if outcome == "back_to_vacant":
        assert unit.vacant_since == ended
    else:
        assert unit.vacant_since == today - timedelta(days=400)  # unchanged
    page = staff_client.get(url).get_data(as_text=True)
    assert 'action="' + url + '/beenden"' not in page  # no more forms once ended
    response = post_form(
        staff_client, url + "/bearbeiten", form(version=str(use.version)), page=url
    )
    assert response.status_code == 422 and "schon beendet" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"outcome": "vacancy_ended", "ended_on": 1}, "nicht in der Zukunft"),
        ({"outcome": "gone", "ended_on": 0}, "Wert aus der Liste"),
        ({"outcome": "vacancy_ended", "ended_on": ""}, "„Beendet am“"),
    ],
)  # fmt: skip
def test_bad_end_is_refused(staff_client, session, base, data, words):
    use = _recorded(session, base)
    url = f"/verwaltung/zwischennutzungen/{use.id}"
    response = post_form(staff_client, url + "/beenden", {**dated(data), "version": "1"}, page=url)
    assert response.status_code == 422 and words in response.get_data(as_text=True)
    use = reload(session, use)
    assert use.active and reload(session, use.unit).vacancy_state == "interim_use"


def test_end_keeps_unit_in_interim_use_while_another_runs(session, base):
    use = _recorded(session, base)
    today = local_today()
    later = f.interim_use(
        session,
        use.unit,
        starts_on=today + timedelta(days=101),
        ends_on=today + timedelta(days=150),
    )
    values = {"outcome": "back_to_vacant", "ended_on": in_days(0), "version": use.version}
    service.end_interim_use(session, use, base.staff.id, values, today)
    assert use.unit.vacancy_state == "interim_use" and later.active


def test_outcome_counts(session, base):
    w = make_world(session, base)
    today = local_today()
    for outcome in ("vacancy_ended", "back_to_vacant", "back_to_vacant"):
        f.interim_use(session, w.unit, outcome=outcome, ended_on=today)
    f.interim_use(session, w.unit)  # still running: not counted
    stranger = f.unit(session, f.building(session, base.other_municipality, lonlat=(10.05, 50.05)))
    f.interim_use(session, stranger, outcome="let_permanently", ended_on=today)
    assert service.outcome_counts(session, base.municipality.id) == {
        "vacancy_ended": 1,
        "back_to_vacant": 2,
        "let_permanently": 0,
    }
