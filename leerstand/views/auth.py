"""Login and logout for staff, with throttling of failed attempts."""

from datetime import UTC, datetime, timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select

from leerstand.db import db
from leerstand.extensions import limiter
from leerstand.models import User

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("staff.home")


def _attempt(email: str, password: str) -> tuple[User | None, str | None]:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
    now = datetime.now(UTC)
    if user is not None and user.locked_until and user.locked_until > now:
        minutes = int((user.locked_until - now).total_seconds() // 60) + 1
        return None, _(
            "Zu viele Fehlversuche. Die Anmeldung ist für %(n)s Minuten gesperrt.", n=minutes
        )
    if user is None or not user.active or not user.check_password(password):
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
                lock = current_app.config["LOGIN_LOCK_MINUTES"]
                user.locked_until = now + timedelta(minutes=lock)
                user.failed_logins = 0
            db.session.commit()
        return None, _("E-Mail-Adresse oder Passwort ist falsch.")
    user.failed_logins = 0
    user.locked_until = None
    return user, None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("staff.home"))
    email = request.form.get("email", "").strip()
    if request.method == "POST":
        user, error = _attempt(email, request.form.get("password", ""))
        if user is not None:
            login_user(user, remember=False)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        flash(error, "error")
    return render_template("auth/login.html", email=email), 200 if request.method == "GET" else 401


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("Sie sind abgemeldet."), "info")
    return redirect(url_for("auth.login"))
