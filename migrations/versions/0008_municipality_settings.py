"""A town's own settings, edited by its admins: the contact person, the map's centre and zoom,
its tile server, and which role may import files.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 00:10:00
"""

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("municipality", sa.Column("contact_person", sa.String(length=120), nullable=True))
    op.add_column(
        "municipality",
        sa.Column(
            "map_centre",
            Geometry(geometry_type="POINT", srid=4326, spatial_index=False),
            nullable=True,
        ),
    )
    op.add_column("municipality", sa.Column("map_zoom", sa.SmallInteger(), nullable=True))
    op.add_column("municipality", sa.Column("tile_url", sa.String(length=300), nullable=True))
    op.add_column(
        "municipality", sa.Column("tile_attribution", sa.String(length=300), nullable=True)
    )
    op.add_column(
        "municipality",
        sa.Column("import_role", sa.String(length=10), server_default="staff", nullable=False),
    )
    op.create_check_constraint(
        op.f("ck_municipality_import_role"), "municipality", "import_role IN ('staff', 'admin')"
    )
    op.create_check_constraint(
        op.f("ck_municipality_map_zoom"),
        "municipality",
        "map_zoom IS NULL OR map_zoom BETWEEN 1 AND 19",
    )


def downgrade():
    op.drop_constraint(op.f("ck_municipality_map_zoom"), "municipality", type_="check")
    op.drop_constraint(op.f("ck_municipality_import_role"), "municipality", type_="check")
    for column in (
        "import_role",
        "tile_attribution",
        "tile_url",
        "map_zoom",
        "map_centre",
        "contact_person",
    ):
        op.drop_column("municipality", column)
