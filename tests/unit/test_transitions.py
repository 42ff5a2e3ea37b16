"""The transition table of the contact case (Eigentümeransprache) and the follow-up rules."""

from datetime import date, timedelta

import pytest

from leerstand.services.contact import cases as contact
from leerstand.services.errors import ServiceError
from leerstand.vocab import CONTACT_STATES

# The whole table, written out (not read from the code under test): state -> allowed targets
# in the order of CONTACT_STATES, ``unreachable`` included.
EXPECTED_TARGETS = {
    "not_contacted": ["contacted", "unreachable"],
    "contacted": ["in_dialogue", "open_to_interim_use", "declined", "unreachable"],
    "in_dialogue": ["open_to_interim_use", "declined", "agreement", "unreachable"],
    "open_to_interim_use": ["in_dialogue", "declined", "agreement", "unreachable"],
    "declined": ["in_dialogue", "closed", "unreachable"],
    "agreement": ["closed", "unreachable"],
    "closed": [],
    "unreachable": ["contacted", "closed"],
}
ALLOWED = [(src, dst) for src, targets in EXPECTED_TARGETS.items() for dst in targets]
NOT_ALLOWED = [
    (src, dst)
    for src in EXPECTED_TARGETS
    for dst in EXPECTED_TARGETS
    if dst not in EXPECTED_TARGETS[src]
]
UNREACHABLE_FROM = [s for s in CONTACT_STATES if s not in ("closed", "unreachable")]
FORBIDDEN = [
    ("not_contacted", "agreement"),
    ("not_contacted", "in_dialogue"),
    ("not_contacted", "closed"),
    ("contacted", "agreement"),
    ("contacted", "closed"),
    ("in_dialogue", "not_contacted"),
    ("agreement", "declined"),
    ("declined", "agreement"),
    ("closed", "contacted"),
    ("closed", "unreachable"),
    ("unreachable", "unreachable"),
    ("unreachable", "agreement"),
]


def test_table_covers_every_state():
    assert set(contact.TRANSITIONS) == set(CONTACT_STATES)
    for targets in contact.TRANSITIONS.values():
        assert targets <= set(CONTACT_STATES)


@pytest.mark.parametrize("src", list(EXPECTED_TARGETS))
def test_allowed_targets_are_exactly_the_written_table(src):
    assert contact.allowed_targets(src) == EXPECTED_TARGETS[src]


def test_written_table_covers_every_state_and_pair():
    assert list(EXPECTED_TARGETS) == list(CONTACT_STATES)
    assert len(ALLOWED) + len(NOT_ALLOWED) == 8 * 8
    assert ("unreachable", "contacted") in ALLOWED
    assert ("agreement", "in_dialogue") in NOT_ALLOWED


@pytest.mark.parametrize(("src", "dst"), NOT_ALLOWED)
def test_every_pair_outside_the_table_is_refused(src, dst):
    with pytest.raises(ServiceError):
        contact.check_transition(src, dst)


@pytest.mark.parametrize(("src", "dst"), ALLOWED)
def test_every_allowed_pair_is_accepted(src, dst):
    contact.check_transition(src, dst)
    assert dst in contact.allowed_targets(src)


@pytest.mark.parametrize("src", UNREACHABLE_FROM)
def test_unreachable_from_every_open_state(src):
    contact.check_transition(src, "unreachable")


@pytest.mark.parametrize(("src", "dst"), FORBIDDEN)
def test_forbidden_pairs_are_refused(src, dst):
    with pytest.raises(ServiceError):
        contact.check_transition(src, dst)
    assert dst not in contact.allowed_targets(src)


def test_message_names_both_states_and_the_allowed_ones():
    with pytest.raises(ServiceError) as info:
        contact.check_transition("not_contacted", "agreement")
    assert str(info.value) == (
        "Von „nicht kontaktiert“ kann nicht direkt zu „Vereinbarung“ gewechselt werden. "
        "Erlaubt: „kontaktiert“, „nicht erreichbar“."
    )


def test_closed_allows_nothing():
    assert contact.allowed_targets("closed") == []
    with pytest.raises(ServiceError, match="abgeschlossen"):
        contact.check_transition("closed", "in_dialogue")


def test_unknown_target_is_refused():
    with pytest.raises(ServiceError, match="Unbekannter Zielstatus"):
        contact.check_transition("contacted", "happy")


@pytest.mark.parametrize(
    ("state", "days"),
    [
        ("contacted", 14),
        ("in_dialogue", 14),
        ("open_to_interim_use", 7),
        ("declined", 180),
        ("agreement", 30),
        ("unreachable", 90),
    ],
)
def test_follow_up_days(state, days):
    start = date(2026, 3, 1)
    assert contact.FOLLOW_UP_DAYS[state] == days
    assert contact.default_follow_up(state, start) == start + timedelta(days=days)


def test_closed_has_no_follow_up():
    assert contact.default_follow_up("closed", date(2026, 3, 1)) is None
