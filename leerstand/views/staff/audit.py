"""Protokoll: the municipality's audit events as sentences, filterable by record (kind +
number), person and date, paged; the template filter ``audit_value`` that formats a change's
value (dates in local time, German numbers, ja/nein) for this page and every record's history.
Reading and wording is ``leerstand.services.audit.history``."""

from datetime import date, datetime

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from leerstand.db import db
from leerstand.i18n import fmt_date, fmt_number, translate
from leerstand.models import User
from leerstand.security import personal_data_required
from leerstand.services.audit import history
from leerstand.services.audit.filters import parse_filters
from leerstand.services.audit.values import Quantity
from leerstand.views.staff import bp

PAGE_SIZE = 50
FILTER_KEYS = ("entity", "entity_id", "user_id", "date_from", "date_to")

# Where each kind of record is shown (endpoint, its id parameter); others have no page.
RECORD_PAGES = {
    "building": ("staff.building_view", "building_id"),
    "unit": ("staff.unit_view", "unit_id"),
    "owner": ("staff.owner_view", "owner_id"),
    "contact_case": ("staff.case_view", "case_id"),
    "proposal": ("staff.moderation_view", "proposal_id"),
    "match": ("staff.match", "match_id"),
    "use_request": ("staff.request", "request_id"),
    "interim_use": ("staff.interim_use", "interim_id"),
}


@bp.app_template_filter("audit_value")
def audit_value(value) -> str:
    """One value of a change as text: – for nothing, ja/nein, local date and time."""
    if value is None or value == "":
        return "–"
    if value is True or value is False:
        return _("ja") if value else _("nein")
    if isinstance(value, date | datetime):
        return fmt_date(value)
    if isinstance(value, Quantity):
        return f"{fmt_number(value.value, value.digits)} {value.unit}"
    return str(value)


@bp.app_context_processor
def _record_pages():
    return {"record_pages": RECORD_PAGES}


def _people(mid: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.municipality_id == mid).order_by(User.name, User.email)
        )
    )


@bp.get("/protokoll")
@personal_data_required  # its sentences name staff, owners and initiatives
def audit():
    mid = current_user.municipality_id
    people = _people(mid)
    filters = parse_filters(request.args, {p.id for p in people})
    page = filters.page
    entries, total = history.search(db.session, mid, filters.where(), page, PAGE_SIZE)
    typed = {key: (request.args.get(key) or "")[:100] for key in FILTER_KEYS}
    return render_template(
        "staff/audit.html",
        entries=entries,
        typed=typed,
        errors=[translate(e) for e in filters.errors],
        people=people,
        page=page,
        has_next=page * PAGE_SIZE < total,
        total=total,
        pager_args={k: v for k, v in typed.items() if v},
    )
