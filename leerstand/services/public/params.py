"""Query parameters of the public map and the public GeoJSON API, checked strictly.

``parse_units`` and ``parse_proposals`` turn a query string into a ``PublicFilter``; a bad
value raises ``ParamError`` with a German message that says what is wrong (the API answers
400 with it, the map page shows it and ignores the filters)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from leerstand.messages import Text
from leerstand.services.errors import ServiceError
from leerstand.services.forms import INT_MAX, parse_int
from leerstand.vocab import UNIT_KINDS, USE_KINDS

DEFAULT_LIMIT = 1000
MAX_LIMIT = 10000
MAX_OFFSET = 10_000_000
MAX_AREA = 1_000_000
COMMON = {"bbox", "district", "area_min", "area_max", "street_level", "step_free"}
PAGING = {"limit", "offset", "after", "ags", "lang"}
UNIT_PARAMS = COMMON | PAGING | {"kind", "available_from"}
PROPOSAL_PARAMS = COMMON | PAGING | {"use_kind"}
BBOX_HELP = Text("erwartet vier Zahlen minLon,minLat,maxLon,maxLat, z. B. 11.2,51.7,11.25,51.73")


class ParamError(ValueError):
    """A bad query parameter; ``args[0]`` is the message (a ``Text``: German as ``str``, the
    API shows it with ``error_message``), ``hint`` the key of the plain one for the map page's
    form (``PAGE_HINTS``)."""

    def __init__(self, message: str, hint: str = "choice") -> None:
        super().__init__(message)
        self.hint = hint


@dataclass
class PublicFilter:
    bbox: tuple[float, float, float, float] | None = None
    district: int | None = None
    kind: str | None = None
    area_min: float | None = None
    area_max: float | None = None
    street_level: bool = False
    step_free: bool = False
    available_from: date | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    ags: str | None = None
    after: int | None = None  # keyset paging: the features with a greater id

    def query_args(self) -> dict:
        """The filters (not paging) as query-string values, for links and the page's form."""
        out = {}
        if self.district is not None:
            out["district"] = str(self.district)
        if self.kind:
            out["kind"] = self.kind
        for key in ("area_min", "area_max"):
            value = getattr(self, key)
            if value is not None:
                out[key] = f"{value:g}"
        for key in ("street_level", "step_free"):
            if getattr(self, key):
                out[key] = "1"
        if self.available_from:
            out["available_from"] = self.available_from.isoformat()
        return out


def _raw(args: Mapping, key: str) -> str:
    return (args.get(key) or "").strip()


def _number(args: Mapping, key: str) -> float | None:
    raw = _raw(args, key)
    if not raw:
        return None
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        message = Text("Parameter „%(key)s“: „%(raw)s“ ist keine Zahl.", key=key, raw=raw[:30])
        raise ParamError(message, "number") from None
    if not math.isfinite(value) or value < 0 or value > MAX_AREA:
        message = Text(
            "Parameter „%(key)s“: erwartet eine Zahl von 0 bis %(high)s (m²).",
            key=key,
            high=MAX_AREA,
        )
        raise ParamError(message, "range")
    return value


def _integer(args: Mapping, key: str, low: int, high: int) -> int | None:
    try:
        return parse_int(args.get(key), Text("Parameter „%(key)s“", key=key), low, high)
    except ServiceError as exc:
        raise ParamError(exc.args[0]) from None


def _flag(args: Mapping, key: str) -> bool:
    """Stricter than ``forms.flag`` on purpose: the API answers 400 to anything but 1/0."""
    raw = _raw(args, key).lower()
    if raw in ("", "0", "false"):
        return False
    if raw in ("1", "true", "on"):
        return True
    message = Text(
        "Parameter „%(key)s“: erwartet 1 oder 0, nicht „%(raw)s“.", key=key, raw=raw[:30]
    )
    raise ParamError(message, "flag")


def _code(args: Mapping, key: str, allowed: Mapping, what: str) -> str | None:
    raw = _raw(args, key)
    if not raw:
        return None
    if raw not in allowed:
        params = {"key": key, "raw": raw[:30], "names": ", ".join(allowed)}
        if what == "Nutzungsart":
            raise ParamError(
                Text(
                    "Parameter „%(key)s“: unbekannte Nutzungsart „%(raw)s“. Erlaubt: %(names)s.",
                    **params,
                )
            )
        raise ParamError(
            Text("Parameter „%(key)s“: unbekannte Art „%(raw)s“. Erlaubt: %(names)s.", **params)
        )
    return raw


def _date(args: Mapping, key: str) -> date | None:
    raw = _raw(args, key)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        message = Text(
            "Parameter „%(key)s“: „%(raw)s“ ist kein Datum im Format JJJJ-MM-TT.",
            key=key,
            raw=raw[:30],
        )
        raise ParamError(message, "date") from None


