"""Einwilligungen on the owner page: record a consent given or withdrawn (editors only)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from leerstand.db import db
from leerstand.models import Owner
from leerstand.security import editor_required
from leerstand.services.owners import consent as service
from leerstand.services.owners.service import get_owner
from leerstand.views.outcome import FORM_ERRORS, failure
from leerstand.views.staff import bp


@bp.app_context_processor
def _consent_helpers():
    def owner_consents(owner: Owner):
        return service.rows_for(db.session, owner)

    return {"owner_consents": owner_consents, "consent_actions": service.ACTIONS}


@bp.post("/eigentuemer/<int:owner_id>/einwilligungen")
@editor_required
def consent_update(owner_id: int):
    owner = get_owner(db.session, current_user.municipality_id, owner_id)
    try:
        data = service.parse_form(request.form)
        service.record_consent(db.session, current_user.id, owner, data)
    except FORM_ERRORS as exc:
        message, _status = failure(exc)
        flash(message, "error")
    else:
        db.session.commit()
        text = _("Einwilligung erfasst.") if data.action == "give" else _("Widerruf erfasst.")
        flash(text, "success")
    return redirect(url_for("staff.owner_view", owner_id=owner_id) + "#einwilligungen")
