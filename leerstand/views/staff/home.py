"""Staff start page: follow-ups that are due (Wiedervorlage), the next 7 days, a few counts."""

from datetime import date, timedelta

from flask import render_template
from flask_login import current_user
from sqlalchemy import func, select

from leerstand.db import db
from leerstand.models import Unit
from leerstand.services import contact as contact_service
from leerstand.views.staff import bp

UPCOMING_DAYS = 7


def _vacant_units(municipality_id: int) -> int:
    stmt = select(func.count()).where(
        Unit.municipality_id == municipality_id, Unit.vacancy_state == "vacant"
    )
    return db.session.scalar(stmt) or 0


@bp.get("/")
def home():
    mid = current_user.municipality_id
    today = date.today()
    due = contact_service.follow_ups(db.session, mid, until=today)
    upcoming = contact_service.follow_ups(
        db.session, mid, until=today + timedelta(days=UPCOMING_DAYS), after=today
    )
    return render_template(
        "staff/home.html",
        due=due,
        upcoming=upcoming,
        today=today,
        vacant_units=_vacant_units(mid),
        state_counts=contact_service.count_by_state(db.session, mid),
    )
