"""The public progress report (/bericht, /bericht/<Ortsteil>, /k/<AGS>/bericht[/<Ortsteil>]) on
a hand-made world with known answers relative to today (T): the figures of the town and of two
Ortsteile written out, the edges of the day a year ago and of today on both sides, the stories of
realised interim uses (public fields only), 404 for an unknown town or Ortsteil or an Ortsteil of
another town (never a 500), the links from the public header and every footer, and no personal
data (owner, initiative contact person, e-mail, phone, internal notes, a non-public address)
anywhere in the HTML of any report page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from leerstand.dates import day as fmt_date
from leerstand.dates import local_today
from leerstand.models import Building, Owner
from leerstand.services.statistics.scope import year_before
from tests.statistics_world import (
    INITIATIVE_EMAIL,
    INITIATIVE_PERSON,
    INITIATIVE_PHONE,
    NOTES,
    OWNER_NAME,
    StatisticsWorld,
)

T = local_today()
Y = year_before(T)  # "vor einem Jahr"


def ago(days: int) -> date:
    return T - timedelta(days=days)


@dataclass
class World:
    kernstadt: int  # Ortsteil "Ballenstedt"
    rieder: int
    addresses: list[str]  # "Allee 12" of every (non-public) unit
    owner_contacts: list[str]  # the owners' e-mail addresses and phones


def build_world(session, base) -> World:
    """Kernstadt: A vacant since 2 years; B vacant, then interim use T-300…T-100 (idea 1, let
    permanently), then occupied; E occupied until Y, vacant from Y (starts on the day a year
    ago: vacant on it); F vacant until today (ends today: not vacant today); G vacant from today;
    H vacant until T-200. Rieder: C vacant from T-30; D vacant until Y (ends on it: not vacant
    on it); I vacant T-200…T-10, then interim use (idea 2, running). J (Rieder) has an interim use
    without an idea that starts in two weeks (not realised yet).
    Ideas: 1 (Kernstadt via its match, published T-400), 2 (Rieder, T-60), 3 (Rieder, T-30), 4
    never published (a draft), 5 rejected."""
    w = StatisticsWorld(session, base.municipality)
    kern, rieder = base.districts["Ballenstedt"], base.districts["Rieder"]
    far = ago(5 * 365)
    a = w.unit([("vacant", ago(730), None)], district=kern)
    b = w.unit(
        [("vacant", ago(1000), ago(300)), ("interim_use", ago(300), ago(100)),
         ("occupied", ago(100), None)],
        district=kern,
    )  # fmt: skip
    w.unit([("occupied", far, Y), ("vacant", Y, None)], district=kern)
    w.unit([("vacant", ago(800), T), ("occupied", T, None)], district=kern)
    w.unit([("occupied", far, T), ("vacant", T, None)], district=kern)
    h = w.unit([("vacant", ago(1500), ago(200)), ("occupied", ago(200), None)], district=kern)
    c = w.unit(
        [("occupied", far, ago(30)), ("vacant", ago(30), None)], kind="hall", district=rieder
    )
    w.unit([("vacant", ago(700), Y), ("occupied", Y, None)], district=rieder)
    i = w.unit(
        [("occupied", far, ago(200)), ("vacant", ago(200), ago(10)),
         ("interim_use", ago(10), None)],
        kind="workshop",
        district=rieder,
    )  # fmt: skip
    j = w.unit([("vacant", ago(90), None)], district=rieder)
    idea1 = w.idea(ago(400), "exhibition", "Sommergalerie im alten Laden", "Bilder aus dem Harz.")
    idea1.state = "realised"
    idea2 = w.idea(ago(60), "workshop", "Repair-Café Rieder", "Jeden Samstag reparieren wir.",
                   districts=(rieder,))  # fmt: skip
    idea2.state = "realised"
    w.idea(ago(30), "club", "Proberaum", "Laut, aber nur bis 20 Uhr.", districts=(rieder,))
    w.idea(None, "cafe", "Geheimer Entwurf", "noch nicht veröffentlicht", state="draft")
    w.idea(None, "cafe", "Abgelehntes Café", "abgelehnt", state="rejected")
    m1 = w.match(idea1, b, on=ago(390))
    w.request(m1, sent=ago(380), channel="letter", answer="yes", answered=ago(350))
    m2 = w.match(idea2, i, on=ago(50))
    w.request(m2, sent=ago(45), answer="yes_conditions", answered=ago(30))
    w.interim_use(b, ago(300), ago(100), idea=idea1, ended_on=ago(100), outcome="let_permanently")
    w.interim_use(i, ago(10), T + timedelta(days=170), idea=idea2)
    w.interim_use(j, T + timedelta(days=14), T + timedelta(days=100))
    for unit in (a, c, h):
        w.case(unit, opened=ago(100), events=[(ago(90), "contacted")])
    session.flush()
    buildings = session.query(Building).filter(Building.municipality_id == base.municipality.id)
    owners = session.query(Owner).filter(Owner.municipality_id == base.municipality.id)
    return World(
        kern.id,
        rieder.id,
        [f"{x.street} {x.house_number}" for x in buildings],
        [x.email for x in owners] + [x.phone for x in owners],
    )


@pytest.fixture
def world(session, base):
    return build_world(session, base)


FIGURE_RE = re.compile(r'<li id="report-([a-z-]+)"><span class="progress-number">([^<]*)</span>')


def figures(html: str) -> dict[str, str]:
    return dict(FIGURE_RE.findall(html))


def change(html: str) -> str:
    found = re.search(r'<p id="report-change">\s*(.*?)\s*</p>', html, re.S)
    return " ".join(found.group(1).split())


def stories(html: str) -> list[str]:
    return re.findall(r'<article class="card progress-story">\s*<h3>([^<]*)</h3>', html)


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def test_the_town_report_counts_today_and_a_year_ago(client, world):
    html = get(client, "/bericht")
    # today: A, C, E, G, J (F ended today, B and I are not vacant); a year ago: A, B, E
    # (starts on Y), F, H (D ended on Y; C, G, I and J began later)
    assert figures(html) == {
        "vacant-now": "5",
        "vacant-year-ago": "5",
        "interim": "2",  # B (ended) and I (running); J starts in two weeks
        "ideas": "3",  # 1, 2, 3; not the draft, not the rejected one
    }
    assert change(html) == "Genauso viele leerstehende Räume wie vor einem Jahr."
    assert "<title>Fortschrittsbericht Ballenstedt · Leerstandsmanagement</title>" in html
    assert f"Stand: {fmt_date(T)}." in html
    assert f"vor einem Jahr ({fmt_date(Y)})" in html
    assert stories(html) == ["Repair-Café Rieder", "Sommergalerie im alten Laden"]
    assert f"vom {fmt_date(ago(300))} bis {fmt_date(ago(100))}" in html
    assert f"seit {fmt_date(ago(10))}, vereinbart bis {fmt_date(T + timedelta(days=170))}" in html
    assert "Jeden Samstag reparieren wir." in html and "Bilder aus dem Harz." in html
    assert "Werkstatt / Repair-Café" in html and "Ausstellung" in html
    assert "Geheimer Entwurf" not in html and "Abgelehntes Café" not in html


def test_an_ortsteil_report_counts_only_its_units(client, world):
    kern = get(client, f"/bericht/{world.kernstadt}")
    assert figures(kern) == {
        "vacant-now": "3",
        "vacant-year-ago": "5",
        "interim": "1",
        "ideas": "1",
    }
    assert change(kern) == "2 leerstehende Räume weniger als vor einem Jahr."
    assert stories(kern) == ["Sommergalerie im alten Laden"]
    assert "<h1>Fortschrittsbericht Ballenstedt – Ortsteil Ballenstedt</h1>" in kern
    rieder = get(client, f"/bericht/{world.rieder}")
    # today: C (from T-30) and J; a year ago: none (D ended on Y, I began T-200, J T-90)
    assert figures(rieder) == {
        "vacant-now": "2",
        "vacant-year-ago": "0",
        "interim": "1",
        "ideas": "2",
    }
    assert change(rieder) == "2 leerstehende Räume mehr als vor einem Jahr."
    assert stories(rieder) == ["Repair-Café Rieder"]
    assert 'aria-current="page">Rieder</a>' in rieder


def test_one_more_or_less_is_singular(client, session, base, world):
    w = StatisticsWorld(session, base.municipality)
    w.unit([("vacant", ago(100), None)], district=base.districts["Badeborn"])
    html = get(client, f"/bericht/{base.districts['Badeborn'].id}")
    assert change(html) == "1 leerstehender Raum mehr als vor einem Jahr."
    assert "Hier ist noch keine Zwischennutzung verwirklicht worden." in html


def test_the_first_town_also_answers_under_its_ags(client, world, base):
    html = get(client, f"/k/{base.municipality.ags}/bericht/{world.rieder}")
    assert figures(html)["vacant-now"] == "2"


def test_another_town_has_its_own_report(client, world, base):
    html = get(client, "/k/99999999/bericht")
    assert figures(html) == {
        "vacant-now": "0",
        "vacant-year-ago": "0",
        "interim": "0",
        "ideas": "0",
    }
    assert "<h1>Fortschrittsbericht Anderswo</h1>" in html
    assert stories(html) == []
    assert 'href="/k/99999999/bericht"' in html  # its own links, not the first town's


@pytest.mark.parametrize(
    "url",
    [
        "/k/00000000/bericht",  # no such town
        "/k/nicht-da/bericht/1",
        "/k/%00/bericht",  # PostgreSQL text refuses NUL: a 404, not a 500
        "/bericht/0",
        "/bericht/999999999999999999999999",  # no overflow, no 500
        "/bericht/-1",
        "/bericht/abc",
    ],
)
def test_unknown_towns_and_ortsteile_are_404(client, world, url):
    assert client.get(url).status_code == 404


def test_an_ortsteil_of_another_town_is_404(client, world):
    assert client.get(f"/k/99999999/bericht/{world.rieder}").status_code == 404


def test_header_and_footer_link_to_the_report(client, world, base):
    town_map = get(client, "/")
    assert 'href="/bericht">Bericht</a>' in town_map
    assert 'href="/bericht">Fortschrittsbericht</a>' in town_map
    other = get(client, "/k/99999999/")
    assert 'href="/k/99999999/bericht">Bericht</a>' in other
    assert 'href="/k/99999999/bericht">Fortschrittsbericht</a>' in other
    imprint = get(client, "/k/99999999/impressum")
    assert 'href="/k/99999999/bericht">Fortschrittsbericht</a>' in imprint
    report = get(client, "/bericht")
    assert 'href="/bericht" aria-current="page">Bericht</a>' in report


def test_the_report_is_there_in_english(client, world):
    response = client.get("/bericht?lang=en")
    assert response.status_code == 200
    assert '<html lang="en">' in response.get_data(as_text=True)


def test_no_personal_data_on_any_report_page(client, world, base):
    secrets = [OWNER_NAME, INITIATIVE_PERSON, INITIATIVE_EMAIL, INITIATIVE_PHONE, NOTES]
    secrets += ["Schlüssel beim Nachbarn", "Geheimweg", "example.org"]
    secrets += world.addresses + world.owner_contacts
    urls = ["/bericht", f"/k/{base.municipality.ags}/bericht", "/k/99999999/bericht"]
    urls += [f"/bericht/{district.id}" for district in base.districts.values()]
    for url in urls:
        html = get(client, url)
        found = [secret for secret in secrets if secret and secret in html]
        assert found == [], url
