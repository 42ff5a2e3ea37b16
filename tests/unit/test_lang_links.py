"""The language links of a page never carry a secret of its address, nor an absurd input."""

from leerstand.log_masking import without_secret


def test_a_secret_segment_is_cut_from_the_path():
    assert without_secret("/antwort/HARZ-ANTW-RT23") == "/antwort"
    assert without_secret("/antwort/abc/def") == "/antwort/def"
    assert without_secret("/passwort-neu/lst_token-123") == "/passwort-neu"
    # request pages and the code entry carry no secret
    assert without_secret("/antwort/anfrage/20") == "/antwort/anfrage/20"
    assert without_secret("/antwort") == "/antwort"
    assert without_secret("/verwaltung/register") == "/verwaltung/register"
