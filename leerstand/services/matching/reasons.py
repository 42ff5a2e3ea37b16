"""Match reasons as data, and their sentences.

A criterion's reason is stored as ``{"criterion", "points", "max", "key", "values"}``: ``key``
names the sentence (``REASONS``), ``values`` holds its raw numbers and codes (metres, m², euros,
months, the owner's contact state, utility codes, the Ortsteil's name), never formatted text.
``reason_text`` turns a stored reason into a ``messages.Text``: German as a string, and in the
reader's language and number format through ``i18n.translate`` (the Jinja filter
``match_reason``). Reasons stored before they were data (only ``"text"``) are shown as stored
until the next ``flask rematch``."""

from __future__ import annotations

from leerstand.messages import Amount, Text

REASONS = {
    # distance
    "distance.point": Text("%(metres)s m vom Wunschort"),
    "distance.district": Text("im gewünschten Ortsteil %(district)s"),
    "distance.district_centre": Text(
        "im gewünschten Ortsteil %(district)s, %(metres)s m vom Ortskern"
    ),
    "distance.district_unnamed": Text("im gewünschten Ortsteil"),
    "distance.area": Text("im gewünschten Gebiet"),
    "distance.area_centre": Text("im gewünschten Gebiet, %(metres)s m von dessen Mitte"),
    "distance.unit": Text("von der Initiative ausgewählte Einheit"),
    # area
    "area.not_wanted": Text("%(size)s m² (keine Größe gewünscht)"),
    "area.not_wanted_unknown": Text("Fläche unbekannt (keine Größe gewünscht)"),
    "area.unknown": Text("Fläche unbekannt (%(wanted)s)"),
    "area.fits": Text("%(size)s m² – passt (%(wanted)s)"),
    "area.smaller": Text("%(size)s m² – etwas kleiner als gesucht (%(wanted)s)"),
    "area.larger": Text("%(size)s m² – etwas größer als gesucht (%(wanted)s)"),
    # utilities
    "utilities.none_wanted": Text("keine besondere Ausstattung gewünscht"),
    "utilities.there": Text("%(there)s vorhanden"),
    "utilities.missing_one": Text("%(missing)s fehlt"),
    "utilities.missing": Text("%(missing)s fehlen"),
    "utilities.there_missing_one": Text("%(there)s vorhanden, %(missing)s fehlt"),
    "utilities.there_missing": Text("%(there)s vorhanden, %(missing)s fehlen"),
    # cost
    "cost.free": Text("kostenfrei – passt zum Budget"),
    "cost.costs_only": Text("nur Nebenkosten – passt zum Budget"),
    "cost.costs_only_no_budget": Text("nur Nebenkosten – die Idee hat kein Budget"),
    "cost.unknown": Text("Erwartung der Eigentümer:in zu Kosten unbekannt"),
    "cost.rent_no_budget": Text("Miete erwartet – die Idee hat kein Budget"),
    "cost.rent_costs_only": Text("Miete erwartet – die Idee trägt nur Nebenkosten"),
    "cost.rent_amount_unknown": Text("Miete erwartet (Höhe unbekannt)"),
    "cost.rent_amount_unknown_budget": Text(
        "Miete erwartet (Höhe unbekannt), Budget bis %(budget)s €"
    ),
    "cost.rent_budget_unknown": Text("Miete erwartet (%(rent)s €/Monat)"),
    "cost.rent_within": Text("Miete %(rent)s €/Monat – im Budget (bis %(budget)s €)"),
    "cost.rent_over": Text("Miete %(rent)s €/Monat – über dem Budget (bis %(budget)s €)"),
    # openness: the least open owner's state, and how many owners there are
    "openness.no_owner": Text("keine Eigentümer:in erfasst"),
    "openness.several": Text(
        "%(state)s (%(owners)s Eigentümer:innen, die am wenigsten offene zählt)"
    ),
    # vacancy
    "vacancy.expected": Text("Leerstand absehbar, noch genutzt"),
    "vacancy.unknown": Text("leer, seit wann ist unbekannt"),
    "vacancy.under_a_month": Text("seit weniger als einem Monat leer"),
    "vacancy.one_month": Text("seit 1 Monat leer"),
    "vacancy.months": Text("seit %(months)s Monaten leer"),
}
UTILITY_NAMES = {
    "power": Text("Strom"),
    "water": Text("Wasser"),
    "wc": Text("WC"),
    "heating": Text("Heizung"),
}
OWNER_STATES = {
    "municipality": Text("im Eigentum der Kommune"),
    "agreement": Text("Vereinbarung mit der Eigentümer:in"),
    "open_to_interim_use": Text("Eigentümer:in offen für Zwischennutzung"),
    "in_dialogue": Text("Eigentümer:in im Gespräch"),
    "contacted": Text("Eigentümer:in kontaktiert, noch ohne Antwort"),
    "closed": Text("Ansprache abgeschlossen"),
    "not_contacted": Text("Eigentümer:in noch nicht kontaktiert"),
    "unreachable": Text("Eigentümer:in nicht erreichbar"),
    "objected": Text("Widerspruch gegen Ansprache (Art. 21 DSGVO)"),
}


def _wanted(low: float | None, high: float | None) -> Text:
    if low is not None and high is not None:
        return Text("gesucht %(low)s–%(high)s m²", low=float(low), high=float(high))
    if low is not None:
        return Text("gesucht ab %(low)s m²", low=float(low))
    return Text("gesucht bis %(high)s m²", high=float(high))


def _params(values: dict) -> dict:
    """The sentence's parameters from the stored raw values (numbers typed for formatting)."""
    params = {}
    for name, value in values.items():
        if name in ("metres", "size"):
            params[name] = float(value)
        elif name in ("rent", "budget"):
            params[name] = Amount(value)
        elif name in ("there", "missing"):
            params[name] = [UTILITY_NAMES[code] for code in value]
        elif name == "state":
            params[name] = OWNER_STATES.get(value) or str(value)
        elif name not in ("low", "high"):
            params[name] = value
    if "low" in values or "high" in values:
        params["wanted"] = _wanted(values.get("low"), values.get("high"))
    return params


def reason_text(reason: dict) -> str:
    """A stored reason's sentence: a ``Text`` (German, translatable), or the old stored text."""
    key, values = reason.get("key"), reason.get("values") or {}
    if key == "openness.one":  # the state's own sentence
        return _params(values)["state"]
    if key not in REASONS:
        return str(reason.get("text", ""))
    return Text(REASONS[key].msgid, **_params(values))
