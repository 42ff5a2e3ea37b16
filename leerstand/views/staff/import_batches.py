"""The list of import batches (date, person, file, counts, undone) for everyone who may
import, and for admins undoing a batch as a whole after a confirmation step; a refusal of the
service (e.g. a record was changed since) is shown as a German message on top."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from leerstand.db import db
from leerstand.models import User
from leerstand.security import admin_required
from leerstand.services import imports
from leerstand.services.errors import NotFound
from leerstand.views.outcome import FORM_ERRORS, failure
from leerstand.views.staff import bp
from leerstand.views.staff.imports import require_import


def _names(batches) -> dict[int, str]:
    ids = {b.created_by_id for b in batches} | {b.undone_by_id for b in batches}
    ids.discard(None)
    if not ids:
        return {}
    users = db.session.scalars(select(User).where(User.id.in_(ids)))
    return {user.id: user.display_name for user in users}


@bp.get("/import/laeufe")
def import_batches():
    require_import()
    batches = imports.batches(db.session, current_user.municipality_id)
    return render_template(
        "staff/import_batches.html",
        batches=batches,
        names=_names(batches),
        is_admin=current_user.role == "admin",
    )


def _batch(batch_id: int):
    for batch in imports.batches(db.session, current_user.municipality_id):
        if batch.id == batch_id:
            return batch
    raise NotFound(_("Diesen Importlauf gibt es nicht."))


@bp.get("/import/laeufe/<int:batch_id>/rueckgaengig")
@admin_required
def import_undo_confirm(batch_id: int):
    batch = _batch(batch_id)
    return render_template("staff/import_undo.html", batch=batch, names=_names([batch]), error=None)


@bp.post("/import/laeufe/<int:batch_id>/rueckgaengig")
@admin_required
def import_undo(batch_id: int):
    try:
        imports.undo(db.session, current_user.municipality_id, batch_id, current_user.id)
        db.session.commit()
    except FORM_ERRORS as exc:
        message, _status = failure(exc)
        flash(message, "error")
        return redirect(url_for("staff.import_batches"))
    flash(_("Der Importlauf ist rückgängig gemacht."), "success")
    return redirect(url_for("staff.import_batches"))
