"""Demo consents: the town's own owner record is the municipality, and about two thirds of
the owners of publishable units gave the public-map consent, so the demo public map shows
some twenty units. Reproducible (its own ``random.Random``, so other demo data stay alike)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from leerstand.models import Building, Consent, Owner
from leerstand.seed.people import PUBLIC_OWNER

SHARE = 2 / 3
TEXT_VERSION = "Einwilligung Leerstandskarte 2025-03"


def _publishable_owners(buildings: list[Building]) -> list[Owner]:
    owners: dict[int, Owner] = {}
    for building in buildings:
        if not any(unit.publishable for unit in building.units):
            continue
        for ownership in building.ownerships:
            if ownership.role != "manager" and not ownership.owner.is_municipality:
                owners[ownership.owner.id] = ownership.owner
    return [owners[key] for key in sorted(owners)]


def create_consents(
    session: Session, owners: dict[str, Owner], buildings: list[Building], seed: int
) -> list[Consent]:
    """Mark the municipality's owner record and record public-map consents; only flushes."""
    if PUBLIC_OWNER in owners:
        owners[PUBLIC_OWNER].is_municipality = True
    session.flush()
    rng = random.Random(seed + 1)
    candidates = _publishable_owners(buildings)
    chosen = rng.sample(candidates, k=round(len(candidates) * SHARE))
    now = datetime.now(UTC)
    consents = [
        Consent(
            municipality_id=owner.municipality_id,
            owner_id=owner.id,
            scope="public_map",
            given_at=now - timedelta(days=rng.randint(10, 300)),
            channel=rng.choice(["letter", "email", "meeting"]),
            text_version=TEXT_VERSION,
        )
        for owner in sorted(chosen, key=lambda o: o.id)
    ]
    session.add_all(consents)
    session.flush()
    return consents
