"""``flask municipality add``: a new town from a boundary file (GeoJSON in WGS84, GeoPackage in
EPSG:25832, one feature of a whole VG250-like layer) with Ortsteile and focus areas; bad input
is refused with a German message and writes nothing; ``create-user --ags`` gives it an admin."""

from __future__ import annotations

import pytest
from shapely.geometry import LineString, Point, box
from sqlalchemy import func, select

from leerstand.models import AuditEvent, District, FocusArea, Municipality, User
from leerstand.spatial.geometry import from_db
from tests.towns_files import UTM_SQUARE, WGS_CORNERS, utm_districts, write


def run(app, *args, stdin: str | None = None):
    runner = app.test_cli_runner()
    with app.app_context():
        return runner.invoke(args=list(args), input=stdin)


def towns(session) -> dict[str, Municipality]:
    session.expire_all()
    return {m.ags: m for m in session.scalars(select(Municipality))}


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_geojson_in_wgs84_with_districts_and_focus_points(app, session, tmp_path):
    boundary = write(tmp_path / "grenze.geojson", [box(12.0, 52.0, 12.1, 52.05)], {"name": ["X"]},
                     "EPSG:4326")  # fmt: skip
    places = write(tmp_path / "ortsteile.geojson", [Point(12.02, 52.02), Point(12.08, 52.03)],
                   {"name": ["Nord", "Süd"]}, "EPSG:4326")  # fmt: skip
    focus = write(tmp_path / "fokus.geojson", [box(12.01, 52.01, 12.02, 52.02)],
                  {"Name": ["Marktplatz"]}, "EPSG:4326")  # fmt: skip
    result = run(app, "municipality", "add", "--ags", "15083040", "--name", "Neustadt",
                 "--boundary", str(boundary), "--districts", str(places),
                 "--focus-areas", str(focus), "--postcode", "39999")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Kommune Neustadt (15083040) angelegt: 2 Ortsteile, 1 Fokusgebiete." in result.output
    assert "create-user --ags 15083040 --role admin" in result.output
    town = towns(session)["15083040"]
    assert (town.name, town.postcode) == ("Neustadt", "39999")
    assert from_db(town.boundary).equals(box(12.0, 52.0, 12.1, 52.05))
    districts = session.scalars(select(District).where(District.municipality_id == town.id))
    by_name = {d.name: d for d in districts}
    assert sorted(by_name) == ["Nord", "Süd"]
    assert by_name["Nord"].boundary is None
    assert from_db(by_name["Nord"].centre).equals(Point(12.02, 52.02))
    area = session.scalars(select(FocusArea).where(FocusArea.municipality_id == town.id)).one()
    assert area.name == "Marktplatz"
    assert from_db(area.area).equals(box(12.01, 52.01, 12.02, 52.02))
    audit = session.scalars(select(AuditEvent).where(AuditEvent.municipality_id == town.id)).one()
    assert (audit.entity, audit.action, audit.entity_id) == ("municipality", "create", town.id)


def test_geopackage_in_utm32_is_reprojected_and_point_districts_have_no_area(
    app, session, tmp_path
):
    boundary = write(tmp_path / "grenze.gpkg", [UTM_SQUARE], {"GEN": ["Utmdorf"]}, "EPSG:25832")
    geoms, fields = utm_districts()
    places = write(tmp_path / "ot.gpkg", geoms, fields, "EPSG:25832")
    result = run(app, "municipality", "add", "--ags", "15083555", "--name", "Utmdorf",
                 "--boundary", str(boundary), "--districts", str(places))  # fmt: skip
    assert result.exit_code == 0, result.output
    town = towns(session)["15083555"]
    stored = from_db(town.boundary)
    assert stored.geom_type == "MultiPolygon"
    # the corners after reprojection, within about 0.1 m (1e-6 degrees)
    corners = list(stored.geoms[0].exterior.coords)
    for corner in WGS_CORNERS:
        assert min(Point(c).distance(Point(corner)) for c in corners) < 1e-6, corner
    districts = {
        d.name: d
        for d in session.scalars(select(District).where(District.municipality_id == town.id))
    }
    assert sorted(districts) == ["Mitte", "Ostdorf", "Westdorf"]
    assert districts["Mitte"].boundary is None
    assert from_db(districts["Mitte"].centre).coords[0] == pytest.approx(
        (11.972319, 52.335373), abs=1e-6
    )
    west = from_db(districts["Westdorf"].boundary)
    assert west.bounds[0] == pytest.approx(11.934190, abs=1e-6)
    assert stored.covers(from_db(districts["Westdorf"].centre))


