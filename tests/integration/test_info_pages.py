"""Impressum, Datenschutzerklärung and Erklärung zur Barrierefreiheit: the shipped defaults
filled with the town's settings (a missing value leaves its line out), per town under
``/k/<AGS>/``; admins edit the texts (read back, audited, shown escaped), others get 403; the
footer links the page's town's pages; the registration and the owners' pages link the privacy
notice; the language switch keeps the page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from leerstand.models import AuditEvent, Municipality
from tests.conftest import csrf_token, login, reload
from tests.initiatives import initiative, login_initiative

URL = "/verwaltung/einstellungen/texte"
OTHER = "99999999"  # the base data's second town "Anderswo"


@pytest.fixture
def town(session, base) -> Municipality:
    """Ballenstedt with letterhead, contact person, phone and e-mail, committed."""
    town = session.get(Municipality, base.municipality.id)
    town.letterhead = "Stadt Ballenstedt\nRathausplatz 12\n06493 Ballenstedt"
    town.contact_person = "Frau Beispiel"
    town.contact_phone = "039483 970-0"
    town.contact_email = "leerstand@ballenstedt.example"
    town.letter_signature = "Ihr Team Leerstand"
    session.commit()
    return town


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def article(html: str) -> str:
    start = html.index('<article class="card info-text"')
    return html[start : html.index("</article>", start)]


def words(html: str) -> str:
    """The visible text of ``html`` (tags dropped, whitespace collapsed)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- the defaults ------------------------------------------------------------------------------


def test_imprint_default_names_the_town_and_its_contact(client, town):
    text = article(page(client, "/impressum"))
    assert "<h1>Impressum</h1>" in text
    assert "<p>Stadt Ballenstedt<br>Rathausplatz 12<br>06493 Ballenstedt</p>" in text
    assert "Ansprechperson: Frau Beispiel<br>Telefon: 039483 970-0<br>E-Mail: " in text
    assert (
        '<a href="mailto:leerstand@ballenstedt.example">leerstand@ballenstedt.example</a>' in text
    )
    assert "Frau Beispiel, Anschrift wie oben." in text
    assert "Die Stadtverwaltung Ballenstedt ist" in text


def test_imprint_without_phone_email_and_person_leaves_those_lines_out(client, town, session):
    town.contact_phone = town.contact_email = town.contact_person = None
    town.letter_signature = None
    town.letterhead = None
    session.commit()
    text = article(page(client, "/impressum"))
    assert "Telefon" not in text and "E-Mail" not in text and "Ansprechperson" not in text
    assert "Kontakt</h2>" not in text and "Verantwortlich für den Inhalt" not in text
    assert "<p>Stadtverwaltung Ballenstedt</p>" in text  # the name instead of a letterhead
    assert "None" not in text and ": <br>" not in text and ":</p>" not in text


def test_privacy_default_purposes_bases_retention_rights_and_contact(client, town):
    text = words(article(page(client, "/datenschutz")))
    for expected in (
        "Verantwortliche Stelle Stadt Ballenstedt Rathausplatz 12 06493 Ballenstedt",
        "Telefon: 039483 970-0",
        "Datenschutzbeauftragten erreichen Sie unter leerstand@ballenstedt.example",
        "Leerstandskataster",
        "Ansprache von Eigentümer:innen",
        "Vermittlung (Matching)",
        "Zwischennutzungen",
        "Konten von Initiativen",
        "Art. 6 Abs. 1 lit. e DSGVO i. V. m. den Aufgaben der Kommune",
        "Art. 6 Abs. 1 lit. a DSGVO",
        "Art. 6 Abs. 1 lit. b DSGVO",
        "kein Gebäude mehr zugeordnet ist: nach 3 Jahren",
        "abgelehnt wurden: nach 5 Jahren",
        "Nicht bestätigte Konten von Initiativen: nach 30 Tagen",
        "abgelaufener Anfragen: nach 90 Tagen",
        "Kopien versandter E-Mails: nach 90 Tagen",
        "keine personenbezogenen Daten in Drittländer",
        "nur mit deren Einwilligung",
        "Auskunft (Art. 15 DSGVO)",
        "Widerspruch (Art. 21)",
        "(Art. 77 DSGVO)",
        "Woher die Daten stammen",
    ):
        assert expected in text, expected
    assert "Kartenkacheln" not in text  # the test app has no TILE_URL


def test_privacy_retention_periods_come_from_the_configuration(throwaway_app, town):
    app = throwaway_app(
        RETENTION_OWNER_WITHOUT_OWNERSHIP_YEARS=1,
        RETENTION_DECLINED_CONTACT_YEARS=2,
        RETENTION_UNCONFIRMED_INITIATIVE_DAYS=1,
        RETENTION_REQUEST_SECRET_DAYS=14,
        RETENTION_MAIL_COPY_DAYS=7,
        TILE_URL="https://{s}.tiles.example.org/{z}/{x}/{y}.png",
    )
    text = words(article(page(app.test_client(), "/datenschutz")))
    assert "kein Gebäude mehr zugeordnet ist: nach einem Jahr" in text
    assert "abgelehnt wurden: nach 2 Jahren" in text
    assert "Konten von Initiativen: nach einem Tag" in text
    assert "abgelaufener Anfragen: nach 14 Tagen" in text
    assert "Kopien versandter E-Mails: nach 7 Tagen" in text
    assert "Kartenkacheln von tiles.example.org" in text


