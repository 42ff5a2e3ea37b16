"""Match reasons are stored as data (criterion, sentence key, raw values, points) and said in the
reader's language and number format on the staff pages. Expected sentences are written out."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from leerstand.dates import local_today
from leerstand.models import Match
from leerstand.services.matching import service as matching
from tests import factories as f
from tests.initiatives import initiative
from tests.integration.public_world import proposal


@pytest.fixture
def match_id(session, base) -> int:
    ini = initiative(session, base.municipality, name="Kulturverein Sprachen")
    p = proposal(
        session, ini, title="Große Halle", area_min=Decimal(1000), area_max=Decimal(1500),
        power=True, water=True, heating=True, budget_kind="rent", budget_eur_month=Decimal(1500),
    )  # fmt: skip
    f.unit(
        session, f.building(session, base.municipality), name="Halle", kind="shop",
        area_m2=Decimal("1234.5"), power=True, owner_expectation="rent",
        rent_eur_month=Decimal("1250.50"), vacant_since=local_today() - timedelta(days=400),
    )  # fmt: skip
    matching.rematch_proposal(session, p)
    session.commit()
    return session.scalars(select(Match).where(Match.proposal_id == p.id)).one().id


def test_reasons_are_stored_as_data(session, match_id):
    reasons = {r["criterion"]: r for r in session.get(Match, match_id).reasons}
    assert reasons["area"] == {
        "criterion": "area", "points": 20.0, "max": 20, "key": "area.fits",
        "values": {"size": 1234.5, "low": 1000.0, "high": 1500.0},
    }  # fmt: skip
    assert reasons["cost"]["key"] == "cost.rent_within"
    assert reasons["cost"]["values"] == {"rent": 1250.5, "budget": 1500.0}
    assert reasons["utilities"]["values"] == {"there": ["power"], "missing": ["water", "heating"]}
    assert reasons["vacancy"]["values"] == {"months": 13}
    assert all("text" not in r for r in reasons.values())


GERMAN = (
    "1.234,5 m² – passt (gesucht 1.000–1.500 m²)",
    "Strom vorhanden, Wasser und Heizung fehlen",
    "Miete 1.250,50 €/Monat – im Budget (bis 1.500 €)",
    "keine Eigentümer:in erfasst",
    "seit 13 Monaten leer",
    "0 m vom Wunschort",
)
ENGLISH = (
    "1,234.5 m² – fits (wanted 1,000–1,500 m²)",
    "available: Electricity; missing: Water and Heating",
    "rent €1,250.50/month – within the budget (up to €1,500)",
    "no owner recorded",
    "vacant for 13 months",
    "0 m from the preferred place",
)


def test_the_match_page_says_the_reasons_in_german(staff_client, match_id):
    html = staff_client.get(f"/verwaltung/treffer/{match_id}").get_data(as_text=True)
    for sentence in GERMAN:
        assert sentence in html
    assert "1,234.5" not in html


def test_the_match_page_says_the_reasons_in_english(staff_client, match_id):
    html = staff_client.get(f"/verwaltung/treffer/{match_id}?lang=en").get_data(as_text=True)
    for sentence in ENGLISH:
        assert sentence in html
    for sentence in GERMAN:
        assert sentence not in html


def test_a_reason_stored_as_text_before_it_was_data_is_shown_as_stored(
    staff_client, session, match_id
):
    row = session.get(Match, match_id)
    row.reasons = [{"criterion": "area", "points": 20.0, "max": 20, "text": "alte Begründung"}]
    session.commit()
    html = staff_client.get(f"/verwaltung/treffer/{match_id}?lang=en").get_data(as_text=True)
    assert "alte Begründung" in html
