"""Staff start page: follow-ups that are due (Wiedervorlage)."""

from flask import render_template

from leerstand.views.staff import bp


@bp.get("/")
def home():
    return render_template("staff/home.html", due=[])
