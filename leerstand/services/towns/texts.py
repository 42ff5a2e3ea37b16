"""A town's information pages: Impressum, Datenschutzerklärung and Erklärung zur
Barrierefreiheit. Each is the admin's own text (``Municipality.imprint_text`` …) or, while that
is None, a shipped German default filled with the town's settings (a sentence whose value is
missing is left out, never shown with an empty placeholder; see ``defaults``).

Texts are plain text: paragraphs separated by blank lines, a line starting with "## " is a
heading, a paragraph whose lines all start with "- " is a list. ``blocks`` turns a text into
those parts (web addresses and e-mail addresses become link segments); the template escapes
every piece, so no HTML from the database reaches a page. ``update`` stores the admin's texts
(empty or "Standardtext verwenden": None) and audits the change; the caller commits."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leerstand.links import absolute_url
from leerstand.messages import Text
from leerstand.models import Municipality
from leerstand.services import forms
from leerstand.services.audit.log import save_with_audit
from leerstand.services.errors import ServiceError
from leerstand.services.towns.defaults import DEFAULTS, Retention
from leerstand.vocab import german

__all__ = ["KINDS", "MAX_LENGTH", "Block", "Retention", "blocks", "text_of", "update"]

# kind (the page): (column, title)
KINDS = {
    "imprint": ("imprint_text", _l("Impressum")),
    "privacy": ("privacy_text", _l("Datenschutzerklärung")),
    "accessibility": ("accessibility_text", _l("Erklärung zur Barrierefreiheit")),
}
MAX_LENGTH = 20_000
LINK_RE = re.compile(
    r"(https?://[^\s<>\"']*[^\s<>\"'.,;:!?)\]]|[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,})"
)


@dataclass
class Block:
    kind: str  # "heading", "paragraph" or "list"
    lines: list[list[tuple[str, str | None]]] = field(default_factory=list)
    # each line: segments (text, link target or None)


def is_default(town: Municipality, kind: str) -> bool:
    return getattr(town, KINDS[kind][0]) is None


def text_of(town: Municipality, kind: str, retention: Retention, tile_host: str | None) -> str:
    """The text of page ``kind``: the town's own, else the default with the town's data."""
    own = getattr(town, KINDS[kind][0])
    if own is not None:
        return own
    return DEFAULTS[kind](town, retention, tile_host)


def _segments(line: str) -> list[tuple[str, str | None]]:
    """A line as text and link segments: https?:// addresses and e-mail addresses link."""
    out: list[tuple[str, str | None]] = []
    for index, part in enumerate(LINK_RE.split(line)):
        if not part:
            continue
        if index % 2 == 0:
            out.append((part, None))
        else:
            out.append((part, part if "://" in part else f"mailto:{part}"))
    return out


def _block(paragraph: list[str]) -> list[Block]:
    if all(line.startswith("- ") for line in paragraph):
        return [Block("list", [_segments(line[2:].strip()) for line in paragraph])]
    out, lines = [], []
    for line in paragraph:
        if line.startswith("## "):
            if lines:
                out.append(Block("paragraph", lines))
                lines = []
            out.append(Block("heading", [_segments(line[3:].strip())]))
        else:
            lines.append(_segments(line))
    if lines:
        out.append(Block("paragraph", lines))
    return out


def blocks(text: str) -> list[Block]:
    """The text as headings, paragraphs (with their line breaks) and lists."""
    out: list[Block] = []
    paragraph: list[str] = []
    for raw in text.replace("\r\n", "\n").split("\n") + [""]:
        line = raw.rstrip()
        if line.strip():
            paragraph.append(line.strip())
        elif paragraph:
            out.extend(_block(paragraph))
            paragraph = []
    return out


def form_values(town: Municipality, retention: Retention, tile_host: str | None) -> dict:
    """The form: each text (the default while none is stored) and its "use the default" box."""
    values = {}
    for kind in KINDS:
        values[kind] = text_of(town, kind, retention, tile_host)
        values[f"default_{kind}"] = "1" if is_default(town, kind) else ""
    return values


def _new_text(
    values: Mapping, kind: str, default: str, title
) -> str | None:  # title: the page's name
    title = Text(german({kind: title}, kind))  # the msgid: translated with the message
    own = forms.text(values, kind, MAX_LENGTH, title).replace("\r\n", "\n")
    if not forms.flag(values, f"default_{kind}"):
        return own or None
    if own and own.split() != default.split():
        raise ServiceError(
            Text(
                "„%(what)s“: Sie haben den Text geändert, aber „Standardtext verwenden“ ist "
                "angekreuzt. Entfernen Sie den Haken, um Ihren Text zu speichern, oder "
                "lassen Sie den Haken gesetzt, um den Standardtext zu verwenden.",
                what=title,
            )
        )
    return None


def update(
    session: Session,
    town: Municipality,
    user_id: int,
    values: Mapping,
    retention: Retention,
    tile_host: str | None,
) -> dict:
    """Check all three texts, then store and audit them; returns the changes ({}: none)."""
    new = {}
    for kind, (column, title) in KINDS.items():
        default = DEFAULTS[kind](town, retention, tile_host)
        new[column] = _new_text(values, kind, default, title)
    for column, value in new.items():
        if getattr(town, column) != value:
            setattr(town, column, value)
    return save_with_audit(session, user_id, town)


def page_ags(session: Session, town: Municipality) -> str | None:
    """The AGS in the address of the town's public pages: None for the first town (``/``,
    ``/datenschutz``), else its AGS (``/k/<AGS>/…``)."""
    first = session.scalar(select(func.min(Municipality.id)))
    return None if town.id == first else town.ags


def privacy_url(session: Session, town: Municipality) -> str:
    """The absolute address of the town's privacy notice (from BASE_URL), for mails and letters."""
    return absolute_url("public.privacy", ags=page_ags(session, town))