def _coordinate(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ParamError(
            Text(
                "Parameter „bbox“: „%(raw)s“ ist keine Zahl; %(help)s.",
                raw=raw[:30],
                help=BBOX_HELP,
            )
        ) from None
    if not math.isfinite(value):
        raise ParamError(Text("Parameter „bbox“: „%(raw)s“ ist keine endliche Zahl.", raw=raw[:30]))
    return value


def parse_bbox(raw: str) -> tuple[float, float, float, float] | None:
    raw = raw.strip()
    if not raw:
        return None
    parts = raw.split(",")
    if len(parts) != 4:
        raise ParamError(Text("Parameter „bbox“: %(help)s.", help=BBOX_HELP))
    min_lon, min_lat, max_lon, max_lat = (_coordinate(p.strip()) for p in parts)
    for lon in (min_lon, max_lon):
        if not -180 <= lon <= 180:
            raise ParamError(
                Text(
                    "Parameter „bbox“: Längengrad %(lon)s liegt nicht in -180 bis 180.",
                    lon=format(lon, "g"),
                )
            )
    for lat in (min_lat, max_lat):
        if not -90 <= lat <= 90:
            raise ParamError(
                Text(
                    "Parameter „bbox“: Breitengrad %(lat)s liegt nicht in -90 bis 90.",
                    lat=format(lat, "g"),
                )
            )
    if min_lon > max_lon or min_lat > max_lat:
        raise ParamError(Text("Parameter „bbox“: das Minimum ist größer als das Maximum."))
    return min_lon, min_lat, max_lon, max_lat


def _check_names(args: Mapping, allowed: set[str]) -> None:
    for key in args:
        if key not in allowed:
            names = ", ".join(sorted(allowed - {"lang"}))
            raise ParamError(
                Text(
                    "Unbekannter Parameter „%(key)s“. Erlaubt: %(names)s.",
                    key=key[:30],
                    names=names,
                )
            )


def _common(args: Mapping, max_limit: int) -> dict:
    values = {
        "bbox": parse_bbox(args.get("bbox") or ""),
        "district": _integer(args, "district", 1, INT_MAX),
        "area_min": _number(args, "area_min"),
        "area_max": _number(args, "area_max"),
        "street_level": _flag(args, "street_level"),
        "step_free": _flag(args, "step_free"),
        "limit": _integer(args, "limit", 1, max_limit),
        "offset": _integer(args, "offset", 0, MAX_OFFSET) or 0,
        "after": _integer(args, "after", 0, INT_MAX),
        "ags": _raw(args, "ags")[:8] or None,
    }
    if values["limit"] is None:
        values["limit"] = DEFAULT_LIMIT
    if values["after"] is not None and _raw(args, "offset"):
        raise ParamError(
            Text(
                "Parameter „after“ und „offset“ gehen nicht zusammen: „after“ blättert nach der "
                "Kennung (Link: next), „offset“ nach der Position."
            )
        )
    low, high = values["area_min"], values["area_max"]
    if low is not None and high is not None and low > high:
        raise ParamError(Text("Parameter „area_min“ ist größer als „area_max“."))
    return values


def parse_units(args: Mapping, strict: bool = True, max_limit: int = MAX_LIMIT) -> PublicFilter:
    """Unit filters; ``strict`` (the API) also refuses unknown parameter names."""
    if strict:
        _check_names(args, UNIT_PARAMS)
    return PublicFilter(
        **_common(args, max_limit),
        kind=_code(args, "kind", UNIT_KINDS, "Art"),
        available_from=_date(args, "available_from"),
    )


def parse_proposals(args: Mapping, max_limit: int = MAX_LIMIT) -> PublicFilter:
    _check_names(args, PROPOSAL_PARAMS)
    return PublicFilter(
        **_common(args, max_limit), kind=_code(args, "use_kind", USE_KINDS, "Nutzungsart")
    )


# --- the map page's filter form ------------------------------------------------------------
# Each field is checked on its own: a bad one is reported with its label (the view knows the
# labels) and a plain hint, and the other filters still apply.
PAGE_HINTS = {
    "number": Text("bitte eine Zahl eingeben, z. B. 50"),
    "range": Text("bitte eine Zahl von 0 bis 1.000.000 eingeben"),
    "order": Text("bitte eine Zahl eingeben, die nicht kleiner ist als „Fläche von“"),
    "choice": Text("bitte einen Eintrag aus der Liste wählen"),
    "date": Text("bitte ein Datum eingeben, z. B. 2026-12-31"),
    "flag": Text("bitte ankreuzen oder frei lassen"),
}
PAGE_FIELDS = {
    "district": lambda args: _integer(args, "district", 1, INT_MAX),
    "kind": lambda args: _code(args, "kind", UNIT_KINDS, "Art"),
    "area_min": lambda args: _number(args, "area_min"),
    "area_max": lambda args: _number(args, "area_max"),
    "available_from": lambda args: _date(args, "available_from"),
    "street_level": lambda args: _flag(args, "street_level"),
    "step_free": lambda args: _flag(args, "step_free"),
}


def parse_unit_page(args: Mapping) -> tuple[PublicFilter, dict[str, Text]]:
    """The map page's filters: (the valid ones as a filter, {field: hint} for the bad ones).
    Other parameters (the map view's lat/lon/z) are ignored."""
    values: dict = {}
    errors: dict[str, Text] = {}
    for key, parse in PAGE_FIELDS.items():
        try:
            values[key] = parse(args)
        except ParamError as error:
            errors[key] = PAGE_HINTS[error.hint]
    low, high = values.get("area_min"), values.get("area_max")
    if low is not None and high is not None and low > high:
        errors["area_max"] = PAGE_HINTS["order"]
        values["area_max"] = None
    return PublicFilter(**{k: v for k, v in values.items() if v is not None}), errors
