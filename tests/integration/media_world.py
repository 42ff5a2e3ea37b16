"""A small world for the media tests: a public shop (its owner gave the map consent, not yet
the photo consent) with a cover photo, an internal and a public PDF; a photo of its building;
a unit of the town's own building with a photo. The store is a folder of the test."""

from __future__ import annotations

from dataclasses import dataclass

from leerstand.models import Building, MediaFile, Owner, Unit
from leerstand.services.media import documents, photos
from leerstand.services.media.storage import DiskStore
from tests import factories as f
from tests.media_files import jpeg_with_gps, pdf, png

TOWN_HALL = (11.2439, 51.7619)  # Badeborn


@dataclass
class World:
    store: DiskStore
    owner: Owner
    building: Building
    shop: Unit
    photo: MediaFile  # the shop's cover
    second: MediaFile  # the shop's second photo
    building_photo: MediaFile
    internal_pdf: MediaFile
    public_pdf: MediaFile
    town_unit: Unit
    town_photo: MediaFile


def temporary_store(app, tmp_path):
    """For a fixture: the app's store is a folder of this test (restored afterwards)."""
    old = {key: app.config.get(key) for key in ("MEDIA_STORE", "MEDIA_DIR")}
    app.config.update(MEDIA_STORE="disk", MEDIA_DIR=str(tmp_path / "media"))
    app.extensions.pop("leerstand_media_store", None)
    yield DiskStore(tmp_path / "media")
    app.config.update(old)
    app.extensions.pop("leerstand_media_store", None)


def build(session, base, store: DiskStore) -> World:
    muni = base.municipality
    owner = f.owner(session, muni, name="Jörg Privat")
    f.consent(session, owner, scope="public_map")
    building = f.building(session, muni)
    f.ownership(session, building, owner)
    shop = f.unit(session, building, publishable=True)
    staff = base.staff.id

    def photo(parent, data, caption):
        return photos.add_photo(
            session, store, parent, data=data, caption=caption, taken_on=None, user_id=staff
        )

    def document(unit, name, public):
        return documents.add_document(
            session, store, unit_id=unit.id, data=pdf(), file_name=name,
            document_kind="floor_plan", caption="", public=public, user_id=staff,
        )  # fmt: skip

    town = f.owner(session, muni, name="Stadt Ballenstedt", is_municipality=True)
    town_building = f.building(session, muni, lonlat=TOWN_HALL)
    f.ownership(session, town_building, town)
    town_unit = f.unit(session, town_building, kind="office", publishable=True)
    return World(
        store=store,
        owner=owner,
        building=building,
        shop=shop,
        photo=photo(shop, jpeg_with_gps(), "Schaufenster <b>Allee</b>"),
        second=photo(shop, png(), "Hinterhof"),
        building_photo=photo(building, png(60, 40), "Fassade"),
        internal_pdf=document(shop, "Gutachten intern.pdf", False),
        public_pdf=document(shop, "Grundriss EG.pdf", True),
        town_unit=town_unit,
        town_photo=photo(town_unit, png(30, 20), "Rathaus"),
    )
