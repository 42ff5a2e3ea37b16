"""Optimistic locking (services/locking.py): the form's version, the stale-data error and the
message, without a database."""

import pytest
from sqlalchemy.orm.exc import StaleDataError

from leerstand.services import locking
from leerstand.services.errors import Conflict, ServiceError

GERMAN = (
    "Der Datensatz wurde inzwischen von jemand anderem geändert. Bitte laden Sie die Seite neu; "
    "Ihre Eingaben wurden nicht gespeichert."
)


class Record:
    version = 3


@pytest.mark.parametrize("loaded", ["3", " 3 ", 3])
def test_check_version_accepts_the_stored_version(loaded):
    locking.check_version(Record(), loaded)


@pytest.mark.parametrize("stale", ["2", "4", "", None, "x", "3.0"])
def test_check_version_refuses_stale_or_missing_versions(stale):
    with pytest.raises(Conflict) as refused:
        locking.check_version(Record(), stale)
    assert str(refused.value) == GERMAN


def test_stale_data_becomes_a_conflict_with_the_message():
    with pytest.raises(Conflict) as refused, locking.conflict_on_stale():
        raise StaleDataError("UPDATE statement on table 'building' expected to update 1 row(s)")
    assert str(refused.value) == GERMAN
    assert isinstance(refused.value.__cause__, StaleDataError)


def test_conflict_on_stale_lets_other_errors_through():
    with pytest.raises(ServiceError) as refused, locking.conflict_on_stale():
        raise ServiceError("Straße fehlt.")
    assert type(refused.value) is ServiceError


def test_conflict_message_for_both_kinds_of_concurrent_save_and_none_else():
    assert locking.conflict_message(StaleDataError("x")).msgid == GERMAN
    assert locking.conflict_message(Conflict(locking.CONFLICT_MESSAGE)).msgid == GERMAN
    assert locking.conflict_message(ServiceError("Straße fehlt.")) is None
    assert locking.conflict_message(ValueError("x")) is None
