"""The hand-made world of the Statistik page tests (integration and browser) and its expected
tables as the page shows them (German numbers), and ``tables``: the rows of every table of a page.

Stichtag 30.06.2025, period 2024. Five units: u1 and u2 on the Allee (in the focus area) in
district A, u3–u5 elsewhere in district B; u1's vacancy ends on the Stichtag (not vacant on it),
u5's starts on it (vacant), u4's started exactly three years before it (band 3–5 years)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser

from tests.statistics_world import StatisticsWorld

ELSEWHERE = (11.2400, 51.7300)  # far from the Allee: outside the focus area
STICHTAG = "30.06.2025"
YEAR_2024 = {"day": STICHTAG, "date_from": "01.01.2024", "date_to": "31.12.2024"}
LETTERHEAD = "Stadt Ballenstedt\nDer Bürgermeister"


@dataclass
class World:
    district_a: int
    district_b: int
    focus: int


def build_world(session, base) -> World:
    """Five units (u1, u2 on the Allee in district A; u3–u5 elsewhere in district B), four
    contact cases, three ideas with requests and three interim uses; see the expected tables."""
    w = StatisticsWorld(session, base.municipality)
    names = sorted(base.districts)
    a, b = base.districts[names[0]], base.districts[names[1]]
    focus = w.focus_area(11.2255, 51.7185, 11.2275, 51.7200)
    u1 = w.unit(
        [("vacant", date(2019, 1, 1), date(2025, 6, 30)), ("occupied", date(2025, 6, 30), None)],
        "shop",
        100,
        district=a,
    )  # fmt: skip  (ends on the Stichtag: not vacant on it)
    u2 = w.unit(
        [("vacant", date(2024, 5, 1), date(2024, 9, 1)), ("partly_vacant", date(2024, 9, 1), None)],
        "office",
        50,
        district=a,
    )  # fmt: skip  (one vacancy since 01.05.2024)
    u3 = w.unit(
        [("occupied", date(2020, 1, 1), date(2024, 2, 1)),
         ("vacant", date(2024, 2, 1), date(2024, 11, 15)),
         ("interim_use", date(2024, 11, 15), None)],
        "shop", 80, district=b, at=ELSEWHERE,
    )  # fmt: skip
    u4 = w.unit([("vacant", date(2022, 6, 30), None)], "office", 30, district=b, at=ELSEWHERE)
    w.unit(
        [("occupied", date(2023, 1, 1), date(2025, 6, 30)), ("vacant", date(2025, 6, 30), None)],
        "shop",
        40,
        district=b,
        at=ELSEWHERE,
    )  # fmt: skip  (u5 starts on the Stichtag: vacant on it)
    w.case(u1, date(2024, 2, 1), events=[
        (date(2024, 2, 10), "contacted"), (date(2024, 3, 1), "in_dialogue"),
        (date(2024, 4, 1), "open_to_interim_use"), (date(2024, 5, 1), "agreement"),
    ])  # fmt: skip
    w.case(u3, date(2024, 3, 1), events=[(date(2024, 3, 11), "contacted"),
                                         (date(2024, 4, 10), "declined")])  # fmt: skip
    w.case(u4, date(2024, 6, 1))
    w.case(u2, date(2023, 12, 31), events=[(date(2024, 1, 5), "contacted")])  # before 2024
    atelier = w.idea(date(2024, 1, 15), use_kind="atelier")
    cafe = w.idea(date(2024, 6, 1), use_kind="cafe")
    match = w.match(atelier, u2, on=date(2024, 1, 20))
    w.request(match, date(2024, 2, 1), "email", "yes", date(2024, 2, 11))
    w.request(match, date(2024, 3, 1), "letter", "no", date(2024, 3, 20))
    w.request(match, date(2024, 4, 1), "letter")
    w.request(match, date(2025, 1, 10), "email", "yes", date(2025, 1, 12))  # after 2024
    w.interim_use(u3, date(2024, 11, 15), date(2025, 5, 15), idea=atelier)
    w.interim_use(
        u1, date(2023, 6, 1), date(2024, 3, 31), ended_on=date(2024, 3, 31),
        outcome="back_to_vacant",
    )  # fmt: skip
    w.interim_use(
        u4, date(2024, 2, 1), date(2024, 8, 31), idea=cafe, ended_on=date(2024, 8, 31),
        outcome="let_permanently",
    )  # fmt: skip
    return World(a.id, b.id, focus.id)


# The expected tables of the page (as shown: German numbers), Stichtag 30.06.2025, period 2024.
KEY_FIGURES = [
    ["Stichtag", "30.06.2025", "3", "120,0", "425,0"],  # u2 425 d, u4 1096 d, u5 0 d
    ["ein Jahr vor dem Stichtag", "30.06.2024", "4", "260,0", "440,5"],  # 2007, 60, 150, 731 d
]
BY_KIND = [["Ladenlokal", "1", "40,0"], ["Büro / Praxis", "2", "80,0"]]
BANDS = [["unter 1 Jahr", "1"], ["1–3 Jahre", "1"], ["3–5 Jahre", "1"], ["über 5 Jahre", "0"]]
QUARTERS = [
    ["Q1 2024", "01.01.2024", "1", "0", "3"],
    ["Q2 2024", "01.04.2024", "1", "0", "4"],
    ["Q3 2024", "01.07.2024", "0", "0", "4"],
    ["Q4 2024", "01.10.2024", "0", "1", "3"],
]
FUNNEL = [
    ["nicht kontaktiert", "3", "–", "–"],
    ["kontaktiert", "2", "66,7 %", "9,5"],
    ["im Gespräch", "1", "50,0 %", "20,0"],
    ["offen für Zwischennutzung", "1", "100,0 %", "31,0"],
    ["Vereinbarung", "1", "100,0 %", "30,0"],
]
REQUESTS = [
    ["E-Mail mit persönlichem Link", "1", "1", "1", "100,0 %"],
    ["Brief mit Antwortcode", "2", "1", "0", "0,0 %"],
]
IDEAS = [["2", "5,0", "17,0", "27,0"]]
INTERIM = {
    "Atelier": ["1", "1", "0"],
    "Café / Treffpunkt": ["1", "0", "1"],
    "ohne Idee": ["0", "0", "1"],
}
OUTCOMES = [["Leerstand beendet", "0"], ["wieder leer", "1"], ["dauerhaft vermietet", "1"]]


class _Tables(HTMLParser):
    """The rows (cell texts) of every ``table`` by id: {id: {"body": [...], "foot": [...]}}."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, dict[str, list]] = {}
        self.table = self.part = self.row = self.cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.table = self.tables.setdefault(attrs.get("id", ""), {"body": [], "foot": []})
        elif tag in ("tbody", "tfoot") and self.table is not None:
            self.part = self.table["body" if tag == "tbody" else "foot"]
        elif tag == "tr" and self.part is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.part.append(self.row)
            self.row = None
        elif tag in ("tbody", "tfoot"):
            self.part = None
        elif tag == "table":
            self.table = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def tables(html: str) -> dict[str, dict[str, list]]:
    parser = _Tables()
    parser.feed(html)
    return {key.removeprefix("stat-").removesuffix("-table"): t for key, t in parser.tables.items()}
