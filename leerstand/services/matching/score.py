"""The score of a match (0–100) and its reasons, criterion by criterion.

Each criterion (keys of ``vocab.MATCH_CRITERIA``) gives a fraction 0…1 of its weight and a
reason as data: a sentence key and its raw values (``reasons.REASONS``; the sentence is made
in the reader's language when shown, ``reasons.reason_text``). The score is the rounded sum.
The candidate rows come from ``candidates``; the hard filters (area with tolerance, street
level, step-free, kind of unit, window, owner declined) were applied there, so everything here
only ranks."""

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
# Months vacant: full points from VACANCY_FULL_MONTHS on; unknown start VACANCY_UNKNOWN_FRACTION.
VACANCY_FULL_MONTHS = 24
VACANCY_UNKNOWN_FRACTION = 0.25
UTILITIES = ("power", "water", "wc", "heating")

# A criterion's result: (fraction 0…1, sentence key of reasons.REASONS, raw values).
Result = tuple[float, str, dict]


def distance(need: Need, unit: UnitRow) -> Result:
    kind, d = need.location_kind, unit.distance_m
    if kind == "point":
        d = round(d or 0)
        return max(0.0, 1.0 - d / (need.radius_m or 1)), "distance.point", {"metres": d}
    if d is not None:
        d = round(d, -1)  # to a centre: ten metres are precise enough
    if kind == "districts":
        return _district(unit.district_name, d)
    if kind == "area":
        if d is None:
            return 1.0, "distance.area", {}
        return 1.0, "distance.area_centre", {"metres": round(d)}
    return 1.0, "distance.unit", {}


def _district(name: str | None, d: float | None) -> Result:
    if d is None:
        if not name:
            return 1.0, "distance.district_unnamed", {}
        return 1.0, "distance.district", {"district": name}
    fraction = 1.0 - DISTRICT_DISCOUNT * min(d, DISTRICT_SCALE_M) / DISTRICT_SCALE_M
    return fraction, "distance.district_centre", {"district": name or "", "metres": round(d)}


def _wanted(need: Need) -> dict:
    pairs = (("low", need.area_min), ("high", need.area_max))
    return {key: value for key, value in pairs if value is not None}


def area(need: Need, unit: UnitRow) -> Result:
    low, high, size = need.area_min, need.area_max, unit.area_m2
    if low is None and high is None:
        if size is None:
            return 1.0, "area.not_wanted_unknown", {}
        return 1.0, "area.not_wanted", {"size": size}
    if size is None:
        return AREA_UNKNOWN_FRACTION, "area.unknown", _wanted(need)
    values = {"size": size, **_wanted(need)}
    tolerance = float(AREA_TOLERANCE)
    if low is not None and size < low:
        off, key = ((low - size) / (low * tolerance) if low else 1.0), "area.smaller"
    elif high is not None and size > high:
        off, key = ((size - high) / (high * tolerance) if high else 1.0), "area.larger"
    else:
        return 1.0, "area.fits", values
    fraction = max(0.0, 1.0 - (1.0 - AREA_EDGE_FRACTION) * min(off, 1.0))
    return fraction, key, values


def utilities(need: Need, unit: UnitRow) -> Result:
    wanted = [key for key in UTILITIES if getattr(need, key)]
    if not wanted:
        return 1.0, "utilities.none_wanted", {}
    there = [key for key in wanted if getattr(unit, key)]
    missing = [key for key in wanted if not getattr(unit, key)]
    fraction = len(there) / len(wanted)
    if not missing:
        return fraction, "utilities.there", {"there": there}
    key = "missing_one" if len(missing) == 1 else "missing"
    if there:
        return fraction, f"utilities.there_{key}", {"there": there, "missing": missing}
    return fraction, f"utilities.{key}", {"missing": missing}


def cost(need: Need, unit: UnitRow) -> Result:
    expects, budget_kind = unit.owner_expectation, need.budget_kind
    if expects == "free":
        return COST_FREE, "cost.free", {}
    if expects == "costs_only":
        fraction = COST_COSTS_ONLY.get(budget_kind, COST_UNKNOWN)
        if budget_kind == "nothing":
            return fraction, "cost.costs_only_no_budget", {}
        return fraction, "cost.costs_only", {}
    if expects != "rent":
        return COST_UNKNOWN, "cost.unknown", {}
    if budget_kind == "nothing":
        return COST_RENT["nothing"], "cost.rent_no_budget", {}
    if budget_kind == "costs_only":
        return COST_RENT["costs_only"], "cost.rent_costs_only", {}
    return _rent(unit.rent, need.budget)


def _rent(rent: float | None, budget: float | None) -> Result:
    if rent is None and budget is None:
        return COST_RENT_UNKNOWN_AMOUNT, "cost.rent_amount_unknown", {}
    if rent is None:
        return COST_RENT_UNKNOWN_AMOUNT, "cost.rent_amount_unknown_budget", {"budget": budget}
    if budget is None:
        return COST_RENT_UNKNOWN_AMOUNT, "cost.rent_budget_unknown", {"rent": rent}
    values = {"rent": rent, "budget": budget}
    if rent <= budget:
        return 1.0, "cost.rent_within", values
    return COST_RENT_OVER_BUDGET * budget / rent, "cost.rent_over", values


def openness(need: Need, unit: UnitRow) -> Result:
    states = unit.owner_states
    if not states:
        return OPENNESS_NO_OWNER, "openness.no_owner", {}
    # owners who may not be contacted count only when nobody else can be asked
    states = [s for s in states if s != "objected"] or states
    least = min(states, key=lambda s: OPENNESS.get(s, 0.0))
    fraction = OPENNESS.get(least, 0.0)
    if len(states) > 1:
        return fraction, "openness.several", {"state": least, "owners": len(states)}
    return fraction, "openness.one", {"state": least}


def vacancy(need: Need, unit: UnitRow) -> Result:
    if unit.vacancy_state == "vacancy_expected":
        return 0.0, "vacancy.expected", {}
    if unit.months_vacant is None:
        return VACANCY_UNKNOWN_FRACTION, "vacancy.unknown", {}
    months = max(0, unit.months_vacant)
    fraction = min(months, VACANCY_FULL_MONTHS) / VACANCY_FULL_MONTHS
    if months == 0:
        return fraction, "vacancy.under_a_month", {}
    if months == 1:
        return fraction, "vacancy.one_month", {}
    return fraction, "vacancy.months", {"months": months}


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
        fraction, key, values = criterion(need, unit)
        points = round(weight * fraction, 1)
        reason = {"criterion": code, "points": points, "max": weight, "key": key, "values": values}
        self.memos[index][key] = reason
        return reason

    def __call__(self, need: Need, unit: UnitRow) -> tuple[int, list[dict]]:
        """(score 0–100, reasons [{criterion, points, max, key, values}], MATCH_CRITERIA order)."""
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
