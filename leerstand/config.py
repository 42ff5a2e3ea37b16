"""Settings from the environment. Every value can be overridden with an environment variable
of the same name; ``create_app(config)`` takes a mapping that wins over both.

``instance/leerstand.env`` (git-ignored; ``KEY=VALUE`` lines, written by scripts/run and
scripts/test for a development checkout) supplies values the environment does not set;
``LEERSTAND_ENV_FILE`` names another file. ``LEERSTAND_ENV`` is ``production`` unless set to
``development``: outside development (and outside tests, ``TESTING``) ``validate_for_startup``
refuses to start while ``BASE_URL`` or ``SECRET_KEY`` is unset or still the development
default. ``flask check`` (``leerstand.config_check``) checks everything else."""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ENV_FILE = REPO_ROOT / "instance" / "leerstand.env"
DEVELOPMENT = "development"
DEFAULT_SECRET_KEY = "dev-only-not-secret-change-me"
DEFAULT_BASE_URL = "http://127.0.0.1:5000"
LOCAL_DATABASE_URL = "postgresql+psycopg://leerstand@127.0.0.1:{port}/leerstand".format(
    port=os.environ.get("LEERSTAND_PGPORT", "55432")
)


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class ConfigError(RuntimeError):
    """The configuration is not fit for production; the message names the variables."""


