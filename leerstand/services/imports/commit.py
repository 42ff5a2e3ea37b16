"""Writing an import: the plan is made again and every row without problems is written in the
caller's transaction (flush only; on any exception the caller rolls back and nothing stays).

- "create" rows: a new building for the first row of each address (location, footprint,
  Ortsteil by name or else the nearest Ortsteil centre like the building form) and one new unit
  per row; owners (when ``create_owners``) once per name and address, linked as "owner" to the
  building, without any consent row: their consent state is "unknown", never public. New units
  are not publishable. All of them carry the batch id.
- "update" rows name a unit (unit id): the unit's mapped, non-empty cells overwrite its values
  (building and owner columns of such a row are ignored; empty cells change nothing). A row
  with only a building id adds a new unit to that building. The old values of updated units and
  their version after the import go into the batch's settings (``previous``), so that ``undo``
  can restore them while nobody has edited the unit since.

Each created or updated record gets the audit event the register writes ("create"/"update");
the batch gets one "import" event. Matches are recomputed once per proposal at the end.
The returned batch carries the plan it followed as ``batch.plan`` (not stored)."""

from __future__ import annotations

from sqlalchemy import select, text

from leerstand.models import AuditEvent, Building, ImportBatch, Owner, Ownership, Unit
from leerstand.services.audit.log import changes_of, record
from leerstand.services.imports import bulk
from leerstand.services.imports.coords import epsg as epsg_of_settings
from leerstand.services.imports.fields import normalise
from leerstand.services.imports.plan import Prepared, Progress, action, owner_key, prepare
from leerstand.services.imports.rows import Record
from leerstand.services.imports.settings import Settings
from leerstand.services.imports.table import Table
from leerstand.services.matching import service as matching

NEAREST_DISTRICT_SQL = text(
    """
    SELECT r.i, (SELECT d.id FROM district d
                 WHERE d.municipality_id = :m AND d.centre IS NOT NULL
                 ORDER BY ST_Distance(d.centre::geography,
                                      ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326)::geography)
                 LIMIT 1)
    FROM unnest(CAST(:i AS int[]), CAST(:lon AS float8[]), CAST(:lat AS float8[]))
         AS r(i, lon, lat)
    """
)


def commit(
    session,
    municipality_id: int,
    user_id: int | None,
    table: Table,
    settings: Settings,
    progress: Progress | None = None,
    upload_token: str | None = None,
) -> ImportBatch:
    prepared = prepare(session, municipality_id, table, settings, progress)
    counts = prepared.plan.counts
    batch = ImportBatch(
        municipality_id=municipality_id,
        created_by_id=user_id,
        file_name=table.file_name[:255],
        file_format=table.file_format,
        source_crs=f"EPSG:{epsg_of_settings(settings.crs, table.file_crs)}",
        rows_total=len(table.rows),
        rows_created=counts["create"],
        rows_updated=counts["update"],
        rows_skipped=counts["skip"],
        owners_created=counts["owners"],
        settings=settings.to_json(),
        upload_token=upload_token,
    )
    session.add(batch)
    session.flush()
    writer = _Writer(session, municipality_id, user_id, batch, prepared)
    writer.write()
    batch.settings = {**settings.to_json(), "previous": writer.previous}
    session.flush()
    record(session, user_id, "import", batch, _summary(batch, writer))
    matching.rematch_all(session, municipality_id)
    session.flush()
    batch.plan = prepared.plan  # the plan it followed (not stored), e.g. for the CLI's output
    return batch


def _summary(batch: ImportBatch, writer: _Writer) -> dict:
    """The batch event: file and counts (the records' own events carry the batch id)."""
    return {
        "file_name": batch.file_name,
        "rows_total": batch.rows_total,
        "rows_created": batch.rows_created,
        "rows_updated": batch.rows_updated,
        "rows_skipped": batch.rows_skipped,
        "buildings_created": len(writer.building_ids),
        "owners_created": len(writer.owner_ids),
    }