def test_privacy_without_email_names_the_address_only(client, town, session):
    town.contact_email = None
    session.commit()
    text = words(article(page(client, "/datenschutz")))
    assert "erreichen Sie unter der oben genannten Anschrift" in text
    assert "@" not in text and "Schreiben Sie uns dafür an" not in text


def test_accessibility_default(client, town):
    text = words(article(page(client, "/barrierefreiheit")))
    for expected in (
        "Erklärung zur Barrierefreiheit",
        "BITV 2.0",
        "WCAG 2.1 (Stufe AA)",
        "teilweise vereinbar",
        "Leichter Sprache",
        "am 1. Dezember 2026 erstellt",
        "Telefon: 039483 970-0",
        "E-Mail: leerstand@ballenstedt.example",
        "Schlichtungsstelle nach § 16 BGG",
        "Durchsetzungs- oder Ombudsstelle",
    ):
        assert expected in text, expected


def test_pages_of_another_town_under_its_ags(client, town):
    text = words(article(page(client, f"/k/{OTHER}/impressum")))
    assert "Stadtverwaltung Anderswo" in text and "Ballenstedt" not in text
    assert "Anderswo" in words(article(page(client, f"/k/{OTHER}/datenschutz")))
    assert "Anderswo" in words(article(page(client, f"/k/{OTHER}/barrierefreiheit")))
    assert "Rathausplatz 12" in page(client, f"/k/{town.ags}/impressum")  # the first town too
    assert client.get("/k/12345678/impressum").status_code == 404


def test_english_visitors_are_told_the_text_is_german(client, throwaway_app, town):
    assert "Dieser Text liegt nur auf Deutsch vor." not in page(client, "/impressum")
    html = page(throwaway_app().test_client(), "/impressum?lang=en")
    assert '<html lang="en">' in html and "Herausgeberin" in html
    notice = ("Dieser Text liegt nur auf Deutsch vor.", "This text is only available in German.")
    assert any(text in html for text in notice)  # either, until the catalogue has it


# --- admins edit ---------------------------------------------------------------------------------


def form(client, **values) -> dict:
    """The form as the page fills it, with ``values`` changed."""
    html = page(client, URL)
    data = {"csrf_token": csrf_token(html)}
    for kind in ("imprint", "privacy", "accessibility"):
        data[kind] = re.search(rf'name="{kind}"[^>]*>(.*?)</textarea>', html, re.S).group(1)
        if f'name="default_{kind}" value="1" checked' in html:
            data[f"default_{kind}"] = "1"
    for key, value in values.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


OWN = "## Wer wir sind\nStadt <b>Ballenstedt</b>\n<script>alert(1)</script>\n\n- eins\n- zwei"


def test_admin_writes_an_imprint_read_back_escaped_and_audited(admin_client, town, session):
    response = admin_client.post(URL, data=form(admin_client, imprint=OWN, default_imprint=None))
    assert response.status_code == 302
    stored = reload(session, town)
    assert stored.imprint_text == OWN
    assert stored.privacy_text is None and stored.accessibility_text is None
    text = article(page(admin_client, "/impressum"))
    assert "<h2>Wer wir sind</h2>" in text
    assert "Stadt &lt;b&gt;Ballenstedt&lt;/b&gt;<br>&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<ul><li>eins</li><li>zwei</li></ul>" in text
    assert "<script>" not in text and "Herausgeberin" not in text
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "municipality").order_by(AuditEvent.id.desc())
    ).first()
    assert event.changes == {"imprint_text": [None, OWN]}
    # the form shows the stored text, without the default box
    html = page(admin_client, URL)
    assert 'name="default_imprint" value="1" >' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_default_box_brings_the_default_back(admin_client, town, session):
    town.privacy_text = "Eigener Text"
    session.commit()
    data = form(admin_client, default_privacy="1")
    assert data["privacy"] == "Eigener Text"
    data["privacy"] = ""  # the box with an empty field
    assert admin_client.post(URL, data=data).status_code == 302
    assert reload(session, town).privacy_text is None
    assert "Verantwortliche Stelle" in page(admin_client, "/datenschutz")


def test_empty_field_without_the_box_is_the_default_too(admin_client, town, session):
    town.accessibility_text = "Eigener Text"
    session.commit()
    response = admin_client.post(URL, data=form(admin_client, accessibility="  "))
    assert response.status_code == 302
    assert reload(session, town).accessibility_text is None


def test_unchanged_defaults_store_nothing(admin_client, town, session):
    before = session.scalars(select(AuditEvent.id)).all()
    response = admin_client.post(URL, data=form(admin_client), follow_redirects=True)
    assert "Nichts geändert." in response.get_data(as_text=True)
    stored = reload(session, town)
    assert (stored.imprint_text, stored.privacy_text, stored.accessibility_text) == (None,) * 3
    assert session.scalars(select(AuditEvent.id)).all() == before


