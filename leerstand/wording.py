"""Wording of values that may be missing, shared by pages, letters and mails: a period reads
"ab 01.03.2027", "bis 30.06.2027", "01.03.2027 bis 30.06.2027" or "nach Absprache", never a
dash placeholder such as "– – –" or "offen bis offen".

Functions return a ``Text`` (German; ``leerstand.i18n.translate`` shows it in the visitor's
language, a mail or letter uses it as it is). Dates are written dd.mm.yyyy (``dates.day``)."""

from __future__ import annotations

from datetime import date

from leerstand.dates import day
from leerstand.messages import Text


def period(start: date | None, end: date | None) -> Text:
    """A period with an open start and/or end in words."""
    if start and end:
        if start == end:
            return Text("am %(start)s", start=day(start))
        return Text("%(start)s bis %(end)s", start=day(start), end=day(end))
    if start:
        return Text("ab %(start)s", start=day(start))
    if end:
        return Text("bis %(end)s", end=day(end))
    return Text("nach Absprache")


NAME_PARTICLES = frozenset({"von", "van", "de", "der", "den", "zu", "zur", "vom", "ten", "ter"})


def surname(name: str) -> str:
    """The family name of "Vorname Nachname" or "Nachname, Vorname", with leading academic
    titles ("Dr. Sabine Testfrau" -> "Dr. Testfrau") and particles ("Ida von Muster" ->
    "von Muster")."""
    name = " ".join((name or "").split())
    if "," in name:
        return name.split(",", 1)[0].strip()
    words = name.split(" ")
    titles = []
    while len(words) > 1 and words[0].endswith("."):
        titles.append(words.pop(0))
    last = len(words) - 1
    while last > 0 and words[last - 1].lower() in NAME_PARTICLES:
        last -= 1
    return " ".join([*titles, *words[last:]])


def greeting(salutation: str | None, name: str | None) -> Text:
    """The opening of a letter or mail: "Sehr geehrte Frau Testfrau,", "Sehr geehrter Herr
    Muster," or, for neutral, organisation or a missing name, "Sehr geehrte Damen und Herren,"."""
    family = surname(name or "")
    if salutation == "frau" and family:
        return Text("Sehr geehrte Frau %(name)s,", name=family)
    if salutation == "herr" and family:
        return Text("Sehr geehrter Herr %(name)s,", name=family)
    return Text("Sehr geehrte Damen und Herren,")