class _Writer:
    """Creates in bulk (``bulk.insert_rows``: one statement per table), updates through the
    ORM (a re-imported list touches few units), then writes all audit events in one INSERT."""

    def __init__(self, session, municipality_id, user_id, batch, prepared: Prepared):
        self.session, self.municipality_id, self.user_id = session, municipality_id, user_id
        self.batch, self.prepared = batch, prepared
        self.building_ids: dict[int, int] = {}  # leader row index -> building id
        self.owner_ids: dict[str, int] = {}  # owner key -> owner id
        self.previous: dict[str, dict] = {}
        self.events: list[dict] = []

    def write(self) -> None:
        records = self.prepared.records
        created = [r for r in records if action(r) == "create"]
        updated = [r for r in records if action(r) == "update"]
        self._buildings(created)
        self._units(created, updated)
        self._owners(created)
        self._updates([r for r in updated if r.unit_id])
        events = [bulk.complete(AuditEvent.__table__, event) for event in self.events]
        bulk.insert_rows(self.session, AuditEvent.__table__, events)

    def _insert(self, model, rows: list[dict]) -> list[int]:
        rows = [bulk.complete(model.__table__, row) for row in rows]
        ids = bulk.insert_rows(self.session, model.__table__, rows)
        for row_id, row in zip(ids, rows, strict=True):
            self._event("create", model.__tablename__, row_id, bulk.create_changes(row))
        return ids

    def _event(self, action_: str, entity: str, entity_id: int, changes: dict) -> None:
        self.events.append(
            {"municipality_id": self.municipality_id, "user_id": self.user_id,
             "action": action_, "entity": entity, "entity_id": entity_id, "changes": changes}
        )  # fmt: skip

    def _common(self) -> dict:
        return {"municipality_id": self.municipality_id, "import_batch_id": self.batch.id}

    def _buildings(self, created: list[Record]) -> None:
        leaders = [r for r in created if self.prepared.building_of[r.index] is r]
        nearest = self._nearest_districts([r for r in leaders if not r.district])
        rows = [
            {
                **self._common(),
                "district_id": self.prepared.districts.get(normalise(r.district))
                or nearest.get(r.index),
                "location": r.location,
                "footprint": r.footprint,
                **r.building,
            }
            for r in leaders
        ]
        ids = self._insert(Building, rows)
        self.building_ids = {r.index: i for r, i in zip(leaders, ids, strict=True)}

    def _nearest_districts(self, records: list[Record]) -> dict[int, int | None]:
        if not records:
            return {}
        params = {
            "m": self.municipality_id,
            "i": [r.index for r in records],
            "lon": [r.location.x for r in records],
            "lat": [r.location.y for r in records],
        }
        return dict(self.session.execute(NEAREST_DISTRICT_SQL, params).all())

    def _units(self, created: list[Record], updated: list[Record]) -> None:
        rows = [
            {**self._common(), "publishable": False, **r.unit,
             "building_id": self.building_ids[self.prepared.building_of[r.index].index]}
            for r in created
        ]  # fmt: skip
        rows += [
            {**self._common(), "publishable": False, **r.unit, "building_id": r.building_id}
            for r in updated
            if not r.unit_id
        ]
        self._insert(Unit, rows)

    def _owners(self, created: list[Record]) -> None:
        owners: dict[str, dict] = {}
        links: dict[tuple[int, str], None] = {}
        for r in created:
            if r.owner:
                key = owner_key(r.owner)
                owners.setdefault(key, {**self._common(), "kind": "person", **r.owner})
                links[(self.building_ids[self.prepared.building_of[r.index].index], key)] = None
        ids = self._insert(Owner, list(owners.values()))
        self.owner_ids = dict(zip(owners, ids, strict=True))
        rows = [
            bulk.complete(
                Ownership.__table__,
                {"building_id": b, "owner_id": self.owner_ids[key], "role": "owner"},
            )
            for b, key in links
        ]
        bulk.insert_rows(self.session, Ownership.__table__, rows)

    def _updates(self, records: list[Record]) -> None:
        ids = [r.unit_id for r in records]
        units = {u.id: u for u in self.session.scalars(select(Unit).where(Unit.id.in_(ids)))}
        for r in records:
            unit = units[r.unit_id]
            for key, value in r.unit.items():
                if getattr(unit, key) != value:
                    setattr(unit, key, value)
            changes = changes_of(unit)
            if changes:
                old = {key: pair[0] for key, pair in changes.items()}
                self.previous[str(unit.id)] = {"values": old, "version": unit.version + 1}
                self._event("update", "unit", unit.id, changes)
        self.session.flush()
