"""The upload API end to end: post, check in the worker, report, commit, revert."""

import datetime as dt

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely
from shapely.geometry import LineString, box

from app.accounting.selectors import release_report
from app.registry.models import HazardArea, ReleaseArea, Village
from app.uploads.models import StagedFeature, Upload
from tests.uploads.files import (
    FIELDS,
    REFERENCES,
    esri_wkt,
    geod_ha,
    release_frame,
    shapefile_zip,
)

pytestmark = pytest.mark.django_db

TO_UTM = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:32648", always_xy=True)


def in_utm(shape):
    return shapely.transform(
        shape, lambda xy: np.column_stack(TO_UTM.transform(xy[:, 0], xy[:, 1]))
    )


def release_geojson(tmp_path, name="releases.geojson", **frame_options):
    path = tmp_path / name
    release_frame(**frame_options).to_file(path, driver="GeoJSON")
    return path


def test_a_release_file_is_checked_reported_committed_and_linked_to_its_upload(
    tmp_path, uploader, npa
):
    response = uploader.post(release_geojson(tmp_path), kind="release", organisation="npa")
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    assert ReleaseArea.objects.count() == 0

    from app.uploads.worker import process_waiting_uploads

    process_waiting_uploads()
    upload = uploader.get(response.json()["id"])

    assert (upload["status"], upload["progress"]) == ("ready", 100)
    report = upload["report"]
    assert (report["features_read"], report["accepted"], report["rejected"]) == (3, 3, [])
    assert report["crs"].startswith("EPSG:4326")
    assert report["total_ha"] == pytest.approx(sum(geod_ha(f) for f in FIELDS), abs=0.01)
    assert report["districts_2019"] and report["communes_2025"]
    assert all(unit["features"] >= 1 for unit in report["districts_2019"])
    assert ReleaseArea.objects.count() == 0, "a check stores nothing"

    committed = uploader.commit(upload["id"])

    assert (committed["status"], committed["stored"]) == ("committed", 3)
    stored = ReleaseArea.objects.filter(upload_id=upload["id"]).order_by("reference")
    assert [r.reference for r in stored] == list(REFERENCES)
    assert StagedFeature.objects.count() == 0


def stored_shapes(upload_id: int) -> list:
    return [
        shapely.from_wkb(bytes(r.geometry.wkb))
        for r in ReleaseArea.objects.filter(upload_id=upload_id).order_by("reference")
    ]


@pytest.mark.filterwarnings("ignore:Column names longer than 10", "ignore:Normalized/laundered")
def test_the_same_polygons_in_four_formats_and_crss_land_within_a_metre(tmp_path, uploader, npa):
    from app.registry.models import Organisation

    files = {}
    utm = tmp_path / "utm"
    utm.mkdir()
    files["utm48n-shapefile"] = shapefile_zip(release_frame(crs="EPSG:32648"), utm)
    tm3 = tmp_path / "tm3"
    tm3.mkdir()
    # VN-2000 / TM-3 106°15' (Quảng Trị) as ArcGIS writes it: an ESRI WKT without any EPSG code.
    files["vn2000-tm3-esri-shapefile"] = shapefile_zip(
        release_frame(crs="EPSG:9212"), tm3, prj=esri_wkt(9212)
    )
    files["kml"] = tmp_path / "releases.kml"
    release_frame().to_file(files["kml"], driver="KML")
    files["gpkg"] = tmp_path / "releases.gpkg"
    release_frame(crs="EPSG:32648").to_file(files["gpkg"], driver="GPKG", layer="releases")

    shapes = {}
    for number, (name, path) in enumerate(files.items()):
        slug = f"org-{number}"
        Organisation.objects.create(slug=slug, name=name, kind="ngo")
        upload = uploader.checked(path, kind="release", organisation=slug)
        assert upload["status"] == "ready", (name, upload["report"])
        expected_ha = sum(geod_ha(f) for f in FIELDS)
        assert upload["report"]["total_ha"] == pytest.approx(expected_ha, abs=0.01), name
        assert uploader.commit(upload["id"])["status"] == "committed"
        shapes[name] = stored_shapes(upload["id"])
    assert (
        "9212" in uploader.get(Upload.objects.get(organisation__slug="org-1").pk)["report"]["crs"]
    )
    reference = [in_utm(shape) for shape in shapes["utm48n-shapefile"]]
    for name, found in shapes.items():
        for expected, shape in zip(reference, found, strict=True):
            assert shapely.hausdorff_distance(expected, in_utm(shape)) < 1.0, name


