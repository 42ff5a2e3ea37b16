#!/usr/bin/env python3
"""Benchmark the import of a 10,000-row CSV as German Excel writes it (Windows-1252, ";",
decimal comma, EPSG:25832 coordinates inside Ballenstedt, one building and unit per row).

Uses its own database ``leerstand_bench_import`` on the local cluster (``LEERSTAND_PGPORT``,
default 55432) or ``BENCH_DATABASE_URL`` (its name must contain "bench": the register's tables
are emptied). Prints, per phase, seconds, rows per second and memory: read + dry run through
the service, commit through the service (one transaction), the same import through
``flask import`` once (a subprocess, start-up included), and as the baseline in the same run
the bare minimum: the csv module and one ``COPY`` into a staging table, then two
``INSERT … SELECT`` with ``ST_Transform``. Peak memory: tracemalloc (Python objects) in an
extra run of each service phase, and the process's ru_maxrss.
Usage: ``.venv/bin/python scripts/bench_import.py [rows]``"""

from __future__ import annotations

import csv
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import benchdb  # first: puts the repository on sys.path
import psycopg
from benchdb import say

from leerstand import create_app

URL = benchdb.database_url("leerstand_bench_import")
ROOT = Path(__file__).resolve().parent.parent
ORIGIN = (652600.0, 5731300.0)  # south-west corner of the grid, UTM 32N, in Ballenstedt
SPACING = 20.0  # metres between buildings: more than the 15 m duplicate rule
HEADER = ["Straße", "Hausnr.", "PLZ", "Ort", "Rechtswert", "Hochwert", "Art", "Fläche m²",
          "leer seit", "Miete", "Bemerkung"]  # fmt: skip
KINDS = ["Ladenlokal", "Wohnung", "Büro", "Gaststätte", "Werkstatt"]
EMPTY = "TRUNCATE match, ownership, consent, unit, building, owner, audit_event, import_batch "
EMPTY += "RESTART IDENTITY CASCADE"
BASELINE = """
CREATE TEMP TABLE staging (street text, number text, postcode text, place text, x float8,
                           y float8, kind text, area numeric, since date, rent numeric,
                           notes text, n serial);
COPY staging (street, number, postcode, place, x, y, kind, area, since, rent, notes) FROM STDIN;
"""


