"""``flask retention [--dry-run]``: lists what the retention periods make due (kind, id, since
when) and anonymises or deletes it, one audit entry per record; then removes the stored files of
deleted photos and documents that are still waiting (``media_trash``: e.g. a store that was
down); run daily (cron or a systemd timer). A second run finds nothing more."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask, current_app

from leerstand.db import db
from leerstand.services.jobs import task_runs
from leerstand.services.media import storage
from leerstand.services.privacy import retention as rules

KIND_WORDS = {
    "owner": "Eigentümer:in ohne Gebäude",
    "declined_contact": "abgelehnte Ansprache",
    "initiative": "unbestätigtes Initiativkonto",
    "request_secret": "Geheimnis einer Anfrage",
    "mail_copy": "Mail-Kopie",
    "report_email": "E-Mail-Adresse einer Leerstandsmeldung",
}


@click.command("retention")
@click.option("--dry-run", is_flag=True, help="Nur auflisten, nichts ändern.")
def retention(dry_run: bool) -> None:
    """Aufbewahrungsfristen: Fälliges anonymisieren oder löschen (mit --dry-run nur zeigen)."""
    now = datetime.now(UTC)
    periods = rules.Periods.from_config(current_app.config)
    outbox = Path(current_app.config["OUTBOX_DIR"])
    due = rules.due_records(db.session, periods, now, outbox)
    for item in due:
        since = item.since.isoformat() if hasattr(item.since, "isoformat") else item.since
        click.echo(f"{item.kind}\t{item.id}\t{since}\t{KIND_WORDS[item.kind]}")
    if dry_run:
        db.session.rollback()
        click.echo(f"Fällig: {len(due)} (Probelauf, nichts geändert).")
        return
    for item in due:
        rules.apply(db.session, item, now, outbox)
    task_runs.succeeded(db.session, "retention", now)
    db.session.commit()
    files = storage.purge_trash(db.session, storage.store_from_config(current_app.config))
    db.session.commit()
    current_app.logger.info("Lauf retention beendet: %s Datensätze, %s Dateien", len(due), files)
    click.echo(f"Erledigt: {len(due)}." + (f" Gelöschte Dateien: {files}." if files else ""))


def register(app: Flask) -> None:
    app.cli.add_command(retention)
