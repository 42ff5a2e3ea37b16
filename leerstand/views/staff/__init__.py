"""Staff blueprint: the register, buildings and units, owners, contact cases, follow-ups.

Every route needs a login; writing needs the role admin or staff (``editor_required``).
Modules: home (Wiedervorlage), register (list + map), buildings (buildings and units),
owners, contact (Eigentümeransprache), audit (Protokoll). Maps read the boundary from the
public API (``api.boundary``)."""

from flask import Blueprint, abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

bp = Blueprint("staff", __name__, url_prefix="/verwaltung")

NAV = [
    ("staff.register", _l("Register")),
    ("staff.owners", _l("Eigentümer:innen")),
    ("staff.cases", _l("Ansprache")),
    ("staff.moderation", _l("Ideen prüfen")),
    ("staff.matches", _l("Treffer")),
    ("staff.requests", _l("Anfragen")),
    ("staff.interim_uses", _l("Zwischennutzungen")),
    ("staff.audit", _l("Protokoll")),
]


@bp.before_request
@login_required
def _require_login():
    if not getattr(current_user, "is_staff", False):
        abort(403)
    return None


@bp.app_context_processor
def _nav():
    return {"staff_nav": NAV if getattr(current_user, "is_staff", False) else []}


from leerstand.views.staff import (  # noqa: E402, F401
    audit,
    buildings,
    consents,
    contact,
    home,
    interim,
    matches,
    moderation,
    owners,
    register,
    requests,
)
