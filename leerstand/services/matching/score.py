"""The score of a match (0–100) and its reasons in German, criterion by criterion.

Each criterion (keys of ``vocab.MATCH_CRITERIA``) gives a fraction 0…1 of its weight and one
sentence; the score is the rounded sum. The candidate rows come from ``candidates``; the hard
filters (area with tolerance, street level, step-free, kind of unit, window, owner declined)
were applied there, so everything here only ranks. Texts are plain German strings (like the
contact log), numbers in German format ("1.234 m", "92,5 m²")."""

from __future__ import annotations

from leerstand.services.matching.candidates import AREA_TOLERANCE, Need, UnitRow

WEIGHT_DISTANCE = 25
WEIGHT_AREA = 20
WEIGHT_UTILITIES = 15
WEIGHT_COST = 15
WEIGHT_OPENNESS = 15
WEIGHT_VACANCY = 10
WEIGHTS = {
    "distance": WEIGHT_DISTANCE,
    "area": WEIGHT_AREA,
    "utilities": WEIGHT_UTILITIES,
    "cost": WEIGHT_COST,
    "openness": WEIGHT_OPENNESS,
    "vacancy": WEIGHT_VACANCY,
}
assert sum(WEIGHTS.values()) == 100

# Ortsteile: full points at the district centre, DISTRICT_DISCOUNT less at DISTRICT_SCALE_M.
DISTRICT_SCALE_M = 2000
DISTRICT_DISCOUNT = 0.5
# Area: inside the wanted range full points; at the edge of the tolerance AREA_EDGE_FRACTION.
AREA_EDGE_FRACTION = 0.5
AREA_UNKNOWN_FRACTION = 0.25
# Cost fit: fraction per (what the owner expects, what the proposal can pay).
COST_FREE = 1.0
COST_COSTS_ONLY = {"nothing": 0.5, "costs_only": 1.0, "rent": 1.0}
COST_RENT = {"nothing": 0.0, "costs_only": 0.2}
COST_RENT_UNKNOWN_AMOUNT = 0.6
COST_RENT_OVER_BUDGET = 0.7  # times budget / rent
COST_UNKNOWN = 0.5
# Owner openness: the least open non-manager owner counts; the town itself is the most open.
OPENNESS = {
    "municipality": 1.0,
    "agreement": 1.0,
    "open_to_interim_use": 1.0,
    "in_dialogue": 0.6,
    "contacted": 0.4,
    "closed": 0.3,
    "not_contacted": 0.25,
    "unreachable": 0.1,
    "objected": 0.0,
}
OPENNESS_NO_OWNER = 0.1
OPENNESS_TEXT = {
    "municipality": "im Eigentum der Kommune",
    "agreement": "Vereinbarung mit der Eigentümer:in",
    "open_to_interim_use": "Eigentümer:in offen für Zwischennutzung",
    "in_dialogue": "Eigentümer:in im Gespräch",
    "contacted": "Eigentümer:in kontaktiert, noch ohne Antwort",
    "closed": "Ansprache abgeschlossen",
    "not_contacted": "Eigentümer:in noch nicht kontaktiert",
    "unreachable": "Eigentümer:in nicht erreichbar",
    "objected": "Widerspruch gegen Ansprache (Art. 21 DSGVO)",
}
# Months vacant: full points from VACANCY_FULL_MONTHS on; unknown start VACANCY_UNKNOWN_FRACTION.
VACANCY_FULL_MONTHS = 24
VACANCY_UNKNOWN_FRACTION = 0.25
UTILITIES = (("power", "Strom"), ("water", "Wasser"), ("wc", "WC"), ("heating", "Heizung"))


# --- German numbers ------------------------------------------------------------------------


def number(value: float, digits: int = 1) -> str:
    """German format: 1234.5 → "1.234,5"; whole numbers without decimals ("92")."""
    if digits == 0 or float(value).is_integer():
        return f"{round(value):,}".replace(",", ".")
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def metres(value: int) -> str:
    return f"{round(value):,} m".replace(",", ".")


def euros(value: float) -> str:
    return f"{number(value, 2)} €" if not float(value).is_integer() else f"{number(value, 0)} €"


def and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " und " + items[-1]


# --- criteria: each returns (fraction 0…1, German text) ------------------------------------


