"""Secrets never leave in an Art. 15 answer: links with a token-like part are replaced, other
links stay; mail copies are found by the recipient's address only."""

from __future__ import annotations

from email.message import EmailMessage

from leerstand.services.privacy.access_texts import LINK_NOTE, mail_copies, without_secrets


def test_links_with_a_token_are_replaced_and_plain_links_stay():
    text = (
        "Antwort: http://localhost/antwort/Ab3dEf6hIj9kLm2nOp5q\n"
        "Code eingeben: http://localhost/antwort\n"
        "Bestätigen: https://leerstand.example/initiative/bestaetigen/eyJ0eXAiOiJKV1Qi.x\n"
        "Karte: https://leerstand.example/karte/15085040"
    )
    assert without_secrets(text) == (
        f"Antwort: {LINK_NOTE}\n"
        "Code eingeben: http://localhost/antwort\n"
        f"Bestätigen: {LINK_NOTE}\n"
        "Karte: https://leerstand.example/karte/15085040"
    )


def test_a_part_of_15_characters_is_kept_and_16_replaced():
    assert without_secrets("http://x/a/abcdefghijklmno") == "http://x/a/abcdefghijklmno"
    assert without_secrets("http://x/a/abcdefghijklmnop") == LINK_NOTE


def _eml(folder, name: str, to: str, body: str) -> None:
    message = EmailMessage()
    message["To"], message["Subject"] = to, "Betreff"
    message["Date"] = "Tue, 01 Dec 2026 09:30:00 +0000"
    message.set_content(body)
    (folder / name).write_bytes(message.as_bytes())


def test_mail_copies_by_address(tmp_path):
    _eml(
        tmp_path, "1.eml", "Erika <Erika@Example.org>", "Link http://h/antwort/Ab3dEf6hIj9kLm2nOp5q"
    )
    _eml(tmp_path, "2.eml", "other@example.org", "Für jemand anderen")
    (tmp_path / "3.eml").write_bytes(b"\xff\xfe kaputt")
    (tmp_path / "notes.txt").write_text("erika@example.org")
    [copy] = mail_copies(str(tmp_path), {"erika@example.org"})
    assert copy.body.strip() == f"Link {LINK_NOTE}" and copy.file == "1.eml"
    assert copy.sent_at.isoformat() == "2026-12-01T09:30:00+00:00"
    assert mail_copies(str(tmp_path), {""}) == []
    assert mail_copies(str(tmp_path / "fehlt"), {"erika@example.org"}) == []
    assert mail_copies(None, {"erika@example.org"}) == []
