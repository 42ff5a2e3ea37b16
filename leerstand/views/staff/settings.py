"""Einstellungen (``/verwaltung/einstellungen``): the admins of a town edit its own settings
(``services.towns.settings``); other roles get 403."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from leerstand.db import db
from leerstand.security import admin_required
from leerstand.services.municipality import get as get_municipality
from leerstand.services.towns import settings as service
from leerstand.views.outcome import FORM_ERRORS, failure
from leerstand.views.staff import bp


def _render(form: dict, error: str | None = None, status: int = 200):
    town = get_municipality(db.session, current_user.municipality_id)
    page = render_template(
        "staff/settings.html",
        town=town,
        form=form,
        error=error,
        import_roles=service.IMPORT_ROLES,
        zoom=(service.ZOOM_MIN, service.ZOOM_MAX),
    )
    return page, status


@bp.route("/einstellungen", methods=["GET", "POST"])
@admin_required
def settings():
    town = get_municipality(db.session, current_user.municipality_id)
    if request.method == "GET":
        return _render(service.form_values(town))
    form = request.form.to_dict()
    try:
        changes = service.update(db.session, town, current_user.id, form)
        db.session.commit()
    except FORM_ERRORS as exc:
        message, status = failure(exc)
        return _render(form, message, status)
    flash(_("Einstellungen gespeichert.") if changes else _("Nichts geändert."), "success")
    return redirect(url_for("staff.settings"))
