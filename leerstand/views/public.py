"""Public pages. Until the public map lands (issue 3), the root leads to the staff area."""

from flask import Blueprint, redirect, url_for

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    return redirect(url_for("staff.home"))