def _vg250_like(path):
    """A layer of three municipalities (AGS, GEN) plus a second layer, like VG250's GPKG."""
    squares = [box(700000 + i * 6000, 5800000, 705000 + i * 6000, 5805000) for i in range(3)]
    write(path, squares, {"AGS": ["15083010", "15083040", "15083060"],
                          "GEN": ["Erstdorf", "Zweitdorf", "Drittdorf"]},
          "EPSG:25832", layer="vg250_gem")  # fmt: skip
    write(path, [box(690000, 5790000, 730000, 5810000)], {"AGS": ["15083"], "GEN": ["Kreis"]},
          "EPSG:25832", layer="vg250_krs", append=True)  # fmt: skip
    return path


def test_where_picks_one_feature_of_a_multi_layer_geopackage(app, session, tmp_path):
    path = _vg250_like(tmp_path / "vg250.gpkg")
    result = run(app, "municipality", "add", "--ags", "15083040", "--name", "Zweitdorf",
                 "--boundary", str(path), "--layer", "vg250_gem",
                 "--where", "AGS = '15083040'")  # fmt: skip
    assert result.exit_code == 0, result.output
    stored = from_db(towns(session)["15083040"].boundary)
    # x 706000..711000 in EPSG:25832: west edge at about 12.02 degrees east, not 11.93
    assert 12.0 < stored.bounds[0] < 12.05


def test_ags_field_picks_the_feature_and_missing_layer_is_explained(app, session, tmp_path):
    path = _vg250_like(tmp_path / "vg250.gpkg")
    result = run(app, "municipality", "add", "--ags", "15083060", "--name", "Drittdorf",
                 "--boundary", str(path))  # fmt: skip
    assert result.exit_code != 0
    assert "mehrere Ebenen (vg250_gem, vg250_krs)" in result.output
    result = run(app, "municipality", "add", "--ags", "15083060", "--name", "Drittdorf",
                 "--boundary", str(path), "--layer", "vg250_gem")  # fmt: skip
    assert "enthält 3 Objekte" in result.output and "--ags-field" in result.output
    result = run(app, "municipality", "add", "--ags", "15083060", "--name", "Drittdorf",
                 "--boundary", str(path), "--layer", "vg250_gem", "--ags-field", "AGS")  # fmt: skip
    assert result.exit_code == 0, result.output
    stored = from_db(towns(session)["15083060"].boundary)
    assert 12.1 < stored.bounds[0] < 12.2


@pytest.mark.parametrize(
    ("geom", "kind"),
    [(LineString([(12.0, 52.0), (12.1, 52.1)]), "LineString"), (Point(12.0, 52.0), "Point")],
)
def test_a_line_or_point_boundary_is_refused(app, session, tmp_path, geom, kind):
    path = write(tmp_path / "grenze.geojson", [geom], {"name": ["X"]}, "EPSG:4326")
    before = count(session, Municipality)
    result = run(app, "municipality", "add", "--ags", "15083040", "--name", "X",
                 "--boundary", str(path))  # fmt: skip
    assert result.exit_code == 1
    assert f"Objekt 1 ist keine Fläche ({kind})" in result.output
    assert "Es wurde nichts gespeichert." in result.output
    assert count(session, Municipality) == before


@pytest.mark.parametrize("ags", ["1508304", "150830400", "1508304x", ""])
def test_a_malformed_ags_is_refused(app, session, tmp_path, ags):
    path = write(
        tmp_path / "g.geojson", [box(12.0, 52.0, 12.1, 52.05)], {"name": ["X"]}, "EPSG:4326"
    )
    result = run(app, "municipality", "add", "--ags", ags, "--name", "X", "--boundary", str(path))
    assert result.exit_code == 1
    assert "genau 8 Ziffern" in result.output
    assert "15083040" not in towns(session)


def test_a_taken_ags_is_refused(app, session, base, tmp_path):
    path = write(
        tmp_path / "g.geojson", [box(12.0, 52.0, 12.1, 52.05)], {"name": ["X"]}, "EPSG:4326"
    )
    before = count(session, Municipality)
    result = run(app, "municipality", "add", "--ags", "15085040", "--name", "X",
                 "--boundary", str(path))  # fmt: skip
    assert result.exit_code == 1
    assert "Den AGS 15085040 hat schon die Kommune „Ballenstedt“" in result.output
    assert count(session, Municipality) == before


