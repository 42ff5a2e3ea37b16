"""Forgotten passwords of staff (``/passwort-vergessen``) and initiatives
(``/initiative/passwort-vergessen``), and the page of the mailed link (also the link of a staff
invitation). Routes of the ``auth`` blueprint; the rules are ``services.accounts.resets``.

- The request form answers the same (page, status, message) whether or not the address has an
  account; only an account gets a mail, sent after the answer has gone out. Both paths run
  the same query, make a token and render the mail text, so they cost alike
  (``tests/integration/test_password_reset_no_enumeration.py`` measures it).
- ``/passwort-neu/<token>`` (GET, changes nothing) remembers the reset's id and token hash in
  this browser's session and redirects to ``/passwort-neu``, so the token leaves the address
  bar (and the Referer); logs mask it (``leerstand.log_masking``). The new password is a POST
  there; afterwards every session of the account has ended and the person logs in anew."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from leerstand import log_masking, mail
from leerstand.db import db
from leerstand.extensions import limiter
from leerstand.links import absolute_url
from leerstand.models import Initiative, User
from leerstand.services.accounts import reset_tokens, resets
from leerstand.services.accounts.api_tokens import hash_token
from leerstand.views.auth import bp
from leerstand.views.outcome import FORM_ERRORS, failure

bp.record_once(lambda state: log_masking.install(state.app))
REMEMBERED = "password_reset"  # session: [reset id, token hash] of the link opened here
RESET_LIMIT = limiter.shared_limit("20 per minute", scope="password-reset", methods=["POST"])
KINDS = {"staff": User, "initiative": Initiative}


def _now() -> datetime:
    return datetime.now(UTC)


def reset_mail(account, token: str, invitation: bool = False) -> tuple[str, str, str, dict]:
    """(to, subject, template, context) of a reset or invitation mail for ``account``."""
    link = absolute_url("auth.reset_link", token=token)
    if invitation:
        subject = "Einladung zum Leerstandsmanagement"
        context = {"user": account, "link": link, "login_link": absolute_url("auth.login")}
        return account.email, subject, "invite.txt", context
    return (
        account.email,
        "Neues Passwort festlegen",
        "reset.txt",
        {"account": account, "link": link},
    )


def _deliver_after(response, to: str, subject: str, text: str) -> None:
    """Send the mail once the answer has gone out (when the WSGI server closes the response),
    so that the SMTP server's time never shows in the answer. A failing mail is logged."""
    app = current_app._get_current_object()

    def deliver() -> None:
        with app.app_context():
            mail.send(to, subject, text)

    response.call_on_close(deliver)


def _forgot(kind: str):
    if request.method == "GET":
        return render_template("auth/forgot.html", kind=kind, email="")
    email = request.form.get("email", "").strip()
    account, token = resets.request_reset(db.session, KINDS[kind], email, _now())
    # both paths render the mail text; only an account's mail is sent, after the answer
    to, subject, template, context = reset_mail(account or _Nobody(email), token or "x")
    text = render_template(f"mail/{template}", **context)
    db.session.commit()
    flash(
        _("Wenn es ein Konto mit dieser Adresse gibt, ist eine E-Mail mit einem Link unterwegs."),
        "info",
    )
    login = "auth.login" if kind == "staff" else "initiative.login"
    response = redirect(url_for(login), 303)
    if account is not None:
        _deliver_after(response, to, subject, text)
    return response


class _Nobody:
    """Stands in for an account in the mail text of an unknown address (never sent)."""

    def __init__(self, email: str) -> None:
        self.email = email


@bp.route("/passwort-vergessen", methods=["GET", "POST"])
@RESET_LIMIT
def forgot():
    return _forgot("staff")


@bp.route("/initiative/passwort-vergessen", methods=["GET", "POST"])
@RESET_LIMIT
def forgot_initiative():
    return _forgot("initiative")


def _invalid():
    session.pop(REMEMBERED, None)
    return render_template("auth/reset_invalid.html"), 404


@bp.get("/passwort-neu/<token>")
@RESET_LIMIT
def reset_link(token: str):
    row = resets.opened(db.session, token, _now())
    if row is None:
        return _invalid()
    session[REMEMBERED] = [row.id, hash_token(token)]
    return redirect(url_for("auth.reset"), 303)


def _remembered() -> tuple:
    value = session.get(REMEMBERED)
    return tuple(value) if isinstance(value, list) and len(value) == 2 else (None, None)


def _render(row, error: str | None = None, status: int = 200):
    account = reset_tokens.account_of(db.session, row)
    return render_template("auth/reset.html", account=account, error=error), status


@bp.route("/passwort-neu", methods=["GET", "POST"])
@RESET_LIMIT
def reset():
    reset_id, token_hash = _remembered()
    row = reset_tokens.remembered(db.session, reset_id, token_hash, _now())
    if row is None:
        return _invalid()
    if request.method == "GET":
        return _render(row)
    try:
        account = resets.complete(db.session, reset_id, token_hash, request.form, _now())
        db.session.commit()
    except resets.InvalidReset:
        db.session.rollback()
        return _invalid()
    except FORM_ERRORS as exc:
        error, status = failure(exc)
        return _render(row, error, status)
    session.pop(REMEMBERED, None)
    flash(_("Ihr neues Passwort ist gespeichert. Bitte melden Sie sich damit an."), "success")
    return redirect(url_for("auth.login" if account.is_staff else "initiative.login"), 303)
