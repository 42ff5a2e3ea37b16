"""``flask --app leerstand check``: is this installation fit for its town? One result per
check (base URL, secret key, sender address, mail server, database, migrations, connections,
the store of photos and documents), each a
``Text`` that the command prints in German or English. Production rules (https, no local
address, a long secret, a mail server, a real sender domain) apply outside development, see
``leerstand.config.is_development``."""

from __future__ import annotations

import os
import smtplib
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

from alembic.runtime.migration import MigrationContext
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from leerstand.config import DEFAULT_BASE_URL, DEFAULT_SECRET_KEY, is_development, web_workers
from leerstand.db import db
from leerstand.messages import Text
from leerstand.migrations_support import code_heads

MIN_SECRET = 32
SMTP_TIMEOUT_S = 5
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}


@dataclass(frozen=True)
class Result:
    ok: bool
    message: Text


def _ok(msgid: str, **params) -> Result:
    return Result(True, Text(msgid, **params))


def _problem(msgid: str, **params) -> Result:
    return Result(False, Text(msgid, **params))


def check_base_url(url: str, production: bool) -> Result:
    parts = urlsplit(url or "")
    if not url:
        return _problem("BASE_URL ist nicht gesetzt: Links in Briefen und E-Mails fehlen.")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _problem(
            "BASE_URL „%(url)s“ ist keine absolute Adresse: sie muss mit https:// beginnen.",
            url=url,
        )
    if production and (url == DEFAULT_BASE_URL or parts.hostname in LOCAL_HOSTS):
        return _problem(
            "BASE_URL „%(url)s“ zeigt auf diesen Rechner: Links in Briefen und E-Mails führen "
            "ins Leere. Setzen Sie die öffentliche Adresse.",
            url=url,
        )
    if production and parts.scheme != "https":
        return _problem("BASE_URL „%(url)s“ muss mit https:// beginnen.", url=url)
    return _ok("BASE_URL: %(url)s", url=url)


def check_secret(secret: str, production: bool) -> Result:
    if not secret:
        return _problem("SECRET_KEY ist nicht gesetzt.")
    if secret == DEFAULT_SECRET_KEY:
        return _problem("SECRET_KEY ist noch der Entwicklungswert: setzen Sie einen Zufallswert.")
    if production and len(secret) < MIN_SECRET:
        return _problem(
            "SECRET_KEY ist zu kurz (%(length)d Zeichen, nötig sind mindestens %(min)d).",
            length=len(secret),
            min=MIN_SECRET,
        )
    return _ok("SECRET_KEY: gesetzt (%(length)d Zeichen).", length=len(secret))


def check_mail_from(sender: str, production: bool) -> Result:
    address = parseaddr(sender or "")[1]
    domain = address.rpartition("@")[2].lower()
    if "@" not in address or not domain:
        return _problem("MAIL_FROM „%(sender)s“ ist keine E-Mail-Adresse.", sender=sender)
    if production and (domain in LOCAL_HOSTS or "." not in domain):
        return _problem(
            "MAIL_FROM „%(sender)s“ ist keine echte Absenderadresse: setzen Sie eine Adresse der "
            "Stadt, z. B. leerstand@ballenstedt.de.",
            sender=sender,
        )
    return _ok("MAIL_FROM: %(sender)s", sender=sender)


def check_mail_server(config, production: bool) -> Result:
    server, port = config.get("MAIL_SERVER"), config.get("MAIL_PORT")
    if not server:
        if production:
            return _problem(
                "MAIL_SERVER ist nicht gesetzt: E-Mails landen nur im Ordner %(outbox)s.",
                outbox=config.get("OUTBOX_DIR"),
            )
        return _ok(
            "Kein MAIL_SERVER: E-Mails landen im Ordner %(outbox)s.",
            outbox=config.get("OUTBOX_DIR"),
        )
    try:
        with smtplib.SMTP(server, port, timeout=SMTP_TIMEOUT_S) as smtp:
            smtp.noop()
    except (OSError, smtplib.SMTPException) as exc:
        return _problem(
            "Der Mailserver %(server)s:%(port)s ist nicht erreichbar (%(reason)s).",
            server=server,
            port=port,
            reason=type(exc).__name__,
        )
    return _ok("Mailserver %(server)s:%(port)s erreichbar.", server=server, port=port)


def _heads() -> set[str]:
    return set(code_heads())