def test_a_district_outside_the_boundary_is_refused_and_nothing_is_written(app, session, tmp_path):
    boundary = write(tmp_path / "g.geojson", [box(12.0, 52.0, 12.1, 52.05)], {"name": ["X"]},
                     "EPSG:4326")  # fmt: skip
    # the second point lies about 1 km east of the boundary (tolerance about 100 m)
    places = write(tmp_path / "ot.geojson", [Point(12.05, 52.02), Point(12.115, 52.02)],
                   {"name": ["Drinnen", "Draußen"]}, "EPSG:4326")  # fmt: skip
    counts = [count(session, m) for m in (Municipality, District, AuditEvent)]
    result = run(app, "municipality", "add", "--ags", "15083040", "--name", "X",
                 "--boundary", str(boundary), "--districts", str(places))  # fmt: skip
    assert result.exit_code == 1
    assert "Ortsteile, Objekt 2 („Draußen“) liegt außerhalb der Gemeindegrenze" in result.output
    assert [count(session, m) for m in (Municipality, District, AuditEvent)] == counts
    # just inside the tolerance (about 35 m east of the edge) is accepted
    places = write(tmp_path / "ot2.geojson", [Point(12.1005, 52.02)], {"name": ["Rand"]},
                   "EPSG:4326")  # fmt: skip
    result = run(app, "municipality", "add", "--ags", "15083040", "--name", "X",
                 "--boundary", str(boundary), "--districts", str(places))  # fmt: skip
    assert result.exit_code == 0, result.output


def test_unknown_name_field_and_missing_file_are_explained(app, session, tmp_path):
    boundary = write(tmp_path / "g.geojson", [box(12.0, 52.0, 12.1, 52.05)], {"name": ["X"]},
                     "EPSG:4326")  # fmt: skip
    places = write(tmp_path / "ot.geojson", [Point(12.05, 52.02)], {"titel": ["A"]}, "EPSG:4326")
    result = run(app, "municipality", "add", "--ags", "15083040", "--name", "X",
                 "--boundary", str(boundary), "--districts", str(places))  # fmt: skip
    assert "kein Namensfeld gefunden" in result.output and "Vorhanden: titel" in result.output
    result = run(app, "municipality", "add", "--ags", "15083040", "--name", "X",
                 "--boundary", str(boundary), "--districts", str(places),
                 "--district-name-field", "titel")  # fmt: skip
    assert result.exit_code == 0, result.output
    result = run(app, "municipality", "add", "--ags", "15083041", "--name", "Y",
                 "--boundary", str(tmp_path / "fehlt.gpkg"))  # fmt: skip
    assert result.exit_code == 1 and "gibt es nicht" in result.output


def test_create_user_with_ags_and_list(app, session, tmp_path):
    path = write(
        tmp_path / "g.geojson", [box(12.0, 52.0, 12.1, 52.05)], {"name": ["X"]}, "EPSG:4326"
    )
    assert run(app, "municipality", "add", "--ags", "15083040", "--name", "Neustadt",
               "--boundary", str(path)).exit_code == 0  # fmt: skip
    result = run(app, "create-user", "--ags", "15083040", "--role", "admin", "--email",
                 "chefin@neustadt.example", stdin="ein-langes-passwort\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Konto chefin@neustadt.example (admin) für Neustadt angelegt." in result.output
    user = session.scalars(select(User).where(User.email == "chefin@neustadt.example")).one()
    assert user.municipality_id == towns(session)["15083040"].id
    result = run(app, "create-user", "--ags", "15083049", "--email", "x@neustadt.example",
                 stdin="ein-langes-passwort\n")  # fmt: skip
    assert result.exit_code == 1 and "Keine Kommune mit AGS 15083049" in result.output
    listing = run(app, "municipality", "list").output
    assert "15085040  Ballenstedt" in listing
    assert "15083040  Neustadt" in listing


def test_bad_filter_and_a_file_that_is_no_geodata_are_explained(app, session, tmp_path):
    path = _vg250_like(tmp_path / "vg250.gpkg")
    layer = ["--boundary", str(path), "--layer", "vg250_gem"]
    result = run(app, "municipality", "add", "--ags", "15083040", "--name", "X",
                 *layer, "--where", "NOPE = 1")  # fmt: skip
    assert result.exit_code == 1
    assert "konnte nicht gelesen werden (Filter oder Ebene prüfen)" in result.output
    result = run(app, "municipality", "add", "--ags", "15083040", "--name", "X",
                 *layer, "--where", "AGS = '15083099'")  # fmt: skip
    assert "enthält keine Fläche (Filter: AGS = '15083099')" in result.output
    text = tmp_path / "grenze.geojson"
    text.write_text("keine Geodaten", "utf-8")
    result = run(app, "municipality", "add", "--ags", "15083040", "--name", "X",
                 "--boundary", str(text))  # fmt: skip
    assert "keine lesbare GeoJSON- oder GeoPackage-Datei" in result.output
    result = run(app, "municipality", "add", "--ags", "15083040", "--name", "X",
                 *layer, "--ags-field", "AGS; DROP")  # fmt: skip
    assert "kein gültiger Feldname" in result.output
    assert "15083040" not in towns(session)
