"""Production configuration: the app refuses to start without a real BASE_URL and SECRET_KEY
(outside development), ``instance/leerstand.env`` supplies development settings, and
``flask check`` reports each problem (real database, real loopback SMTP server)."""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from leerstand.config import ConfigError, from_environment, read_env_file
from tests.conftest import TEST_DATABASE_URL, make_app

PRODUCTION = {
    "TESTING": False,
    "LEERSTAND_ENV": "production",
    "BASE_URL": "https://leerstand.ballenstedt.de",
    "SECRET_KEY": "a" * 40,
}
UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:9/nothing"


def test_production_refuses_to_start_without_base_url():
    for missing in ("", "http://127.0.0.1:5000", "http://127.0.0.1:5000/"):
        with pytest.raises(ConfigError) as error:
            make_app(**{**PRODUCTION, "BASE_URL": missing})
        assert "BASE_URL ist nicht gesetzt oder noch der Entwicklungswert" in str(error.value)
        assert "SECRET_KEY" not in str(error.value)


def test_production_refuses_to_start_with_the_default_secret():
    for secret in ("", "dev-only-not-secret-change-me"):
        with pytest.raises(ConfigError) as error:
            make_app(**{**PRODUCTION, "SECRET_KEY": secret})
        assert "SECRET_KEY ist nicht gesetzt oder noch der Entwicklungswert" in str(error.value)
        assert "BASE_URL" not in str(error.value)


def test_production_starts_with_both_set_and_development_without(throwaway_app):
    assert throwaway_app(**PRODUCTION).config["BASE_URL"] == "https://leerstand.ballenstedt.de"
    development = throwaway_app(
        TESTING=False, LEERSTAND_ENV="development", BASE_URL="", SECRET_KEY=""
    )
    assert development.config["LEERSTAND_ENV"] == "development"


def test_env_file_fills_in_what_the_environment_does_not_set(tmp_path, monkeypatch):
    env_file = tmp_path / "leerstand.env"
    env_file.write_text(
        "# Kommentar\n\nLEERSTAND_ENV=development\nSECRET_KEY='aus-der-datei'\n"
        "export BASE_URL=http://127.0.0.1:5001/\n",
        encoding="utf-8",
    )
    assert read_env_file(env_file) == {
        "LEERSTAND_ENV": "development",
        "SECRET_KEY": "aus-der-datei",
        "BASE_URL": "http://127.0.0.1:5001/",
    }
    assert read_env_file(tmp_path / "fehlt.env") == {}
    monkeypatch.setenv("LEERSTAND_ENV_FILE", str(env_file))
    monkeypatch.delenv("LEERSTAND_ENV", raising=False)
    monkeypatch.delenv("BASE_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", "aus-der-umgebung")
    config = from_environment()
    assert config["LEERSTAND_ENV"] == "development"
    assert config["BASE_URL"] == "http://127.0.0.1:5001"
    assert config["SECRET_KEY"] == "aus-der-umgebung"  # the environment wins
    monkeypatch.setenv("LEERSTAND_ENV_FILE", str(tmp_path / "fehlt.env"))
    assert from_environment()["LEERSTAND_ENV"] == "production"


def _check(application, *args):
    """Run ``flask check`` on ``application`` (its own app context: the CLI runner would use
    the test's context, which belongs to the session's app)."""
    with application.app_context():
        result = application.test_cli_runner().invoke(args=["check", *args])
    return result.exit_code, result.output.splitlines()


def test_check_passes_on_the_test_configuration(app):
    code, lines = _check(app)
    assert code == 0, lines
    assert lines[0] == "Modus: Entwicklung (LEERSTAND_ENV=development)"
    assert lines[1:-2] == [
        "OK      BASE_URL: http://localhost",
        "OK      SECRET_KEY: gesetzt (11 Zeichen).",
        "OK      MAIL_FROM: leerstand@localhost",
        f"OK      Kein MAIL_SERVER: E-Mails landen im Ordner {app.config['OUTBOX_DIR']}.",
        f"OK      Fotos und Dokumente: Ordner {app.config['MEDIA_DIR']}.",
        "OK      Datenbank erreichbar.",
    ]
    assert lines[-2].startswith("OK      Migrationen: aktuell (")  # the newest migration
    assert lines[-1] == "OK      Datenbankverbindungen: Entwicklung (ein Prozess), nicht geprüft."


def test_check_passes_on_a_good_production_configuration(throwaway_app, smtp_server, monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "2")  # the test cluster allows 47 connections
    good = throwaway_app(
        **PRODUCTION,
        MAIL_SERVER=smtp_server.host,
        MAIL_PORT=smtp_server.port,
        MAIL_FROM="Stadt Ballenstedt <leerstand@ballenstedt.de>",
    )
    code, lines = _check(good)
    assert code == 0, lines
    assert lines[0] == "Modus: Produktion"
    assert f"OK      Mailserver {smtp_server.host}:{smtp_server.port} erreichbar." in lines
    allowed = _allowed_connections()
    assert (
        lines[-1] == f"OK      Datenbankverbindungen: bis zu 35 (2 Worker × 15 + 5) von {allowed}."
    )


