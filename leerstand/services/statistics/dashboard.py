"""Everything the staff statistics page shows, in one call (``dashboard``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session

from leerstand.services.statistics.contact import contact_funnel
from leerstand.services.statistics.ideas import idea_timing
from leerstand.services.statistics.interim import interim_uses
from leerstand.services.statistics.overview import vacancy_overview
from leerstand.services.statistics.reports import citizen_reports
from leerstand.services.statistics.scope import Period, Scope, year_before
from leerstand.services.statistics.use_requests import requests_by_channel

# For the rest of the (read-only) transaction: the aggregates sort tens of thousands of rows
# (medians, ROLLUP) and spill with the default 4 MB; their inflated cost estimates trigger JIT
# compilation that costs more than it saves (measured by scripts/bench_stats.py).
SETTINGS = ("SET LOCAL work_mem = '32MB'", "SET LOCAL jit = off")


def dashboard(session: Session, scope: Scope, period: Period, day: date) -> dict:
    """Vacancy on ``day`` and a year before, the quarters of ``period``, the contact funnel, use
    requests by channel, idea timings, interim uses and citizens' reports of ``period`` (six
    statements: the vacancy figures share one, ``overview``)."""
    for setting in SETTINGS:
        session.execute(text(setting))
    return {
        **vacancy_overview(session, scope, period, day, year_before(day)),
        "funnel": contact_funnel(session, scope, period),
        "requests": requests_by_channel(session, scope, period),
        "ideas": idea_timing(session, scope, period),
        "interim": interim_uses(session, scope, period),
        "reports": citizen_reports(session, scope, period),
    }
