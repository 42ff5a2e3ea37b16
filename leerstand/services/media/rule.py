"""The consent part of the public rule for photos, as SQL without imports (so the public
properties in ``services.public.fields`` can use it without an import circle).

Photos of a building and its units may be shown when the building has at least one owner
(not a manager) and every such owner is the municipality itself or has an active ``photos``
consent: one co-owner's missing or withdrawn consent (or an erasure, which withdraws all
consents) hides them at once. ``visibility`` adds the unit part (``UNIT_IS_PUBLIC``).
``{building}`` is the SQL of the building id."""

PHOTOS_ALLOWED = """(EXISTS (
        SELECT 1 FROM ownership po WHERE po.building_id = {building} AND po.role <> 'manager')
    AND NOT EXISTS (
        SELECT 1 FROM ownership po JOIN owner pw ON pw.id = po.owner_id
        WHERE po.building_id = {building} AND po.role <> 'manager' AND NOT pw.is_municipality
          AND NOT EXISTS (
              SELECT 1 FROM consent pc
              WHERE pc.owner_id = pw.id AND pc.scope = 'photos'
                AND pc.given_at IS NOT NULL AND pc.withdrawn_at IS NULL)))"""

# the public cover thumbnail's URL of the public unit ``u`` (its own cover, else its
# building's), or NULL; ``%(photo_url)s`` is the thumbnail URL with ``{id}``. Both look-ups
# use the partial unique indexes of the covers; the consent is asked only when there is a
# cover (CASE keeps that order; a WHERE would let the planner ask it first for every unit).
COVER_PHOTO_URL = f"""(SELECT CASE
        WHEN cover.id IS NULL THEN NULL
        WHEN {PHOTOS_ALLOWED.format(building="u.building_id")}
        THEN replace(%(photo_url)s::text, '{{id}}', cover.id::text) END
    FROM (SELECT coalesce(
        (SELECT cm.id FROM media_file cm WHERE cm.is_cover AND cm.unit_id = u.id),
        (SELECT cm.id FROM media_file cm WHERE cm.is_cover AND cm.building_id = u.building_id)
    ) AS id) cover)"""
