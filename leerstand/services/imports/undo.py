"""Undoing an import batch as a whole (admins; the view checks the role and so does this):
its units, buildings and owners are deleted and the units it updated get their old values
back, in the caller's transaction, with one audit event. Refused, naming how many of which
kind, when later work depends on the batch's records: contact cases, use requests, interim
uses, matches staff reviewed, proposals linked to a unit, or records edited since the import.
Matches computed automatically go with their units."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Date, Numeric, select, text

from leerstand.messages import Text
from leerstand.models import ImportBatch, Unit, User
from leerstand.services.audit.log import changes_of, record
from leerstand.services.errors import NotFound, ServiceError

# (the message part "N records" for a count, SQL counting the records that depend on the batch :b)
DEPENDENTS = (
    (
        lambda count: Text("%(count)s Ansprachen", count=count),
        "SELECT count(*) FROM contact_case c WHERE c.building_id IN (SELECT id FROM building "
        "WHERE import_batch_id = :b) OR c.owner_id IN (SELECT id FROM owner "
        "WHERE import_batch_id = :b)",
    ),
    (
        lambda count: Text("%(count)s Nutzungsanfragen", count=count),
        "SELECT count(*) FROM use_request r JOIN match m ON m.id = r.match_id "
        "WHERE m.unit_id IN (SELECT id FROM unit WHERE import_batch_id = :b) "
        "OR r.owner_id IN (SELECT id FROM owner WHERE import_batch_id = :b)",
    ),
    (
        lambda count: Text("%(count)s Zwischennutzungen", count=count),
        "SELECT count(*) FROM interim_use i WHERE i.unit_id IN "
        "(SELECT id FROM unit WHERE import_batch_id = :b)",
    ),
    (
        lambda count: Text("%(count)s geprüfte Treffer", count=count),
        "SELECT count(*) FROM match m WHERE m.unit_id IN (SELECT id FROM unit "
        "WHERE import_batch_id = :b) AND (m.status <> 'suggested' OR m.reviewed_at IS NOT NULL)",
    ),
    (
        lambda count: Text("%(count)s Ideen mit zugeordneter Einheit", count=count),
        "SELECT count(*) FROM proposal p WHERE p.unit_id IN "
        "(SELECT id FROM unit WHERE import_batch_id = :b)",
    ),
    (
        lambda count: Text("%(count)s Einwilligungen", count=count),
        "SELECT count(*) FROM consent c WHERE c.owner_id IN "
        "(SELECT id FROM owner WHERE import_batch_id = :b)",
    ),
    (
        lambda count: Text(
            "%(count)s Eigentumsverhältnisse mit Datensätzen außerhalb des Imports", count=count
        ),
        "SELECT count(*) FROM ownership o JOIN building b ON b.id = o.building_id "
        "JOIN owner w ON w.id = o.owner_id WHERE (b.import_batch_id IS NOT DISTINCT FROM :b) "
        "<> (w.import_batch_id IS NOT DISTINCT FROM :b)",
    ),
    (
        lambda count: Text("%(count)s seit dem Import bearbeitete Datensätze", count=count),
        "SELECT (SELECT count(*) FROM building WHERE import_batch_id = :b AND version > 1) "
        "+ (SELECT count(*) FROM unit WHERE import_batch_id = :b AND version > 1) "
        "+ (SELECT count(*) FROM owner WHERE import_batch_id = :b AND version > 1)",
    ),
)
DELETES = (
    "DELETE FROM match WHERE unit_id IN (SELECT id FROM unit WHERE import_batch_id = :b)",
    "DELETE FROM unit WHERE import_batch_id = :b",
    "DELETE FROM ownership WHERE building_id IN (SELECT id FROM building "
    "WHERE import_batch_id = :b) OR owner_id IN (SELECT id FROM owner WHERE import_batch_id = :b)",
    "DELETE FROM building WHERE import_batch_id = :b",
    "DELETE FROM owner WHERE import_batch_id = :b",
)


def batches(session, municipality_id: int) -> list[ImportBatch]:
    """The municipality's import batches, newest first."""
    query = (
        select(ImportBatch)
        .where(ImportBatch.municipality_id == municipality_id)
        .order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc())
    )
    return list(session.scalars(query))


