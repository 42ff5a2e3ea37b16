"""The staff queue of citizens' reports (Meldungen) and its decisions.

- ``queue``: the town's reports of one status, newest first, each with the number of possible
  duplicates (units and other reports within ``RADIUS_M`` or at the same address), one query;
- ``accept``: a unit at the reported place (in the building at that address, or the nearest
  within ``BUILDING_RADIUS_M``, else a new building) with the report's kind and "leer seit",
  plus the photo when the reporter agreed; through the register's own services (audit,
  matching). The report keeps the link: the unit's source is this citizen report;
- ``merge``: link the report to an existing unit of the town (optionally adding the photo);
- ``reject``: with a reason for the reporter.

Each decision is one audit entry on the report (never the reporter's address) and leaves the
report's photo to be removed from the store after the commit (``reports.photo_keys``). Only
flushes; mails are the view's."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from geoalchemy2 import Geography
from sqlalchemy import cast, func, select
from sqlalchemy.orm import Session

from leerstand.dates import local_date
from leerstand.messages import Text
from leerstand.models import Building, Unit, VacancyReport
from leerstand.services import forms
from leerstand.services.audit.log import record
from leerstand.services.errors import NotFound, ServiceError
from leerstand.services.media import report_nearby
from leerstand.services.media.photos import add_unit_photo
from leerstand.services.municipality import get, get_scoped
from leerstand.services.register import buildings as register
from leerstand.spatial.geometry import from_db, point_from_input

RADIUS_M = report_nearby.RADIUS_M
BUILDING_RADIUS_M = 10
QUEUE_LIMIT = 200
# "leer seit" estimated from the report's day: weeks → 3 weeks, months → 4 months, year → 1 year
SINCE_DAYS = {"weeks": 21, "months": 120, "year": 365}

QUEUE_SQL = f"""
SELECT r.id, r.kind, r.street, r.house_number, r.since, r.since_month, r.created_at,
       r.status, r.confirmations, r.suggested_unit_id, r.photo_key IS NOT NULL AS has_photo,
       r.location IS NOT NULL AS placed, r.decided_at,
       (SELECT count(*) FROM unit u JOIN building b ON b.id = u.building_id
        WHERE u.municipality_id = r.municipality_id
          AND (ST_DWithin(b.location::geography, r.location::geography, {RADIUS_M})
               OR (r.street <> '' AND lower(trim(b.street)) = lower(trim(r.street))
                   AND lower(trim(b.house_number)) = lower(trim(r.house_number)))))
         AS near_units,
       (SELECT count(*) FROM vacancy_report o
        WHERE o.municipality_id = r.municipality_id AND o.id <> r.id
          AND (ST_DWithin(o.location::geography, r.location::geography, {RADIUS_M})
               OR (r.street <> '' AND lower(trim(o.street)) = lower(trim(r.street))
                   AND lower(trim(o.house_number)) = lower(trim(r.house_number)))))
         AS near_reports
