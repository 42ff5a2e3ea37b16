"""The file as read: ``Table`` (headers, cell texts, line numbers, geometries, CRS) and
``ImportProblem`` for a file that cannot be imported at all; the size limits of an import."""

from __future__ import annotations

from dataclasses import dataclass

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000


class ImportProblem(Exception):
    """The whole file cannot be imported; ``args[0]`` is the German message."""


@dataclass
class Table:
    file_name: str
    file_format: str  # "csv" | "xlsx" | "geojson" | "gpkg" | "shp"
    headers: list[str]
    rows: list[list[str | None]]
    lines: list[int]
    geometries: list | None = None
    file_crs: str | None = None

    def column(self, header: str) -> int:
        return self.headers.index(header)
