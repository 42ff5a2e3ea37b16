"""Citizens' reports in the statistics: received, accepted, merged, rejected in the period, open
at its end, and the vacancies whose unit came from an accepted report (vacant on the period's
last day); on the Statistik page and as CSV, the former tables unchanged. And the retention
rule that deletes reporters' addresses."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from leerstand.models import VacancyReport
from leerstand.services.privacy import retention
from leerstand.services.statistics import Period, Scope, citizen_reports
from tests import factories as f

MAY = Period(date(2026, 5, 1), date(2026, 5, 31))


def _at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _report(session, town, created: date, status="new", decided: date | None = None, **kw):
    report = VacancyReport(
        municipality_id=town.id, street="Allee", house_number="", kind=kw.pop("kind", "shop"),
        since="unknown", comment="", photo_consent=False, confirmations=0, status=status,
        reason="", created_at=_at(created), decided_at=_at(decided) if decided else None,
        location=f.building(session, town).location, **kw,
    )  # fmt: skip
    session.add(report)
    session.flush()
    return report


def test_reports_of_a_period(session, base):
    town = base.municipality
    made = f.unit(session, f.building(session, town), vacant_since=date(2026, 5, 10))
    ended = f.unit(session, f.building(session, town), vacant_since=date(2026, 4, 1),
                   vacancy_state="occupied")  # fmt: skip
    _report(session, town, date(2026, 4, 20), "accepted", date(2026, 5, 2), unit_id=made.id)
    _report(session, town, date(2026, 4, 20), "accepted", date(2026, 4, 25), unit_id=ended.id)
    _report(session, town, date(2026, 5, 3), "merged", date(2026, 5, 4), unit_id=made.id)
    _report(session, town, date(2026, 5, 5), "rejected", date(2026, 6, 2))
    _report(session, town, date(2026, 5, 31), kind="gastro")
    _report(session, town, date(2026, 6, 1))
    figures = citizen_reports(session, Scope(town.id), MAY)
    assert figures == {
        "received": 3, "accepted": 1, "merged": 1, "rejected": 0, "open": 2,
        "vacant_from_reports": 1,
    }  # fmt: skip
    gastro = citizen_reports(session, Scope(town.id, kind="gastro"), MAY)
    assert (gastro["received"], gastro["open"]) == (1, 1)


def test_the_statistics_page_shows_the_reports_table(session, base, staff_client):
    _report(session, base.municipality, date.today())
    page = staff_client.get("/verwaltung/statistik").get_data(as_text=True)
    assert "Meldungen von Bürger:innen" in page
    assert "Leerstände aus Meldungen am Ende des Zeitraums" in page
    csv = staff_client.get("/verwaltung/statistik/export.csv?tabelle=meldungen")
    assert csv.status_code == 200
    assert csv.get_data().decode("utf-8-sig").splitlines()[0].startswith("eingegangen;")


def test_retention_deletes_reporters_addresses(session, base):
    now = datetime.now(UTC)
    town = base.municipality
    old = _report(session, town, date(2026, 1, 5), "rejected",
                  (now - timedelta(days=91)).date(), email="alt@example.org",
                  email_confirmed_at=now - timedelta(days=200))  # fmt: skip
    recent = _report(session, town, date(2026, 1, 5), "rejected",
                     (now - timedelta(days=89)).date(), email="neu@example.org",
                     email_confirmed_at=now - timedelta(days=200))  # fmt: skip
    waiting = _report(session, town, (now - timedelta(days=200)).date(), email="offen@example.org",
                      email_confirmed_at=now - timedelta(days=199))  # fmt: skip
    due = [d for d in retention.due_records(session, retention.Periods(), now)
           if d.kind == "report_email"]  # fmt: skip
    assert [d.id for d in due] == [old.id]
    for item in due:
        retention.apply(session, item, now)
    session.refresh(old)
    assert (old.email, old.email_token_hash) == (None, None)
    assert (recent.email, waiting.email) == ("neu@example.org", "offen@example.org")
    again = retention.due_records(session, retention.Periods(), now)
    assert [d for d in again if d.kind == "report_email"] == []
