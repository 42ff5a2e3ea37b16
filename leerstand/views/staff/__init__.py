"""Staff blueprint: the register, buildings and units, owners, contact cases, follow-ups.

Every route needs a login; writing needs the role admin or staff (``editor_required``).
Modules: home (Wiedervorlage), register (list + map), buildings (buildings and units),
owners, contact (Eigentümeransprache), audit (Protokoll). Maps read the boundary from the
public API (``api.boundary``). The navigation shows how many proposals wait for moderation."""

from flask import Blueprint, abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from leerstand.security import may_see_personal, shows_personal

bp = Blueprint("staff", __name__, url_prefix="/verwaltung")

NAV = [
    ("staff.register", _l("Register")),
    ("staff.owners", _l("Eigentümer:innen")),
    ("staff.cases", _l("Ansprache")),
    ("staff.moderation", _l("Ideen prüfen")),
    ("staff.matches", _l("Treffer")),
    ("staff.requests", _l("Anfragen")),
    ("staff.interim_uses", _l("Zwischennutzungen")),
    ("staff.statistics_page", _l("Statistik")),
    ("staff.audit", _l("Protokoll")),
]

# Tools shown only to some users, in the header's user row (the main row is full at 1280 px):
# (endpoint, text, predicate(user) -> bool).
NAV_IF: list[tuple] = []


@bp.before_request
@login_required
def _require_login():
    if not getattr(current_user, "is_staff", False):
        abort(403)
    return None


def _moderation_label(text, waiting: int):
    return f"{text} ({waiting})" if waiting else text


@bp.app_context_processor
def _nav():
    """The staff navigation; "Ideen prüfen" carries the number of proposals waiting (if any)."""
    if not getattr(current_user, "is_staff", False):
        return {"staff_nav": [], "staff_tools": []}
    from leerstand.db import db
    from leerstand.services.proposals.service import waiting_count

    waiting = waiting_count(db.session, current_user.municipality_id)
    nav = [
        (endpoint, _moderation_label(text, waiting) if endpoint == "staff.moderation" else text)
        for endpoint, text in NAV
        if may_see_personal() or not shows_personal(endpoint)  # analysts: no owner pages
    ]
    tools = [(endpoint, text) for endpoint, text, shown in NAV_IF if shown(current_user)]
    return {"staff_nav": nav, "staff_tools": tools, "moderation_waiting": waiting}


from leerstand.views.staff import (  # noqa: E402, F401
    api_tokens,
    audit,
    buildings,
    consents,
    contact,
    exports,
    home,
    import_batches,
    import_runs,
    imports,
    interim,
    jobs,
    matches,
    media,
    moderation,
    owner_privacy,
    owners,
    privacy,
    register,
    reports,
    requests,
    settings,
    settings_texts,
    statistics,
    users,
)

NAV_IF.append(("staff.reports_page", _l("Meldungen"), lambda user: True))  # citizens' reports
NAV_IF.append(("staff.import_upload", _l("Import"), lambda user: imports.user_may_import(user)))
NAV_IF.append(("staff.settings", _l("Einstellungen"), lambda user: user.role == "admin"))
NAV_IF.append(("staff.users", _l("Benutzer"), lambda u: u.role == "admin"))
NAV_IF.append(("staff.access_events", _l("Zugriffe"), privacy.may_manage_privacy))
NAV_IF.append(("staff.jobs", _l("Hintergrundaufgaben"), lambda user: True))
