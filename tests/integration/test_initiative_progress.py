"""The initiative sees how far the town got with its proposal: shortlisted spaces, requests sent and
answered, and the agreed interim use with its terms; never the owners' names."""

from datetime import date

from tests import factories as f
from tests.initiatives import initiative, login_initiative


def test_initiative_sees_requests_and_interim_use_but_no_owner(session, client, base):
    ini = initiative(session, base.municipality)
    proposal = f.proposal(session, ini, title="Galerie im Laden")
    building = f.building(session, base.municipality, street="Allee", house_number="9")
    unit = f.unit(session, building, name="Laden links")
    owner = f.owner(session, base.municipality, name="Erika Geheimname")
    heir = f.owner(session, base.municipality, name="Erbe Geheimname")
    match = f.match(session, proposal, unit)
    yes = f.use_request(session, match, owner, answer="yes_conditions")
    f.use_request(session, match, heir)
    f.interim_use(
        session,
        unit,
        proposal_id=proposal.id,
        initiative_id=ini.id,
        use_request_id=yes.id,
        starts_on=date(2027, 3, 1),
        ends_on=date(2027, 8, 31),
        costs="nur Nebenkosten, 80 € im Monat",
        key_handover="Schlüssel beim Bürgerbüro",
    )
    session.commit()

    login_initiative(client, ini.email)
    html = client.get(f"/initiative/ideen/{proposal.id}").get_data(as_text=True)
    assert "Stand der Vermittlung" in html
    assert "1 passenden Raum vorgemerkt" in html
    assert "2 Anfragen an Eigentümer:innen gesendet" in html
    assert "1 beantwortet" in html and "1 Zusage" in html
    assert "Allee 9" in html and "01.03.2027 – 31.08.2027" in html
    assert "nur Nebenkosten, 80 € im Monat" in html and "Schlüssel beim Bürgerbüro" in html
    assert "Geheimname" not in html


def test_no_progress_block_before_anything_happened(session, client, base):
    ini = initiative(session, base.municipality)
    proposal = f.proposal(session, ini)
    session.commit()
    login_initiative(client, ini.email)
    html = client.get(f"/initiative/ideen/{proposal.id}").get_data(as_text=True)
    assert proposal.title in html
    assert "Stand der Vermittlung" not in html