@pytest.mark.filterwarnings("ignore:Column names longer than 10", "ignore:Normalized/laundered")
def test_a_shapefile_without_prj_is_rejected_with_candidates_then_accepted_with_crs(
    tmp_path, uploader, npa
):
    archive = shapefile_zip(release_frame(crs="EPSG:32648"), tmp_path, drop=(".prj",))

    rejected = uploader.checked(archive, kind="release", organisation="npa")

    assert rejected["status"] == "rejected"
    assert rejected["report"]["code"] == "crs_missing"
    assert rejected["report"]["parameter"] == "crs"
    assert "EPSG:32648" in rejected["report"]["choices"]
    assert ReleaseArea.objects.count() == 0

    accepted = uploader.checked(archive, kind="release", organisation="npa", crs="EPSG:32648")

    assert accepted["status"] == "ready"
    assert accepted["report"]["total_ha"] == pytest.approx(
        sum(geod_ha(f) for f in FIELDS), abs=0.01
    )


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_vietnamese_attribute_text_is_stored_as_unicode(tmp_path, uploader, npa, encoding):
    from gis.encodings import encode_text

    names = ["Thôn Cồn Tiên", "Dốc Miếu", "Hướng Hóa"]
    frame = gpd.GeoDataFrame(
        {
            "code": ["V-1", "V-2", "V-3"],
            # Written as Latin-1, each byte of the legacy text reaches the DBF unchanged.
            "name_vi": [encode_text(name, encoding).decode("latin-1") for name in names],
            "name_en": ["Con Tien", "Doc Mieu", "Huong Hoa"],
        },
        geometry=shapely.points([(107.0, 16.8), (107.05, 16.85), (106.73, 16.63)]),
        crs="EPSG:4326",
    )
    archive = shapefile_zip(frame, tmp_path, name="thon", encoding="ISO-8859-1", drop=(".cpg",))

    upload = uploader.checked(archive, kind="village", organisation="npa")
    assert upload["status"] == "ready", upload["report"]
    assert upload["report"]["encoding"] == encoding
    uploader.commit(upload["id"])

    assert list(Village.objects.order_by("code").values_list("name_vi", flat=True)) == names


def test_the_same_file_again_is_a_duplicate_and_stores_nothing(tmp_path, uploader, npa):
    path = release_geojson(tmp_path)
    first = uploader.checked(path, kind="release", organisation="npa")
    uploader.commit(first["id"])

    again = uploader.post(path, kind="release", organisation="npa").json()

    assert again["status"] == "rejected"
    assert again["duplicate_of"] == first["id"]
    assert f"duplicate of upload {first['id']}" in again["error"]
    assert ReleaseArea.objects.count() == 3
    kept = Upload.objects.get(pk=first["id"]).folder
    assert [p.name for p in (tmp_path / "upload-root").iterdir()] == [kept], "only the first's"


def conflicting_uploads(tmp_path, uploader):
    """QT-001..3 committed; then a file with QT-003 (moved) and QT-004, checked."""
    first = uploader.checked(release_geojson(tmp_path), kind="release", organisation="npa")
    uploader.commit(first["id"])
    moved = box(107.1, 16.7, 107.11, 16.71)
    second = uploader.checked(
        release_geojson(
            tmp_path, "second.geojson", references=("QT-003", "QT-004"), fields=(moved, FIELDS[0])
        ),
        kind="release",
        organisation="npa",
    )
    return second, moved


def test_a_conflicting_reference_is_offered_replace_or_skip_and_skip_keeps_the_stored_one(
    tmp_path, uploader, npa
):
    second, _moved = conflicting_uploads(tmp_path, uploader)

    assert second["status"] == "ready"
    assert second["report"]["conflicts"] == ["QT-003"]
    assert set(second["report"]["conflict_choices"]) == {"replace", "skip"}

    committed = uploader.commit(second["id"], on_conflict="skip")

    assert (committed["stored"], committed["report"]["skipped"]) == (1, 1)
    kept = ReleaseArea.objects.get(reference="QT-003")
    assert kept.upload_id != second["id"]
    assert geod_ha(shapely.from_wkb(bytes(kept.geometry.wkb))) == pytest.approx(geod_ha(FIELDS[2]))


