"""Staff blueprint: the register, buildings and units, owners, contact cases, follow-ups.

Every route needs a login; writing needs the role admin or staff (``editor_required``)."""

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("staff", __name__, url_prefix="/verwaltung")


@bp.before_request
@login_required
def _require_login():
    return None


from leerstand.views.staff import home  # noqa: E402, F401
