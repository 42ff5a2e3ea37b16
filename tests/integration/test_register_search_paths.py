"""The register's search text takes one of two paths (``register.search``): a narrow search
fetches its hits through the trigram indexes (a UNION of buildings by address or place and
units by name), a ``broad`` one – PostgreSQL expects more than ``BROAD`` hits – filters every
row as it reads in the page's order. Both give the same count and the same pages, forward and
from the end; which one runs follows the estimate, on both sides of the threshold.

2,100 units on the Rasterweg 1 … 2100, named "R<number>"; "Rasterweg 20" (address) and "R20"
(unit name) match number 20, 200–209 and 2000–2099: 111 units."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, text

from leerstand.services.register import paging
from leerstand.services.register import search as register
from leerstand.services.register.filters import RegisterFilter
from tests.integration.test_register_scale_paging import GRID, UNITS

FIRST_PAGE = ["R20", *(f"R{n}" for n in range(200, 210)), *(f"R{n}" for n in range(2000, 2014))]
SECOND_PAGE = [f"R{n}" for n in range(2014, 2039)]
LAST_PAGE = [f"R{n}" for n in range(2089, 2100)]  # 111 = 4 · 25 + 11


@pytest.fixture
def grid(session, base):
    for statement in filter(str.strip, GRID.split(";")):
        session.execute(text(statement.replace("%%", "%")), {"m": base.municipality.id, "n": UNITS})
    session.flush()


def _names(session, base, q: str, page: int) -> tuple[list[str], int, bool]:
    found = register.search(session, base.municipality.id, RegisterFilter(q=q, page=page), 25)
    return [row.unit_name for row in found.rows], found.total, found.estimated


@pytest.mark.parametrize("broad_above", [-1, 10**9])  # always broad / never broad
@pytest.mark.parametrize("q", ["Rasterweg 20", "r20"])  # address; unit name, any case
def test_both_paths_give_the_same_pages(session, base, grid, monkeypatch, broad_above, q):
    monkeypatch.setattr(register, "BROAD", broad_above)
    pages = {1: FIRST_PAGE, 2: SECOND_PAGE, 5: LAST_PAGE, -1: LAST_PAGE}
    for page, expected in pages.items():
        assert _names(session, base, q, page) == (expected, 111, False), page


def _union_in_rows(session, base, q: str) -> bool:
    """Whether the page's rows statement took the narrow path (the UNION of the indexes)."""
    seen: list[str] = []

    def spy(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    engine = session.get_bind().engine
    event.listen(engine, "before_cursor_execute", spy)
    try:
        register.search(session, base.municipality.id, RegisterFilter(q=q), 25)
    finally:
        event.remove(engine, "before_cursor_execute", spy)
    rows = [s for s in seen if s.startswith("SELECT unit.id AS unit_id")]
    assert len(rows) == 1, seen
    return "UNION" in rows[0]


def test_the_estimate_chooses_the_path(session, base, grid, monkeypatch):
    session.execute(text("ANALYZE building"))
    session.execute(text("ANALYZE unit"))
    ids = register.filtered_ids(RegisterFilter(q="Rasterweg"), base.municipality.id, date.today())
    expected = paging.planner_rows(session, ids)
    assert 1000 < expected < 5000, expected  # 2,100 match
    monkeypatch.setattr(register, "BROAD", 1000)
    assert not _union_in_rows(session, base, "Rasterweg")  # broad: read in the page's order
    monkeypatch.setattr(register, "BROAD", 5000)
    assert _union_in_rows(session, base, "Rasterweg")  # narrow: through the indexes