def test_replace_puts_the_uploaded_feature_in_place_of_the_stored_one(tmp_path, uploader, npa):
    second, moved = conflicting_uploads(tmp_path, uploader)

    committed = uploader.commit(second["id"], on_conflict="replace")

    assert (committed["stored"], committed["report"]["replaced"]) == (2, 1)
    replaced = ReleaseArea.objects.get(reference="QT-003")
    assert replaced.upload_id == second["id"]
    assert geod_ha(shapely.from_wkb(bytes(replaced.geometry.wkb))) == pytest.approx(geod_ha(moved))
    assert ReleaseArea.objects.count() == 4


def test_a_revert_restores_the_release_statistics_exactly(tmp_path, api, uploader, npa):
    # An approved CHA under the fields, so the releases move the CHA statistics.
    HazardArea.objects.create(
        status="approved",
        reference="CHA-1",
        kind="CHA",
        contamination="cluster_munitions",
        organisation=npa,
        recorded_on=dt.date(2020, 1, 1),
        geometry=f"SRID=4326;{shapely.MultiPolygon([box(106.99, 16.79, 107.07, 16.82)]).wkt}",
    )
    as_of = dt.date(2023, 12, 31)
    before = release_report(as_of=as_of, by="district")
    upload = uploader.checked(release_geojson(tmp_path), kind="release", organisation="npa")
    uploader.commit(upload["id"])
    assert release_report(as_of=as_of, by="district") == before, "submitted: not counted yet"
    assert api.post(f"/api/v1/uploads/{upload['id']}/approve/").status_code == 200
    assert release_report(as_of=as_of, by="district") != before

    reverted = uploader.revert(upload["id"])

    assert (reverted["status"], reverted["report"]["removed"]) == ("reverted", 3)
    assert release_report(as_of=as_of, by="district") == before
    assert ReleaseArea.objects.count() == 0


def test_features_outside_the_operating_area_are_rejected_with_their_distance(
    tmp_path, uploader, npa
):
    # The province is the default operating area; a field near Hà Nội is about 450 km away.
    ha_noi = box(105.80, 21.00, 105.81, 21.01)
    path = release_geojson(tmp_path, fields=(FIELDS[0], ha_noi), references=("IN-1", "OUT-1"))

    upload = uploader.checked(path, kind="release", organisation="npa")

    assert upload["status"] == "ready"
    (outside,) = upload["report"]["rejected"]
    assert (outside["feature"], outside["reference"]) == (2, "OUT-1")
    assert "outside the operating area" in outside["reasons"][0]
    assert 300 < outside["distance_km"] < 700
    assert upload["report"]["accepted"] == 1

    alone = uploader.checked(
        release_geojson(tmp_path, "out.geojson", fields=(ha_noi,), references=("OUT-1",)),
        kind="release",
        organisation="npa",
    )
    assert alone["status"] == "rejected"
    assert "No feature can be stored" in alone["error"]


def test_lines_are_rejected_as_releases_with_a_reason(tmp_path, uploader, npa):
    frame = release_frame(fields=(LineString([(107.0, 16.8), (107.01, 16.81)]),))
    path = tmp_path / "track.geojson"
    frame.to_file(path, driver="GeoJSON")

    upload = uploader.checked(path, kind="release", organisation="npa")

    assert upload["status"] == "rejected"
    (rejected,) = upload["report"]["rejected"]
    assert "LineString" in " ".join(rejected["reasons"])
    assert ReleaseArea.objects.count() == 0


def test_duplicates_overlaps_and_releases_outside_chas_are_warned(tmp_path, uploader, npa):
    first = uploader.checked(release_geojson(tmp_path), kind="release", organisation="npa")
    uploader.commit(first["id"])
    twice = release_geojson(
        tmp_path, "twice.geojson", references=("D-1", "D-2"), fields=(FIELDS[0], FIELDS[0])
    )

    report = uploader.checked(twice, kind="release", organisation="npa")["report"]

    assert report["duplicates"] == [{"features": [1, 2]}]
    assert {o["stored"] for o in report["overlaps"]} == {"QT-001"}
    assert [o["feature"] for o in report["outside_cha"]] == [1, 2]
    assert len(report["warnings"]) >= 3


