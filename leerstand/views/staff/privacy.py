"""Datenschutz for admins and the data-protection officer (role ``dpo``): the Art. 15 answer
about an owner or a staff member as a print page and as a ZIP bundle (Art. 20), and the
access log (Zugriffe) with filters. Every answer produced is itself logged in the access log
("access_request"). Other roles get 403. Collecting is ``services.privacy.access``."""

from __future__ import annotations

from flask import Response, current_app, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from leerstand.dates import local_today
from leerstand.db import db
from leerstand.i18n import translate
from leerstand.models import User
from leerstand.services.privacy import access, access_log, access_people, bundle
from leerstand.views.staff import bp
from leerstand.views.staff.owner_privacy import (  # admins and the DPO
    may_manage_privacy,
    privacy_required,
)

PAGE_SIZE = 50
FILTER_KEYS = ("entity", "entity_id", "user_id", "date_from", "date_to")


@bp.app_context_processor
def _privacy_helpers():
    return {"may_answer_privacy": may_manage_privacy(current_user)}


def _owner_answer(owner_id: int):
    config = current_app.config
    return access.owner_answer(
        db.session,
        current_user.municipality_id,
        owner_id,
        config.get("OUTBOX_DIR"),
        bool(config.get("MAIL_SERVER")),
    )


def _log(answer, fmt: str) -> None:
    access_log.record(
        db.session,
        current_user.municipality_id,
        current_user.id,
        "access_request",
        answer.kind,
        answer.person_id,
        {"format": fmt},
    )
    db.session.commit()


def zip_response(answer) -> Response:
    response = Response(bundle.zip_bytes(answer), mimetype="application/zip")
    name = bundle.filename(answer, local_today())
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _page(answer, zip_url: str, back_url: str):
    return render_template("privacy/answer.html", answer=answer, zip_url=zip_url, back_url=back_url)


@bp.get("/eigentuemer/<int:owner_id>/auskunft")
@privacy_required
def owner_access(owner_id: int):
    answer = _owner_answer(owner_id)
    _log(answer, "html")
    return _page(
        answer,
        url_for("staff.owner_access_zip", owner_id=owner_id),
        url_for("staff.owner_view", owner_id=owner_id),
    )


@bp.get("/eigentuemer/<int:owner_id>/auskunft.zip")
@privacy_required
def owner_access_zip(owner_id: int):
    answer = _owner_answer(owner_id)
    _log(answer, "zip")
    return zip_response(answer)


def _staff_answer(user_id: int):
    return access_people.staff_answer(db.session, current_user.municipality_id, user_id)


@bp.get("/benutzer/<int:user_id>/auskunft")
@privacy_required
def staff_access(user_id: int):
    answer = _staff_answer(user_id)
    _log(answer, "html")
    return _page(answer, url_for("staff.staff_access_zip", user_id=user_id), url_for("staff.home"))


@bp.get("/benutzer/<int:user_id>/auskunft.zip")
@privacy_required
def staff_access_zip(user_id: int):
    answer = _staff_answer(user_id)
    _log(answer, "zip")
    return zip_response(answer)


def _people(mid: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.municipality_id == mid).order_by(User.name, User.email)
        )
    )


@bp.get("/zugriffe")
@privacy_required
def access_events():
    mid = current_user.municipality_id
    people = _people(mid)
    filters = access_log.parse_filters(request.args, {p.id for p in people})
    rows, total = access_log.search(db.session, mid, filters.where(), filters.page, PAGE_SIZE)
    typed = {key: (request.args.get(key) or "")[:100] for key in FILTER_KEYS}
    return render_template(
        "privacy/access_log.html",
        rows=rows,
        typed=typed,
        errors=[translate(e) for e in filters.errors],
        people=people,
        page=filters.page,
        has_next=filters.page * PAGE_SIZE < total,
        total=total,
        pager_args={k: v for k, v in typed.items() if v},
        actions=access_log.ACTIONS,
        entities=access_log.ENTITIES,
    )
