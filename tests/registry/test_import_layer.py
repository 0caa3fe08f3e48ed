"""manage.py import_layer: every feature stored with its geodesic hectares, or nothing at all.

The command goes through the upload services (app.uploads.services): create, check, commit.
"""

import io
import json
import zipfile

import geopandas as gpd
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from pyproj import Geod
from shapely.geometry import Point, Polygon, box
from shapely.geometry.polygon import orient

from app.registry.management.commands import import_layer
from app.registry.models import HazardArea, Organisation, ReleaseArea, SpotTask, Village
from app.uploads.services import check as upload_check
from app.uploads.services import check_upload, commit_upload, create_upload

pytestmark = pytest.mark.django_db

GEOD = Geod(ellps="WGS84")

# Two fields near Cồn Tiên and one with a hole, in lon/lat (Quảng Trị, about 16.8N 107.0E).
FIELD_A = box(107.000, 16.800, 107.010, 16.808)
FIELD_B = Polygon([(107.02, 16.80), (107.035, 16.801), (107.03, 16.812), (107.021, 16.81)])
FIELD_C = Polygon(
    [(107.05, 16.80), (107.06, 16.80), (107.06, 16.81), (107.05, 16.81)],
    holes=[[(107.053, 16.803), (107.053, 16.806), (107.056, 16.806), (107.056, 16.803)]],
)


def geod_ha(polygon: Polygon) -> float:
    """The oracle: pyproj.Geod on the same shape, rings oriented (shell CCW, holes CW)."""
    area_m2, _ = GEOD.geometry_area_perimeter(orient(polygon, sign=1.0))
    return abs(area_m2) / 10_000


def hazard_frame(references=("H-1", "H-2", "H-3")) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "reference": list(references),
            "kind": ["CHA", "cha", "SHA"],
            "contamination": ["cluster munitions", "landmines", "mixed UXO"],
            "recorded_on": ["2022-03-01", "15/06/2022", "20221130"],
        },
        geometry=[FIELD_A, FIELD_B, FIELD_C],
        crs="EPSG:4326",
    )


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.UPLOAD_ROOT = tmp_path / "uploads"


@pytest.fixture
def npa():
    return Organisation.objects.create(slug="npa", name="Norwegian People's Aid", kind="ngo")


def run_import(*args: str) -> dict:
    out = io.StringIO()
    call_command("import_layer", *args, stdout=out)
    return json.loads(out.getvalue())


def run_failing_import(*args: str) -> tuple[dict, str]:
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_layer", *args, stdout=out)
    return json.loads(out.getvalue()), str(failure.value)


def stored_ha(reference: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Area(geometry::geography, true) / 10000 FROM registry_hazardarea "
            "WHERE reference = %s",
            [reference],
        )
        return cursor.fetchone()[0]


def test_a_geojson_import_stores_every_hazard_with_its_geodesic_hectares(tmp_path, npa):
    path = tmp_path / "hazards.geojson"
    hazard_frame().to_file(path, driver="GeoJSON")

    report = run_import(str(path), "--kind", "hazard", "--org", "npa")

    assert report["status"] == "stored"
    assert report["stored"] == 3
    assert report["rejected"] == []
    expected = {"H-1": FIELD_A, "H-2": FIELD_B, "H-3": FIELD_C}
    for reference, shape in expected.items():
        assert stored_ha(reference) == pytest.approx(geod_ha(shape), rel=1e-4)
    total = sum(geod_ha(shape) for shape in expected.values())
    assert report["total_ha"] == pytest.approx(total, abs=0.01)
    h2 = HazardArea.objects.get(reference="H-2")
    assert (h2.kind, h2.contamination, str(h2.recorded_on)) == ("CHA", "landmines", "2022-06-15")
    assert h2.organisation == npa


def test_one_bad_feature_stores_nothing_and_names_the_feature(tmp_path, npa):
    frame = hazard_frame()
    frame.loc[1, "recorded_on"] = None
    path = tmp_path / "hazards.geojson"
    frame.to_file(path, driver="GeoJSON")

    report, message = run_failing_import(str(path), "--kind", "hazard", "--org", "npa")

    assert HazardArea.objects.count() == 0
    assert report["stored"] == 0
    assert [(r["feature"], r["reference"]) for r in report["rejected"]] == [(2, "H-2")]
    assert "recorded_on" in report["rejected"][0]["reasons"][0]
    assert "1 feature(s) rejected" in message


