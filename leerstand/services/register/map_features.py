"""The building blocks of the register map's answers (``map_layer`` groups the units,
``map_cells`` reads the cell counts): what a request asks for (``LayerQuery``), one unit's
feature with its popup's facts and link, and the FeatureCollection with ``total``,
``clustered`` and ``extent`` around a set of features. SQL expressions only; runs nothing."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import JSON, Select, Text, bindparam, case, cast, func, literal_column, select
from sqlalchemy.dialects.postgresql import JSONB

from leerstand.models import Building, Unit
from leerstand.services.interim_uses import state as interim_state
from leerstand.services.register.filters import RegisterFilter
from leerstand.services.register.map_view import MapView
from leerstand.services.register.search import address


@dataclass(frozen=True)
class LayerQuery:
    """What the layer is asked for: town, filter, view, and the words and link of a popup."""

    municipality_id: int
    filter: RegisterFilter
    view: MapView
    url_template: str  # the building page, ``{id}`` for its id
    labels: Mapping  # kind and vacancy_state: {code: label}; planned_interim with ``{date}``
    today: date


def k(key: str):
    """A constant JSON key as SQL literal (static strings only)."""
    return literal_column(f"'{key}'")


def label(labels, column):
    return func.coalesce(func.jsonb_extract_path_text(labels, column), column)


def lon():
    return func.ST_X(Building.location)


def lat():
    return func.ST_Y(Building.location)


def unit_feature(q: LayerQuery):
    """One unit's feature: address, name, kind and vacancy (a planned interim use reads
    "Zwischennutzung geplant ab dd.mm.yyyy", by the rule of the register's column), the link."""
    kind_labels = cast(bindparam("kind_labels", json.dumps(q.labels["kind"])), JSONB)
    state_labels = cast(bindparam("state_labels", json.dumps(q.labels["vacancy_state"])), JSONB)
    planned_label = func.replace(
        cast(bindparam("planned_label", q.labels["planned_interim"]), Text),
        "{date}",
        func.to_char(interim_state.planned_start_column(q.today), "DD.MM.YYYY"),
    )
    url = func.replace(
        cast(bindparam("url_template", q.url_template), Text), "{id}", cast(Building.id, Text)
    )
    props = func.json_build_object(
        k("unit_id"), Unit.id,
        k("name"), Unit.name,
        k("address"), address(),
        k("kind"), Unit.kind,
        k("kind_label"), label(kind_labels, Unit.kind),
        k("vacancy_state"), Unit.vacancy_state,
        k("vacancy_label"),
        func.coalesce(planned_label, label(state_labels, Unit.vacancy_state)),
        k("url"), url,
    )  # fmt: skip
    return func.json_build_object(
        k("type"), k("Feature"),
        k("id"), Unit.id,
        k("properties"), props,
        k("geometry"), cast(func.ST_AsGeoJSON(Building.location, 6), JSON),
    )  # fmt: skip


def collection(features, total, clustered, extent) -> Select:
    """Two columns: the collection as text and ``total``; ``features`` a subquery with one
    column ``feature``, the rest SQL expressions."""
    return select(
        cast(
            func.json_build_object(
                k("type"),
                k("FeatureCollection"),
                k("total"),
                total,
                k("clustered"),
                clustered,
                k("extent"),
                extent,
                k("features"),
                func.coalesce(
                    select(func.json_agg(features.c.feature)).scalar_subquery(),
                    literal_column("'[]'::json"),
                ),
            ),
            Text,
        ),  # fmt: skip
        total,
    )


def extent_of(x1, y1, x2, y2):
    """[minLon, minLat, maxLon, maxLat] over the rows of the columns' table; null for none."""
    box = func.json_build_array(func.min(x1), func.min(y1), func.max(x2), func.max(y2))
    return select(case((func.count() > 0, box))).scalar_subquery()