def test_bad_requests_name_what_to_fix(tmp_path, api, uploader, npa):
    path = release_geojson(tmp_path)
    cases = [
        ({"kind": "release", "organisation": "npa"}, "file", False),
        ({"kind": "forest", "organisation": "npa"}, "kind", True),
        ({"kind": "release", "organisation": "nobody"}, "organisation", True),
        ({"kind": "release", "organisation": "npa", "mapping": "reference"}, "mapping", True),
        ({"kind": "release", "organisation": "npa", "crs": "EPSG:nope"}, "crs", True),
        ({"kind": "release", "organisation": "npa", "on_conflict": "merge"}, "on_conflict", True),
    ]
    for fields, parameter, with_file in cases:
        response = (
            uploader.post(path, **fields)
            if with_file
            else api.post("/api/v1/uploads/", fields, format="multipart")
        )
        assert response.status_code == 400, (fields, response.content)
        assert response.json()["parameter"] == parameter
    assert Upload.objects.count() == 0


def test_unknown_ids_are_404_and_wrong_states_409(tmp_path, api, uploader, npa):
    assert api.get("/api/v1/uploads/999999/").status_code == 404
    assert api.post("/api/v1/uploads/999999/commit/").status_code == 404
    queued = uploader.post(release_geojson(tmp_path), kind="release", organisation="npa").json()

    assert api.post(f"/api/v1/uploads/{queued['id']}/commit/").status_code == 409
    assert api.post(f"/api/v1/uploads/{queued['id']}/revert/").status_code == 409


def test_the_list_shows_uploads_newest_first_without_reports(tmp_path, api, uploader, npa):
    first = uploader.post(release_geojson(tmp_path), kind="release", organisation="npa").json()
    second = uploader.post(
        release_geojson(tmp_path, "b.geojson", references=("B-1", "B-2", "B-3")),
        kind="release",
        organisation="npa",
    ).json()

    results = api.get("/api/v1/uploads/").json()["results"]

    assert [u["id"] for u in results] == [second["id"], first["id"]]
    assert "report" not in results[0]


def test_a_file_name_with_bang_and_vietnamese_letters_is_kept_as_metadata_only(
    tmp_path, uploader, npa, upload_root
):
    path = release_geojson(tmp_path).rename(tmp_path / "giải phóng!2023.geojson")

    upload = uploader.checked(path, kind="release", organisation="npa")

    assert upload["status"] == "ready"
    assert upload["filename"] == "giải phóng!2023.geojson"
    folder = Upload.objects.get(pk=upload["id"]).folder_path
    assert [p.name for p in folder.iterdir()] == ["original.geojson"]


def test_a_file_over_the_size_limit_is_refused_naming_the_limit(
    tmp_path, uploader, npa, settings, upload_root
):
    settings.UPLOAD_MAX_BYTES = 1000
    path = release_geojson(tmp_path)

    response = uploader.post(path, kind="release", organisation="npa")

    assert response.status_code == 400
    assert response.json()["parameter"] == "file"
    assert "the limit is 1,000 bytes" in response.json()["error"]
    assert Upload.objects.count() == 0
    assert not upload_root.exists() or not any(upload_root.iterdir())


def test_the_command_line_stores_the_accepted_features_only_with_accept_partial(tmp_path, npa):
    import io
    import json

    from django.core.management import CommandError, call_command

    ha_noi = box(105.80, 21.00, 105.81, 21.01)
    path = release_geojson(tmp_path, fields=(FIELDS[0], ha_noi), references=("IN-1", "OUT-1"))
    with pytest.raises(CommandError, match="1 feature"):
        call_command(
            "import_layer", str(path), "--kind", "release", "--org", "npa", stdout=io.StringIO()
        )
    assert ReleaseArea.objects.count() == 0

    out = io.StringIO()
    call_command(
        "import_layer",
        str(path),
        "--kind",
        "release",
        "--org",
        "npa",
        "--accept-partial",
        stdout=out,
    )

    report = json.loads(out.getvalue())
    assert (report["status"], report["stored"]) == ("stored", 1)
    assert list(ReleaseArea.objects.values_list("reference", flat=True)) == ["IN-1"]


