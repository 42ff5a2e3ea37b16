"""Staff accounts administered by a town's admins (``/verwaltung/benutzer``): the list with
role, active flag and last login; invitations (a new account with an unusable random password
and a set-password link valid ``resets.INVITE_LIFETIME``); role changes and (re)activation
through ``passwords.update_user`` (sessions end at once, API tokens are revoked, audited).
The last active admin of a town can neither be demoted nor deactivated."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leerstand.messages import Text
from leerstand.models import User
from leerstand.services import forms
from leerstand.services.accounts import passwords, reset_tokens
from leerstand.services.accounts.resets import INVITE_LIFETIME
from leerstand.services.audit import log as audit
from leerstand.services.errors import NotFound, ServiceError
from leerstand.vocab import ROLES

LAST_ADMIN = Text(
    "Das geht nicht: Sie sind die letzte aktive Administration dieser Kommune. Ernennen Sie "
    "zuerst eine andere Person zur Administration, dann können Sie Ihre Rolle ändern oder Ihr "
    "Konto deaktivieren."
)


def users(session: Session, municipality_id: int) -> list[User]:
    """The town's staff accounts: active first, then by name and address."""
    query = (
        select(User)
        .where(User.municipality_id == municipality_id)
        .order_by(User.active.desc(), func.lower(User.name), func.lower(User.email))
    )
    return list(session.scalars(query))


def get(session: Session, municipality_id: int, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.municipality_id != municipality_id:
        raise NotFound(Text("Dieses Konto gibt es nicht (mehr)."))
    return user


def _role(values: Mapping) -> str:
    return forms.choice(values, "role", ROLES, Text("Rolle"))


def invite(session: Session, municipality_id: int, values: Mapping, actor_id: int, now: datetime):
    """(new user, set-password token) from the form "Person einladen" (email, name, role)."""
    email = forms.email(values.get("email"), required=True).lower()
    name = forms.text(values, "name", 120, Text("Name"))
    role = _role(values)
    if passwords.find_by_email(session, User, email) is not None:
        raise ServiceError(
            Text(
                "Für %(email)s gibt es schon ein Konto. Suchen Sie es in der Liste (oder, wenn "
                "es zu einer anderen Kommune gehört, wenden Sie sich an deren Administration).",
                email=email,
            )
        )
    user = User(municipality_id=municipality_id, email=email, name=name, role=role, active=True)
    user.set_password(secrets.token_urlsafe(32))  # nobody knows it: the link sets the first one
    session.add(user)
    session.flush()
    audit.record(session, actor_id, "create", user, {"email": [None, email], "role": [None, role]})
    return user, reset_tokens.issue(session, user, INVITE_LIFETIME, now)


def _other_active_admins(session: Session, user: User) -> int:
    query = select(func.count(User.id)).where(
        User.municipality_id == user.municipality_id,
        User.role == "admin",
        User.active.is_(True),
        User.id != user.id,
    )
    return session.scalar(query)


def change(session: Session, user: User, values: Mapping, actor_id: int) -> list[str]:
    """Role (field ``role``) and/or active flag (``active``: "1" / "0") from the list's forms;
    the names of what changed. Refused when it would leave the town without an active admin."""
    role = _role(values) if values.get("role") else None
    active = {"1": True, "0": False}.get(str(values.get("active", "")))
    loses_admin = (
        user.role == "admin"
        and user.active
        and ((role is not None and role != "admin") or active is False)
    )
    if loses_admin and _other_active_admins(session, user) == 0:
        raise ServiceError(LAST_ADMIN)
    return passwords.update_user(session, user, role=role, active=active, actor_id=actor_id)


def resend_invitation(session: Session, user: User, now: datetime) -> str:
    """A new set-password link (older ones voided) for an active account."""
    if not user.active:
        raise ServiceError(Text("Das Konto ist deaktiviert. Aktivieren Sie es zuerst."))
    return reset_tokens.issue(session, user, INVITE_LIFETIME, now)
