"""The demo's photos and citizens' reports (``leerstand.seed.media``) on a scratch town seeded
inside the rolled-back test transaction: covers for five public units whose owners all agreed,
shown in the public API's ``photo``; the files re-encoded in the store; two open reports in the
queue, one of them about 20 m from a public unit, so staff see it as a possible duplicate."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image
from sqlalchemy import select, text

from leerstand.models import MediaFile, VacancyReport
from leerstand.seed import seed
from leerstand.seed.media import create_photos, create_reports, shop_front
from leerstand.services.media.storage import DiskStore

SCRATCH_AGS = "15085998"
TODAY = date(2026, 12, 1)


def test_demo_photos_and_reports(session, base, tmp_path):
    town = seed(session, ags=SCRATCH_AGS, name="Demo (Fotos)", echo=lambda _l: None, today=TODAY)
    town = town.municipality
    store = DiskStore(tmp_path)
    assert create_photos(session, town.id, store, base.staff.id, TODAY) == 5
    covers = session.scalars(
        select(MediaFile).where(MediaFile.municipality_id == town.id, MediaFile.is_cover)
    ).all()
    assert len(covers) == 5
    public = session.execute(
        text(
            "SELECT count(*) FROM media_file m JOIN unit u ON u.id = m.unit_id"
            " WHERE m.municipality_id = :m AND NOT EXISTS ("
            "   SELECT 1 FROM ownership o JOIN owner w ON w.id = o.owner_id"
            "   WHERE o.building_id = u.building_id AND o.role <> 'manager'"
            "     AND NOT w.is_municipality AND NOT EXISTS (SELECT 1 FROM consent c"
            "       WHERE c.owner_id = w.id AND c.scope = 'photos' AND c.withdrawn_at IS NULL))"
        ),
        {"m": town.id},
    ).scalar()
    assert public == 5  # every owner of each of them agreed (or is the town)
    with Image.open(io.BytesIO(store.get(covers[0].file_key))) as stored:
        assert stored.format == "JPEG" and stored.size == (960, 640)
        assert not stored.getexif()

    assert create_reports(session, town.id, store, "geheim", TODAY) == 2
    found = session.scalars(
        select(VacancyReport).where(VacancyReport.municipality_id == town.id)
    ).all()
    assert [(r.status, r.kind, r.email) for r in found] == [
        ("new", "shop", None),
        ("new", "flat", None),
    ]
    distance = session.execute(
        text(
            "SELECT min(ST_Distance(r.location::geography, b.location::geography))"
            " FROM vacancy_report r, building b WHERE r.id = :r AND b.municipality_id = :m"
        ),
        {"r": found[0].id, "m": town.id},
    ).scalar()
    assert 15 < distance < 25  # about 20 m: a possible duplicate of that building's unit


def test_the_drawn_shop_front_is_a_jpeg():
    data = shop_front("#e8d9b5")
    assert data[:3] == b"\xff\xd8\xff"
