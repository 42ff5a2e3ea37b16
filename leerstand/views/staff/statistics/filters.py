"""The Statistik page's filters from its GET form: Stichtag, period von–bis (quarters),
Ortsteil, Fokusgebiet and kind of unit, with their defaults (today; the last 20 quarters up to
today). A bad value is not used: it gives a German message (``StatsFilter.errors``, ``Text``)
and the page shows the form with the messages and no numbers. No Flask here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from leerstand.messages import Text
from leerstand.services.errors import ServiceError
from leerstand.services.forms import parse_date, parse_int
from leerstand.services.statistics import Period, Scope
from leerstand.vocab import UNIT_KINDS

MIN_DAY, MAX_DAY = date(1900, 1, 1), date(2100, 12, 31)
QUARTERS = 20  # the default period: the last five years in quarters, the current one included
MAX_YEARS = 50  # a longer period would be a table of hundreds of quarters
KEYS = ("day", "date_from", "date_to", "district_id", "focus_area_id", "kind")
MAX_TYPED = 40


@dataclass
class StatsFilter:
    day: date
    period: Period
    scope: Scope
    typed: dict[str, str]  # the form as typed (shown again)
    errors: list[Text] = field(default_factory=list)


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def default_period(today: date) -> Period:
    """The ``QUARTERS`` quarters up to today's: from the first day of the first one to today."""
    months = today.year * 12 + quarter_start(today).month - 1 - 3 * (QUARTERS - 1)
    return Period(date(months // 12, months % 12 + 1, 1), today)


def _day(args: Mapping, key: str, what: Text, errors: list[Text]) -> date | None:
    try:
        value = parse_date(args.get(key), what)
    except ServiceError as exc:
        errors.append(exc.args[0])
        return None
    if value is not None and not MIN_DAY <= value <= MAX_DAY:
        errors.append(
            Text(
                "%(what)s: Bitte ein Datum zwischen dem %(low)s und dem %(high)s eingeben.",
                what=what,
                low=MIN_DAY.strftime("%d.%m.%Y"),
                high=MAX_DAY.strftime("%d.%m.%Y"),
            )
        )
        return None
    return value


def _choice_id(args: Mapping, key: str, what: Text, allowed: set[int], errors: list[Text]):
    try:
        value = parse_int(args.get(key), what, 1)
    except ServiceError as exc:
        errors.append(exc.args[0])
        return None
    if value is not None and value not in allowed:
        errors.append(Text("%(what)s: Bitte einen Eintrag aus der Liste wählen.", what=what))
        return None
    return value


def _kind(args: Mapping, errors: list[Text]) -> str | None:
    raw = (args.get("kind") or "").strip()
    if raw and raw not in UNIT_KINDS:
        errors.append(Text("„Art der Einheit“: Bitte einen Eintrag aus der Liste wählen."))
        return None
    return raw or None


def _period(args: Mapping, today: date, errors: list[Text]) -> Period:
    default = default_period(today)
    start = _day(args, "date_from", Text("„Zeitraum von“"), errors) or default.start
    end = _day(args, "date_to", Text("„Zeitraum bis“"), errors) or default.end
    if end < start:
        errors.append(Text("„Zeitraum bis“ darf nicht vor „Zeitraum von“ liegen."))
    elif end.year - start.year > MAX_YEARS:
        errors.append(
            Text("Der Zeitraum darf höchstens %(years)d Jahre umfassen.", years=MAX_YEARS)
        )
    return Period(start, end)


def parse(
    args: Mapping, municipality_id: int, district_ids: set[int], focus_ids: set[int], today: date
) -> StatsFilter:
    """The filters of ``args``; ``district_ids``/``focus_ids``: the town's Ortsteile and
    Fokusgebiete that may be chosen."""
    errors: list[Text] = []
    day = _day(args, "day", Text("„Stichtag“"), errors) or today
    period = _period(args, today, errors)
    scope = Scope(
        municipality_id,
        district_id=_choice_id(args, "district_id", Text("„Ortsteil“"), district_ids, errors),
        focus_area_id=_choice_id(args, "focus_area_id", Text("„Fokusgebiet“"), focus_ids, errors),
        kind=_kind(args, errors),
    )
    typed = {key: str(args.get(key) or "").strip()[:MAX_TYPED] for key in KEYS}
    return StatsFilter(day, period, scope, typed, errors)


def query_args(f: StatsFilter) -> dict[str, str]:
    """The filters as typed, without the empty ones: for links (CSV, report) with the same view."""
    return {key: value for key, value in f.typed.items() if value}
