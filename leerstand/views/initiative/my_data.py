"""Self-service right of access (Art. 15/20 DSGVO) for a logged-in initiative: "Meine Daten"
as a print page and as a ZIP bundle (JSON + CSV). Only its own data; collecting is
``services.privacy.access_people.initiative_answer``."""

from __future__ import annotations

from flask import render_template, url_for

from leerstand.db import db
from leerstand.services.privacy.access_people import initiative_answer
from leerstand.views.initiative.common import _me, bp, initiative_required
from leerstand.views.staff.privacy import zip_response


@bp.get("/meine-daten")
@initiative_required
def my_data():
    return render_template(
        "privacy/answer.html",
        answer=initiative_answer(db.session, _me()),
        zip_url=url_for("initiative.my_data_zip"),
        back_url=url_for("initiative.profile"),
    )


@bp.get("/meine-daten.zip")
@initiative_required
def my_data_zip():
    return zip_response(initiative_answer(db.session, _me()))
