"""One source per vocabulary (leerstand/vocab.py): every entry has a label and an English
translation in the compiled catalogue, every kind of unit a colour and a matching rule, every
kind of use a unit kind that suits it; and a new kind of unit ("Kiosk") reaches the forms, the
map legend, the matching and the CHECK constraint from its one entry."""

import re
from pathlib import Path

from babel.support import Translations
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

import leerstand
from leerstand import vocab
from leerstand.services.matching.candidates import USE_KIND_UNIT_KINDS, unit_kinds_json

CATALOGUE = Translations.load(Path(leerstand.__file__).parent / "translations", ["en"])
COLOUR = re.compile(r"#[0-9a-f]{6}")

VOCABULARIES = {
    "ROLES", "USE_KINDS", "UNIT_KINDS", "VACANCY_STATES", "OWNER_EXPECTATIONS", "CONDITIONS",
    "OWNER_KINDS", "OWNERSHIP_ROLES", "CHANNELS", "DIRECTIONS", "PROPOSAL_STATES",
    "BUDGET_KINDS", "LOCATION_KINDS", "CONSENT_SCOPES", "CONTACT_STATES", "MATCH_STATUSES",
    "MATCH_CRITERIA", "REQUEST_CHANNELS", "REQUEST_STATES", "ANSWERS", "ANSWER_CHANNELS",
    "SALUTATIONS", "INTERIM_OUTCOMES", "FEATURES", "CONSENT_ACTIONS", "AUDIT_ENTITIES",
    "AUDIT_ACTIONS",
}  # fmt: skip

# The matching table as it was written out before it was derived from vocab (order aside).
MATCHING = {
    "popup": {"shop", "gastro", "whole_building"},
    "exhibition": {"shop", "office", "hall", "whole_building"},
    "youth": {"shop", "office", "hall", "whole_building"},
    "club": {"shop", "office", "hall", "flat", "whole_building"},
    "atelier": {"shop", "office", "workshop", "hall", "flat", "whole_building"},
    "cafe": {"shop", "gastro", "whole_building"},
    "workshop": {"shop", "workshop", "hall", "whole_building"},
    "events": {"hall", "gastro", "whole_building"},
    "office": {"office", "shop", "flat", "whole_building"},
    "other": {"shop", "office", "gastro", "flat", "hall", "workshop", "whole_building", "other"},
}

KIOSK = vocab.UnitKind(_l("Kiosk"), "#b03a7a", ("popup", "cafe"))


def msgid(text) -> str:
    assert isinstance(text, LazyString), f"{text!r} is not a translatable label (_l)"
    return text._args[0]


# --- the checks, as functions so that the Kiosk test can show that they catch a gap -----------


def missing_labels(vocabulary: dict) -> list[str]:
    return [code for code, text in vocabulary.items() if not msgid(text).strip()]


def missing_translations(vocabulary: dict) -> list[str]:
    return [code for code, text in vocabulary.items() if not CATALOGUE._catalog.get(msgid(text))]


def missing_colours(entries: dict) -> list[str]:
    return [code for code, entry in entries.items() if not COLOUR.fullmatch(entry.colour or "")]


def missing_matching_rules(entries: dict) -> list[str]:
    """Unit kinds that suit no use (or an unknown one), use kinds no unit kind suits."""
    gaps = [code for code, e in entries.items() if not e.uses or set(e.uses) - set(vocab.USE_KINDS)]
    suited = {use for e in entries.values() for use in e.uses}
    return gaps + [use for use in vocab.USE_KINDS if use not in suited]


# --- the real vocabularies --------------------------------------------------------------------


def test_the_vocabularies_are_the_ones_checked_here():
    found = {
        name
        for name, value in vars(vocab).items()
        if name.isupper() and isinstance(value, dict) and name != "UNIT_KIND_ENTRIES"
        and name != "UNIT_KIND_COLOURS"
    }  # fmt: skip
    assert found == VOCABULARIES


