"""Photos and documents of units and buildings (``media_file``) and the keys of deleted files
waiting to be removed from the store (``media_trash``).

A row trigger notes the store keys of every deleted ``media_file`` row (its own delete, or the
cascade of a deleted unit or building) in ``media_trash``, in the deleting transaction: the
files are removed after the commit (``services.media.storage.purge_trash``), never while a
rollback could still bring the row back. ``media_file`` joins the tables whose writes move the
public change counter (migration 0018): the public unit properties carry the cover photo.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 08:20:00
"""

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

TABLES = """
CREATE TABLE media_file (
    id SERIAL NOT NULL,
    unit_id INTEGER,
    building_id INTEGER,
    kind VARCHAR(20) NOT NULL,
    document_kind VARCHAR(20),
    mime VARCHAR(40) NOT NULL,
    file_key VARCHAR(80) NOT NULL,
    thumb_key VARCHAR(80),
    width INTEGER,
    height INTEGER,
    size_bytes INTEGER NOT NULL,
    file_name VARCHAR(200) NOT NULL,
    caption TEXT NOT NULL,
    taken_on DATE,
    position INTEGER NOT NULL,
    is_cover BOOLEAN NOT NULL,
    public BOOLEAN NOT NULL,
    source VARCHAR(20) NOT NULL,
    created_by_id INTEGER,
    municipality_id INTEGER NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_media_file PRIMARY KEY (id),
    CONSTRAINT ck_media_file_one_parent CHECK ((unit_id IS NULL) <> (building_id IS NULL)),
    CONSTRAINT ck_media_file_kind CHECK (kind IN ('photo', 'document')),
    CONSTRAINT ck_media_file_doc_kind CHECK (document_kind IS NULL OR document_kind IN ('floor_plan', 'expert_report', 'agreement', 'other')),
    CONSTRAINT ck_media_file_source CHECK (source IN ('staff', 'report')),
    CONSTRAINT ck_media_file_mime CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
    CONSTRAINT ck_media_file_photo_is_image CHECK (kind = 'document' OR mime LIKE 'image/%'),
    CONSTRAINT ck_media_file_cover_is_photo CHECK (NOT is_cover OR kind = 'photo'),
    CONSTRAINT fk_media_file_unit_id_unit FOREIGN KEY(unit_id) REFERENCES unit (id) ON DELETE CASCADE,
    CONSTRAINT fk_media_file_building_id_building FOREIGN KEY(building_id) REFERENCES building (id) ON DELETE CASCADE,
    CONSTRAINT uq_media_file_file_key UNIQUE (file_key),
    CONSTRAINT uq_media_file_thumb_key UNIQUE (thumb_key),
    CONSTRAINT fk_media_file_created_by_id_app_user FOREIGN KEY(created_by_id) REFERENCES app_user (id) ON DELETE SET NULL,
    CONSTRAINT fk_media_file_municipality_id_municipality FOREIGN KEY(municipality_id) REFERENCES municipality (id)
);
CREATE INDEX ix_media_file_building_id ON media_file (building_id);
CREATE INDEX ix_media_file_municipality_id ON media_file (municipality_id);
CREATE INDEX ix_media_file_unit_id ON media_file (unit_id);
CREATE UNIQUE INDEX ux_media_file_building_cover ON media_file (building_id) WHERE is_cover AND building_id IS NOT NULL;
CREATE UNIQUE INDEX ux_media_file_unit_cover ON media_file (unit_id) WHERE is_cover AND unit_id IS NOT NULL;
CREATE TABLE media_trash (
    key VARCHAR(80) NOT NULL,
    deleted_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_media_trash PRIMARY KEY (key)
);
"""

TRIGGERS = """
CREATE FUNCTION leerstand_media_trash() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO media_trash (key)
        SELECT k FROM unnest(ARRAY[OLD.file_key, OLD.thumb_key]) AS k WHERE k IS NOT NULL
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER media_file_trash AFTER DELETE ON media_file
    FOR EACH ROW EXECUTE FUNCTION leerstand_media_trash();
CREATE TRIGGER media_file_public_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON media_file FOR EACH STATEMENT EXECUTE FUNCTION leerstand_public_change_note();
"""


def upgrade():
    op.execute(TABLES)
    op.execute(TRIGGERS)


def downgrade():
    op.execute("DROP TABLE media_trash, media_file")
    op.execute("DROP FUNCTION leerstand_media_trash()")