def undo(session, municipality_id: int, batch_id: int, user_id: int) -> ImportBatch:
    batch = session.get(ImportBatch, batch_id, with_for_update=True)
    if batch is None or batch.municipality_id != municipality_id:
        raise NotFound(Text("Import nicht gefunden."))
    user = session.get(User, user_id)
    if user is None or user.municipality_id != municipality_id or user.role != "admin":
        raise ServiceError(Text("Nur die Administration kann einen Import rückgängig machen."))
    if batch.undone_at is not None:
        raise ServiceError(Text("Dieser Import wurde schon rückgängig gemacht."))
    _refuse_if_used(session, batch)
    counts = {
        "units": _count(session, "unit", batch.id),
        "buildings": _count(session, "building", batch.id),
        "owners": _count(session, "owner", batch.id),
    }
    restored = _restore_updates(session, batch, user_id)
    for statement in DELETES:
        session.execute(text(statement), {"b": batch.id})
    session.expire_all()
    batch.undone_at = datetime.now(UTC)
    batch.undone_by_id = user_id
    session.flush()
    record(session, user_id, "undo", batch, {**counts, "units_restored": restored})
    session.flush()
    return batch


def _count(session, table: str, batch_id: int) -> int:
    query = text(f"SELECT count(*) FROM {table} WHERE import_batch_id = :b")
    return session.scalar(query, {"b": batch_id})


def _refuse_if_used(session, batch: ImportBatch) -> None:
    found: list[Text] = []
    for part, sql in DEPENDENTS:
        count = session.scalar(text(sql), {"b": batch.id})
        if count:
            found.append(part(count))
    found.extend(_edited_updates(session, batch))
    if found:
        raise ServiceError(
            Text(
                "Der Import kann nicht rückgängig gemacht werden, weil schon damit gearbeitet "
                "wurde: %(found)s. Bitte diese Datensätze einzeln bearbeiten.",
                found=_listing(found),
            )
        )


def _listing(pieces: list[Text]) -> Text:
    """``pieces`` joined with commas, each still translatable ("1 Ansprachen, 2 …")."""
    if len(pieces) == 1:
        return pieces[0]
    return Text("%(first)s, %(rest)s", first=pieces[0], rest=_listing(pieces[1:]))


def _previous(batch: ImportBatch) -> dict[int, dict]:
    return {int(k): v for k, v in (batch.settings or {}).get("previous", {}).items()}


def _edited_updates(session, batch: ImportBatch) -> list[Text]:
    previous = _previous(batch)
    if not previous:
        return []
    query = select(Unit.id, Unit.version).where(Unit.id.in_(list(previous)))
    versions = dict(session.execute(query).all())
    edited = sum(1 for i, p in previous.items() if versions.get(i) != p["version"])
    if not edited:
        return []
    return [Text("%(count)s seit dem Import bearbeitete aktualisierte Einheiten", count=edited)]


def _restore_updates(session, batch: ImportBatch, user_id: int) -> int:
    previous = _previous(batch)
    columns = Unit.__table__.columns
    for unit in session.scalars(select(Unit).where(Unit.id.in_(list(previous)))):
        for key, value in previous[unit.id]["values"].items():
            setattr(unit, key, _typed(columns[key].type, value))
        changes = changes_of(unit)
        session.flush()
        record(session, user_id, "update", unit, changes)
    return len(previous)


def _typed(column_type, value):
    """A value as ``audit.log`` stored it (JSON) back in the column's Python type."""
    if value is None:
        return None
    if isinstance(column_type, Date):
        return date.fromisoformat(value)
    if isinstance(column_type, Numeric):
        return Decimal(str(value))
    return value