FROM vacancy_report r
WHERE r.municipality_id = %(town)s AND r.status = %(status)s
ORDER BY r.created_at DESC, r.id DESC LIMIT {QUEUE_LIMIT}"""


def queue(session: Session, municipality_id: int, status: str = "new") -> list[dict]:
    params = {"town": municipality_id, "status": status}
    return [dict(row) for row in session.connection().exec_driver_sql(QUEUE_SQL, params).mappings()]


def counts(session: Session, municipality_id: int) -> dict[str, int]:
    """{status: number of the town's reports}."""
    stmt = (
        select(VacancyReport.status, func.count())
        .where(VacancyReport.municipality_id == municipality_id)
        .group_by(VacancyReport.status)
    )
    return dict(session.execute(stmt).all())


def get_report(
    session: Session, municipality_id: int, report_id: int, lock: bool = False
) -> VacancyReport:
    """The town's report; ``lock``: a row lock until the transaction ends, so that two
    decisions on one report are taken one after the other (the second finds it decided)."""
    report = session.get(
        VacancyReport, report_id, with_for_update=lock or None, populate_existing=lock
    )
    if report is None or report.municipality_id != municipality_id:
        raise NotFound(Text("Meldung nicht gefunden."))
    return report


def vacant_since_estimate(report: VacancyReport) -> date | None:
    if report.since == "date":
        return report.since_month
    days = SINCE_DAYS.get(report.since)
    return None if days is None else local_date(report.created_at) - timedelta(days=days)


def _open(report: VacancyReport) -> None:
    if report.status != "new":
        raise ServiceError(
            Text("Diese Meldung ist schon entschieden. Bitte laden Sie die Liste neu.")
        )


def _decide(session, report, user_id: int, status: str, now: datetime, **changes) -> None:
    old = report.status
    report.status, report.decided_at, report.decided_by_id = status, now, user_id
    report.photo_key = report.photo_mime = None  # the caller removes the files after the commit
    for key, value in changes.items():
        setattr(report, key, value)
    session.flush()
    logged = {"status": [old, status], **{k: [None, v] for k, v in changes.items()}}
    record(session, user_id, f"report_{status}", report, logged)


def _photo_to_unit(session, store, report, unit_id: int, user_id: int) -> None:
    if not (report.photo_key and report.photo_consent):
        return
    add_unit_photo(
        session,
        store,
        unit_id=unit_id,
        data=store.get(report.photo_key),
        caption=None,
        taken_on=local_date(report.created_at),
        user_id=user_id,
        source="report",
    )


def _building_at(session: Session, municipality_id: int, values: Mapping, point):
    """The building at the typed address, else the nearest within BUILDING_RADIUS_M of
    ``point``, else None."""
    street, number = (str(values.get(k) or "").strip() for k in ("street", "house_number"))
    base = select(Building).where(Building.municipality_id == municipality_id)
    if street and number:
        found = session.scalar(
            base.where(
                func.lower(func.trim(Building.street)) == street.lower(),
                func.lower(func.trim(Building.house_number)) == number.lower(),
            ).order_by(Building.id)
        )
        if found is not None:
            return found
    here = cast(func.ST_GeomFromText(point.wkt, 4326), Geography)
    near = cast(Building.location, Geography)
    return session.scalar(
        base.where(func.ST_DWithin(near, here, BUILDING_RADIUS_M))
        .order_by(func.ST_Distance(near, here), Building.id)
        .limit(1)
    )


def _point(values: Mapping):
    lon, lat = (str(values.get(k) or "").strip() for k in ("lon", "lat"))
    if not lon or not lat:
        raise ServiceError(
            Text("Bitte den Ort der Meldung auf der Karte setzen oder Koordinaten eingeben.")
        )
    return point_from_input(lon, lat)


def accept(session, store, report, user_id: int, values: Mapping, now: datetime) -> Unit:
    """A unit at the reported (or corrected) place; the building at that place or address, or
    a new one. ``values``: lon, lat, street, house_number, name, vacant_since, use_photo."""
    _open(report)
    point = _point(values)
    building = _building_at(session, report.municipality_id, values, point)
    if building is None:
        town = get(session, report.municipality_id)
        building = register.create_building(
            session, user_id, report.municipality_id,
            {"street": values.get("street"), "house_number": values.get("house_number"),
             "postcode": town.postcode or "", "place": town.name, "coord_crs": "4326",
             "coord_x": point.x, "coord_y": point.y},
        )  # fmt: skip
    since = values.get("vacant_since")
    unit = register.create_unit(
        session, user_id, building,
        {"name": values.get("name") or Text("Gemeldeter Leerstand"), "kind": report.kind,
         "vacancy_state": "vacant", "vacant_since": since, "owner_expectation": "unknown"},
    )  # fmt: skip
    if forms.flag(values, "use_photo"):
        _photo_to_unit(session, store, report, unit.id, user_id)
    _decide(session, report, user_id, "accepted", now, unit_id=unit.id)
    return unit


def merge(session, store, report, user_id: int, values: Mapping, now: datetime) -> Unit:
    """Link ``report`` to the unit ``values["unit_id"]`` of its town (optionally its photo)."""
    _open(report)
    unit_id = forms.parse_int(values.get("unit_id"), Text("Nutzungseinheit"))
    if unit_id is None:
        raise ServiceError(Text("Bitte die Nutzungseinheit wählen, mit der die Meldung "
                                "zusammengeführt wird."))  # fmt: skip
    unit = get_scoped(session, Unit, unit_id, report.municipality_id,
                      Text("Nutzungseinheit nicht gefunden."))  # fmt: skip
    if forms.flag(values, "use_photo"):
        _photo_to_unit(session, store, report, unit.id, user_id)
    _decide(session, report, user_id, "merged", now, unit_id=unit.id)
    return unit


def reject(session, report, user_id: int, values: Mapping, now: datetime) -> None:
    _open(report)
    reason = forms.text(values, "reason", 2000, Text("Begründung"))
    if not reason:
        raise ServiceError(
            Text("Bitte eine Begründung angeben; sie geht an die meldende Person, wenn sie "
                 "eine bestätigte Adresse angegeben hat.")
        )  # fmt: skip
    _decide(session, report, user_id, "rejected", now, reason=reason)


def place_of(report: VacancyReport) -> tuple[float, float] | None:
    """(lon, lat) of the report's point, or None."""
    point = from_db(report.location)
    return None if point is None else (point.x, point.y)
