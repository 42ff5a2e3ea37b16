"""The one explicit, audited erasure path through the append-only logs (Art. 17 DSGVO).

``contact_event``, ``audit_event`` and ``access_event`` stay append-only: the trigger function
``leerstand_append_only()`` still refuses every DELETE and every UPDATE, with one exception.
While the transaction-local setting ``leerstand.erasure`` names an owner id, an UPDATE is let
through when

- the row belongs to that owner (a contact event of one of the owner's contact cases; an audit
  event about the owner, one of the owner's contact cases, use requests or consents), and
- only the personal columns change (``contact_event.summary`` / ``outcome``,
  ``audit_event.changes``); ids, dates, states, actions and actors stay as they were.

The setting is made only by ``leerstand_erase_owner(owner_id, actor_id)``, which blanks the
names and free texts of those rows, clears the setting again and writes one audit event
"erased" (who, when, which owner id, no personal value). The owner record itself and the other
tables (consent, use_request) are plain tables and are changed by the service
(``leerstand.services.privacy.erasure``) in the same transaction. Retention uses
``leerstand_erase_case_texts(case_id)`` the same way for one declined contact case.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 02:00:00
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# keys of audit_event.changes that hold personal values (owner fields, free texts)
PERSONAL_KEYS = (
    "name",
    "contact_person",
    "street",
    "postcode",
    "city",
    "email",
    "phone",
    "notes",
    "message",
    "answer_message",
    "contact",
    "summary",
    "outcome",
)
ERASED = "gelöscht"

AUDIT_OWNER = """
CREATE FUNCTION leerstand_audit_owner(p_entity text, p_entity_id integer) RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT CASE p_entity
        WHEN 'owner' THEN p_entity_id
        WHEN 'contact_case' THEN (SELECT owner_id FROM contact_case WHERE id = p_entity_id)
        WHEN 'use_request' THEN (SELECT owner_id FROM use_request WHERE id = p_entity_id)
        WHEN 'consent' THEN (SELECT owner_id FROM consent WHERE id = p_entity_id)
    END
$$
"""

SCRUB = f"""
CREATE FUNCTION leerstand_scrub_changes(p_changes jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(jsonb_object_agg(
        key,
        CASE
            WHEN key <> ALL (ARRAY[{", ".join(f"'{k}'" for k in PERSONAL_KEYS)}]) THEN value
            WHEN jsonb_typeof(value) = 'array' THEN (
                SELECT coalesce(jsonb_agg(
                    CASE WHEN item = 'null'::jsonb OR item = '""'::jsonb THEN item
                         ELSE to_jsonb('{ERASED}'::text) END ORDER BY n), '[]'::jsonb)
                FROM jsonb_array_elements(value) WITH ORDINALITY AS t(item, n))
            WHEN value = 'null'::jsonb THEN value
            ELSE to_jsonb('{ERASED}'::text)
        END), '{{}}'::jsonb)
    FROM jsonb_each(p_changes)
$$
"""

GUARD = """
CREATE OR REPLACE FUNCTION leerstand_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    marker text := nullif(current_setting('leerstand.erasure', true), '');
BEGIN
    IF TG_OP = 'UPDATE' AND marker IS NOT NULL THEN
        IF TG_TABLE_NAME = 'contact_event' THEN
            IF (SELECT owner_id::text FROM contact_case WHERE id = OLD.case_id) = marker
               AND (NEW.id, NEW.case_id, NEW.occurred_on, NEW.direction, NEW.created_at)
                   = (OLD.id, OLD.case_id, OLD.occurred_on, OLD.direction, OLD.created_at)
               AND NEW.channel IS NOT DISTINCT FROM OLD.channel
               AND NEW.from_state IS NOT DISTINCT FROM OLD.from_state
               AND NEW.to_state IS NOT DISTINCT FROM OLD.to_state
               AND NEW.user_id IS NOT DISTINCT FROM OLD.user_id THEN
                RETURN NEW;
            END IF;
        ELSIF TG_TABLE_NAME = 'audit_event' THEN
            IF leerstand_audit_owner(OLD.entity, OLD.entity_id)::text = marker
               AND (NEW.id, NEW.municipality_id, NEW.at, NEW.action, NEW.entity, NEW.entity_id)
                   = (OLD.id, OLD.municipality_id, OLD.at, OLD.action, OLD.entity, OLD.entity_id)
               AND NEW.user_id IS NOT DISTINCT FROM OLD.user_id THEN
                RETURN NEW;
            END IF;
        END IF;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$
"""

ERASE = f"""
CREATE FUNCTION leerstand_erase_owner(p_owner integer, p_actor integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    town integer;
    touched integer := 0;
    n integer;
BEGIN
    SELECT municipality_id INTO town FROM owner WHERE id = p_owner;
    IF town IS NULL THEN
        RAISE EXCEPTION 'owner % does not exist', p_owner USING ERRCODE = 'no_data_found';
    END IF;
    PERFORM set_config('leerstand.erasure', p_owner::text, true);
    UPDATE contact_event SET summary = '{ERASED}', outcome = ''
     WHERE case_id IN (SELECT id FROM contact_case WHERE owner_id = p_owner)
       AND (summary <> '{ERASED}' OR outcome <> '');
    GET DIAGNOSTICS n = ROW_COUNT;
    touched := touched + n;
    UPDATE audit_event SET changes = leerstand_scrub_changes(changes)
     WHERE leerstand_audit_owner(entity, entity_id) = p_owner
       AND changes <> leerstand_scrub_changes(changes);
    GET DIAGNOSTICS n = ROW_COUNT;
    touched := touched + n;
    PERFORM set_config('leerstand.erasure', '', true);
    INSERT INTO audit_event (municipality_id, user_id, action, entity, entity_id, changes)
    VALUES (town, p_actor, 'erased', 'owner', p_owner, '{{}}'::jsonb);
    RETURN touched;
END $$
"""

# retention: the texts of one contact case's events (a declined contact after N years)
ERASE_CASE = f"""
CREATE FUNCTION leerstand_erase_case_texts(p_case integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    PERFORM set_config(
        'leerstand.erasure', (SELECT owner_id::text FROM contact_case WHERE id = p_case), true);
    UPDATE contact_event SET summary = '{ERASED}', outcome = ''
     WHERE case_id = p_case AND (summary <> '{ERASED}' OR outcome <> '');
    GET DIAGNOSTICS n = ROW_COUNT;
    UPDATE audit_event SET changes = leerstand_scrub_changes(changes)
     WHERE entity = 'contact_case' AND entity_id = p_case
       AND changes <> leerstand_scrub_changes(changes);
    PERFORM set_config('leerstand.erasure', '', true);
    RETURN n;
END $$
"""

ORIGINAL_GUARD = """
CREATE OR REPLACE FUNCTION leerstand_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$
"""


def upgrade():
    op.execute(AUDIT_OWNER)
    op.execute(SCRUB)
    op.execute(GUARD)
    op.execute(ERASE)
    op.execute(ERASE_CASE)


def downgrade():
    op.execute("DROP FUNCTION IF EXISTS leerstand_erase_case_texts(integer)")
    op.execute("DROP FUNCTION IF EXISTS leerstand_erase_owner(integer, integer)")
    op.execute(ORIGINAL_GUARD)
    op.execute("DROP FUNCTION IF EXISTS leerstand_scrub_changes(jsonb)")
    op.execute("DROP FUNCTION IF EXISTS leerstand_audit_owner(text, integer)")
