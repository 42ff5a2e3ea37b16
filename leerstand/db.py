"""Declarative base with a constraint naming convention, the engine and one session per request.

Services only ``flush``; a view commits once; ``teardown_appcontext`` rolls back and removes
whatever is left. Tests reconfigure ``db.sessionmaker`` to bind to a connection inside an
outer transaction (SQLAlchemy's "join a session into an external transaction" recipe)."""

from __future__ import annotations

from flask import Flask, current_app
from sqlalchemy import MetaData, create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class AppSession(Session):
    """Uses the current app's engine unless the session was bound explicitly (tests)."""

    def get_bind(self, mapper=None, clause=None, **kwargs):
        if self.bind is not None:
            return self.bind
        return current_app.extensions["leerstand_db"]


TIME_LIMITS = {
    "statement_timeout": "DB_STATEMENT_TIMEOUT_MS",
    "lock_timeout": "DB_LOCK_TIMEOUT_MS",
    "idle_in_transaction_session_timeout": "DB_IDLE_IN_TRANSACTION_TIMEOUT_MS",
}


def time_limits(config) -> str:
    """libpq ``options`` setting PostgreSQL's time limits (ms, 0: none) on every connection."""
    return " ".join(
        f"-c {setting}={int(config.get(key, 0))}" for setting, key in TIME_LIMITS.items()
    )


class Database:
    """The scoped session and each app's engine; Flask-Migrate reads ``metadata``."""

    metadata = Base.metadata

    def __init__(self) -> None:
        self.sessionmaker = sessionmaker(class_=AppSession, expire_on_commit=False)
        self.session: scoped_session[Session] = scoped_session(self.sessionmaker)

    def init_app(self, app: Flask) -> None:
        app.extensions["leerstand_db"] = create_engine(
            app.config["DATABASE_URL"],
            pool_pre_ping=True,
            pool_size=int(app.config.get("DB_POOL_SIZE", 5)),
            max_overflow=int(app.config.get("DB_MAX_OVERFLOW", 10)),
            connect_args={"connect_timeout": 5, "options": time_limits(app.config)},
        )

        @app.teardown_appcontext
        def _remove_session(_exc: BaseException | None) -> None:
            self.forget_session()

    def forget_session(self) -> None:
        """Roll back and drop the request's session; never raises (with the database gone the
        rollback fails, and the connection is discarded by the pool anyway)."""
        try:
            self.session.rollback()
        except Exception:  # a dead connection; nothing was committed
            current_app.logger.warning("Rollback failed: the database connection is gone")
        try:
            self.session.remove()
        except Exception:
            current_app.logger.warning("Closing the session failed: the connection is gone")

    def get_engine(self) -> Engine:
        return current_app.extensions["leerstand_db"]

    @property
    def engine(self) -> Engine:
        return self.get_engine()


db = Database()
