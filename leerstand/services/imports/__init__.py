"""Importing a file (CSV, XLSX, GeoJSON, GeoPackage, zipped Shapefile) into the register: read
it, map its columns and words, plan per row (a dry run that writes nothing), commit as one
audited batch, undo a batch. ``uploads.py`` (the wizard's stored files) belongs to the wizard."""

from leerstand.services.imports.access import may_import
from leerstand.services.imports.commit import commit
from leerstand.services.imports.fields import (
    CRS_CHOICES,
    FIELDS,
    REQUIRED,
    VALUE_FIELDS,
    guess_columns,
)
from leerstand.services.imports.plan import Plan, Progress, RowResult, plan
from leerstand.services.imports.readers import read_table
from leerstand.services.imports.settings import Settings, check_settings
from leerstand.services.imports.table import ImportProblem, Table
from leerstand.services.imports.undo import batches, undo
from leerstand.services.imports.values import guess_values, value_words

__all__ = [
    "CRS_CHOICES",
    "FIELDS",
    "REQUIRED",
    "VALUE_FIELDS",
    "ImportProblem",
    "Plan",
    "Progress",
    "RowResult",
    "Settings",
    "Table",
    "batches",
    "check_settings",
    "commit",
    "guess_columns",
    "guess_values",
    "may_import",
    "plan",
    "read_table",
    "undo",
    "value_words",
]
