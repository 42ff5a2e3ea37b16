"""Leerstand: vacancy management for small towns (first town: Ballenstedt, Harz)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from leerstand import config as config_module
from leerstand.db import db
from leerstand.extensions import babel, csrf, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


class DatabaseIntConverter(IntegerConverter):
    """``<int:...>`` only matches ids a database integer can hold: a bigger one is a 404,
    never an out-of-range error from PostgreSQL."""

    def __init__(self, map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        static_folder=str(ROOT / "static"),
        static_url_path="/static",
        template_folder=str(ROOT / "templates"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.update(config_module.from_environment())
    if config:
        app.config.update(config)
    app.config["BASE_URL"] = (app.config.get("BASE_URL") or "").rstrip("/")
    config_module.validate_for_startup(app.config)
    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies > 0:  # behind that many reverse proxies: trust their X-Forwarded-* headers
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.url_map.converters["int"] = DatabaseIntConverter
    _larger_uploads(app)
    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    return app


# Endpoints whose uploads may exceed MAX_CONTENT_LENGTH, with the config key of their limit.
LARGER_UPLOADS = {
    "staff.import_upload": "IMPORT_MAX_BYTES",
    "melden.form": "REPORT_MAX_BYTES",
    "staff.media_unit_upload": "MEDIA_MAX_UPLOAD_BYTES",
    "staff.media_building_upload": "MEDIA_MAX_UPLOAD_BYTES",
}


def _larger_uploads(app: Flask) -> None:
    """Registered before the extensions: Flask-WTF's CSRF check is the first to read the form."""

    @app.before_request
    def _raise_upload_limit():
        key = LARGER_UPLOADS.get(request.endpoint or "")
        if key:
            request.max_content_length = app.config[key]


def _init_extensions(app: Flask) -> None:
    from leerstand import i18n, request_log, security
    from leerstand.models import Initiative, User

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), compare_type=True)
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    limiter.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    i18n.init_app(app)
    security.init_app(app)
    request_log.init_app(app)

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = i18n.LOGIN_MESSAGE
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def _load_user(user_id: str):
        """The account of a login id ("s:<id>" staff, "i:<id>" initiative), only while it may
        log in and the cookie's server-side session is open (``views.auth.session_is_live``)."""
        from leerstand.views.auth import session_is_live

        kind, _, raw = user_id.partition(":")
        if not raw.isdigit() or kind not in ("s", "i"):
            return None
        if kind == "s":
            account = db.session.get(User, int(raw))
            allowed = account is not None and account.active
        else:
            account = db.session.get(Initiative, int(raw))
            allowed = account is not None and account.confirmed
        return account if allowed and session_is_live(account) else None


def _register_blueprints(app: Flask) -> None:
    from leerstand.views import auth, errors, health, initiative, media, owner, public, staff

    errors.init_app(app)

    app.register_blueprint(health.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(staff.bp)
    app.register_blueprint(initiative.bp)
    app.register_blueprint(owner.bp)
    app.register_blueprint(media.bp)
    from leerstand.views import report

    app.register_blueprint(report.bp)
    from leerstand.api import bp as api_bp

    app.register_blueprint(api_bp)
    from leerstand.api.ogc import bp as ogc_bp

    app.register_blueprint(ogc_bp)
    from leerstand.api.tiles import bp as tiles_bp

    app.register_blueprint(tiles_bp)


def _register_cli(app: Flask) -> None:
    from leerstand import cli

    cli.init_app(app)