def test_check_names_an_unwritable_or_incomplete_media_store(throwaway_app, tmp_path):
    blocked = tmp_path / "datei.txt"
    blocked.write_text("kein Ordner")  # a folder below a file cannot be made, even by root
    code, lines = _check(throwaway_app(MEDIA_STORE="disk", MEDIA_DIR=str(blocked / "medien")))
    assert code == 1
    assert (
        f"FEHLER  MEDIA_DIR {blocked / 'medien'} ist nicht beschreibbar: Fotos und "
        in "\n".join(lines)
    )
    fresh = tmp_path / "neu" / "medien"  # made on first use
    code, lines = _check(throwaway_app(MEDIA_STORE="disk", MEDIA_DIR=str(fresh)))
    assert f"OK      Fotos und Dokumente: Ordner {fresh}." in lines
    s3 = {"MEDIA_STORE": "s3", "S3_BUCKET": "fotos", "S3_ACCESS_KEY_ID": "k"}
    code, lines = _check(throwaway_app(**s3, S3_SECRET_ACCESS_KEY=""))
    assert code == 1
    assert any("MEDIA_STORE=s3, aber S3_SECRET_ACCESS_KEY fehlt" in line for line in lines)
    code, lines = _check(throwaway_app(**s3, S3_SECRET_ACCESS_KEY="geheim"))
    assert "OK      Fotos und Dokumente: S3-Bucket fotos." in lines
    code, lines = _check(throwaway_app(MEDIA_STORE="ftp"))
    assert any("MEDIA_STORE „ftp“ gibt es nicht" in line for line in lines)


def _allowed_connections() -> int:
    """The test server's connections for users (scripts/lib.sh: 50 − 3 reserved)."""
    engine = create_engine(TEST_DATABASE_URL)
    with engine.connect() as conn:
        allowed = conn.execute(
            text(
                "SELECT current_setting('max_connections')::int"
                " - current_setting('superuser_reserved_connections')::int"
            )
        ).scalar()
    engine.dispose()
    return allowed


@pytest.mark.parametrize("over", [0, 1])
def test_check_counts_the_workers_connections_against_the_server(
    throwaway_app, smtp_server, monkeypatch, over
):
    """Two workers with pools that just fit the server, and one connection more each."""
    allowed = _allowed_connections()
    each = (allowed - 5) // 2 + over
    monkeypatch.setenv("WEB_CONCURRENCY", "2")
    app = throwaway_app(
        **PRODUCTION, MAIL_SERVER=smtp_server.host, MAIL_PORT=smtp_server.port,
        MAIL_FROM="leerstand@ballenstedt.de", DB_POOL_SIZE=each - 10, DB_MAX_OVERFLOW=10,
    )  # fmt: skip
    code, lines = _check(app)
    need = 2 * each + 5
    if over:
        assert need > allowed and code == 1
        assert lines[-1] == (
            f"FEHLER  Zu viele Datenbankverbindungen möglich: 2 Worker × {each} + 5 = {need}, der"
            f" Server erlaubt {allowed}. Setzen Sie WEB_CONCURRENCY, DB_POOL_SIZE oder"
            " DB_MAX_OVERFLOW kleiner oder max_connections größer."
        )
    else:
        assert need <= allowed and code == 0
        assert lines[-1] == (
            f"OK      Datenbankverbindungen: bis zu {need} (2 Worker × {each} + 5) von {allowed}."
        )


def test_check_names_each_problem(throwaway_app):
    bad = throwaway_app(
        **{**PRODUCTION, "BASE_URL": "http://leerstand.ballenstedt.de", "SECRET_KEY": "kurz"},
        MAIL_SERVER="",
        MAIL_FROM="leerstand@localhost",
        DATABASE_URL=UNREACHABLE,
    )
    code, lines = _check(bad)
    assert code == 1
    assert lines[1:] == [
        "FEHLER  BASE_URL „http://leerstand.ballenstedt.de“ muss mit https:// beginnen.",
        "FEHLER  SECRET_KEY ist zu kurz (4 Zeichen, nötig sind mindestens 32).",
        "FEHLER  MAIL_FROM „leerstand@localhost“ ist keine echte Absenderadresse: setzen Sie eine "
        "Adresse der Stadt, z. B. leerstand@ballenstedt.de.",
        f"FEHLER  MAIL_SERVER ist nicht gesetzt: E-Mails landen nur im Ordner "
        f"{bad.config['OUTBOX_DIR']}.",
        f"OK      Fotos und Dokumente: Ordner {bad.config['MEDIA_DIR']}.",
        "FEHLER  Die Datenbank ist nicht erreichbar (OperationalError).",
        "FEHLER  Migrationen: nicht prüfbar ohne Datenbank.",
        "FEHLER  Datenbankverbindungen: nicht prüfbar ohne Datenbank.",
    ]


def test_check_refuses_local_and_relative_base_urls_and_a_dead_mail_server(throwaway_app):
    for url, line in [
        (
            "https://localhost:8443",
            "FEHLER  BASE_URL „https://localhost:8443“ zeigt auf diesen Rechner: Links in Briefen "
            "und E-Mails führen ins Leere. Setzen Sie die öffentliche Adresse.",
        ),
        (
            "leerstand.ballenstedt.de",
            "FEHLER  BASE_URL „leerstand.ballenstedt.de“ ist keine absolute Adresse: sie muss "
            "mit https:// beginnen.",
        ),
    ]:
        code, lines = _check(
            throwaway_app(**{**PRODUCTION, "BASE_URL": url}, MAIL_SERVER="127.0.0.1", MAIL_PORT=9)
        )
        assert code == 1
        assert lines[1] == line
        assert "FEHLER  Der Mailserver 127.0.0.1:9 ist nicht erreichbar" in lines[4]


@pytest.fixture
def empty_database():
    """A database without any migration (created and dropped here)."""
    url = make_url(TEST_DATABASE_URL)
    name = f"{url.database}_check"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_check_reports_missing_migrations(throwaway_app, empty_database):
    code, lines = _check(throwaway_app(DATABASE_URL=empty_database))
    assert code == 1
    assert lines[-3] == "OK      Datenbank erreichbar."
    assert lines[-2].startswith(
        "FEHLER  Die Datenbank ist nicht auf dem neuesten Stand (leer statt "
    )
    assert lines[-2].endswith("): führen Sie flask --app leerstand db upgrade aus.")
