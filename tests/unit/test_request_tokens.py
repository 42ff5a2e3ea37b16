"""Secrets of use requests: link tokens, letter answer codes, normalisation and hashing."""

import hashlib
import re

from leerstand.services.use_requests import tokens


def test_letter_code_uses_the_unambiguous_alphabet():
    codes = {tokens.new_letter_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == 12
        assert set(code) <= set(tokens.CODE_ALPHABET)
        assert not set(code) & set("0O1IL")
    assert not set(tokens.CODE_ALPHABET) & set("0O1IL")


def test_link_token_is_long_and_url_safe():
    token = tokens.new_link_token()
    assert len(token) >= 43
    assert re.fullmatch(r"[A-Za-z0-9_\-]+", token)
    assert tokens.new_link_token() != token


def test_new_secret_by_channel():
    assert tokens.normalise_code(tokens.new_secret("letter")) is not None
    assert len(tokens.new_secret("email")) >= 43


def test_format_code_groups_of_four():
    assert tokens.format_code("ABCDEFGHJKMN") == "ABCD-EFGH-JKMN"
    assert re.fullmatch(
        r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", tokens.format_code("abcd efgh jkmn")
    )


def test_normalise_code_strips_spaces_dashes_and_upper_cases():
    for typed in (
        "abcd-efgh-jkmn",
        " ABCD EFGH JKMN ",
        "abcdefghjkmn",
        "Abcd–Efgh‑Jkmn",
        "ab cd-ef\tgh jk mn",
    ):
        assert tokens.normalise_code(typed) == "ABCDEFGHJKMN"


def test_normalise_code_refuses_wrong_length_or_letters():
    assert tokens.normalise_code("ABCD-EFGH-JKM") is None  # 11
    assert tokens.normalise_code("ABCD-EFGH-JKMNP") is None  # 13
    assert tokens.normalise_code("ABCD-EFGH-JKM0") is None  # zero is not in the alphabet
    assert tokens.normalise_code("ABCD-EFGH-JKMO") is None
    assert tokens.normalise_code("ABCD-EFGH-JKM1") is None
    assert tokens.normalise_code("ABCD-EFGH-JKML") is None
    assert tokens.normalise_code("") is None
    assert tokens.normalise_code(None) is None


def test_canonical_keeps_link_tokens_case_sensitive():
    token = "AbC_dEf-" + "x" * 35
    assert tokens.canonical(token) == token
    assert tokens.canonical(" " + token + " ") == token
    assert tokens.canonical("abcd-efgh-jkmn") == "ABCDEFGHJKMN"
    assert tokens.canonical("") is None
    assert tokens.canonical("A" * 101) is None


def test_hash_is_sha256_hex_of_the_canonical_secret():
    assert tokens.hash_secret("ABCDEFGHJKMN") == hashlib.sha256(b"ABCDEFGHJKMN").hexdigest()
    assert len(tokens.hash_secret("x")) == 64
