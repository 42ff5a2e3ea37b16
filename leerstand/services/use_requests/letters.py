"""Printable letters (A4, German) for use requests sent by post.

A letter carries the answer code in print (``XXXX-XXXX-XXXX``) and as a QR code (segno, inline
SVG) that opens ``/antwort/<CODE>``. The code is not stored, so a letter can only be shown
right after the request was created or reissued. It greets the owner by salutation
(``owners.owner_greeting``) and ends with a reply slip (Antwortbogen) on its own page for
owners without internet: it names the request by its reference number, never the code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import segno
from markupsafe import Markup
from sqlalchemy.orm import object_session

from leerstand.dates import local_date
from leerstand.links import absolute_url
from leerstand.messages import Text
from leerstand.models import Municipality
from leerstand.services.owners.service import owner_greeting
from leerstand.services.towns.texts import privacy_url
from leerstand.services.use_requests.mail import municipality_of
from leerstand.services.use_requests.send import Issued, reference
from leerstand.services.use_requests.tokens import format_code, normalise_code

QR_OPTIONS = {"error": "m", "micro": False}
QR_SVG_OPTIONS = {"scale": 4, "border": 4, "svgclass": "qr", "lineclass": None, "omitsize": True}


def qr_svg(data: str) -> Markup:
    """An inline SVG QR code of ``data`` (no style attributes: fits the CSP)."""
    return Markup(segno.make(data, **QR_OPTIONS).svg_inline(**QR_SVG_OPTIONS))


@dataclass
class Letter:
    issued: Issued
    municipality: Municipality
    code: str  # formatted for print
    form_url: str  # /antwort, where the code is typed
    direct_url: str  # /antwort/<CODE>, in the QR code
    qr: Markup
    dated: date
    valid_until: date
    greeting: Text
    reference: str
    privacy_url: str  # the town's privacy notice (Art. 14 DSGVO)

    @property
    def request(self):
        return self.issued.request


def letter_for(issued: Issued) -> Letter:
    code = normalise_code(issued.secret) or issued.secret
    direct_url = absolute_url("owner.answer", secret=code)
    return Letter(
        issued=issued,
        municipality=municipality_of(issued.request),
        code=format_code(code),
        form_url=absolute_url("owner.code"),
        direct_url=direct_url,
        qr=qr_svg(direct_url),
        dated=local_date(issued.request.sent_at),
        valid_until=local_date(issued.request.expires_at),
        greeting=owner_greeting(issued.request.owner),
        reference=reference(issued.request),
        privacy_url=privacy_url(object_session(issued.request), municipality_of(issued.request)),
    )


def letters_for(issued: list[Issued]) -> list[Letter]:
    return [letter_for(item) for item in issued if item.request.channel == "letter"]
