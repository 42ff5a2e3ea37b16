"""Liveness, database state and metrics, for monitoring and for the set-up scripts.

``/healthz``: 200 when the database answers and its schema is at this code's newest migration;
503 when the database is unreachable or behind (or ahead of) the code, e.g. between deploying
code and ``flask db upgrade``. ``/metrics``: Prometheus' text format (``leerstand.metrics``),
only to the addresses in ``METRICS_ALLOW`` (comma-separated addresses or networks, default the
machine itself); everyone else gets a 404."""

import ipaddress
from datetime import UTC, datetime

from flask import Blueprint, Response, abort, current_app, jsonify, request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from leerstand import metrics
from leerstand.db import db
from leerstand.migrations_support import code_heads

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    try:
        with db.get_engine().connect() as conn:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            postgis = conn.execute(text("SELECT postgis_lib_version()")).scalar()
    except SQLAlchemyError as exc:
        reason = type(getattr(exc, "orig", None) or exc).__name__
        return jsonify(status="error", database="unreachable", error=reason), 503
    head = ", ".join(sorted(code_heads()))
    at_head = revision == head
    body = {"status": "ok" if at_head else "error", "database": "ok", "migration": revision,
            "migration_head": head, "migration_at_head": at_head, "postgis": postgis}  # fmt: skip
    return jsonify(body), 200 if at_head else 503


def _allowed(address: str | None) -> bool:
    allowed = str(current_app.config.get("METRICS_ALLOW", "127.0.0.1,::1"))
    try:
        client = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    for entry in filter(None, (part.strip() for part in allowed.split(","))):
        try:
            if client in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            current_app.logger.warning("METRICS_ALLOW: %r is no address or network", entry)
    return False


def _scrape_figures() -> None:
    """The figures set when scraped: pool use, the reminders due and the last successful run
    of each scheduled command (a failing database leaves them as they were; the request counts
    still answer)."""
    from leerstand.services.jobs.task_runs import last_successes
    from leerstand.services.use_requests.reminders import due_reminders

    metrics.pool_figures(db.get_engine())
    try:
        due = due_reminders(
            db.session, datetime.now(UTC), current_app.config["REQUEST_REMINDER_DAYS"]
        )
        metrics.REMINDERS_DUE.set(len(due))
        for task, at in last_successes(db.session).items():
            metrics.LAST_SUCCESS.labels(task).set(at.timestamp())
    except SQLAlchemyError:
        db.forget_session()


@bp.get("/metrics")
def prometheus():
    if not _allowed(request.remote_addr):
        abort(404)
    _scrape_figures()
    return Response(metrics.exposition(), content_type=metrics.CONTENT_TYPE)