def test_every_entry_has_a_label_and_an_english_translation():
    for name in sorted(VOCABULARIES):
        vocabulary = getattr(vocab, name)
        assert missing_labels(vocabulary) == [], name
        assert missing_translations(vocabulary) == [], name


def test_every_unit_kind_has_a_colour_of_its_own_and_a_matching_rule():
    assert missing_colours(vocab.UNIT_KIND_ENTRIES) == []
    colours = list(vocab.UNIT_KIND_COLOURS.values())
    assert len(set(colours)) == len(colours) == 8
    assert vocab.UNIT_KIND_COLOURS["shop"] == "#c8473a"
    assert missing_matching_rules(vocab.UNIT_KIND_ENTRIES) == []


def test_matching_table_is_unchanged_by_deriving_it_from_vocab():
    assert {use: set(kinds) for use, kinds in USE_KIND_UNIT_KINDS.items()} == MATCHING
    assert list(USE_KIND_UNIT_KINDS) == list(vocab.USE_KINDS)


def test_check_constraint_text():
    assert vocab.in_vocab("role", vocab.ROLES) == (
        "role IN ('admin', 'staff', 'viewer', 'dpo', 'analyst')"
    )
    assert vocab.in_vocab("answer_channel", vocab.ANSWER_CHANNELS, nullable=True) == (
        "answer_channel IS NULL OR answer_channel IN ('online', 'paper', 'phone')"
    )


# --- adding a kind of unit --------------------------------------------------------------------


def test_a_new_unit_kind_reaches_forms_legend_matching_and_check_from_one_entry(app):
    entries = {**vocab.UNIT_KIND_ENTRIES, "kiosk": KIOSK}
    labels = vocab.unit_kind_labels(entries)
    with app.test_request_context("/"):
        choices = vocab.choices(labels)
    assert choices[-2:] == [("other", "Sonstiges"), ("kiosk", "Kiosk")]
    assert vocab.unit_kind_colours(entries)["kiosk"] == "#b03a7a"
    table = vocab.use_kind_unit_kinds(entries)
    assert table["popup"] == ("shop", "gastro", "whole_building", "kiosk")
    assert table["cafe"] == ("shop", "gastro", "whole_building", "kiosk")
    assert "kiosk" not in table["events"]
    assert '"popup": ["shop", "gastro", "whole_building", "kiosk"]' in unit_kinds_json(table)
    assert vocab.in_vocab("kind", labels) == (
        "kind IN ('shop', 'office', 'gastro', 'flat', 'hall', 'workshop', 'whole_building',"
        " 'other', 'kiosk')"
    )
    # what is still missing is found: the English translation (the catalogue has no "Kiosk")
    assert missing_translations(labels) == ["kiosk"]
    assert missing_colours(entries) == missing_matching_rules(entries) == []


def test_a_unit_kind_without_colour_or_matching_rule_is_found():
    assert missing_colours({"kiosk": KIOSK._replace(colour="")}) == ["kiosk"]
    assert missing_colours({"kiosk": KIOSK._replace(colour="red")}) == ["kiosk"]
    entries = {**vocab.UNIT_KIND_ENTRIES, "kiosk": KIOSK._replace(uses=())}
    assert missing_matching_rules(entries) == ["kiosk"]
    entries = {**vocab.UNIT_KIND_ENTRIES, "kiosk": KIOSK._replace(uses=("kiosk_sales",))}
    assert missing_matching_rules(entries) == ["kiosk"]
    # a use kind that no unit kind suits: events only in gastro, hall and whole_building
    without_events = {
        code: e._replace(uses=tuple(u for u in e.uses if u != "events"))
        for code, e in vocab.UNIT_KIND_ENTRIES.items()
    }
    assert missing_matching_rules(without_events) == ["events"]


def test_a_label_missing_from_the_catalogue_is_found():
    assert missing_translations({"x": _l("Gibt es nicht im Katalog")}) == ["x"]
    assert missing_translations({"shop": vocab.UNIT_KINDS["shop"]}) == []
    assert missing_labels({"x": _l(" ")}) == ["x"]
