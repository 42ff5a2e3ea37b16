"""The town's calendar: "today" and dates in local time (Europe/Berlin unless
``BABEL_DEFAULT_TIMEZONE`` says otherwise), without Flask, so that services, the CLI and tests
agree on which day it is (a server in UTC is one day behind between 0:00 and 1:00/2:00).

Web pages format with the Babel filters in ``leerstand.i18n``; texts that are stored or mailed
(contact log, reasons, mails) use ``day`` here."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo(os.environ.get("BABEL_DEFAULT_TIMEZONE", "Europe/Berlin"))


def local_date(moment: datetime) -> date:
    """The local calendar day of an aware ``moment``."""
    return moment.astimezone(LOCAL_TZ).date()


def local_today() -> date:
    return local_date(datetime.now(UTC))


def day(value: date | datetime | None) -> str:
    """dd.mm.yyyy of a date, or of a datetime's local day; "–" for None."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = local_date(value)
    return value.strftime("%d.%m.%Y")
