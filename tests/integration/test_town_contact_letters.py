"""The contact person from the town's settings is named on the letter's contact line and on
the reply slip's return address; without one there is no such line."""

from __future__ import annotations

from leerstand.models import Municipality
from tests.integration.test_request_letters import _letter, _parts
from tests.integration.use_requests_common import world_fixture  # noqa: F401 (fixture "world")


def test_contact_person_on_letter_and_reply_slip(staff_client, world, session, base):
    session.get(Municipality, base.municipality.id).contact_person = "Frau Beispiel"
    session.commit()
    letter, slip = _parts(_letter(staff_client, world))
    assert "<div>Ansprechperson: Frau Beispiel</div>" in letter
    assert "<p>Ansprechperson: Frau Beispiel</p>" in slip


def test_no_contact_person_no_line(staff_client, world, session, base):
    assert session.get(Municipality, base.municipality.id).contact_person is None
    assert "Ansprechperson" not in _letter(staff_client, world)
