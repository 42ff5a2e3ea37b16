"""The public information pages of a town: ``/impressum``, ``/datenschutz`` and
``/barrierefreiheit`` (the first town's) and the same under ``/k/<AGS>/`` for every further
town; texts from ``services.towns.texts`` (the town's own or the shipped default).

Also what every page's footer and header need (``info_links``, ``lang_url``): the three pages
of the page's town (a public page's town, else the signed-in user's, else the first town) and
the address of the current page in another language (``?lang=`` sticks for the session, see
``leerstand.i18n``). Registered on the public blueprint (imported at the end of
``views.public``)."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from flask import current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from leerstand import log_masking
from leerstand.db import db
from leerstand.models import Municipality
from leerstand.services import municipality as municipality_service
from leerstand.services.towns import texts
from leerstand.views.public import _town, bp

ENDPOINTS = {"imprint": "public.imprint", "privacy": "public.privacy"}
ENDPOINTS["accessibility"] = "public.accessibility"


def retention() -> texts.Retention:
    return texts.Retention.from_config(current_app.config)


def tile_host(town: Municipality | None) -> str | None:
    """The host the maps of ``town`` load their tiles from (None: no tiles)."""
    url = (town.tile_url if town is not None else None) or current_app.config.get("TILE_URL")
    return urlsplit(url.replace("{s}.", "")).hostname if url else None


def _render(kind: str, ags: str | None):
    town = _town(ags)
    record = db.session.get(Municipality, town["id"]) or Municipality(name=town["name"])
    text = texts.text_of(record, kind, retention(), tile_host(record))
    return render_template(
        "public/info.html",
        town=town,
        kind=kind,
        title=texts.KINDS[kind][1],
        blocks=texts.blocks(text),
        german_only=str(get_locale()) != "de",
    )


@bp.get("/impressum")
@bp.get("/k/<ags>/impressum")
def imprint(ags: str | None = None):
    return _render("imprint", ags)


@bp.get("/datenschutz")
@bp.get("/k/<ags>/datenschutz")
def privacy(ags: str | None = None):
    return _render("privacy", ags)


@bp.get("/barrierefreiheit")
@bp.get("/k/<ags>/barrierefreiheit")
def accessibility(ags: str | None = None):
    return _render("accessibility", ags)


def _footer_ags() -> str | None:
    """The AGS for the footer's links: the public page's town, else the signed-in user's
    town (staff, initiatives), else None (the first town)."""
    if request.blueprint == "public" and (request.view_args or {}).get("ags"):
        return request.view_args["ags"]
    if current_user.is_authenticated and getattr(current_user, "municipality_id", None):
        town = municipality_service.get(db.session, current_user.municipality_id)
        return texts.page_ags(db.session, town)
    return None


def info_links() -> dict[str, str]:
    """{kind: address} of the three information pages of the page's town."""
    ags = _footer_ags()
    return {kind: url_for(endpoint, ags=ags) for kind, endpoint in ENDPOINTS.items()}


# A query value longer than this is not repeated in the language links (an absurd input stays
# out of the page; the forms cut what they show at the same length).
LANG_ARG_MAX = 100


def lang_url(code: str, clean_url: str | None = None) -> str:
    """This page (``clean_url`` where the address holds a secret) with ``?lang=code``; the
    other query parameters stay. A secret in the path (an owner's link, a reset token) never
    reaches the page: the link goes to the page without it (``/antwort``, ``/passwort-neu``)."""
    path = clean_url or log_masking.without_secret(request.path)
    args = [
        (k, v)
        for k, v in request.args.items(multi=True)
        if k != "lang" and len(k) <= LANG_ARG_MAX and len(v) <= LANG_ARG_MAX
    ]
    return path + "?" + urlencode([*args, ("lang", code)])


def town_info_url(kind: str, town: Municipality | None) -> str:
    """The address of page ``kind`` of ``town`` (None: the first town's)."""
    ags = texts.page_ags(db.session, town) if town is not None and town.id else None
    return url_for(ENDPOINTS[kind], ags=ags)


@bp.app_context_processor
def _info_context():
    return {"info_links": info_links, "lang_url": lang_url, "town_info_url": town_info_url}
