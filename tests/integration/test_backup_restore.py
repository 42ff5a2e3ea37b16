"""scripts/backup and scripts/restore, run as an operator runs them, against real databases.

The demo is seeded into a scratch database next to the test database; it is backed up (three
times, keeping two), restored into a new database, and every table is compared row by row
(count and an MD5 over the sorted rows), as are the sequences, the triggers, the indexes and
the functions. The restored database must also still work: the vacancy history triggers write
a period when a unit changes state."""

import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import TEST_DATABASE_URL, make_app

REPO = Path(__file__).resolve().parents[2]
BASE = make_url(TEST_DATABASE_URL).database
SOURCE, TARGET = f"{BASE}_backup_src", f"{BASE}_backup_dst"


def url_of(name: str) -> str:
    return make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)


def plain(name: str) -> str:
    return url_of(name).replace("postgresql+psycopg://", "postgresql://")


def drop(*names: str) -> None:
    admin = create_engine(make_url(TEST_DATABASE_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def run(script: str, *args: str, database: str, **env) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DATABASE_URL": url_of(database), **env}
    return subprocess.run(
        [str(REPO / "scripts" / script), *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def source(app):
    """A scratch database with the demo, migrated and seeded as scripts/run does it."""
    drop(SOURCE, TARGET)
    admin = create_engine(make_url(TEST_DATABASE_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {SOURCE}"))
    admin.dispose()
    application = make_app(DATABASE_URL=url_of(SOURCE))
    with application.app_context():
        from flask_migrate import upgrade

        upgrade()
    result = application.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    application.extensions["leerstand_db"].dispose()
    yield SOURCE
    drop(SOURCE, TARGET)


def snapshot(name: str) -> dict:
    """Everything a restore must bring back, per object."""
    found = {}
    with psycopg.connect(plain(name)) as conn:
        tables = conn.execute(
            "SELECT schemaname, tablename FROM pg_tables"
            " WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
        ).fetchall()
        for schema, table in tables:
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                " FROM {}.{} AS t"
            ).format(sql.Identifier(schema), sql.Identifier(table))
            found[f"table {schema}.{table}"] = conn.execute(query).fetchone()
        for label, query in {
            "sequences": "SELECT schemaname, sequencename, last_value FROM pg_sequences"
            " ORDER BY 1, 2",
            "triggers": "SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid)"
            " FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2",
            "indexes": "SELECT schemaname, indexname, indexdef FROM pg_indexes"
            " WHERE schemaname NOT IN ('pg_catalog') ORDER BY 1, 2",
            "functions": "SELECT p.proname, md5(pg_get_functiondef(p.oid)) FROM pg_proc p"
            " JOIN pg_namespace n ON n.oid = p.pronamespace"
            " WHERE n.nspname = 'public' AND p.proname LIKE 'leerstand%' ORDER BY 1",
        }.items():
            found[label] = conn.execute(query).fetchall()
    return found


def dumps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("leerstand-*.dump"))


def test_backup_rotates_and_restore_brings_back_every_table(source, tmp_path):
    folder = tmp_path / "backups"
    names = []
    for _ in range(3):
        done = run("backup", str(folder), database=source, BACKUP_KEEP="2")
        assert done.returncode == 0, done.stderr
        names.append(dumps(folder)[-1])
    assert dumps(folder) == names[1:]  # the oldest of three went, the newest two stayed
    assert oct((folder / names[-1]).stat().st_mode & 0o777) == "0o600"  # personal data

    done = run("restore", str(folder / names[-1]), database=TARGET)
    assert done.returncode == 0, done.stderr
    assert "Restored: migration" in done.stdout

    before, after = snapshot(source), snapshot(TARGET)
    assert before.keys() == after.keys()
    for key in before:
        assert after[key] == before[key], key
    # the comparison is not empty: the demo's register and history are there
    assert before["table public.building"][0] > 10
    assert before["table public.vacancy_period"][0] > 50
    assert before["table public.use_request"][0] > 0
    assert ("unit", "leerstand_vacancy_history") in {t[:2] for t in after["triggers"]}


def test_the_restored_database_works(source, tmp_path):
    """Triggers and functions came back working: a unit's state change writes its history."""
    assert run("backup", str(tmp_path), database=source).returncode == 0
    drop(TARGET)
    assert run("restore", str(tmp_path / dumps(tmp_path)[-1]), database=TARGET).returncode == 0
    periods = "SELECT count(*) FROM vacancy_period WHERE unit_id = %s"
    with psycopg.connect(plain(TARGET)) as conn:
        unit_id = conn.execute(
            "SELECT id FROM unit WHERE vacancy_state = 'vacant' ORDER BY id LIMIT 1"
        ).fetchone()[0]
        count = conn.execute(periods, [unit_id]).fetchone()[0]
        conn.execute("UPDATE unit SET vacancy_state = 'occupied' WHERE id = %s", [unit_id])
        conn.commit()
        assert conn.execute(periods, [unit_id]).fetchone()[0] == count + 1
        open_state = conn.execute(
            "SELECT state FROM vacancy_period WHERE unit_id = %s AND ended_on IS NULL", [unit_id]
        ).fetchone()[0]
        assert open_state == "occupied"


def test_restore_refuses_a_database_with_tables_and_changes_nothing(source, tmp_path):
    assert run("backup", str(tmp_path), database=source).returncode == 0
    before = snapshot(source)
    done = run("restore", str(tmp_path / dumps(tmp_path)[-1]), database=source)
    assert done.returncode == 1
    assert "already has" in done.stderr and "restore into a new database" in done.stderr
    assert snapshot(source) == before


def test_restore_refuses_a_file_that_is_no_dump(source, tmp_path):
    fake = tmp_path / "leerstand-fake.dump"
    fake.write_text("<html>not a dump</html>")
    done = run("restore", str(fake), database=TARGET)
    assert done.returncode == 2
    assert "no readable dump" in done.stderr
    done = run("restore", str(tmp_path / "missing.dump"), database=TARGET)
    assert done.returncode == 2
    assert "is no file" in done.stderr


def test_backup_of_an_unreachable_database_fails_and_keeps_the_old_dumps(source, tmp_path):
    assert run("backup", str(tmp_path), database=source).returncode == 0
    kept = dumps(tmp_path)
    done = run("backup", str(tmp_path), database=f"{BASE}_does_not_exist", BACKUP_KEEP="1")
    assert done.returncode != 0
    assert "does not exist" in done.stderr
    assert dumps(tmp_path) == kept  # nothing rotated away, no half-written dump
    assert list(tmp_path.glob("*.partial")) == []


@pytest.mark.parametrize("keep", ["0", "-1", "zwei", "1.5"])
def test_backup_refuses_a_nonsense_keep(source, tmp_path, keep):
    done = run("backup", str(tmp_path), database=source, BACKUP_KEEP=keep)
    assert done.returncode == 2
    assert "BACKUP_KEEP must be a whole number of at least 1" in done.stderr
    assert dumps(tmp_path) == []


def test_keep_one_keeps_just_the_newest(source, tmp_path):
    for _ in range(2):
        assert run("backup", str(tmp_path), database=source, BACKUP_KEEP="1").returncode == 0
    assert len(dumps(tmp_path)) == 1


def test_the_photos_of_the_disk_store_go_beside_each_dump(source, tmp_path):
    media = tmp_path / "media"
    (media / "1").mkdir(parents=True)
    (media / "1" / "foto.jpg").write_bytes(b"\xff\xd8\xff Foto")
    folder = tmp_path / "backups"
    for _ in range(3):
        done = run("backup", str(folder), database=source, BACKUP_KEEP="2", MEDIA_DIR=str(media))
        assert done.returncode == 0, done.stderr
    archives = sorted(folder.glob("leerstand-*-media.tar.gz"))
    assert len(archives) == 2 and len(dumps(folder)) == 2  # rotated like the dumps
    assert [a.name.removesuffix("-media.tar.gz") for a in archives] == [
        d.removesuffix(".dump") for d in dumps(folder)
    ]
    assert oct(archives[-1].stat().st_mode & 0o777) == "0o600"
    listed = subprocess.run(["tar", "-tzf", str(archives[-1])], capture_output=True, text=True)
    assert "./1/foto.jpg" in listed.stdout.split()


def test_no_photo_archive_with_the_s3_store_or_without_a_folder(source, tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    done = run("backup", str(tmp_path), database=source, MEDIA_DIR=str(media), MEDIA_STORE="s3")
    assert done.returncode == 0, done.stderr
    missing = str(tmp_path / "nowhere")
    done = run("backup", str(tmp_path), database=source, MEDIA_DIR=missing)
    assert done.returncode == 0, done.stderr
    assert len(dumps(tmp_path)) == 2 and list(tmp_path.glob("*.tar.gz")) == []
