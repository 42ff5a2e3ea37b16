"""No cache keeps a photo after its consent is withdrawn: the public change counter (and so
every ETag of the GeoJSON, the OGC API and the cached tiles) moves at the commit of a consent
change and of every photo change. Commits for real (the counter moves only at COMMIT); the
tables are emptied afterwards."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from leerstand.db import db
from leerstand.models import Consent, MediaFile, Municipality
from leerstand.services.media import photos
from leerstand.services.media.storage import DiskStore
from leerstand.services.public.changes import counter
from tests import factories as f
from tests.conftest import make_app, truncate_volatile
from tests.media_files import png

UNITS = "/api/units.geojson"
TILE = "/tiles/units/17/69623/43460.mvt"


@pytest.fixture
def live(session, tmp_path):
    app = make_app(MEDIA_STORE="disk", MEDIA_DIR=str(tmp_path / "media"))
    engine = app.extensions["leerstand_db"]
    db.session.remove()  # leave the rolled-back test transaction
    db.sessionmaker.configure(bind=None, join_transaction_mode="conditional_savepoint")
    truncate_volatile(engine)
    try:
        with app.app_context():
            yield app, DiskStore(tmp_path / "media")
    finally:
        db.session.remove()
        truncate_volatile(engine)
        engine.dispose()


def test_consent_and_photo_changes_move_the_counter_and_the_etags(live):
    app, store = live
    s = db.session
    muni = s.scalar(select(Municipality).where(Municipality.ags == "15085040"))
    owner = f.owner(s, muni)
    f.consent(s, owner)
    building = f.building(s, muni)
    f.ownership(s, building, owner)
    unit = f.unit(s, building, publishable=True)
    consent = f.consent(s, owner, scope="photos")
    photo = photos.add_unit_photo(
        s, store, unit_id=unit.id, data=png(), caption="", taken_on=None, user_id=None
    )
    s.commit()
    client = app.test_client()
    photo_id = photo.id
    before = counter(s)
    s.rollback()
    first = client.get(UNITS)
    assert first.get_json()["features"][0]["properties"]["photo"].endswith(f"/{photo_id}/vorschau")
    tile_tag = client.get(TILE).headers["ETag"]

    s.get(Consent, consent.id).withdrawn_at = datetime.now(UTC)
    s.commit()
    after_withdrawal = counter(s)
    s.rollback()
    assert after_withdrawal != before
    second = client.get(UNITS, headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200 and second.headers["ETag"] != first.headers["ETag"]
    assert second.get_json()["features"][0]["properties"]["photo"] is None
    assert client.get(TILE, headers={"If-None-Match": tile_tag}).status_code == 200
    assert client.get(f"/medien/{photo_id}/vorschau").status_code == 404

    s.get(MediaFile, photo_id).caption = "neu"
    s.commit()
    assert counter(s) != after_withdrawal
