"""Eigentümeransprache: list of contact cases, the case page and its three forms."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from leerstand.dates import local_today
from leerstand.db import db
from leerstand.messages import Text
from leerstand.security import editor_required, personal_data_required
from leerstand.services import forms
from leerstand.services.contact import cases as service
from leerstand.services.contact import lists as contact_lists
from leerstand.services.errors import ServiceError
from leerstand.views.outcome import FORM_ERRORS, failure
from leerstand.views.staff import bp

FOLLOW_UP = Text("Datum der Wiedervorlage")


def _mid() -> int:
    return current_user.municipality_id


def _user_id(value: str | None) -> int | None:
    """The ``responsible`` filter: a user id, or None (also for nonsense)."""
    try:
        return forms.parse_int(value, Text("Zuständig"), low=1)
    except ServiceError:
        return None


@bp.get("/ansprache")
@personal_data_required
def cases():
    state = request.args.get("state") or None
    due = request.args.get("due") == "1"
    responsible_id = _user_id(request.args.get("responsible"))
    rows = contact_lists.list_cases(
        db.session, _mid(), local_today(), state=state, due=due, responsible_id=responsible_id
    )
    return render_template(
        "staff/cases.html",
        rows=rows,
        users=contact_lists.municipality_users(db.session, _mid()),
        filters={"state": state, "due": due, "responsible": responsible_id},
        today=local_today(),
    )


def _render_case(case, status: int = 200, error: str | None = None, form=None, which=None):
    return render_template(
        "staff/case_view.html",
        case=case,
        targets=service.allowed_targets(case.state),
        preselect=service.natural_next(case.state, request.args.get("naechster")),
        users=contact_lists.municipality_users(db.session, _mid()),
        error=error,
        form=form or {},
        which=which,
        today=local_today(),
    ), status


@bp.get("/ansprache/<int:case_id>")
@personal_data_required
def case_view(case_id: int):
    return _render_case(service.get_case(db.session, _mid(), case_id))


def _handle(case_id: int, which: str, action) -> object:
    """Run ``action(case)``; commit and redirect, or re-render with the error and the input."""
    case = service.get_case(db.session, _mid(), case_id)
    try:
        action(case)
        db.session.commit()
    except FORM_ERRORS as exc:
        message, status = failure(exc)
        return _render_case(case, status, message, request.form, which)
    flash(_("Gespeichert."), "success")
    return redirect(url_for("staff.case_view", case_id=case.id))


@bp.post("/ansprache/<int:case_id>/status")
@editor_required
def case_transition(case_id: int):
    form = request.form

    def action(case):
        contact = service.make_contact(form, local_today())
        follow_up = forms.parse_date(form.get("follow_up"), FOLLOW_UP)
        service.transition(
            db.session,
            case,
            current_user.id,
            form.get("to_state", ""),
            contact,
            version=form.get("version"),
            follow_up=follow_up,
        )

    return _handle(case_id, "transition", action)


@bp.post("/ansprache/<int:case_id>/kontakt")
@editor_required
def case_event(case_id: int):
    form = request.form

    def action(case):
        contact = service.make_contact(form, local_today())
        follow_up = forms.parse_date(form.get("follow_up"), FOLLOW_UP)
        service.record_contact(
            db.session, case, current_user.id, contact, form.get("version"), follow_up
        )

    return _handle(case_id, "event", action)


@bp.post("/ansprache/<int:case_id>/wiedervorlage")
@editor_required
def case_followup(case_id: int):
    form = request.form

    def action(case):
        follow_up = forms.parse_date(form.get("follow_up"), FOLLOW_UP)
        service.set_follow_up(
            db.session, case, current_user.id, follow_up, local_today(), form.get("version")
        )

    return _handle(case_id, "followup", action)


@bp.post("/ansprache/<int:case_id>/zustaendig")
@editor_required
def case_responsible(case_id: int):
    form = request.form

    def action(case):
        service.set_responsible(
            db.session, case, current_user.id, form.get("responsible_id"), form.get("version")
        )

    return _handle(case_id, "responsible", action)
