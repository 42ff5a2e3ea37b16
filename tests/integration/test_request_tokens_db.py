"""Looking a use request up by its secret or by the remembered (id, hash) pair: only the exact
secret or pair finds it, a reissued secret no longer does, and ``lock`` reloads the row."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from leerstand.models import Municipality, UseRequest
from leerstand.services.use_requests import tokens
from tests import factories

CODE = "ABCDEFGHJKMN"
LINK = "AbC_dEf-" + "x" * 35


def _requests(session, base) -> tuple[int, int]:
    municipality = session.get(Municipality, base.municipality.id)
    w = factories.request_world(session, municipality)
    letter = factories.use_request(
        session, w.match, w.owner, channel="letter",
        token_hash=hashlib.sha256(CODE.encode()).hexdigest(),
    )  # fmt: skip
    mail = factories.use_request(
        session, w.match, w.heir, token_hash=hashlib.sha256(LINK.encode()).hexdigest()
    )
    session.commit()
    return letter.id, mail.id


def test_find_by_secret_exact_only(session, base):
    letter_id, mail_id = _requests(session, base)
    assert tokens.find_by_secret(session, "abcd-efgh-jkmn").id == letter_id
    assert tokens.find_by_secret(session, " ABCD EFGH JKMN ").id == letter_id
    assert tokens.find_by_secret(session, LINK).id == mail_id
    assert tokens.find_by_secret(session, " " + LINK + " ").id == mail_id
    assert tokens.find_by_secret(session, LINK.lower()) is None
    assert tokens.find_by_secret(session, "ABCD-EFGH-JKMP") is None
    assert tokens.find_by_secret(session, "") is None
    assert tokens.find_by_secret(session, None) is None
    assert tokens.find_by_secret(session, LINK + "y" * 60) is None


def test_find_remembered_needs_the_current_hash(session, base):
    letter_id, mail_id = _requests(session, base)
    code_hash = hashlib.sha256(CODE.encode()).hexdigest()
    assert tokens.find_remembered(session, letter_id, code_hash).id == letter_id
    assert tokens.find_remembered(session, mail_id, code_hash) is None
    assert tokens.find_remembered(session, letter_id, None) is None
    assert tokens.find_remembered(session, letter_id, "") is None
    session.execute(
        update(UseRequest).where(UseRequest.id == letter_id).values(token_hash="0" * 64)
    )
    assert tokens.find_remembered(session, letter_id, code_hash) is None
    assert tokens.find_by_secret(session, CODE) is None


def test_lock_reloads_the_row(session, base):
    letter_id, _ = _requests(session, base)
    request = tokens.find_by_secret(session, CODE)
    assert request.answer is None
    now = datetime.now(UTC)
    session.execute(
        update(UseRequest)
        .where(UseRequest.id == letter_id)
        .values(answer="no", answered_at=now - timedelta(minutes=1))
        .execution_options(synchronize_session=False)
    )
    assert tokens.find_by_secret(session, CODE).answer is None  # identity map, not reloaded
    locked = tokens.find_by_secret(session, CODE, lock=True)
    assert locked is request and locked.answer == "no"
    code_hash = hashlib.sha256(CODE.encode()).hexdigest()
    session.execute(
        update(UseRequest)
        .where(UseRequest.id == letter_id)
        .values(answer="yes")
        .execution_options(synchronize_session=False)
    )
    assert tokens.find_remembered(session, letter_id, code_hash).answer == "no"
    assert tokens.find_remembered(session, letter_id, code_hash, lock=True).answer == "yes"


def test_new_secret_per_channel_and_lengths():
    assert len(tokens.new_link_token()) == 43
    assert len(tokens.new_secret("email")) == 43
    assert len(tokens.new_secret("letter")) == 12
    assert tokens.format_code("abcd efgh jkmn") == "ABCD-EFGH-JKMN"
    assert tokens.format_code("ABC") == "ABC"
    assert tokens.canonical("A" * 100) == "A" * 100
    assert tokens.canonical("A" * 101) is None