def rows(n: int) -> list[list[str]]:
    side = int(n**0.5) + 1
    out = []
    for i in range(n):
        x = ORIGIN[0] + (i % side) * SPACING
        y = ORIGIN[1] + (i // side) * SPACING
        out.append([
            f"Benchmarkstraße {i // 50 + 1}", str(i % 50 + 1), "06493", "Ballenstedt",
            f"{x:.2f}".replace(".", ","), f"{y:.2f}".replace(".", ","), KINDS[i % 5],
            f"{20 + i % 300},5", f"{1 + i % 28:02d}.{1 + i % 12:02d}.20{10 + i % 14}",
            f"{100 + i % 900},00", "Kröten-Allee: Größe geschätzt",
        ])  # fmt: skip
    return out


def write_csv(path: Path, data: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(data)
    path.write_bytes(buffer.getvalue().encode("cp1252"))


def empty() -> None:
    with psycopg.connect(benchdb.plain(URL), autocommit=True) as conn:
        conn.execute(EMPTY)


def service_phase(app, path: Path, commit: bool, trace: bool = False) -> tuple[float, float, int]:
    """(seconds, peak MB of Python objects or 0, rows created or planned)."""
    from leerstand.db import db
    from leerstand.models import Municipality, User
    from leerstand.services import imports

    with app.app_context():
        municipality = db.session.query(Municipality).order_by(Municipality.id).first()
        user = db.session.query(User).filter_by(email="bench@example.org").one()
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        table = imports.read_table(path, path.name)
        settings = imports.Settings(imports.guess_columns(table.headers), {}, "EPSG:25832")
        if commit:
            batch = imports.commit(db.session, municipality.id, user.id, table, settings)
            db.session.commit()
            done = batch.rows_created
        else:
            done = imports.plan(db.session, municipality.id, table, settings).counts["create"]
            db.session.rollback()
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 1e6 if trace else 0.0
        if trace:
            tracemalloc.stop()
        db.session.remove()
    return seconds, peak, done


def cli_phase(path: Path) -> tuple[float, str]:
    env = {**os.environ, "DATABASE_URL": URL, "LEERSTAND_ENV": "development", "TILE_URL": ""}
    command = [str(ROOT / ".venv/bin/flask"), "--app", "leerstand", "import", str(path),
               "--user", "bench@example.org"]  # fmt: skip
    started = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"flask import: {result.stdout}{result.stderr}")
    return seconds, result.stdout.strip().splitlines()[-1]


def baseline_phase(path: Path, municipality_id: int) -> float:
    started = time.perf_counter()
    text = path.read_bytes().decode("cp1252")
    reader = csv.reader(io.StringIO(text), delimiter=";")
    next(reader)
    with psycopg.connect(benchdb.plain(URL)) as conn:
        create, copy_sql = BASELINE.strip().split(";\n")[:2]
        conn.execute(create)
        with conn.cursor().copy(copy_sql) as copy:
            for r in reader:
                d, m, y = r[8].split(".")
                copy.write_row([*r[:4], float(r[4].replace(",", ".")),
                                float(r[5].replace(",", ".")), r[6], r[7].replace(",", "."),
                                f"{y}-{m}-{d}", r[9].replace(",", "."), r[10]])  # fmt: skip
        conn.execute(
            "INSERT INTO building (municipality_id, street, house_number, postcode, place,"
            " location, listed, notes, version) SELECT %s, street, number, postcode, place,"
            " ST_Transform(ST_SetSRID(ST_MakePoint(x, y), 25832), 4326), false, '', 1"
            " FROM staging ORDER BY n",
            (municipality_id,),
        )
        conn.execute(
            "INSERT INTO unit (municipality_id, building_id, name, kind, floor, area_m2,"
            " street_level, step_free, shop_window, power, water, wc, heating, vacancy_state,"
            " vacant_since, owner_expectation, rent_eur_month, suitable_uses, publishable,"
            " public_description, internal_notes, version)"
            " SELECT %s, b.id, s.kind, 'shop', '', s.area, false, false, false, false, false,"
            " false, false, 'vacant', s.since, 'unknown', s.rent, '{}', false, '', s.notes, 1"
            " FROM staging s JOIN building b ON b.street = s.street AND b.house_number = s.number",
            (municipality_id,),
        )
        conn.commit()
    return time.perf_counter() - started


def prepare_app():
    benchdb.create_database(URL)
    app = create_app({"DATABASE_URL": URL, "TILE_URL": "", "LEERSTAND_ENV": "development"})

    def more(session, municipality):
        from leerstand.models import User

        user = User(email="bench@example.org", role="admin", municipality_id=municipality.id)
        user.set_password("bench-passwort-123")
        session.add(user)

    benchdb.migrate_and_base(app, more)
    with psycopg.connect(benchdb.plain(URL)) as conn:
        municipality_id = conn.execute("SELECT min(id) FROM municipality").fetchone()[0]
    return app, municipality_id


def main() -> None:
    parser = benchdb.arguments(__doc__, [10_000])
    n = parser.parse_args().sizes[0]
    app, municipality_id = prepare_app()
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    path = folder / "leerstand.csv"
    write_csv(path, rows(n))
    say(f"CSV: {n} Zeilen, {path.stat().st_size / 1e6:.1f} MB (Windows-1252, ';')")
    results = []
    empty()
    seconds, _, planned = service_phase(app, path, commit=False)
    assert planned == n, f"Probelauf: {planned} von {n} Zeilen neu"
    results.append(("Probelauf (lesen + prüfen)", seconds))
    seconds, _, created = service_phase(app, path, commit=True)
    assert created == n, f"Import: {created} von {n} Zeilen angelegt"
    results.append(("Import (Dienst, eine Transaktion)", seconds))
    empty()
    seconds, last = cli_phase(path)
    results.append((f"flask import ({last})", seconds))
    empty()
    results.append(
        ("Basislinie: csv + COPY + INSERT … SELECT", baseline_phase(path, municipality_id))
    )
    empty()
    _, plan_peak, _ = service_phase(app, path, commit=False, trace=True)
    _, commit_peak, _ = service_phase(app, path, commit=True, trace=True)
    empty()
    base = results[-1][1]
    say(f"\n{'Phase':<52} {'s':>7} {'Zeilen/s':>9} {'× Basis':>8}")
    for name, seconds in results:
        say(f"{name:<52} {seconds:>7.2f} {n / seconds:>9.0f} {seconds / base:>8.1f}")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    say(f"\nSpitze Python-Speicher (tracemalloc): Probelauf {plan_peak:.0f} MB, "
        f"Import {commit_peak:.0f} MB; Prozess ru_maxrss {maxrss:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
