"""Statistics: aggregates over the vacancy history (``vacancy_period``), the contact cases, use
requests, ideas and interim uses of a scope (a municipality, optionally one Ortsteil, focus area
or kind of unit) and a period. Every figure is computed in SQL, one statement per function (window
functions, ``percentile_cont`` medians, ``generate_series`` quarters); nothing loops over rows in
Python. Views format the plain ints and floats (rates 0…1) with the ``number`` filter.

Modules: ``scope`` (Scope, Period, VACANT, SQL pieces), ``vacancy`` (vacant on a day, quarters),
``contact`` (the contact funnel), ``use_requests`` (requests by channel), ``ideas`` (idea
timings), ``interim`` (interim uses), ``reports`` (citizens' reports as a source of
vacancies), ``dashboard`` (the staff page in one call), ``report`` (the public progress report:
aggregates and public fields only)."""

from leerstand.services.statistics.contact import contact_funnel
from leerstand.services.statistics.dashboard import dashboard
from leerstand.services.statistics.ideas import idea_timing
from leerstand.services.statistics.interim import interim_uses
from leerstand.services.statistics.report import public_report
from leerstand.services.statistics.reports import citizen_reports
from leerstand.services.statistics.scope import VACANT, Period, Scope
from leerstand.services.statistics.use_requests import requests_by_channel
from leerstand.services.statistics.vacancy import vacancy_on, vacancy_quarters

__all__ = [
    "VACANT",
    "Period",
    "Scope",
    "citizen_reports",
    "contact_funnel",
    "dashboard",
    "idea_timing",
    "interim_uses",
    "public_report",
    "requests_by_channel",
    "vacancy_on",
    "vacancy_quarters",
]
