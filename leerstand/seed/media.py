"""Demo photos and citizens' reports: a drawn shop front (Pillow, no photo of a real house) as
the cover of a few public units whose owners all gave the photo consent (given here to the
owners of the first ones), and two open reports in the staff queue "Meldungen", one of them a
few metres from a public unit (so staff see a possible duplicate). Files go to the configured
media store through the same services as staff uploads. Reproducible (fixed choices)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

from PIL import Image, ImageDraw
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from leerstand.models import Building, Consent, Unit
from leerstand.services.media import photos, reports
from leerstand.services.public.fields import UNIT_IS_PUBLIC

PHOTOS = 5  # public units that get a cover
WALLS = ["#e8d9b5", "#c9d6c2", "#e3c2b1", "#d5d0c8", "#bcc9d6"]
PUBLIC_UNITS = f"""SELECT u.id FROM unit u WHERE u.municipality_id = :m AND {UNIT_IS_PUBLIC}
    ORDER BY u.id"""


def shop_front(wall: str, width: int = 960, height: int = 640) -> bytes:
    """A simple drawn shop front (wall, sign band, window with papered panes, door) as JPEG."""
    image = Image.new("RGB", (width, height), wall)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 70), fill="#8a5a44")  # eaves
    draw.rectangle((60, 150, width - 60, 210), fill="#3b4a42")  # sign band, empty
    draw.rectangle((80, 250, 620, 560), fill="#5b6b70", outline="#2f3a3d", width=10)
    for x in (180, 330, 480):  # papered-over panes
        draw.rectangle((x - 40, 290, x + 40, 520), fill="#efe9dc")
    draw.rectangle((680, 250, 880, 600), fill="#6e4b36", outline="#2f3a3d", width=10)
    draw.rectangle((0, 600, width, height), fill="#9e9a92")  # pavement
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _consent_photos(session: Session, unit: Unit, given: datetime) -> None:
    building = session.get(Building, unit.building_id)
    for ownership in building.ownerships:
        owner = ownership.owner
        if ownership.role == "manager" or owner.is_municipality:
            continue
        session.add(
            Consent(
                municipality_id=owner.municipality_id, owner_id=owner.id, scope="photos",
                given_at=given, channel="letter", text_version="Einwilligung Fotos 2025-03",
            )
        )  # fmt: skip
    session.flush()


def create_photos(
    session: Session, municipality_id: int, store, staff_id: int | None, today: date
) -> int:
    """Covers for the first ``PHOTOS`` public units; returns how many. Only flushes."""
    ids = session.scalars(text(PUBLIC_UNITS), {"m": municipality_id}).all()[:PHOTOS]
    given = datetime.now(UTC) - timedelta(days=40)
    for i, unit_id in enumerate(ids):
        _consent_photos(session, session.get(Unit, unit_id), given)
        photos.add_unit_photo(
            session, store, unit_id=unit_id, data=shop_front(WALLS[i % len(WALLS)]),
            caption="Schaufenster (Zeichnung, Demo)", taken_on=today, user_id=staff_id,
        )  # fmt: skip
    return len(ids)


def create_reports(
    session: Session, municipality_id: int, store, secret_key: str, today: date
) -> int:
    """Two open citizens' reports; returns how many. Only flushes."""
    near = session.scalar(
        select(Building).join(Unit).where(Unit.id == session.scalar(
            text(PUBLIC_UNITS + " LIMIT 1"), {"m": municipality_id}))
    )  # fmt: skip
    lon, lat = session.execute(
        text("SELECT ST_X(location), ST_Y(location) FROM building WHERE id = :id"),
        {"id": near.id},
    ).one()
    forms = [
        {"lon": f"{lon + 0.0003:.6f}", "lat": f"{lat:.6f}", "street": near.street,
         "house_number": "", "kind": "shop", "since": "months",
         "comment": "Schaufenster seit dem Sommer zugeklebt."},  # about 20 m away
        {"street": "Allee", "house_number": "", "kind": "flat", "since": "year",
         "comment": "Wohnung über dem Laden, Briefkasten quillt über."},
    ]  # fmt: skip
    now = datetime.now(UTC)
    for values in forms:
        reports.submit(
            session, store, municipality_id, values, None, secret_key=secret_key,
            max_image_bytes=0, now=now, today=today,
        )  # fmt: skip
    return len(forms)
