"""Staff start page: proposals waiting for moderation, follow-ups that are due (Wiedervorlage), the
next 7 days, unanswered use requests, interim uses that end soon, a few counts (free units never
include units in interim use)."""

from datetime import UTC, datetime, timedelta

from flask import current_app, render_template

from leerstand.dates import local_today
from leerstand.db import db
from leerstand.security import current_municipality_id
from leerstand.services.contact import lists as contact_lists
from leerstand.services.interim_uses import service as interim_service
from leerstand.services.interim_uses import state as interim_state
from leerstand.services.proposals import service as proposals_service
from leerstand.services.use_requests import send as use_requests
from leerstand.views.staff import bp

UPCOMING_DAYS = 7


@bp.get("/")
def home():
    mid = current_municipality_id()
    today = local_today()
    reminder_days = current_app.config["REQUEST_REMINDER_DAYS"]
    due = contact_lists.follow_ups(db.session, mid, until=today)
    upcoming = contact_lists.follow_ups(
        db.session, mid, until=today + timedelta(days=UPCOMING_DAYS), after=today
    )
    return render_template(
        "staff/home.html",
        due=due,
        upcoming=upcoming,
        today=today,
        vacant_units=interim_state.free_unit_count(db.session, mid),
        proposals_waiting=proposals_service.waiting_count(db.session, mid),
        unanswered_requests=use_requests.unanswered(
            db.session, mid, datetime.now(UTC), reminder_days
        ),
        interim_ending=interim_service.ending_soon(
            db.session, mid, today, current_app.config["INTERIM_END_REMINDER_DAYS"]
        ),
        state_counts=contact_lists.count_by_state(db.session, mid),
    )
