"""A citizen's report is invisible on every public page, API and tile before staff accept it,
and the reporter's e-mail address appears nowhere public, before or after: the map page and
its list, the report form, the progress report, the unit page, the GeoJSON API, the OGC API
(JSON and HTML), the vector tiles and their list, and the "nearby" answer of the form."""

from __future__ import annotations

from sqlalchemy import select

from leerstand.models import Municipality, Unit, VacancyReport
from tests import factories as f
from tests.conftest import login, post_form
from tests.report_world import (  # noqa: F401  (fixtures)
    UNIT_LONLAT,
    _report_app,
    report_app,
    report_client,
    send_report,
)
from tests.smtp import links

EMAIL = "geheim.melder@example.org"
COMMENT = "Kommentar-XYZ-nur-intern"
NUMBER = "99z"
ALLEE_TILE = "/tiles/units/17/69623/43460.mvt"
BBOX = "bbox=11.2,51.7,11.25,51.74"


def _public_answers(client, unit_id: int | None = None) -> dict[str, bytes]:
    urls = [
        "/", "/?seite=1", "/melden", "/bericht", "/api/units.geojson", "/api/proposals.geojson",
        "/ogc/collections/units/items?f=json", "/ogc/collections/units/items?f=html",
        f"/tiles/units/list.json?{BBOX}", f"/tiles/units/summary.json?{BBOX}", ALLEE_TILE,
        f"/melden/in-der-naehe.json?lon={UNIT_LONLAT[0]}&lat={UNIT_LONLAT[1]}",
    ]  # fmt: skip
    if unit_id is not None:
        urls += [f"/leerstand/{unit_id}", f"/ogc/collections/units/items/{unit_id}?f=json"]
    answers = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        answers[url] = response.get_data()
    return answers


def _nowhere(answers: dict[str, bytes], *secrets: str) -> None:
    for url, data in answers.items():
        for secret in secrets:
            assert secret.encode() not in data, (url, secret)


def test_the_report_and_its_reporter_stay_private(session, base, report_client, smtp_server):  # noqa: F811
    town = base.municipality.id
    form = {"lon": f"{UNIT_LONLAT[0]}", "lat": f"{UNIT_LONLAT[1]}", "street": "Allee",
            "house_number": NUMBER, "comment": COMMENT, "email": EMAIL}  # fmt: skip
    assert send_report(report_client, form).status_code == 303
    link = links(smtp_server.wait_for(1)[0])[0].removeprefix("http://localhost")
    assert post_form(report_client, link, {}).status_code == 200
    before = _public_answers(report_client)
    _nowhere(before, EMAIL, COMMENT, NUMBER)
    assert b'"features":[]' in before["/api/units.geojson"]

    report_id = session.scalar(select(VacancyReport.id))
    login(report_client, "staff@test.example")
    page = f"/verwaltung/meldungen/{report_id}"
    accept = {"lon": f"{UNIT_LONLAT[0]}", "lat": f"{UNIT_LONLAT[1]}", "street": "Allee",
              "house_number": NUMBER, "name": "EG Laden"}  # fmt: skip
    assert post_form(report_client, f"{page}/annehmen", accept, page=page).status_code == 303
    assert EMAIL not in report_client.get(page).get_data(as_text=True)  # nor to staff
    unit_id = session.scalar(select(VacancyReport.unit_id))
    unit = session.get(Unit, unit_id)
    unit.publishable = True
    owner = f.owner(session, session.get(Municipality, town))
    f.ownership(session, unit.building, owner)
    f.consent(session, owner)
    session.commit()
    anonymous = report_client.application.test_client()  # no staff cookie
    after = _public_answers(anonymous, unit_id)
    assert f'"id":{unit_id}'.encode() in after["/api/units.geojson"]  # now a public unit
    assert after[ALLEE_TILE]  # the tile holds the unit now
    _nowhere(after, EMAIL, COMMENT)
