"""Period wording (leerstand.wording): every combination of a missing start and end."""

from datetime import date

from leerstand.wording import period


def test_both_dates():
    assert period(date(2027, 3, 1), date(2027, 6, 30)) == "01.03.2027 bis 30.06.2027"


def test_same_day():
    assert period(date(2027, 3, 1), date(2027, 3, 1)) == "am 01.03.2027"


def test_start_only():
    assert period(date(2027, 3, 1), None) == "ab 01.03.2027"


def test_end_only():
    assert period(None, date(2027, 6, 30)) == "bis 30.06.2027"


def test_neither():
    assert period(None, None) == "nach Absprache"


def test_keeps_msgid_for_translation():
    text = period(date(2027, 3, 1), None)
    assert text.msgid == "ab %(start)s"
    assert text.params == {"start": "01.03.2027"}
