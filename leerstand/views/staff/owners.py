"""Eigentümer:innen: list, create, view, edit; link owners to buildings (Ownership)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from leerstand.db import db
from leerstand.models import ContactCase, Ownership
from leerstand.security import editor_required, personal_data_required
from leerstand.services.owners import service
from leerstand.services.privacy import access_log
from leerstand.views.outcome import FORM_ERRORS, failure, safe_next
from leerstand.views.staff import bp, owner_privacy


def _mid() -> int:
    return current_user.municipality_id


def _building_panel(building) -> dict:
    """Context for templates/staff/_building_owners.html."""
    rows = service.building_owner_rows(db.session, building.id)
    linked = {ownership.owner_id for ownership, _case in rows}
    choices = []
    if current_user.is_authenticated and current_user.can_edit:
        owners = service.search_owners(db.session, current_user.municipality_id)
        choices = [owner for owner in owners if owner.id not in linked]
    return {"rows": rows, "owner_choices": choices}


@bp.app_context_processor
def _owner_helpers():
    return {"building_owner_panel": _building_panel, "owner_greeting": service.owner_greeting}


@bp.get("/eigentuemer")
@personal_data_required
def owners():
    query = request.args.get("q", "")
    items = service.search_owners(db.session, _mid(), query)
    return render_template("staff/owners.html", owners=items, q=query)


@bp.route("/eigentuemer/neu", methods=["GET", "POST"])
@editor_required
def owner_new():
    form = request.form if request.method == "POST" else {"kind": "person"}
    if request.method == "POST":
        try:
            owner = service.create_owner(db.session, _mid(), current_user.id, form)
            db.session.commit()
        except FORM_ERRORS as exc:
            message, status = failure(exc)
            return render_template("staff/owner_form.html", form=form, error=message), status
        flash(_("Eigentümer:in angelegt."), "success")
        return redirect(url_for("staff.owner_view", owner_id=owner.id))
    return render_template("staff/owner_form.html", form=form, owner=None, error=None)


@bp.get("/eigentuemer/<int:owner_id>")
@personal_data_required
def owner_view(owner_id: int):
    owner = service.get_owner(db.session, _mid(), owner_id)
    if owner.restricted_at is not None and not owner_privacy.may_manage_privacy(current_user):
        abort(404)  # Art. 18: a restricted owner is visible to admins and the DPO only
    ownerships = db.session.scalars(
        select(Ownership).where(Ownership.owner_id == owner.id).order_by(Ownership.id)
    ).all()
    cases = db.session.scalars(
        select(ContactCase).where(ContactCase.owner_id == owner.id).order_by(ContactCase.id)
    ).all()
    html = render_template("staff/owner_view.html", owner=owner, ownerships=ownerships, cases=cases)
    access_log.record(db.session, _mid(), current_user.id, "read", "owner", owner.id)
    db.session.commit()  # the access log: who read this person's data
    return html


@bp.route("/eigentuemer/<int:owner_id>/bearbeiten", methods=["GET", "POST"])
@editor_required
def owner_edit(owner_id: int):
    owner = service.get_owner(db.session, _mid(), owner_id)
    if request.method == "GET":
        form = {key: getattr(owner, key) for key in (*service.OWNER_FIELDS, "is_municipality")}
        form["version"] = owner.version
        return render_template("staff/owner_form.html", form=form, owner=owner, error=None)
    try:
        service.update_owner(
            db.session, owner, current_user.id, request.form, request.form.get("version")
        )
        db.session.commit()
    except FORM_ERRORS as exc:
        message, status = failure(exc)
        return render_template(
            "staff/owner_form.html", form=request.form, owner=owner, error=message
        ), status
    flash(_("Änderungen gespeichert."), "success")
    return redirect(url_for("staff.owner_view", owner_id=owner.id))


@bp.route("/gebaeude/<int:building_id>/eigentuemer", methods=["GET", "POST"])
@editor_required
def ownership_add(building_id: int):
    building = service.get_building(db.session, _mid(), building_id)
    form = request.form if request.method == "POST" else {"role": "owner"}
    if request.method == "GET":
        return _link_page(building, form, None, 200)
    try:
        service.link_owner(
            db.session,
            _mid(),
            current_user.id,
            building.id,
            form.get("owner_id"),
            form.get("role", ""),
            form.get("share"),
        )
        db.session.commit()
    except FORM_ERRORS as exc:
        message, status = failure(exc)
        return _link_page(building, form, message, status)
    flash(_("Eigentümer:in dem Gebäude zugeordnet."), "success")
    fallback = url_for("staff.building_view", building_id=building.id)
    return redirect(safe_next(form.get("next"), fallback))


def _link_page(building, form, error: str | None, status: int):
    panel = _building_panel(building)
    return render_template(
        "staff/owner_link.html", building=building, form=form, error=error, **panel
    ), status


@bp.post("/eigentuemer/zuordnung/<int:ownership_id>/entfernen")
@editor_required
def ownership_remove(ownership_id: int):
    ownership = service.unlink_owner(db.session, _mid(), current_user.id, ownership_id)
    db.session.commit()
    flash(_("Zuordnung entfernt. Die Ansprache und ihr Verlauf bleiben erhalten."), "success")
    fallback = url_for("staff.owner_view", owner_id=ownership.owner_id)
    return redirect(safe_next(request.form.get("next"), fallback))
