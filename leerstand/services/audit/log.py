"""Append-only audit log of changes to buildings, units, owners and contact cases."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from leerstand.models import AuditEvent
from leerstand.services.locking import conflict_on_stale

SKIP = {"version", "created_at", "updated_at", "password_hash"}


def _plain(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(type(value).__name__)


def changes_of(obj) -> dict:
    """Column changes of a pending or dirty object: {attribute: [old, new]}."""
    state = inspect(obj)
    out = {}
    for attr in state.mapper.column_attrs:
        if attr.key in SKIP:
            continue
        hist = state.attrs[attr.key].history
        if not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if state.pending or state.transient:
            old = None
        out[attr.key] = [_plain(old), _plain(new)]
    return out


def record(session: Session, user_id: int | None, action: str, obj, changes: dict | None = None):
    """Write one audit event for ``obj``; call after ``flush`` so that ``obj.id`` exists."""
    event = AuditEvent(
        municipality_id=obj.municipality_id,
        user_id=user_id,
        action=action,
        entity=obj.__tablename__,
        entity_id=obj.id,
        changes=changes or {},
    )
    session.add(event)
    return event


def save_with_audit(
    session: Session, user_id: int | None, obj, action: str | None = None, extra: dict | None = None
):
    """Flush ``obj`` and record what changed (plus ``extra``, e.g. the use request that caused
    it). Returns the change dict (empty: nothing changed)."""
    is_new = inspect(obj).transient or inspect(obj).pending
    if is_new:
        session.add(obj)
    changes = changes_of(obj)
    session.flush()
    if is_new or changes:
        action = action or ("create" if is_new else "update")
        record(session, user_id, action, obj, {**changes, **(extra or {})})
    return changes


def flush_versioned(
    session: Session, user_id: int | None, obj, action: str | None = None, extra: dict | None = None
):
    """save_with_audit, turning a concurrent UPDATE (StaleDataError) into Conflict."""
    with conflict_on_stale():
        return save_with_audit(session, user_id, obj, action, extra)
