"""The English catalogue holds every German text of the code: the msgids that ``scripts/i18n``
extracts (``_``, ``_l``, ``Text`` in Python, ``_`` in templates) are all in
``translations/en`` with an English text that is not fuzzy and keeps the placeholders, so no
form message, label or page text stays German in the English interface."""

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "leerstand/translations/en/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _extracted(tmp_path) -> dict:
    pot = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [str(pybabel), "-q", "extract", "-F", "leerstand/babel.cfg", "-k", "_l", "-k", "Text",
         "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with pot.open("rb") as handle:
        return {m.id: m for m in read_po(handle) if m.id}


def test_every_extracted_text_is_translated(tmp_path):
    with PO.open("rb") as handle:
        catalogue = {m.id: m for m in read_po(handle, locale="en") if m.id}
    missing, fuzzy, placeholders = [], [], []
    for msgid in _extracted(tmp_path):
        entry = catalogue.get(msgid)
        strings = (
            entry.string if entry and isinstance(entry.string, tuple) else (entry and entry.string,)
        )
        if entry is None or not all(strings):
            missing.append(msgid)
        elif entry.fuzzy:
            fuzzy.append(msgid)
        else:
            ids = msgid if isinstance(msgid, tuple) else (msgid,)
            wanted = set(PLACEHOLDER.findall(ids[-1]))
            if any(set(PLACEHOLDER.findall(s)) != wanted for s in strings if "%(" in ids[-1]):
                placeholders.append(msgid)
    assert (missing, fuzzy, placeholders) == ([], [], [])
