"""An upload's report is stored once, in English, and read in the reader's language: the API
makes each coded sentence again from its translated template."""

import json

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from app.registry.models import Organisation
from app.uploads.models import Upload
from app.uploads.report_text import localised_report
from gis.messages import Number, Text, as_coded

pytestmark = [pytest.mark.django_db, pytest.mark.vietnamese]

# A release file whose first feature is a line (refused) and whose second lies in Vĩnh Linh.
FEATURES = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"reference": "NPA-1", "method": "cleared", "completed_on": "2024-03-01"},
            "geometry": {"type": "LineString", "coordinates": [[106.95, 17.0], [106.96, 17.01]]},
        },
        {
            "type": "Feature",
            "properties": {"reference": "NPA-2", "method": "cleared", "completed_on": "2024-03-01"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [106.95, 17.0],
                        [106.951, 17.0],
                        [106.951, 17.001],
                        [106.95, 17.001],
                        [106.95, 17.0],
                    ]
                ],
            },
        },
    ],
}


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.UPLOAD_ROOT = tmp_path / "upload-root"


@pytest.fixture
def api(analyst):
    Organisation.objects.create(slug="npa", name="Norwegian People's Aid", kind="ngo")
    client = APIClient()
    client.force_authenticate(analyst)
    return client


@pytest.fixture
def checked_upload(api, tmp_path) -> int:
    path = tmp_path / "giai_phong.geojson"
    path.write_text(json.dumps(FEATURES), encoding="utf-8")
    with path.open("rb") as handle:
        response = api.post(
            "/api/v1/uploads/",
            {"file": handle, "kind": "release", "organisation": "npa"},
            format="multipart",
        )
    assert response.status_code == 202, response.json()
    # The worker, as `make demo` runs it; the server's language here is Vietnamese.
    call_command("upload_worker", "--once")
    return response.json()["id"]


def test_the_report_is_stored_in_english_with_the_code_of_each_sentence(checked_upload):
    report = Upload.objects.get(pk=checked_upload).report

    (rejected,) = report["rejected"]
    assert rejected["reasons"] == ["is a LineString; a polygon is required"]
    assert rejected["reason_codes"] == [
        {"code": "polygon_required", "params": {"type": "LineString"}}
    ]


def test_a_rejection_reads_in_vietnamese_by_default(api, checked_upload):
    upload = api.get(f"/api/v1/uploads/{checked_upload}/").json()

    assert upload["status"] == "ready"
    (rejected,) = upload["report"]["rejected"]
    assert rejected["reasons"] == ["là LineString; cần một đa giác"]
    # The codes stay in the answer, for scripts.
    assert rejected["reason_codes"][0]["code"] == "polygon_required"


def test_a_rejection_reads_in_english_when_asked(api, checked_upload):
    upload = api.get(f"/api/v1/uploads/{checked_upload}/", HTTP_ACCEPT_LANGUAGE="en").json()

    (rejected,) = upload["report"]["rejected"]
    assert rejected["reasons"] == ["is a LineString; a polygon is required"]


def test_how_the_coordinate_system_and_encoding_were_found_reads_in_either_language(
    api, checked_upload
):
    vietnamese = api.get(f"/api/v1/uploads/{checked_upload}/").json()["report"]
    english = api.get(f"/api/v1/uploads/{checked_upload}/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert english["report"]["crs_how"] == (
        "declared by the GeoJSON file (WGS 84 unless it says otherwise); declared EPSG code "
        "(EPSG:4326)"
    )
    assert vietnamese["crs_how"] == (
        "được khai báo trong tệp GeoJSON (WGS 84 nếu tệp không nói khác); mã EPSG được khai báo "
        "(EPSG:4326)"
    )
    assert english["report"]["encoding_how"] == "geojson text is UTF-8 by definition"
    assert vietnamese["encoding_how"] == "văn bản geojson luôn là UTF-8"


def test_the_places_of_the_features_are_named_in_the_readers_language(api, checked_upload):
    vietnamese = api.get(f"/api/v1/uploads/{checked_upload}/").json()["report"]
    english = api.get(f"/api/v1/uploads/{checked_upload}/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert [d["name"] for d in vietnamese["districts_2019"]] == ["Vĩnh Linh"]
    assert [d["name"] for d in english["report"]["districts_2019"]] == ["Vinh Linh"]
    assert english["report"]["districts_2019"][0]["code"] == "464"


def test_a_file_refused_whole_is_explained_in_either_language(api, tmp_path):
    path = tmp_path / "trong.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8")
    with path.open("rb") as handle:
        upload_id = api.post(
            "/api/v1/uploads/",
            {"file": handle, "kind": "release", "organisation": "npa"},
            format="multipart",
        ).json()["id"]
    call_command("upload_worker", "--once")

    vietnamese = api.get(f"/api/v1/uploads/{upload_id}/").json()
    english = api.get(f"/api/v1/uploads/{upload_id}/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert vietnamese["status"] == english["status"] == "rejected"
    assert english["error"] == english["report"]["error"]
    assert vietnamese["error"] == vietnamese["report"]["error"] != english["error"]
    assert vietnamese["report"]["code"] == english["report"]["code"]


def test_the_operating_area_is_named_in_the_readers_language(api, checked_upload):
    vietnamese = api.get(f"/api/v1/uploads/{checked_upload}/").json()["report"]
    english = api.get(f"/api/v1/uploads/{checked_upload}/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert vietnamese["operating_area"] == "tỉnh Quảng Trị (ranh giới năm 2025 và năm 2019)"
    assert english["report"]["operating_area"] == "Quảng Trị province (2025 and 2019 outlines)"
    assert vietnamese["operating_area_code"] == "province"


def test_an_older_report_without_the_areas_code_is_named_by_its_english():
    stored = {"operating_area": "none (features accepted anywhere)"}

    assert localised_report(stored)["operating_area"] == (
        "không giới hạn (chấp nhận đối tượng ở bất kỳ đâu)"
    )


def test_an_area_from_a_file_keeps_its_path():
    stored = {"operating_area": "/etc/landrelease/area.geojson", "operating_area_code": "file"}

    assert localised_report(stored)["operating_area"] == "/etc/landrelease/area.geojson"


def test_the_check_time_refusals_read_in_vietnamese():
    reasons = [
        Text(
            "column_error",
            column=repr("depth_cm"),
            field="depth_cm",
            error=Text("value_above_maximum", value=40000, limit=Number(32767)),
        ),
        Text("x_not_a_number", vertex=3, value="NaN"),
        Text("too_many_vertices", count=Number(1000001), limit=Number(100000)),
    ]
    stored = {
        "rejected": [
            {
                "feature": 2,
                "reasons": list(reasons),
                "reason_codes": [as_coded(reason) for reason in reasons],
            }
        ]
    }

    assert localised_report(stored)["rejected"][0]["reasons"] == [
        "cột 'depth_cm' (depth_cm): 40000 lớn hơn 32.767, giá trị lớn nhất cột này lưu được",
        "đỉnh 3: tọa độ x (hoành độ hoặc kinh độ) là NaN, không phải một số",
        "có 1.000.001 đỉnh; mỗi đối tượng chỉ được có tối đa 100.000 đỉnh: hãy đơn giản hóa đường "
        "bao hoặc tách đối tượng ra",
    ]
