"""Staff login and logout (throttled; the answer never tells whether an address has an
account), the staff page "Passwort ändern", and the glue between Flask-Login and the
server-side login sessions (``sign_in`` / ``sign_out`` and the login form's POST
``answer_login``, also used by the initiative views):
the session cookie carries a token whose ``LoginSession`` row the user loader checks on every
request, so logout ends every copy of the cookie."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from leerstand.db import db
from leerstand.extensions import limiter
from leerstand.i18n import translate
from leerstand.services.accounts import passwords as accounts
from leerstand.services.accounts import sessions
from leerstand.views.outcome import FORM_ERRORS, failure, safe_next

bp = Blueprint("auth", __name__)
SESSION_TOKEN_KEY = "login_token"  # key of the login session's token in Flask's session


def sign_in(account) -> None:
    """Start a server-side session for ``account``, commit, and log the browser in."""
    token = sessions.start(db.session, account)
    db.session.commit()
    login_user(account, remember=False)
    session[SESSION_TOKEN_KEY] = token


def sign_out() -> None:
    """End this browser's server-side session (every copy of its cookie) and log out."""
    sessions.end(db.session, session.pop(SESSION_TOKEN_KEY, None))
    db.session.commit()
    logout_user()


def session_is_live(account) -> bool:
    """For the user loader: the request's cookie belongs to an open session of ``account``."""
    return sessions.is_live(db.session, account, session.get(SESSION_TOKEN_KEY))


def answer_login(authenticate, template: str, landing: str):
    """The POST of a login form, for staff and initiatives alike: ``authenticate(session,
    email, password, max_failures, lock_minutes)`` gives (account, None) or (None, error).
    Success logs in and goes to ``next`` (a local path) or ``landing``; a failure keeps the
    failure count and shows the form again with the one message (401)."""
    email = request.form.get("email", "").strip()
    config = current_app.config
    account, error = authenticate(
        db.session,
        email,
        request.form.get("password", ""),
        config["LOGIN_MAX_FAILURES"],
        config["LOGIN_LOCK_MINUTES"],
    )
    if account is None:
        db.session.commit()  # keep the failure count
        flash(translate(error), "error")
        return render_template(template, email=email), 401
    sign_in(account)
    return redirect(safe_next(request.args.get("next"), landing))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login():
    if current_user.is_authenticated and current_user.is_staff:
        return redirect(url_for("staff.home"))
    if request.method == "POST":
        return answer_login(accounts.authenticate_staff, "auth/login.html", url_for("staff.home"))
    return render_template("auth/login.html", email="")


@bp.post("/logout")
@login_required
def logout():
    sign_out()
    flash(_("Sie sind abgemeldet."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/passwort", methods=["GET", "POST"])
@login_required
def password():
    """Staff change their own password; every other session of the account ends."""
    if not current_user.is_staff:
        abort(403)
    if request.method == "GET":
        return render_template("auth/password.html", error=None)
    me = current_user._get_current_object()
    try:
        accounts.change_own_password(db.session, me, request.form)
    except FORM_ERRORS as exc:
        error, status = failure(exc)
        return render_template("auth/password.html", error=error), status
    sign_in(me)  # commits; this browser stays logged in with a new session
    flash(
        _("Ihr Passwort ist geändert. Andere Anmeldungen mit diesem Konto sind beendet."),
        "success",
    )
    return redirect(url_for("staff.home"))


from leerstand.views import password_reset  # noqa: E402, F401  (its routes are on ``bp``)
