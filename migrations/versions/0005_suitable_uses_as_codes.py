"""A unit's "Geeignet für" (``unit.suitable_uses``) holds codes of the use vocabulary
(``vocab.USE_KINDS``) instead of free text: German labels and common words are mapped to
codes (case-insensitive); words without a code are kept in ``internal_notes`` as
"Geeignet für (alt): …" so that nothing is lost.

The mapping is written out here (not imported from vocab) so that this migration keeps doing
the same when the vocabulary changes later. Downgrade keeps the codes (they are valid text).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CODES = (
    "popup", "exhibition", "youth", "club", "atelier", "cafe", "workshop", "events", "office",
    "other",
)  # fmt: skip
# lower-case word → code; the codes themselves map to themselves
WORDS = {
    "pop-up-laden": "popup", "pop-up": "popup", "popup-laden": "popup", "pop up": "popup",
    "pop-up-store": "popup", "popup-store": "popup", "laden": "popup", "ladengeschäft": "popup",
    "einzelhandel": "popup", "verkauf": "popup",
    "ausstellung": "exhibition", "ausstellungen": "exhibition", "galerie": "exhibition",
    "schaufenster": "exhibition", "kunst": "exhibition",
    "jugendraum": "youth", "jugend": "youth", "jugendtreff": "youth", "jugendclub": "youth",
    "jugendarbeit": "youth",
    "vereinsraum": "club", "verein": "club", "vereine": "club", "vereinsheim": "club",
    "atelier": "atelier", "ateliers": "atelier", "künstleratelier": "atelier",
    "café / treffpunkt": "cafe", "café": "cafe", "kaffee": "cafe", "treffpunkt": "cafe",
    "begegnung": "cafe", "begegnungsstätte": "cafe", "nachbarschaftstreff": "cafe",
    "werkstatt / repair-café": "workshop", "werkstatt": "workshop", "repair-café": "workshop",
    "repair-cafe": "workshop", "repaircafé": "workshop", "repair café": "workshop",
    "handwerk": "workshop",
    "veranstaltungen": "events", "veranstaltung": "events", "veranstaltungsraum": "events",
    "event": "events", "feiern": "events", "kultur": "events", "konzerte": "events",
    "büro / coworking": "office", "büro": "office", "buero": "office", "coworking": "office",
    "co-working": "office", "büros": "office",
    "sonstiges": "other", "sonstige": "other",
}  # fmt: skip
NOTE_PREFIX = "Geeignet für (alt): "


def map_uses(words: list[str]) -> tuple[list[str], list[str]]:
    """(codes in vocabulary order, words without a code in their order, without repeats)."""
    codes, unknown = set(), []
    for word in words:
        key = " ".join(str(word).split()).casefold()
        code = key if key in CODES else WORDS.get(key)
        if code:
            codes.add(code)
        elif key and word.strip() not in unknown:
            unknown.append(word.strip())
    return [c for c in CODES if c in codes], unknown


def with_note(notes: str | None, unknown: list[str]) -> str:
    notes = notes or ""
    if not unknown:
        return notes
    line = NOTE_PREFIX + ", ".join(unknown)
    return f"{notes.rstrip()}\n{line}" if notes.strip() else line


def migrate_rows(connection) -> int:
    """Rewrite every unit whose suitable_uses are not all codes; returns the rows changed.
    Does not touch ``version`` or ``updated_at``: the content did not change."""
    rows = connection.execute(
        sa.text(
            "SELECT id, suitable_uses, internal_notes FROM unit"
            " WHERE NOT (suitable_uses <@ CAST(:codes AS varchar[]))"
        ),
        {"codes": list(CODES)},
    ).all()
    for row in rows:
        codes, unknown = map_uses(list(row.suitable_uses))
        connection.execute(
            sa.text(
                "UPDATE unit SET suitable_uses = :uses, internal_notes = :notes WHERE id = :id"
            ),
            {"uses": codes, "notes": with_note(row.internal_notes, unknown), "id": row.id},
        )
    return len(rows)


def upgrade():
    migrate_rows(op.get_bind())


def downgrade():
    pass