def test_edited_text_with_the_default_box_is_refused_at_the_top(admin_client, town, session):
    data = form(admin_client)
    data["imprint"] = data["imprint"] + "\nNoch ein Satz."
    response = admin_client.post(URL, data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "„Impressum“: Sie haben den Text geändert" in html
    assert html.index('id="texts-error"') < html.index('class="form texts-form"')
    assert "Noch ein Satz." in html  # the typed text is kept
    assert reload(session, town).imprint_text is None


def test_too_long_text_is_refused(admin_client, town, session):
    response = admin_client.post(
        URL, data=form(admin_client, privacy="x" * 20_001, default_privacy=None)
    )
    assert response.status_code == 422
    assert "höchstens 20.000 Zeichen (eingegeben: 20.001)" in response.get_data(as_text=True)
    assert reload(session, town).privacy_text is None
    ok = admin_client.post(URL, data=form(admin_client, privacy="x" * 20_000, default_privacy=None))
    assert ok.status_code == 302
    assert len(reload(session, town).privacy_text) == 20_000


@pytest.mark.parametrize("who", ["staff", "viewer"])
def test_only_admins_edit_texts(client, base, town, who, session):
    login(client, getattr(base, who).email)
    assert client.get(URL).status_code == 403
    html = page(client, "/verwaltung/")
    token = csrf_token(html)
    assert client.post(URL, data={"csrf_token": token, "imprint": "X"}).status_code == 403
    assert reload(session, town).imprint_text is None


def test_settings_page_links_the_texts(admin_client, town):
    html = page(admin_client, "/verwaltung/einstellungen")
    assert f'href="{URL}" id="settings-texts-link"' in html
    texts = page(admin_client, URL)
    assert 'href="/datenschutz" target="_blank"' in texts  # the preview


# --- footer, links, language switch -------------------------------------------------------------


def footer(html: str) -> str:
    start = html.index('<footer class="sitefooter">')
    return html[start : html.index("</footer>", start)]


def test_footer_on_public_pages_links_the_pages_town(client, town):
    first = footer(page(client, "/"))
    for href in ("/impressum", "/datenschutz", "/barrierefreiheit", "/api/docs"):
        assert f'href="{href}"' in first
    other = footer(page(client, f"/k/{OTHER}/"))
    assert f'href="/k/{OTHER}/impressum"' in other and f'href="/k/{OTHER}/datenschutz"' in other
    assert 'href="/impressum"' not in other


def test_footer_on_staff_pages_links_the_users_town(client, base, town):
    login(client, base.staff.email)
    assert 'href="/barrierefreiheit"' in footer(page(client, "/verwaltung/"))
    client.post("/logout", data={"csrf_token": csrf_token(page(client, "/verwaltung/"))})
    login(client, base.stranger.email)
    assert f'href="/k/{OTHER}/barrierefreiheit"' in footer(page(client, "/verwaltung/"))


def test_footer_on_initiative_pages(client, session, town):
    account = initiative(session, town, email="footer@example.org")
    login_initiative(client, account.email)
    html = page(client, "/initiative/ideen")
    assert 'href="/datenschutz"' in footer(html) and 'href="/api/docs"' in footer(html)


def test_registration_links_the_privacy_notice(client, town):
    html = page(client, "/initiative/registrieren")
    assert (
        'id="register-privacy"><a href="/datenschutz">'
        "Datenschutzerklärung: wie wir Ihre Angaben verarbeiten</a>"
    ) in html
    assert html.index('id="register-privacy"') < html.index('type="submit" class="primary"')


def test_owner_code_page_links_the_privacy_notice(client, town):
    html = page(client, "/antwort")
    assert re.search(r'class="owner-privacy"><a href="/datenschutz">Datenschutzerklärung', html)


def test_language_switch_keeps_the_page_and_its_query(throwaway_app, town):
    # an app of its own: the test's app context would keep the first request's locale in ``g``
    client = throwaway_app().test_client()
    html = page(client, "/k/99999999/?kind=shop&lang=de")
    assert 'href="/k/99999999/?kind=shop&amp;lang=en" hreflang="en"' in html
    assert 'href="/k/99999999/?kind=shop&amp;lang=de" hreflang="de"' in html
    english = page(client, "/impressum?lang=en")
    assert '<html lang="en">' in english
    assert '<html lang="en">' in page(client, "/datenschutz")  # the choice stays
    assert '<html lang="de">' in page(client, "/datenschutz?lang=de")


def test_language_links_never_repeat_a_secret_or_an_absurd_input(client):
    page = client.get("/antwort/GEHEIM-CODE-1234")
    html = page.get_data(as_text=True)
    assert page.status_code == 404
    assert "GEHEIM-CODE-1234" not in html
    assert 'href="/antwort?lang=en"' in html
    long_value = "9" * 250
    html = client.get(f"/?district=Badeborn&area_max={long_value}").get_data(as_text=True)
    assert 'href="/?district=Badeborn&amp;lang=en"' in html
    assert long_value not in html
