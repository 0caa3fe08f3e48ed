"""A refusal names the kind of record and its state in the reader's words ("vùng đất đã giải
phóng", "đã phê duyệt"), never by the codes of the URLs and the database; the codes stay beside
the message for scripts."""

import pytest
from django.test import Client
from shapely.geometry import box

from app.uploads.models import Upload
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.vietnamese]

SQUARE = box(106.95, 17.0, 106.951, 17.001)


def test_a_missing_record_is_named_by_its_kind_in_either_language(client):
    vietnamese = client.get("/api/v1/records/releases/999999/")
    english = client.get("/api/v1/records/releases/999999/", HTTP_ACCEPT_LANGUAGE="en")

    assert vietnamese.status_code == english.status_code == 404
    assert vietnamese.json() == {
        "error": "id: không có bản ghi vùng đất đã giải phóng số 999999",
        "parameter": "id",
    }
    assert english.json()["error"] == "id: no release record 999999"


def test_a_decision_on_an_approved_record_names_its_state_and_keeps_the_code(client):
    record = factories.release(SQUARE, status="approved")
    url = f"/api/v1/records/releases/{record.pk}/review/"

    vietnamese = client.post(url, {"decision": "approve"}, content_type="application/json")
    english = client.post(
        url, {"decision": "approve"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert vietnamese.status_code == 409
    assert vietnamese.json() == {
        "error": f"bản ghi vùng đất đã giải phóng số {record.pk} đang ở trạng thái đã phê "
        "duyệt; chỉ bản ghi đã gửi duyệt mới được phê duyệt, từ chối hoặc trả lại",
        "code": "state",
        "status": "approved",
    }
    assert english.json()["error"] == (
        f"release record {record.pk} is approved; only a submitted record can be approved, "
        "rejected or sent back"
    )


def test_a_coordinator_refused_an_approved_record_reads_its_state_in_words():
    coordinator = factories.user("field_coordinator", org="npa")
    record = factories.release(SQUARE, status="approved", org="npa")
    browser = Client()
    browser.force_login(coordinator)

    response = browser.patch(
        f"/api/v1/records/releases/{record.pk}/",
        {"depth_cm": 40},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert "đang ở trạng thái đã phê duyệt" in response.json()["error"]
    assert "approved" not in response.json()["error"]


def _upload(status: str) -> Upload:
    return Upload.objects.create(
        organisation=factories.organisation("npa"),
        kind="release",
        filename="r.geojson",
        sha256="1" * 64,
        size_bytes=1,
        status=status,
    )


def test_committing_an_upload_again_names_its_state_in_words_and_code(client):
    upload = _upload("committed")

    response = client.post(f"/api/v1/uploads/{upload.pk}/commit/")

    assert response.status_code == 409
    assert response.json() == {
        "error": f"lần tải lên {upload.pk} đang ở trạng thái đã lưu; chỉ lần tải lên ở trạng "
        "thái sẵn sàng mới lưu được",
        "code": "state",
        "status": "committed",
    }


def test_reverting_an_upload_not_committed_names_its_state_in_english_too(client):
    upload = _upload("ready")

    response = client.post(f"/api/v1/uploads/{upload.pk}/revert/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 409
    assert response.json()["error"] == (
        f"upload {upload.pk} is ready; only a committed upload can be reverted"
    )
    assert response.json()["status"] == "ready"


def test_an_unknown_layer_of_the_review_is_explained_in_vietnamese(client):
    response = client.post("/api/v1/records/targets/1/review/", {"decision": "approve"})

    assert response.json()["error"].startswith("layer: không có lớp targets;")


def test_a_geometry_outside_the_operating_area_names_the_area_in_vietnamese(client):
    record = factories.release(SQUARE)
    hanoi = {
        "type": "Polygon",
        "coordinates": [[[105.8, 21.0], [105.81, 21.0], [105.81, 21.01], [105.8, 21.0]]],
    }

    response = client.patch(
        f"/api/v1/records/releases/{record.pk}/",
        {"geometry": hanoi},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["error"] == (
        "geometry: nằm ngoài vùng hoạt động (tỉnh Quảng Trị (ranh giới năm 2025 và năm 2019))"
    )
