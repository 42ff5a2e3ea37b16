"""The matching criteria with their sentence in German, as the staff page shows it: each returns
(fraction, text) for the unit tests of ``matching.score``."""

from leerstand.services.matching import score as s
from leerstand.services.matching.reasons import reason_text


def _said(criterion):
    def run(need_, unit_):
        fraction, key, values = criterion(need_, unit_)
        return fraction, str(reason_text({"key": key, "values": values}))

    return run


distance, area, utilities, cost, openness, vacancy = map(
    _said, (s.distance, s.area, s.utilities, s.cost, s.openness, s.vacancy)
)
