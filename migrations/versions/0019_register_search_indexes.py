"""Indexes for the register at a million units: its address order and its text search.

The register page sorts by street, house number as a number, house number and id, and searches
street + house number, place and unit name with ILIKE '%…%'. At 1,000,000 units
(scripts/bench_register.py) that read the whole table: the default page 900 ms, the last page
1.2 s, a search 2.9 s. A B-tree on the order's very expressions (``search.house_number()``,
constants inline) serves the first and last pages (3 ms each), trigram indexes (pg_trgm, a
trusted extension since PostgreSQL 13) the search. The expressions must stay identical to
``leerstand/services/register/search.py``'s ``house_number`` and ``address``.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 06:30:00
"""

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

HOUSE_NUMBER = "(NULLIF(regexp_replace(house_number, '\\D', '', 'g'), '')::integer)"
ADDRESS = "(street || CASE WHEN house_number = '' THEN '' ELSE ' ' || house_number END)"


def upgrade():
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(
        "CREATE INDEX ix_building_address ON building"
        f" (municipality_id, street, {HOUSE_NUMBER}, house_number, id)"
    )
    op.execute(
        f"CREATE INDEX ix_building_address_trgm ON building USING gin ({ADDRESS} gin_trgm_ops)"
    )
    op.execute("CREATE INDEX ix_building_place_trgm ON building USING gin (place gin_trgm_ops)")
    op.execute("CREATE INDEX ix_unit_name_trgm ON unit USING gin (name gin_trgm_ops)")


def downgrade():
    for name in ("ix_unit_name_trgm", "ix_building_place_trgm", "ix_building_address_trgm",
                 "ix_building_address"):  # fmt: skip
        op.execute(f"DROP INDEX IF EXISTS {name}")
