"""Login and logout for staff, with throttling of failed attempts."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from leerstand.db import db
from leerstand.extensions import limiter
from leerstand.i18n import translate
from leerstand.models import User
from leerstand.services import accounts
from leerstand.views.outcome import safe_next

bp = Blueprint("auth", __name__)


def _attempt(email: str, password: str) -> tuple[User | None, str | None]:
    config = current_app.config
    user = accounts.find_by_email(db.session, User, email)
    error = accounts.check_password(
        user, password, config["LOGIN_MAX_FAILURES"], config["LOGIN_LOCK_MINUTES"]
    )
    if error is None and not user.active:
        error = accounts.WRONG_LOGIN
    db.session.commit()
    return (user, None) if error is None else (None, error)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login():
    if current_user.is_authenticated and current_user.is_staff:
        return redirect(url_for("staff.home"))
    email = request.form.get("email", "").strip()
    if request.method == "POST":
        user, error = _attempt(email, request.form.get("password", ""))
        if user is not None:
            login_user(user, remember=False)
            return redirect(safe_next(request.args.get("next"), url_for("staff.home")))
        flash(translate(error), "error")
    return render_template("auth/login.html", email=email), 200 if request.method == "GET" else 401


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("Sie sind abgemeldet."), "info")
    return redirect(url_for("auth.login"))
