"""Settings from the environment. Every value can be overridden with an environment variable
of the same name; ``create_app(config)`` takes a mapping that wins over both."""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
LOCAL_DATABASE_URL = "postgresql+psycopg://leerstand@127.0.0.1:{port}/leerstand".format(
    port=os.environ.get("LEERSTAND_PGPORT", "55432")
)


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def from_environment() -> dict:
    env = os.environ.get
    return {
        "SECRET_KEY": env("SECRET_KEY", "dev-only-not-secret-change-me"),
        "DATABASE_URL": env("DATABASE_URL", LOCAL_DATABASE_URL),
        "BABEL_DEFAULT_LOCALE": env("BABEL_DEFAULT_LOCALE", "de"),
        "BABEL_DEFAULT_TIMEZONE": env("BABEL_DEFAULT_TIMEZONE", "Europe/Berlin"),
        "TILE_URL": env("TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
        "TILE_ATTRIBUTION": env(
            "TILE_ATTRIBUTION",
            '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
        ),
        "MAIL_SERVER": env("MAIL_SERVER", ""),
        "MAIL_PORT": int(env("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _bool(env("MAIL_USE_TLS")),
        "MAIL_USERNAME": env("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env("MAIL_PASSWORD", ""),
        "MAIL_FROM": env("MAIL_FROM", "leerstand@localhost"),
        "OUTBOX_DIR": env("LEERSTAND_OUTBOX", str(REPO_ROOT / "instance" / "outbox")),
        "RATELIMIT_STORAGE_URI": env("RATELIMIT_STORAGE_URI", "memory://"),
        "LOGIN_MAX_FAILURES": int(env("LOGIN_MAX_FAILURES", "5")),
        "LOGIN_LOCK_MINUTES": int(env("LOGIN_LOCK_MINUTES", "10")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(env("SESSION_COOKIE_SECURE")),
        "MAX_CONTENT_LENGTH": int(env("MAX_CONTENT_LENGTH", str(2 * 1024 * 1024))),
        "WTF_CSRF_TIME_LIMIT": None,
        "PAGE_SIZE": int(env("PAGE_SIZE", "25")),
        # Number of reverse proxies in front of the app (0: none); their X-Forwarded-For,
        # -Proto and -Host headers are then trusted (client address for rate limits, https links).
        "PROXY_COUNT": int(env("PROXY_COUNT", "0")),
        # Use requests: the owner's link/code expires after this many days; without an answer
        # after REQUEST_REMINDER_DAYS staff get a follow-up and ``flask reminders`` mails the owner.
        "REQUEST_VALID_DAYS": int(env("REQUEST_VALID_DAYS", "30")),
        "REQUEST_REMINDER_DAYS": int(env("REQUEST_REMINDER_DAYS", "14")),
        # Interim uses: reminder mails this many days before the agreed end.
        "INTERIM_END_REMINDER_DAYS": int(env("INTERIM_END_REMINDER_DAYS", "14")),
        # Public address of the app, for links in mails sent outside a request (reminders).
        "BASE_URL": env("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
    }