def test_reverting_a_replace_puts_the_replaced_record_back(tmp_path, api, uploader, npa):
    second, _moved = conflicting_uploads(tmp_path, uploader)
    first = ReleaseArea.objects.get(reference="QT-003").upload_id
    original = ReleaseArea.objects.get(reference="QT-003")
    uploader.commit(second["id"], on_conflict="replace")

    refused = api.post(f"/api/v1/uploads/{first}/revert/")
    assert refused.status_code == 409
    assert f"upload {second['id']} replaced records" in refused.json()["error"]

    reverted = uploader.revert(second["id"])

    assert (reverted["report"]["removed"], reverted["report"]["restored"]) == (2, 1)
    back = ReleaseArea.objects.get(reference="QT-003")
    assert (back.pk, back.upload_id, back.method, back.completed_on) == (
        original.pk,
        first,
        original.method,
        original.completed_on,
    )
    assert back.geometry.equals_exact(original.geometry, 1e-12)
    assert ReleaseArea.objects.count() == 3
    assert uploader.revert(first)["status"] == "reverted"
    assert ReleaseArea.objects.count() == 0


def test_replace_never_overwrites_another_organisations_hazard(tmp_path, uploader, npa):
    from app.registry.models import Organisation

    Organisation.objects.create(slug="mag", name="MAG", kind="ngo")
    frame = release_frame(references=("H-1",), fields=(FIELDS[0],)).drop(
        columns=["method", "completed_on"]
    )
    frame["kind"], frame["contamination"], frame["recorded_on"] = "CHA", "landmines", "2022-01-01"
    path = tmp_path / "hazard.geojson"
    frame.to_file(path, driver="GeoJSON")
    frame.geometry = [FIELDS[1]]
    mine = tmp_path / "mine.geojson"
    frame.to_file(mine, driver="GeoJSON")
    # Ours is checked before theirs is stored (the check would refuse the reference): the
    # commit is what must not overwrite theirs.
    ours = uploader.checked(mine, kind="hazard", organisation="npa")
    theirs = uploader.checked(path, kind="hazard", organisation="mag")
    uploader.commit(theirs["id"])

    committed = uploader.commit(ours["id"], on_conflict="replace")

    assert (committed["stored"], committed["report"]["replaced"]) == (0, 0)
    assert committed["report"]["skipped"] == 1
    assert HazardArea.objects.get(reference="H-1").upload_id == theirs["id"]
    frame.geometry = [FIELDS[2]]
    frame.to_file(tmp_path / "again.geojson", driver="GeoJSON")
    again = uploader.checked(tmp_path / "again.geojson", kind="hazard", organisation="npa")
    assert again["status"] == "rejected"
    assert "another organisation" in again["report"]["rejected"][0]["reasons"][0]


def test_another_operating_area_from_a_geojson_file(tmp_path, uploader, npa, settings):
    area = tmp_path / "ha_noi.geojson"
    gpd.GeoDataFrame(geometry=[box(105.5, 20.8, 106.0, 21.3)], crs="EPSG:4326").to_file(
        area, driver="GeoJSON"
    )
    settings.OPERATING_AREA = str(area)
    ha_noi = box(105.80, 21.00, 105.81, 21.01)
    path = release_geojson(tmp_path, fields=(ha_noi, FIELDS[0]), references=("HN-1", "QT-1"))

    upload = uploader.checked(path, kind="release", organisation="npa")

    assert upload["report"]["operating_area"] == str(area)
    assert [r["reference"] for r in upload["report"]["rejected"]] == ["QT-1"]
    assert upload["report"]["accepted"] == 1


def test_a_missing_operating_area_file_fails_the_check_with_a_message(
    tmp_path, uploader, npa, settings
):
    settings.OPERATING_AREA = str(tmp_path / "nowhere.geojson")

    upload = uploader.checked(release_geojson(tmp_path), kind="release", organisation="npa")

    assert upload["status"] == "failed"
    assert "operating area is misconfigured" in upload["error"]