def test_a_depth_the_column_cannot_hold_is_a_rejected_feature_not_a_failed_commit(tmp_path, npa):
    frame = gpd.GeoDataFrame(
        {
            "reference": ["R-1", "R-2", "R-3"],
            "method": ["cleared"] * 3,
            "completed_on": ["2023-05-01"] * 3,
            "depth_cm": [30, 40000, 50],
        },
        geometry=[FIELD_A, FIELD_B, FIELD_C],
        crs="EPSG:4326",
    )
    path = tmp_path / "releases.geojson"
    frame.to_file(path, driver="GeoJSON")

    report, message = run_failing_import(str(path), "--kind", "release", "--org", "npa")

    assert "1 feature(s) rejected" in message
    assert [(r["feature"], r["reference"]) for r in report["rejected"]] == [(2, "R-2")]
    assert "depth_cm" in report["rejected"][0]["reasons"][0]
    assert "32,767" in report["rejected"][0]["reasons"][0]
    assert ReleaseArea.objects.count() == 0

    stored = run_import(str(path), "--kind", "release", "--org", "npa", "--accept-partial")

    assert (stored["status"], stored["stored"]) == ("stored", 2)
    assert sorted(ReleaseArea.objects.values_list("reference", "depth_cm")) == [
        ("R-1", 30),
        ("R-3", 50),
    ]


def test_a_rerun_with_stored_references_reports_conflicts_and_stores_nothing(tmp_path, npa):
    path = tmp_path / "hazards.geojson"
    hazard_frame().to_file(path, driver="GeoJSON")
    run_import(str(path), "--kind", "hazard", "--org", "npa")
    second = tmp_path / "again.geojson"
    hazard_frame(references=("H-1", "H-9", "H-3")).to_file(second, driver="GeoJSON")

    report, message = run_failing_import(str(second), "--kind", "hazard", "--org", "npa")

    assert report["conflicts"] == ["H-1", "H-3"]
    assert "already stored" in message
    assert sorted(HazardArea.objects.values_list("reference", flat=True)) == ["H-1", "H-2", "H-3"]


def test_a_geopackage_in_utm_48n_lands_where_the_lon_lat_shapes_are(tmp_path, npa):
    frame = gpd.GeoDataFrame(
        {
            "REFERENCE": ["R-1", "R-2"],
            "Method": ["clearance", "TS"],
            "completed_": ["2023-05-01", "03/04/2023"],
            "depth_cm": [30, None],
        },
        geometry=[FIELD_A, FIELD_C],
        crs="EPSG:4326",
    ).to_crs("EPSG:32648")
    path = tmp_path / "releases.gpkg"
    frame.to_file(path, layer="releases", driver="GPKG")

    report = run_import(str(path), "--kind", "release", "--org", "npa")

    assert report["crs"].startswith("EPSG:32648")
    assert report["mapping"]["completed_on"] == "completed_"
    r1, r2 = ReleaseArea.objects.order_by("reference")
    assert (r1.method, r1.depth_cm, str(r1.completed_on)) == ("cleared", 30, "2023-05-01")
    assert (r2.method, r2.depth_cm, str(r2.completed_on)) == ("reduced", None, "2023-04-03")
    assert report["total_ha"] == pytest.approx(geod_ha(FIELD_A) + geod_ha(FIELD_C), rel=1e-4)


def test_a_dry_run_reports_and_stores_nothing(tmp_path, npa):
    path = tmp_path / "hazards.geojson"
    hazard_frame().to_file(path, driver="GeoJSON")

    report = run_import(str(path), "--kind", "hazard", "--org", "npa", "--dry-run")

    assert (report["status"], report["accepted"], report["stored"]) == ("checked", 3, 0)
    assert HazardArea.objects.count() == 0


def test_an_unknown_organisation_is_a_clear_error(tmp_path):
    path = tmp_path / "hazards.geojson"
    hazard_frame().to_file(path, driver="GeoJSON")

    report, message = run_failing_import(str(path), "--kind", "hazard", "--org", "nobody")

    assert report["code"] == "organisation_unknown"
    assert "add_organisation" in message


# Writing the shapefile truncates the long column names on purpose: the import must find them.
@pytest.mark.filterwarnings("ignore:Column names longer than 10", "ignore:Normalized/laundered")
def test_a_file_without_crs_is_refused_then_accepted_with_crs(tmp_path, npa):
    utm = hazard_frame().to_crs("EPSG:32648")
    folder = tmp_path / "shp"
    folder.mkdir()
    utm.to_file(folder / "hazards.shp")
    (folder / "hazards.prj").unlink()
    archive = tmp_path / "hazards.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for part in folder.iterdir():
            bundle.write(part, part.name)

    report, message = run_failing_import(str(archive), "--kind", "hazard", "--org", "npa")
    assert report["code"] == "crs_missing"
    # Ranked by the province outline loaded in the test database.
    assert report["choices"][:2] == ["EPSG:32648", "EPSG:3405"]
    assert HazardArea.objects.count() == 0

    report = run_import(str(archive), "--kind", "hazard", "--org", "npa", "--crs", "EPSG:32648")
    assert report["stored"] == 3
    assert stored_ha("H-2") == pytest.approx(geod_ha(FIELD_B), rel=1e-4)


