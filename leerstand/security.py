"""Security headers (a Content-Security-Policy without 'unsafe-inline'; ``private, no-store``
on every page with personal data: the staff area, the initiatives' account pages, the owners'
answer pages and the logins), refusal of NUL bytes in the input, and role checks: editing
(``editor_required``), admins, and personal data (``may_see_personal``, also a template flag;
``personal_data_required`` for views that show nothing else) – the role "analyst" sees rooms
and numbers, no personal data."""

from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, g, request
from flask_login import current_user

from leerstand import vocab


def _tile_origin(url: str) -> str:
    if not url:
        return ""
    parts = urlsplit(url.replace("{s}", "a"))
    host = parts.netloc
    if "{s}" in url:
        host = "*." + host.split(".", 1)[1]
    return f"{parts.scheme}://{host}"


def allow_tiles(url: str) -> None:
    """Allow the tile server ``url`` (a town's own, ``map_labels.town_map``) in this response's
    Content-Security-Policy; the installation's TILE_URL is always allowed."""
    origin = _tile_origin(url)
    if origin:
        g.setdefault("tile_origins", set()).add(origin)


def content_security_policy(app: Flask, extra_origins=()) -> str:
    origins = [_tile_origin(app.config["TILE_URL"]), *sorted(extra_origins)]
    img = " ".join(dict.fromkeys(filter(None, ["'self'", "data:", *origins])))
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {img}",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


# Path prefixes whose every response (pages, GeoJSON, errors) no browser or proxy may keep.
PRIVATE_PREFIXES = (
    "/verwaltung",
    "/initiative",
    "/antwort",
    "/login",
    "/logout",
    "/passwort",
    "/passwort-vergessen",
    "/passwort-neu",
)
NO_STORE = "private, no-store"


def is_private(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in PRIVATE_PREFIXES)


def _has_nul(values) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in values.items(multi=True))


def init_app(app: Flask) -> None:
    policy = content_security_policy(app)
    app.context_processor(_personal_flag)  # templates: ``may_see_personal``

    @app.before_request
    def _no_tiles_yet():  # tests keep one app context (and its g) across requests
        g.pop("tile_origins", None)

    @app.before_request
    def _refuse_nul_bytes():  # PostgreSQL cannot store them in text: a 400, not a 500
        if _has_nul(request.args) or _has_nul(request.form):
            abort(400)

    @app.after_request
    def _headers(response):
        extra = g.get("tile_origins")
        own = content_security_policy(app, extra) if extra else policy
        response.headers.setdefault("Content-Security-Policy", own)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if is_private(request.path) and "no-store" not in response.headers.get("Cache-Control", ""):
            response.headers["Cache-Control"] = NO_STORE  # (owner pages set "no-store" themselves)
        return response


def require_edit() -> None:
    """Abort with 403 when the logged-in user may only read."""
    if not current_user.is_authenticated or not current_user.can_edit:
        abort(403)


def editor_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        require_edit()
        return view(*args, **kwargs)

    return wrapper


def admin_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated or current_user.role != "admin":
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def current_municipality_id() -> int:
    return current_user.municipality_id


# --- personal data (least privilege) ------------------------------------------------------


def may_see_personal(user=None) -> bool:
    """Whether a staff member (default: the logged-in one) may see personal data: owners and
    their contacts, contact cases, use requests, initiatives' contact persons and the names in
    the Protokoll. Every staff role may but "analyst" (``vocab.may_see_owner_data``)."""
    user = current_user if user is None else user
    return bool(getattr(user, "is_staff", False)) and vocab.may_see_owner_data(user.role)


def personal_data_required(view):
    """A view that shows nothing but personal data: 403 for the roles without
    ``may_see_personal``. Marks the view, so that links to it (``shows_personal``) can go."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not may_see_personal():
            abort(403)
        return view(*args, **kwargs)

    wrapper.personal_data = True
    return wrapper


def shows_personal(endpoint: str) -> bool:
    """Whether the view of ``endpoint`` is a ``personal_data_required`` one."""
    view = current_app.view_functions.get(endpoint)
    return bool(getattr(view, "personal_data", False))


def _personal_flag() -> dict:
    return {"may_see_personal": may_see_personal()}
