"""The dry run: every row read, checked against the other rows and the register, and given an
action: "create" (a new unit, in a new building or in the building of an earlier row with the
same address), "update" (the row names a unit or building of this municipality's register by
its id: see ``commit`` for what changes) or "skip" (it has problems, each with a German
reason). ``plan`` writes nothing; ``prepare`` is what ``commit`` builds on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from leerstand.dates import local_today
from leerstand.messages import Text
from leerstand.services.imports import checks, dupes
from leerstand.services.imports.fields import normalise
from leerstand.services.imports.rows import Record, RowReader
from leerstand.services.imports.settings import Settings, check_settings
from leerstand.services.imports.table import ImportProblem, Table

Progress = Callable[[int, int], None]  # (rows done, rows total)
PROGRESS_EVERY = 200


@dataclass
class RowResult:
    line: int
    action: str  # "create" | "update" | "skip"
    label: str
    problems: list[str] = field(default_factory=list)


@dataclass
class Plan:
    rows: list[RowResult]
    counts: dict[str, int]


@dataclass
class Prepared:
    """What ``commit`` needs: the records, the row giving each new row's building, districts."""

    records: list[Record]
    building_of: dict[int, Record]
    districts: dict[str, int]
    plan: Plan


def action(record: Record) -> str:
    if record.problems:
        return "skip"
    return "update" if record.unit_id or record.building_id else "create"


def owner_key(owner: dict) -> str:
    return normalise(owner["name"]) + "|" + normalise(owner.get("street", ""))


def prepare(
    session, municipality_id: int, table: Table, settings: Settings, progress: Progress | None
) -> Prepared:
    problems = check_settings(table, settings)
    if problems:
        raise ImportProblem(_lines(problems))
    reader = RowReader(table, settings, local_today())
    total = len(table.rows)
    records = []
    for i in range(total):
        records.append(reader.read(i))
        if progress and (i + 1) % PROGRESS_EVERY == 0 and i + 1 < total:
            progress(i + 1, total)
    districts = checks.apply(session, municipality_id, records)
    building_of = dupes.group(records)
    results = [RowResult(r.line, action(r), r.label, r.problems) for r in records]
    counts = {"create": 0, "update": 0, "skip": 0}
    for result in results:
        counts[result.action] += 1
    counts["owners"] = len(
        {owner_key(r.owner) for r in records if r.owner and action(r) == "create"}
    )
    if progress:
        progress(total, total)
    return Prepared(records, building_of, districts, Plan(results, counts))


def _lines(problems: list[Text]) -> Text:
    """The problems one per line, each still translatable."""
    if len(problems) == 1:
        return problems[0]
    return Text("%(first)s\n%(rest)s", first=problems[0], rest=_lines(problems[1:]))


def plan(
    session,
    municipality_id: int,
    table: Table,
    settings: Settings,
    progress: Progress | None = None,
) -> Plan:
    """The dry run; writes nothing."""
    return prepare(session, municipality_id, table, settings, progress).plan
