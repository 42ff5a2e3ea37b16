"""Plain-text mail: SMTP when ``MAIL_SERVER`` is set, otherwise an .eml file in ``OUTBOX_DIR``.

Mails are text/plain only; user text is never interpreted as HTML. ``send`` and
``send_template`` never raise: when the template cannot be rendered, the outbox cannot be
written or the SMTP server cannot be reached, they log and return False, so that a caller can
tell the user instead of failing with a 500 (and never undoes what was saved)."""

from __future__ import annotations

import smtplib
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app, render_template

from leerstand import metrics

SMTP_TIMEOUT_S = 10


def build(to: str, subject: str, body_text: str) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=config["MAIL_FROM"].rpartition("@")[2] or None)
    message.set_content(body_text, subtype="plain", charset="utf-8")
    return message


def _deliver_smtp(message: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT_S) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
        smtp.send_message(message)


def _deliver_outbox(message: EmailMessage) -> Path:
    outbox = Path(current_app.config["OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    path = outbox / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
    path.write_bytes(message.as_bytes())
    current_app.logger.info("Mail an %s im Postausgang: %s", masked(message["To"]), path)
    return path


def masked(address: str | None) -> str:
    """An address as a log may show it: its domain only (``…@ballenstedt.de``), no person."""
    return "…@" + str(address or "").rpartition("@")[2]


def send(to: str, subject: str, body_text: str) -> bool:
    """Send one plain-text mail. True when delivered (or written to the outbox)."""
    try:
        message = build(to, subject, body_text)
        if current_app.config.get("MAIL_SERVER"):
            _deliver_smtp(message)
            current_app.logger.info("Mail an %s gesendet", masked(to))
        else:
            _deliver_outbox(message)
    except (OSError, ValueError, smtplib.SMTPException) as exc:
        current_app.logger.error(
            "Mail an %s konnte nicht gesendet werden: %s", masked(to), type(exc).__name__
        )
        metrics.mail_result(False)
        return False
    metrics.mail_result(True)
    return True


def send_template(to: str, subject: str, template: str, **context) -> bool:
    """Render ``templates/mail/<template>`` (plain text, no autoescape: .txt) and send it."""
    try:
        body_text = render_template(f"mail/{template}", **context)
    except Exception:  # a broken template or context: log it, the caller reports False
        current_app.logger.exception("Mail %s an %s: Text nicht erstellt", template, masked(to))
        return False
    return send(to, subject, body_text)
