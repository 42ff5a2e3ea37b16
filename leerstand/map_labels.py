"""What the public map's GeoJSON needs from the request: the vocabulary labels in the visitor's
language (cached per locale) and URL templates for the links in its popups. The GeoJSON API and
the public pages that embed the same GeoJSON both use it (so views need not import the API)."""

from __future__ import annotations

from functools import lru_cache

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from leerstand import vocab
from leerstand.services.public import geojson as service

PLACEHOLDER = "999999999"


def vocabulary_labels(vocabulary: dict) -> dict:
    """{code: label in the visitor's language} of one vocabulary, for a map's popups."""
    return {code: str(text) for code, text in vocabulary.items()}


def url_template(endpoint: str, key: str) -> str:
    """``url_for(endpoint)`` with ``{id}`` where the record's id goes, e.g. "/einheit/{id}"."""
    return url_for(endpoint, **{key: int(PLACEHOLDER)}).replace(PLACEHOLDER, "{id}")


@lru_cache(maxsize=8)
def _unit_labels(locale: str) -> dict:
    labels = service.labels_params(
        {
            "kinds": vocabulary_labels(vocab.UNIT_KINDS),
            "states": vocabulary_labels(vocab.VACANCY_STATES),
            "terms": vocabulary_labels(vocab.OWNER_EXPECTATIONS),
        }
    )
    # the staff pages' words for a planned interim use; PostGIS puts in the date (dd.mm.yyyy)
    return {**labels, "planned_label": _("Zwischennutzung geplant ab %(date)s", date="{date}")}


@lru_cache(maxsize=8)
def _proposal_labels(locale: str) -> dict:
    return service.labels_params({"uses": vocabulary_labels(vocab.USE_KINDS)})


def unit_extra() -> dict:
    """Labels in the current language (cached per locale) and the public unit URL."""
    return {
        **_unit_labels(str(get_locale())),
        "unit_url": url_template("public.unit", "unit_id"),
    }


def proposal_extra() -> dict:
    return {
        **_proposal_labels(str(get_locale())),
        "proposal_url": url_template("public.proposal", "proposal_id"),
    }