def check_database() -> list[Result]:
    """Reachable, and the schema at the newest migration."""
    try:
        with db.get_engine().connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
    except SQLAlchemyError as exc:
        reason = type(getattr(exc, "orig", None) or exc).__name__
        return [
            _problem("Die Datenbank ist nicht erreichbar (%(reason)s).", reason=reason),
            _problem("Migrationen: nicht prüfbar ohne Datenbank."),
        ]
    reached = _ok("Datenbank erreichbar.")
    heads = _heads()
    if current != heads:
        return [
            reached,
            _problem(
                "Die Datenbank ist nicht auf dem neuesten Stand (%(current)s statt %(head)s): "
                "führen Sie flask --app leerstand db upgrade aus.",
                current=", ".join(sorted(current)) or "leer",
                head=", ".join(sorted(heads)),
            ),
        ]
    return [reached, _ok("Migrationen: aktuell (%(head)s).", head=", ".join(sorted(heads)))]


# connections beside the web workers: the job worker, cron commands, an operator's psql
SPARE_CONNECTIONS = 5


def check_connections(config, production: bool) -> Result:
    """In production: the web workers' pools (``web_workers`` × (``DB_POOL_SIZE`` +
    ``DB_MAX_OVERFLOW``)) and a few more fit within the server's connections for users."""
    if not production:
        return _ok("Datenbankverbindungen: Entwicklung (ein Prozess), nicht geprüft.")
    try:
        with db.get_engine().connect() as conn:
            allowed = conn.exec_driver_sql(
                "SELECT current_setting('max_connections')::int"
                " - current_setting('superuser_reserved_connections')::int"
            ).scalar()
    except SQLAlchemyError:
        return _problem("Datenbankverbindungen: nicht prüfbar ohne Datenbank.")
    workers = web_workers()
    each = int(config.get("DB_POOL_SIZE", 5)) + int(config.get("DB_MAX_OVERFLOW", 10))
    need = workers * each + SPARE_CONNECTIONS
    values = {"need": need, "allowed": allowed, "workers": workers, "each": each}
    if need > allowed:
        return _problem(
            "Zu viele Datenbankverbindungen möglich: %(workers)s Worker × %(each)s + 5 = %(need)s,"
            " der Server erlaubt %(allowed)s. Setzen Sie WEB_CONCURRENCY, DB_POOL_SIZE oder"
            " DB_MAX_OVERFLOW kleiner oder max_connections größer.",
            **values,
        )
    return _ok(
        "Datenbankverbindungen: bis zu %(need)s (%(workers)s Worker × %(each)s + 5) von"
        " %(allowed)s.",
        **values,
    )


S3_KEYS = ("S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY")


def check_media_store(config) -> Result:
    """Photos and documents: the disk folder exists (or can be made) and is writable; for an
    S3 store, its bucket and credentials are set (the bucket itself is not asked)."""
    kind = config.get("MEDIA_STORE") or "disk"
    if kind == "s3":
        missing = [key for key in S3_KEYS if not config.get(key)]
        if missing:
            return _problem(
                "MEDIA_STORE=s3, aber %(keys)s fehlt: Fotos könnten nicht gespeichert werden.",
                keys=", ".join(missing),
            )
        return _ok("Fotos und Dokumente: S3-Bucket %(bucket)s.", bucket=config["S3_BUCKET"])
    if kind != "disk":
        return _problem("MEDIA_STORE „%(kind)s“ gibt es nicht: „disk“ oder „s3“.", kind=kind)
    folder = Path(config.get("MEDIA_DIR") or "")
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    writable = existing is not None and existing.is_dir() and os.access(existing, os.W_OK)
    if not config.get("MEDIA_DIR") or not writable:
        return _problem(
            "MEDIA_DIR %(folder)s ist nicht beschreibbar: Fotos und Dokumente könnten nicht "
            "gespeichert werden.",
            folder=str(folder),
        )
    return _ok("Fotos und Dokumente: Ordner %(folder)s.", folder=str(folder))


def run(app: Flask) -> list[Result]:
    config = app.config
    production = not is_development(config)
    return [
        check_base_url(config.get("BASE_URL") or "", production),
        check_secret(config.get("SECRET_KEY") or "", production),
        check_mail_from(config.get("MAIL_FROM") or "", production),
        check_mail_server(config, production),
        check_media_store(config),
        *check_database(),
        check_connections(config, production),
    ]