def test_an_explicit_mapping_reads_columns_with_other_names(tmp_path, npa):
    frame = gpd.GeoDataFrame(
        {"ma": ["ST-1", "ST-2"], "ngay": ["01/02/2024", "2024-02-03"], "so_vat": [3, 0]},
        geometry=[Point(107.0, 16.8), Point(107.1, 16.85)],
        crs="EPSG:4326",
    )
    path = tmp_path / "spot.geojson"
    frame.to_file(path, driver="GeoJSON")

    report = run_import(
        str(path),
        "--kind",
        "spot-task",
        "--org",
        "npa",
        "--map",
        "reference=ma",
        "--map",
        "completed_on=ngay",
        "--map",
        "items_destroyed=so_vat",
    )

    assert report["stored"] == 2
    task = SpotTask.objects.get(reference="ST-1")
    assert (str(task.completed_on), task.items_destroyed) == ("2024-02-01", 3)
    assert (task.location.x, task.location.y) == pytest.approx((107.0, 16.8))


def test_villages_keep_vietnamese_names(tmp_path, npa):
    frame = gpd.GeoDataFrame(
        {
            "code": ["V-1"],
            "name_vi": ["Thôn Hướng Hóa"],
            "name_en": ["Huong Hoa hamlet"],
            "nts_completed_on": ["2021-07-01"],
        },
        geometry=[Point(106.73, 16.63)],
        crs="EPSG:4326",
    )
    path = tmp_path / "villages.geojson"
    frame.to_file(path, driver="GeoJSON")

    run_import(str(path), "--kind", "village", "--org", "npa")

    village = Village.objects.get(code="V-1")
    assert village.name_vi == "Thôn Hướng Hóa"
    assert str(village.nts_completed_on) == "2021-07-01"
    assert village.ts_completed_on is None


def test_gpx_waypoints_name_their_spot_task_and_lack_item_counts(tmp_path, npa):
    path = tmp_path / "eod.gpx"
    path.write_text(
        '<?xml version="1.0"?><gpx version="1.1" creator="test" '
        'xmlns="http://www.topografix.com/GPX/1/1">'
        '<wpt lat="16.8012" lon="107.0034"><name>EOD-17</name><time>2024-03-02T08:00:00Z</time>'
        "</wpt></gpx>",
        encoding="utf-8",
    )

    report, _message = run_failing_import(
        str(path), "--kind", "spot-task", "--org", "npa", "--map", "completed_on=time"
    )

    assert report["mapping"]["reference"] == "name"
    (rejected,) = report["rejected"]
    assert (rejected["feature"], rejected["reference"]) == (1, "EOD-17")
    assert rejected["reasons"] == [
        "no column for items_destroyed (looked for items_destroyed, items_dest, items, "
        "destroyed, item_count; map one with items_destroyed=COLUMN)"
    ]
    assert SpotTask.objects.count() == 0


def test_a_repaired_polygon_is_stored_and_the_report_says_what_was_done(tmp_path, npa):
    # A shell that touches itself at one vertex: valid for ESRI, invalid for OGC.
    touching = Polygon(
        [(107.0, 16.8), (107.01, 16.8), (107.01, 16.81), (107.005, 16.8), (107.0, 16.81)]
    )
    frame = hazard_frame()
    frame.loc[0, "geometry"] = touching
    path = tmp_path / "hazards.geojson"
    frame.to_file(path, driver="GeoJSON")

    report = run_import(str(path), "--kind", "hazard", "--org", "npa")

    (repaired,) = report["repaired"]
    assert (repaired["feature"], repaired["reference"]) == (1, "H-1")
    assert "repaired with make_valid" in repaired["repairs"][0]
    assert report["stored"] == 3
    assert stored_ha("H-1") == pytest.approx(geod_ha(touching), rel=1e-4)