def distance(need: Need, unit: UnitRow) -> tuple[float, str]:
    kind, d = need.location_kind, unit.distance_m
    if kind == "point":
        radius = need.radius_m or 1
        return max(0.0, 1.0 - (d or 0) / radius), f"{metres(d or 0)} vom Wunschort"
    if d is not None:
        d = round(d, -1)  # to a centre: ten metres are precise enough
    if kind == "districts":
        where = f"im gewünschten Ortsteil {unit.district_name or ''}".rstrip()
        if d is None:
            return 1.0, where
        fraction = 1.0 - DISTRICT_DISCOUNT * min(d, DISTRICT_SCALE_M) / DISTRICT_SCALE_M
        return fraction, f"{where}, {metres(d)} vom Ortskern"
    if kind == "area":
        suffix = "" if d is None else f", {metres(d)} von dessen Mitte"
        return 1.0, "im gewünschten Gebiet" + suffix
    return 1.0, "von der Initiative ausgewählte Einheit"


def _range_text(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"gesucht {number(low)}–{number(high)} m²"
    if low is not None:
        return f"gesucht ab {number(low)} m²"
    return f"gesucht bis {number(high)} m²"


def area(need: Need, unit: UnitRow) -> tuple[float, str]:
    low, high, size = need.area_min, need.area_max, unit.area_m2
    if low is None and high is None:
        return 1.0, ("Fläche unbekannt" if size is None else f"{number(size)} m²") + (
            " (keine Größe gewünscht)"
        )
    wanted = _range_text(low, high)
    if size is None:
        return AREA_UNKNOWN_FRACTION, f"Fläche unbekannt ({wanted})"
    tolerance = float(AREA_TOLERANCE)
    if low is not None and size < low:
        off = (low - size) / (low * tolerance) if low else 1.0
        label = "etwas kleiner als gesucht"
    elif high is not None and size > high:
        off = (size - high) / (high * tolerance) if high else 1.0
        label = "etwas größer als gesucht"
    else:
        return 1.0, f"{number(size)} m² – passt ({wanted})"
    fraction = max(0.0, 1.0 - (1.0 - AREA_EDGE_FRACTION) * min(off, 1.0))
    return fraction, f"{number(size)} m² – {label} ({wanted})"


def utilities(need: Need, unit: UnitRow) -> tuple[float, str]:
    wanted = [(key, name) for key, name in UTILITIES if getattr(need, key)]
    if not wanted:
        return 1.0, "keine besondere Ausstattung gewünscht"
    there = [name for key, name in wanted if getattr(unit, key)]
    missing = [name for key, name in wanted if not getattr(unit, key)]
    parts = []
    if there:
        parts.append(f"{and_list(there)} vorhanden")
    if missing:
        parts.append(f"{and_list(missing)} {'fehlt' if len(missing) == 1 else 'fehlen'}")
    return len(there) / len(wanted), ", ".join(parts)


def cost(need: Need, unit: UnitRow) -> tuple[float, str]:
    expects, budget_kind = unit.owner_expectation, need.budget_kind
    if expects == "free":
        return COST_FREE, "kostenfrei – passt zum Budget"
    if expects == "costs_only":
        fraction = COST_COSTS_ONLY.get(budget_kind, COST_UNKNOWN)
        if budget_kind == "nothing":
            return fraction, "nur Nebenkosten – die Idee hat kein Budget"
        return fraction, "nur Nebenkosten – passt zum Budget"
    if expects != "rent":
        return COST_UNKNOWN, "Erwartung der Eigentümer:in zu Kosten unbekannt"
    if budget_kind == "nothing":
        return COST_RENT["nothing"], "Miete erwartet – die Idee hat kein Budget"
    if budget_kind == "costs_only":
        return COST_RENT["costs_only"], "Miete erwartet – die Idee trägt nur Nebenkosten"
    rent, budget = unit.rent, need.budget
    if rent is None or budget is None:
        limit = "" if budget is None else f", Budget bis {euros(budget)}"
        amount = "Höhe unbekannt" if rent is None else f"{euros(rent)}/Monat"
        return COST_RENT_UNKNOWN_AMOUNT, f"Miete erwartet ({amount}){limit}"
    if rent <= budget:
        return 1.0, f"Miete {euros(rent)}/Monat – im Budget (bis {euros(budget)})"
    fraction = COST_RENT_OVER_BUDGET * budget / rent
    return fraction, f"Miete {euros(rent)}/Monat – über dem Budget (bis {euros(budget)})"


def openness(need: Need, unit: UnitRow) -> tuple[float, str]:
    states = unit.owner_states
    if not states:
        return OPENNESS_NO_OWNER, "keine Eigentümer:in erfasst"
    # owners who may not be contacted count only when nobody else can be asked
    states = [s for s in states if s != "objected"] or states
    least = min(states, key=lambda s: OPENNESS.get(s, 0.0))
    text = OPENNESS_TEXT.get(least, least)
    if len(states) > 1:
        text += f" ({len(states)} Eigentümer:innen, die am wenigsten offene zählt)"
    return OPENNESS.get(least, 0.0), text


def vacancy(need: Need, unit: UnitRow) -> tuple[float, str]:
    if unit.vacancy_state == "vacancy_expected":
        return 0.0, "Leerstand absehbar, noch genutzt"
    if unit.months_vacant is None:
        return VACANCY_UNKNOWN_FRACTION, "leer, seit wann ist unbekannt"
    months = max(0, unit.months_vacant)
    if months == 0:
        text = "seit weniger als einem Monat leer"
    elif months == 1:
        text = "seit 1 Monat leer"
    else:
        text = f"seit {months} Monaten leer"
    return min(months, VACANCY_FULL_MONTHS) / VACANCY_FULL_MONTHS, text


CRITERIA = (  # the order of vocab.MATCH_CRITERIA and of ``_inputs``
    ("distance", WEIGHT_DISTANCE, distance),
    ("area", WEIGHT_AREA, area),
    ("utilities", WEIGHT_UTILITIES, utilities),
    ("cost", WEIGHT_COST, cost),
    ("openness", WEIGHT_OPENNESS, openness),
    ("vacancy", WEIGHT_VACANCY, vacancy),
)


def _inputs(u: UnitRow, point: bool) -> tuple:
    """What each criterion's result depends on besides the proposal, in CRITERIA order."""
    d = u.distance_m
    if d is not None and not point:
        d = round(d, -1)
    return (
        (d, u.district_name),
        u.area_m2,
        (u.power, u.water, u.wc, u.heating),
        (u.owner_expectation, u.rent),
        tuple(u.owner_states) if u.owner_states else None,
        (u.vacancy_state, u.months_vacant),
    )


class Scorer:
    """Scores the rows of one ranking. For the same proposal, rows with equal inputs to a criterion
    share one reason dict (most rows differ in a few criteria only), so reasons are read-only."""

    def __init__(self) -> None:
        self.need: Need | None = None
        self.memos: tuple[dict, ...] = ()
        self.by_need: dict[Need, tuple[dict, ...]] = {}

    def _reason(self, index: int, key, need: Need, unit: UnitRow) -> dict:
        code, weight, criterion = CRITERIA[index]
        fraction, text = criterion(need, unit)
        points = round(weight * fraction, 1)
        reason = {"criterion": code, "points": points, "max": weight, "text": text}
        self.memos[index][key] = reason
        return reason

    def __call__(self, need: Need, unit: UnitRow) -> tuple[int, list[dict]]:
        """(score 0–100, reasons [{criterion, points, max, text}] in MATCH_CRITERIA order)."""
        if need is not self.need:
            self.need = need
            self.memos = self.by_need.setdefault(need, tuple({} for _ in CRITERIA))
        # Unrolled over the six criteria: this runs once per candidate row.
        k0, k1, k2, k3, k4, k5 = _inputs(unit, need.location_kind == "point")
        m0, m1, m2, m3, m4, m5 = self.memos
        miss = self._reason
        reasons = [
            m0.get(k0) or miss(0, k0, need, unit),
            m1.get(k1) or miss(1, k1, need, unit),
            m2.get(k2) or miss(2, k2, need, unit),
            m3.get(k3) or miss(3, k3, need, unit),
            m4.get(k4) or miss(4, k4, need, unit),
            m5.get(k5) or miss(5, k5, need, unit),
        ]
        total = sum([r["points"] for r in reasons])
        return min(100, max(0, round(total))), reasons


def score(need: Need, unit: UnitRow) -> tuple[int, list[dict]]:
    """Score one pair (see ``Scorer`` for many)."""
    return Scorer()(need, unit)
