"""Texte (``/verwaltung/einstellungen/texte``): the admins of a town edit its Impressum,
Datenschutzerklärung and Erklärung zur Barrierefreiheit (``services.towns.texts``; empty or
"Standardtext verwenden": the shipped default); other roles get 403. Audited."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from leerstand.db import db
from leerstand.security import admin_required
from leerstand.services.municipality import get as get_municipality
from leerstand.services.towns import texts as service
from leerstand.views.info import ENDPOINTS, retention, tile_host
from leerstand.views.outcome import FORM_ERRORS, failure
from leerstand.views.staff import bp


def _render(town, form: dict, error: str | None = None, status: int = 200):
    ags = service.page_ags(db.session, town)
    previews = {kind: url_for(endpoint, ags=ags) for kind, endpoint in ENDPOINTS.items()}
    page = render_template(
        "staff/settings_texts.html",
        form=form,
        error=error,
        kinds=service.KINDS,
        previews=previews,
        limit=service.MAX_LENGTH,
    )
    return page, status


@bp.route("/einstellungen/texte", methods=["GET", "POST"])
@admin_required
def settings_texts():
    town = get_municipality(db.session, current_user.municipality_id)
    keep, host = retention(), tile_host(town)
    if request.method == "GET":
        return _render(town, service.form_values(town, keep, host))
    form = request.form.to_dict()
    try:
        changes = service.update(db.session, town, current_user.id, form, keep, host)
        db.session.commit()
    except FORM_ERRORS as exc:
        message, status = failure(exc)
        return _render(town, form, message, status)
    flash(_("Texte gespeichert.") if changes else _("Nichts geändert."), "success")
    return redirect(url_for("staff.settings_texts"))