def test_a_clash_found_only_by_the_database_rolls_the_whole_file_back(tmp_path, npa, monkeypatch):
    # As if another import stored H-3 between the conflict check and the COPY.
    path = tmp_path / "hazards.geojson"
    hazard_frame(references=("H-3", "H-8", "H-9")).iloc[:1].to_file(path, driver="GeoJSON")
    run_import(str(path), "--kind", "hazard", "--org", "npa")
    monkeypatch.setattr(upload_check, "existing_references", lambda *args: [])
    second = tmp_path / "second.geojson"
    hazard_frame(references=("H-1", "H-2", "H-3")).to_file(second, driver="GeoJSON")

    report, message = run_failing_import(str(second), "--kind", "hazard", "--org", "npa")

    assert report["code"] == "conflict"
    assert "nothing was stored" in message
    assert list(HazardArea.objects.values_list("reference", flat=True)) == ["H-3"]


def bare_release_file(tmp_path) -> str:
    """Two released fields with no attribute the kind needs but their depth: a team's file."""
    frame = gpd.GeoDataFrame({"depth_cm": [30, None]}, geometry=[FIELD_A, FIELD_B], crs="EPSG:4326")
    path = tmp_path / "team.geojson"
    frame.to_file(path, driver="GeoJSON")
    return str(path)


# The file lacks method and completion date: --default gives them.
NPA_RELEASES_CLEARED_2024 = (
    *("--kind", "release", "--org", "npa"),
    *("--default", "method=cleared", "--default", "completed_on=2024-05-01"),
)


def test_defaults_fill_the_fields_the_file_lacks(tmp_path, npa):
    report = run_import(
        bare_release_file(tmp_path),
        *NPA_RELEASES_CLEARED_2024,
        "--default",
        "reference=NPA-2024-{n}",
    )

    assert report["stored"] == 2
    assert report["defaults"] == {
        "method": "cleared",
        "completed_on": "2024-05-01",
        "reference": "NPA-2024-{n}",
    }
    stored = ReleaseArea.objects.order_by("reference").values_list(
        "reference", "method", "completed_on", "depth_cm"
    )
    assert [(r, m, str(d), cm) for r, m, d, cm in stored] == [
        ("NPA-2024-1", "cleared", "2024-05-01", 30),
        ("NPA-2024-2", "cleared", "2024-05-01", None),
    ]


def test_a_default_value_keeps_its_commas_and_equals_signs(tmp_path, npa):
    run_import(
        bare_release_file(tmp_path),
        *NPA_RELEASES_CLEARED_2024,
        "--default",
        "reference=NPA,lot=7,{n}",
    )

    assert sorted(ReleaseArea.objects.values_list("reference", flat=True)) == [
        "NPA,lot=7,1",
        "NPA,lot=7,2",
    ]


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("completed_on", "'completed_on': write each pair as target=source"),
        ("=2024-05-01", "'=2024-05-01': write each pair as target=source"),
        ("completed_on=  ", "give an object of target field to source column names"),
    ],
)
def test_a_malformed_default_is_refused_as_the_api_refuses_it(tmp_path, npa, pair, message):
    report, error = run_failing_import(
        bare_release_file(tmp_path), "--kind", "release", "--org", "npa", "--default", pair
    )

    assert error == message
    assert (report["status"], report["parameter"]) == ("refused", "defaults")
    assert ReleaseArea.objects.count() == 0


def test_a_default_for_a_field_the_kind_lacks_stores_nothing_and_names_it(tmp_path, npa):
    report, error = run_failing_import(
        bare_release_file(tmp_path),
        "--kind",
        "release",
        "--org",
        "npa",
        "--default",
        "items_destroyed=3",
    )

    assert report["status"] == "refused"
    assert "items_destroyed" in report["error"]
    assert error.startswith("Nothing stored:")
    assert ReleaseArea.objects.count() == 0


def test_a_file_committed_meanwhile_by_another_upload_is_refused_as_its_duplicate(
    tmp_path, npa, monkeypatch
):
    path = tmp_path / "hazards.geojson"
    hazard_frame().to_file(path, driver="GeoJSON")
    # The same file sent through the API and checked, not yet committed.
    twin = create_upload(
        organisation_slug="npa",
        kind="hazard",
        filename=path.name,
        chunks=[path.read_bytes()],
        size_bytes=path.stat().st_size,
    )
    check_upload(upload_id=twin.pk)

    def checked_then_the_twin_committed(*, upload_id):
        checked = check_upload(upload_id=upload_id)
        commit_upload(upload_id=twin.pk)
        return checked

    monkeypatch.setattr(import_layer, "check_upload", checked_then_the_twin_committed)

    report, message = run_failing_import(str(path), "--kind", "hazard", "--org", "npa")

    assert report["status"] == "refused"
    assert report["duplicate_of"] == twin.pk
    assert f"duplicate of upload {twin.pk}" in message
    assert set(HazardArea.objects.values_list("upload_id", flat=True)) == {twin.pk}
    assert HazardArea.objects.count() == 3
