"""Matches, use requests and interim uses as CSV for reports: the list pages' filters (a bad
value is a 400), no token or hash ever, owner names of use requests only with the tick and
then audited, another municipality's rows never."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from leerstand.models import AuditEvent
from tests import factories
from tests.conftest import login


def read_csv(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "private, no-store"
    text = response.get_data().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


@pytest.fixture
def reqs(session, base):
    w = factories.request_world(session, base.municipality)
    answered = factories.use_request(session, w.match, w.owner, answer="yes")
    open_ = factories.use_request(session, w.match, w.heir)
    dismissed = factories.match(
        session, factories.proposal_in(session, base.municipality, title="Café"), w.unit,
        status="dismissed", score=40,
    )  # fmt: skip
    use = factories.interim_use(
        session, w.unit, initiative_id=w.initiative.id, notes="Schlüssel bei Frau Ott"
    )
    return w, answered, open_, dismissed, use


def test_matches_csv_with_status_filter(staff_client, reqs):
    w, answered, open_, dismissed, _use = reqs
    rows = read_csv(staff_client.get("/verwaltung/treffer/export.csv"))
    assert [r["Treffer-Nr."] for r in rows] == [str(w.match.id), str(dismissed.id)]
    first = rows[0]
    assert first["Punkte"] == "87" and first["Status"] == "vorgemerkt"
    assert first["Idee"] == "Galerie im Schaufenster" and first["Anfragen"] == "2"
    assert first["Zusagen"] == "1" and first["Einheit"] == "EG Ladenlokal"
    shortlisted = read_csv(staff_client.get("/verwaltung/treffer/export.csv?status=shortlisted"))
    assert [r["Treffer-Nr."] for r in shortlisted] == [str(w.match.id)]
    bad = staff_client.get("/verwaltung/treffer/export.csv?status=irgendwas")
    assert bad.status_code == 400
    assert "Filter „Status“: unbekannter Wert „irgendwas“" in bad.get_data(as_text=True)


def test_requests_csv_never_has_secrets_and_owner_names_only_with_the_tick(
    staff_client, reqs, session
):
    _w, answered, open_, _d, _u = reqs
    response = staff_client.get("/verwaltung/anfragen/export.csv")
    body = response.get_data(as_text=True)
    rows = read_csv(response)
    assert {r["Zeichen"] for r in rows} == {f"NA-{answered.id}", f"NA-{open_.id}"}
    assert answered.token_hash not in body and open_.token_hash not in body
    assert "Eigentümer:in" not in rows[0] and "Erika Eigen" not in body
    assert "Gern, bitte Schlüssel" not in body  # the owner's own message stays out
    events = select(AuditEvent).where(AuditEvent.action == "export")
    assert session.scalars(events).all() == []
    answered_rows = read_csv(
        staff_client.get("/verwaltung/anfragen/export.csv?state=answered&eigentuemer=1")
    )
    assert [(r["Zeichen"], r["Antwort"]) for r in answered_rows] == [(f"NA-{answered.id}", "Ja")]
    assert answered_rows[0]["Eigentümer:in"] == answered.owner.name
    (event,) = session.scalars(events).all()
    assert event.changes["export"] == [None, "Nutzungsanfragen CSV"]
    assert event.changes["owner_ids"] == [None, [answered.owner_id]]
    assert event.changes["rows"] == [None, 1]
    assert staff_client.get("/verwaltung/anfragen/export.csv?state=alt").status_code == 400


def test_interim_csv_with_state_filter(staff_client, reqs):
    *_rest, use = reqs
    rows = read_csv(staff_client.get("/verwaltung/zwischennutzungen/export.csv?state=active"))
    assert [(r["Nr."], r["Stand"]) for r in rows] == [(str(use.id), "läuft")]
    assert rows[0]["Notizen (intern)"] == "Schlüssel bei Frau Ott"
    assert read_csv(staff_client.get("/verwaltung/zwischennutzungen/export.csv?state=ended")) == []
    assert staff_client.get("/verwaltung/zwischennutzungen/export.csv?state=x").status_code == 400


def test_another_municipality_gets_none_of_these_rows(client, reqs, base):
    login(client, base.stranger.email)
    for url in ("treffer", "anfragen", "zwischennutzungen"):
        assert read_csv(client.get(f"/verwaltung/{url}/export.csv")) == []