def read_env_file(path: Path) -> dict[str, str]:
    """``KEY=VALUE`` lines (blank lines and ``#`` comments skipped, quotes around the value
    removed); an absent file is empty."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return {}
    values = {}
    for line in lines:
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            values[key.strip().removeprefix("export ").strip()] = value.strip().strip("\"'")
    return values


def is_development(config) -> bool:
    return bool(config.get("TESTING")) or config.get("LEERSTAND_ENV") == DEVELOPMENT


def startup_problems(config) -> list[str]:
    """What keeps a production app from starting: BASE_URL and SECRET_KEY unset or default."""
    problems = []
    base_url = (config.get("BASE_URL") or "").rstrip("/")
    if base_url in ("", DEFAULT_BASE_URL):
        problems.append(
            "BASE_URL ist nicht gesetzt oder noch der Entwicklungswert "
            f"{DEFAULT_BASE_URL}. Setzen Sie BASE_URL auf die öffentliche Adresse, "
            "z. B. BASE_URL=https://leerstand.ballenstedt.de – alle Links in Briefen, QR-Codes "
            "und E-Mails kommen daher."
        )
    if config.get("SECRET_KEY") in (None, "", DEFAULT_SECRET_KEY):
        problems.append(
            "SECRET_KEY ist nicht gesetzt oder noch der Entwicklungswert. Setzen Sie einen "
            "langen Zufallswert, z. B. SECRET_KEY=$(python3 -c 'import secrets; "
            "print(secrets.token_hex(32))')."
        )
    return problems


def validate_for_startup(config) -> None:
    """Raise ``ConfigError`` outside development when ``startup_problems`` finds any."""
    if is_development(config):
        return
    problems = startup_problems(config)
    if problems:
        raise ConfigError(
            "Leerstand startet nicht (LEERSTAND_ENV=production):\n- "
            + "\n- ".join(problems)
            + "\nFür eine Entwicklungsumgebung: LEERSTAND_ENV=development. "
            "Alle Einstellungen prüft: flask --app leerstand check"
        )


def web_workers(environ=os.environ) -> int:
    """gunicorn's worker count (leerstand/gunicorn_conf.py): ``WEB_CONCURRENCY``, else
    2 × CPUs + 1, at most 8."""
    configured = str(environ.get("WEB_CONCURRENCY", "")).strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return min(2 * (os.cpu_count() or 1) + 1, 8)


def from_environment() -> dict:
    file_values = read_env_file(Path(os.environ.get("LEERSTAND_ENV_FILE", ENV_FILE)))

    def env(key: str, default: str | None = None) -> str | None:
        return os.environ.get(key, file_values.get(key, default))

    return {
        "LEERSTAND_ENV": env("LEERSTAND_ENV", "production").strip().lower(),
        "SECRET_KEY": env("SECRET_KEY", DEFAULT_SECRET_KEY),
        "DATABASE_URL": env("DATABASE_URL", LOCAL_DATABASE_URL),
        "BABEL_DEFAULT_LOCALE": env("BABEL_DEFAULT_LOCALE", "de"),
        "BABEL_DEFAULT_TIMEZONE": env("BABEL_DEFAULT_TIMEZONE", "Europe/Berlin"),
        "TILE_URL": env("TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
        "TILE_ATTRIBUTION": env(
            "TILE_ATTRIBUTION",
            '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
        ),
        # Optional geocoder for the place search on the maps (Nominatim-compatible JSON), asked
        # by the server; {q} is replaced by the search text. Empty: only the town's own data.
        "GEOCODER_URL": env("GEOCODER_URL", ""),
        "MAIL_SERVER": env("MAIL_SERVER", ""),
        "MAIL_PORT": int(env("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _bool(env("MAIL_USE_TLS")),
        "MAIL_USERNAME": env("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env("MAIL_PASSWORD", ""),
        "MAIL_FROM": env("MAIL_FROM", "leerstand@localhost"),
        "OUTBOX_DIR": env("LEERSTAND_OUTBOX", str(REPO_ROOT / "instance" / "outbox")),
        # Uploaded import files between the wizard's steps (a folder per upload, kept 24 h).
        "IMPORT_DIR": env("IMPORT_DIR", str(REPO_ROOT / "instance" / "imports")),
        # the import upload's own size limit (other requests keep MAX_CONTENT_LENGTH)
        "IMPORT_MAX_BYTES": int(env("IMPORT_MAX_BYTES", str(50 * 1024 * 1024))),
        # Photos and documents (services/media): "disk" (MEDIA_DIR, outside static/) or "s3"
        # (an S3-compatible bucket); size limits of one image / one document upload
        "MEDIA_STORE": env("MEDIA_STORE", "disk"),
        "MEDIA_DIR": env("MEDIA_DIR", str(REPO_ROOT / "instance" / "media")),
        "MEDIA_MAX_IMAGE_BYTES": int(env("MEDIA_MAX_IMAGE_BYTES", str(10 * 1024 * 1024))),
        "MEDIA_MAX_DOCUMENT_BYTES": int(env("MEDIA_MAX_DOCUMENT_BYTES", str(20 * 1024 * 1024))),
        # one upload request on the staff media page (several photos at once)
        "MEDIA_MAX_UPLOAD_BYTES": int(env("MEDIA_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024))),
        "S3_ENDPOINT_URL": env("S3_ENDPOINT_URL", ""),
        "S3_BUCKET": env("S3_BUCKET", ""),
        "S3_ACCESS_KEY_ID": env("S3_ACCESS_KEY_ID", ""),
        "S3_SECRET_ACCESS_KEY": env("S3_SECRET_ACCESS_KEY", ""),
        "S3_REGION": env("S3_REGION", ""),
        "RATELIMIT_STORAGE_URI": env("RATELIMIT_STORAGE_URI", "memory://"),
        "LOGIN_MAX_FAILURES": int(env("LOGIN_MAX_FAILURES", "5")),
        "LOGIN_LOCK_MINUTES": int(env("LOGIN_LOCK_MINUTES", "10")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(env("SESSION_COOKIE_SECURE")),
        "MAX_CONTENT_LENGTH": int(env("MAX_CONTENT_LENGTH", str(2 * 1024 * 1024))),
        "WTF_CSRF_TIME_LIMIT": None,
        "PAGE_SIZE": int(env("PAGE_SIZE", "25")),
        # Database time limits in ms (0: none), set on every connection: a statement, waiting for
        # a row lock, a transaction left idle. Below gunicorn's 30 s, so a hung database or a held
        # lock gives a clear page instead of a killed worker; the worker (jobs) raises them.
        "DB_STATEMENT_TIMEOUT_MS": int(env("DB_STATEMENT_TIMEOUT_MS", "20000")),
        "DB_LOCK_TIMEOUT_MS": int(env("DB_LOCK_TIMEOUT_MS", "5000")),
        "DB_IDLE_IN_TRANSACTION_TIMEOUT_MS": int(env("DB_IDLE_IN_TRANSACTION_TIMEOUT_MS", "60000")),
        # connections per app process (gunicorn worker): kept open, and more for a burst
        "DB_POOL_SIZE": int(env("DB_POOL_SIZE", "5")),
        "DB_MAX_OVERFLOW": int(env("DB_MAX_OVERFLOW", "10")),
        # "json": one JSON object per log line and a line per request (leerstand/request_log.py)
        "LOG_FORMAT": env("LOG_FORMAT", "text"),
        "LOG_LEVEL": env("LOG_LEVEL", "INFO"),
        # who may read /metrics (Prometheus): addresses or networks, comma-separated
        "METRICS_ALLOW": env("METRICS_ALLOW", "127.0.0.1,::1"),
        # An idea with more units than this in its place is re-matched by the worker (flask
        # worker) after a save, not in the request; 0: always in the request (no worker).
        "MATCH_JOB_THRESHOLD": int(env("MATCH_JOB_THRESHOLD", "5000")),
        # Number of reverse proxies in front of the app (0: none); their X-Forwarded-For,
        # -Proto and -Host headers are then trusted (client address for rate limits, https links).
        "PROXY_COUNT": int(env("PROXY_COUNT", "0")),
        # Use requests: the owner's link/code expires after this many days; without an answer
        # after REQUEST_REMINDER_DAYS staff get a follow-up and ``flask reminders`` mails the owner.
        "REQUEST_VALID_DAYS": int(env("REQUEST_VALID_DAYS", "30")),
        "REQUEST_REMINDER_DAYS": int(env("REQUEST_REMINDER_DAYS", "14")),
        # Interim uses: reminder mails this many days before the agreed end.
        "INTERIM_END_REMINDER_DAYS": int(env("INTERIM_END_REMINDER_DAYS", "14")),
        # Retention (``flask retention``, daily): owners without any ownership, declined contact
        # cases, unconfirmed initiative accounts, answered/expired request secrets, mail copies.
        "RETENTION_OWNER_WITHOUT_OWNERSHIP_YEARS": int(
            env("RETENTION_OWNER_WITHOUT_OWNERSHIP_YEARS", "3")
        ),
        "RETENTION_DECLINED_CONTACT_YEARS": int(env("RETENTION_DECLINED_CONTACT_YEARS", "5")),
        "RETENTION_UNCONFIRMED_INITIATIVE_DAYS": int(
            env("RETENTION_UNCONFIRMED_INITIATIVE_DAYS", "30")
        ),
        "RETENTION_REQUEST_SECRET_DAYS": int(env("RETENTION_REQUEST_SECRET_DAYS", "90")),
        "RETENTION_MAIL_COPY_DAYS": int(env("RETENTION_MAIL_COPY_DAYS", "90")),
        # Public address of the app: every absolute link (mails, letters, QR codes) uses it.
        "BASE_URL": env("BASE_URL", DEFAULT_BASE_URL).rstrip("/"),
    }
