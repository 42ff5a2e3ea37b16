"""Protokoll: the latest audit events of the municipality, filterable by entity, paged."""

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import func, select

from leerstand.db import db
from leerstand.models import AuditEvent
from leerstand.services import forms
from leerstand.services.errors import ServiceError
from leerstand.views.staff import bp

PAGE_SIZE = 50
MAX_PAGE = 1_000_000


def _page() -> int:
    """The requested page; nonsense or out of range is the first page."""
    try:
        return forms.parse_int(request.args.get("page"), "Seite", low=1, high=MAX_PAGE) or 1
    except ServiceError:
        return 1


@bp.get("/protokoll")
def audit():
    mid = current_user.municipality_id
    entity = request.args.get("entity") or None
    page = _page()
    stmt = select(AuditEvent).where(AuditEvent.municipality_id == mid)
    if entity:
        stmt = stmt.where(AuditEvent.entity == entity)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    events = db.session.scalars(
        stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    entities = db.session.scalars(
        select(AuditEvent.entity)
        .where(AuditEvent.municipality_id == mid)
        .distinct()
        .order_by(AuditEvent.entity)
    ).all()
    return render_template(
        "staff/audit.html",
        events=events,
        entity=entity,
        entities=entities,
        page=page,
        has_next=page * PAGE_SIZE < total,
        total=total,
    )
