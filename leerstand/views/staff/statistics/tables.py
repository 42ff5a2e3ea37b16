"""The Statistik page's tables, built once from ``services.statistics.dashboard``: each one is
the HTML table of the page and the report, the source of its chart (statistics.js reads the
numbers from the table's cells) and a CSV download (``exports.tables.csv_chunks``). Rows hold
typed values (ints, floats, dates); labels come through ``label`` (translated on the page,
German in the CSV, like the other exports). Rates are percentages (0–100). No Flask here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from leerstand import vocab
from leerstand.messages import Text
from leerstand.services.exports.cells import Column
from leerstand.services.statistics.scope import year_before

BANDS = (
    ("under_1", Text("unter 1 Jahr")),
    ("1_3", Text("1–3 Jahre")),
    ("3_5", Text("3–5 Jahre")),
    ("over_5", Text("über 5 Jahre")),
)
NO_IDEA = Text("ohne Idee")
TOTAL = Text("Summe")
DAY = "%d.%m.%Y"


@dataclass(frozen=True)
class Series:
    column: int  # index in ``columns``
    kind: str = "bar"  # Chart.js dataset type: bar | line
    axis: str = "y"  # "y1": the right-hand axis


@dataclass(frozen=True)
class StatTable:
    slug: str  # ?tabelle= of the CSV download and the element ids
    title: Text
    columns: tuple[Column, ...]
    rows: list[list]
    total: list | None = None  # a sum row (tfoot; the CSV's last row; not in the chart)
    series: tuple[Series, ...] = ()  # none: no chart
    horizontal: bool = False
    percent: tuple[int, ...] = ()  # columns shown with " %"


Label = Callable[[dict, str | None], str]


def _in_order(items: list[dict], key: str, vocabulary: dict) -> list[dict]:
    """``items`` in the vocabulary's order (the order of the forms and the map legend); None
    last."""
    order = {code: n for n, code in enumerate(vocabulary)}
    return sorted(items, key=lambda item: order.get(item[key], len(order)))


def _rate(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def key_figures(now: dict | None, at_day: dict, year_ago: dict, day: date, today: date):
    columns = (
        Column(Text("Zeitpunkt")), Column(Text("Datum"), "date"),
        Column(Text("leerstehende Einheiten"), "int"),
        Column(Text("Leerstandsfläche m²"), "number", 1),
        Column(Text("Median der Leerstandsdauer (Tage)"), "number", 1),
    )  # fmt: skip
    points = [(Text("heute"), today, now)] if now is not None else []
    points += [
        (Text("Stichtag"), day, at_day),
        (Text("ein Jahr vor dem Stichtag"), year_before(day), year_ago),
    ]
    rows = [[name, when, v["units"], v["area_m2"], v["median_days"]] for name, when, v in points]
    return StatTable("kennzahlen", Text("Kennzahlen"), columns, rows)


def by_kind(at_day: dict, label: Label) -> StatTable:
    columns = (
        Column(Text("Art der Einheit")), Column(Text("leerstehende Einheiten"), "int"),
        Column(Text("Leerstandsfläche m²"), "number", 1),
    )  # fmt: skip
    rows = [
        [label(vocab.UNIT_KINDS, k["kind"]), k["units"], k["area_m2"]]
        for k in _in_order(at_day["by_kind"], "kind", vocab.UNIT_KINDS)
    ]
    total = [TOTAL, at_day["units"], at_day["area_m2"]]
    title = Text("Leerstand nach Art der Einheit am Stichtag")
    return StatTable("arten", title, columns, rows, total, (Series(1),), horizontal=True)


def bands(at_day: dict) -> StatTable:
    columns = (Column(Text("Dauer des Leerstands")), Column(Text("leerstehende Einheiten"), "int"))
    rows = [[text, at_day["bands"][key]] for key, text in BANDS]
    title = Text("Dauer des Leerstands am Stichtag")
    return StatTable("dauer", title, columns, rows, None, (Series(1),))


def quarter_name(first_day: date) -> str:
    return f"Q{(first_day.month - 1) // 3 + 1} {first_day.year}"


def quarters(rows: list[dict]) -> StatTable:
    columns = (
        Column(Text("Quartal")), Column(Text("Beginn"), "date"),
        Column(Text("neue Leerstände"), "int"), Column(Text("beendete Leerstände"), "int"),
        Column(Text("leer am Quartalsende"), "int"),
    )  # fmt: skip
    body = [
        [quarter_name(q["quarter"]), q["quarter"], q["new"], q["ended"], q["vacant_at_end"]]
        for q in rows
    ]
    total = [TOTAL, None, sum(q["new"] for q in rows), sum(q["ended"] for q in rows), None]
    series = (Series(2), Series(3), Series(4, "line", "y1"))
    title = Text("Neue und beendete Leerstände je Quartal")
    return StatTable("quartale", title, columns, body, total, series)


def funnel(steps: list[dict], label: Label) -> StatTable:
    columns = (
        Column(Text("Schritt der Ansprache")), Column(Text("Fälle"), "int"),
        Column(Text("Quote zum vorigen Schritt %"), "number", 1),
        Column(Text("Median Tage seit dem vorigen Schritt"), "number", 1),
    )  # fmt: skip
    rows = [
        [label(vocab.CONTACT_STATES, s["step"]), s["cases"], _rate(s["rate"]), s["median_days"]]
        for s in steps
    ]
    title = Text("Eigentümeransprache: Fälle je Schritt")
    return StatTable("ansprache", title, columns, rows, None, (Series(1),), True, (2,))


def requests(channels: list[dict], label: Label) -> StatTable:
    columns = (
        Column(Text("Weg")), Column(Text("gesendet"), "int"), Column(Text("beantwortet"), "int"),
        Column(Text("Ja"), "int"), Column(Text("Ja-Quote %"), "number", 1),
    )  # fmt: skip
    rows = [
        [label(vocab.REQUEST_CHANNELS, c["channel"]), c["sent"], c["answered"], c["yes"],
         _rate(c["yes_rate"])]
        for c in channels
    ]  # fmt: skip
    sent, answered, yes = (sum(c[key] for c in channels) for key in ("sent", "answered", "yes"))
    total = [TOTAL, sent, answered, yes, _rate(yes / answered) if answered else None]
    series = (Series(1), Series(2), Series(3))
    title = Text("Nutzungsanfragen nach Weg")
    return StatTable("anfragen", title, columns, rows, total, series, percent=(4,))


def ideas(timing: dict) -> StatTable:
    columns = (
        Column(Text("veröffentlichte Ideen"), "int"),
        Column(Text("Median Tage bis zum ersten Treffer"), "number", 1),
        Column(Text("Median Tage bis zur ersten Anfrage"), "number", 1),
        Column(Text("Median Tage bis zum ersten Ja"), "number", 1),
    )
    row = [timing["published"], timing["to_match_days"], timing["to_request_days"],
           timing["to_yes_days"]]  # fmt: skip
    title = Text("Ideen: Zeit bis zum Treffer, zur Anfrage und zum Ja")
    return StatTable("ideen", title, columns, [row])


def interim(data: dict, label: Label) -> StatTable:
    columns = (
        Column(Text("Art der Nutzung")), Column(Text("begonnen"), "int"),
        Column(Text("laufend am Ende des Zeitraums"), "int"), Column(Text("beendet"), "int"),
    )  # fmt: skip
    rows = [
        [label(vocab.USE_KINDS, u["use_kind"]) if u["use_kind"] else NO_IDEA, u["started"],
         u["running"], u["ended"]]
        for u in _in_order(data["by_use_kind"], "use_kind", vocab.USE_KINDS)
    ]  # fmt: skip
    total = [TOTAL, data["started"], data["running"], data["ended"]]
    series = (Series(1), Series(2), Series(3))
    title = Text("Zwischennutzungen nach Art der Nutzung")
    return StatTable("zwischennutzungen", title, columns, rows, total, series, horizontal=True)


def outcomes(data: dict, label: Label) -> StatTable:
    columns = (Column(Text("Ergebnis")), Column(Text("beendete Zwischennutzungen"), "int"))
    rows = [
        [label(vocab.INTERIM_OUTCOMES, code), data["outcomes"][code]]
        for code in vocab.INTERIM_OUTCOMES
    ]
    title = Text("Ergebnisse der beendeten Zwischennutzungen")
    return StatTable("ergebnisse", title, columns, rows, None, (Series(1),))


def citizen_reports(data: dict) -> StatTable:
    columns = (
        Column(Text("eingegangen"), "int"), Column(Text("übernommen"), "int"),
        Column(Text("zusammengeführt"), "int"), Column(Text("abgelehnt"), "int"),
        Column(Text("offen am Ende des Zeitraums"), "int"),
        Column(Text("Leerstände aus Meldungen am Ende des Zeitraums"), "int"),
    )  # fmt: skip
    keys = ("received", "accepted", "merged", "rejected", "open", "vacant_from_reports")
    title = Text("Meldungen von Bürger:innen")
    return StatTable("meldungen", title, columns, [[data[key] for key in keys]])


def build(data: dict, now: dict | None, day: date, today: date, label: Label) -> list[StatTable]:
    """Every table of the page in its order; ``data``: ``statistics.dashboard``; ``now``:
    ``vacancy_on`` today when the Stichtag is another day (else None)."""
    return [
        key_figures(now, data["now"], data["year_ago"], day, today),
        by_kind(data["now"], label),
        bands(data["now"]),
        quarters(data["quarters"]),
        funnel(data["funnel"], label),
        requests(data["requests"], label),
        ideas(data["ideas"]),
        interim(data["interim"], label),
        outcomes(data["interim"], label),
        citizen_reports(data["reports"]),
    ]


SLUGS = ("kennzahlen", "arten", "dauer", "quartale", "ansprache", "anfragen", "ideen",
         "zwischennutzungen", "ergebnisse", "meldungen")  # fmt: skip


def csv_rows(table: StatTable) -> list[list]:
    """The table's rows for the CSV: its body, then the sum row; texts as German strings."""
    rows = table.rows + ([table.total] if table.total else [])
    return [[str(v) if isinstance(v, Text) else v for v in row] for row in rows]
