"""Columns that store a code of a vocabulary (``leerstand/vocab.py``) get a CHECK constraint,
so that a code outside the vocabulary is refused by the database, not only by the forms.

The models build the same constraints from vocab (``vocab.in_vocab``); they are written out here
so that this migration keeps doing the same when the vocabulary changes later. A later change of
a vocabulary needs a new migration that drops and re-adds its constraint.

Before adding a constraint the upgrade looks for rows outside it and stops with a message that
names the table, the column and the unknown codes, so nothing is changed behind anyone's back.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# (table, constraint name without the ck_<table>_ prefix, condition)
CHECKS = (
    ("app_user", "role",
     "role IN ('admin', 'staff', 'viewer')"),
    ("building", "condition",
     "condition IS NULL OR condition IN ('good', 'fair', 'poor', 'ruin')"),
    ("unit", "kind",
     "kind IN ('shop', 'office', 'gastro', 'flat', 'hall', 'workshop', 'whole_building', 'other')"),
    ("unit", "owner_expectation",
     "owner_expectation IN ('unknown', 'rent', 'costs_only', 'free')"),
    ("unit", "vacancy_state",
     "vacancy_state IN ('vacant', 'partly_vacant', 'vacancy_expected', 'interim_use', 'occupied')"),
    ("owner", "kind",
     "kind IN ('person', 'company', 'heirs', 'public', 'church', 'association')"),
    ("owner", "preferred_channel",
     "preferred_channel IN ('letter', 'email', 'phone', 'visit', 'meeting', 'online')"),
    ("ownership", "role",
     "role IN ('owner', 'co_owner', 'manager', 'heir')"),
    ("consent", "channel",
     "channel IN ('letter', 'email', 'phone', 'visit', 'meeting', 'online')"),
    ("consent", "scope",
     "scope IN ('public_map', 'share_contact', 'photos', 'email_contact')"),
    ("contact_case", "state",
     "state IN ('not_contacted', 'contacted', 'in_dialogue', 'open_to_interim_use', 'declined',"
     " 'agreement', 'closed', 'unreachable')"),
    ("contact_event", "channel",
     "channel IS NULL OR channel IN ('letter', 'email', 'phone', 'visit', 'meeting', 'online')"),
    ("contact_event", "direction",
     "direction IN ('out', 'in', 'internal')"),
    ("contact_event", "from_state",
     "from_state IS NULL OR from_state IN ('not_contacted', 'contacted', 'in_dialogue',"
     " 'open_to_interim_use', 'declined', 'agreement', 'closed', 'unreachable')"),
    ("contact_event", "to_state",
     "to_state IS NULL OR to_state IN ('not_contacted', 'contacted', 'in_dialogue',"
     " 'open_to_interim_use', 'declined', 'agreement', 'closed', 'unreachable')"),
    ("proposal", "budget_kind",
     "budget_kind IN ('nothing', 'costs_only', 'rent')"),
    ("proposal", "location_kind",
     "location_kind IN ('point', 'area', 'districts', 'unit')"),
    ("proposal", "state",
     "state IN ('draft', 'submitted', 'published', 'rejected', 'matched', 'realised', 'withdrawn',"
     " 'expired')"),
    ("proposal", "use_kind",
     "use_kind IN ('popup', 'exhibition', 'youth', 'club', 'atelier', 'cafe', 'workshop', 'events',"
     " 'office', 'other')"),
)  # fmt: skip


class UnknownCodesError(RuntimeError):
    pass


def unknown_codes(connection, table: str, column: str, condition: str) -> list[tuple[str, int]]:
    """(code, rows) of the values in ``table.column`` that the condition refuses."""
    rows = connection.execute(
        sa.text(
            f"SELECT {column}::text AS code, count(*) AS n FROM {table}"
            f" WHERE NOT ({condition}) GROUP BY 1 ORDER BY 1"
        )
    ).all()
    return [(row.code, row.n) for row in rows]


def check_data(connection) -> None:
    """Stops with every table, column and unknown code before anything is changed."""
    problems = []
    for table, column, condition in CHECKS:
        found = unknown_codes(connection, table, column, condition)
        if found:
            codes = ", ".join(f"'{code}' ({n}×)" for code, n in found)
            problems.append(f"{table}.{column}: {codes}")
    if problems:
        raise UnknownCodesError(
            "Migration 0006: Diese Spalten enthalten Codes, die nicht im Vokabular"
            " (leerstand/vocab.py) stehen: "
            + "; ".join(problems)
            + ". Bitte die Zeilen auf einen gültigen Code ändern (oder den Code ins Vokabular"
            " aufnehmen) und die Migration erneut ausführen."
        )


def upgrade():
    check_data(op.get_bind())
    for table, column, condition in CHECKS:
        op.create_check_constraint(op.f(f"ck_{table}_{column}"), table, condition)


def downgrade():
    for table, column, _condition in reversed(CHECKS):
        op.drop_constraint(op.f(f"ck_{table}_{column}"), table, type_="check")
