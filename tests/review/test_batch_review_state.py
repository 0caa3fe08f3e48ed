"""A batch's review state follows its records whatever moves them: deleting and undeleting one
record, restoring a version, another upload replacing its records and that upload's revert."""

import pytest

from app.records.services import delete_record, restore_version, undelete_record
from app.registry.models import RecordVersion, ReleaseArea
from app.uploads.models import Upload
from tests.uploads.files import release_frame

pytestmark = pytest.mark.django_db


def review_status(upload_id: int) -> str:
    return Upload.objects.get(pk=upload_id).review_status


def queued(api) -> list[int]:
    return [batch["id"] for batch in api.get("/api/v1/review/").json()["results"]]


def test_a_batch_whose_records_are_all_deleted_leaves_the_queue_and_comes_back_on_undo(
    batch, analyst, analyst_api
):
    records = list(ReleaseArea.objects.filter(upload_id=batch["id"]))
    for record in records:
        delete_record(layer="releases", record_id=record.pk, user=analyst, reason="a duplicate")

    assert review_status(batch["id"]) == ""
    assert batch["id"] not in queued(analyst_api)

    undelete_record(layer="releases", record_id=records[0].pk, user=analyst)

    assert review_status(batch["id"]) == "submitted"
    assert queued(analyst_api) == [batch["id"]]


def test_deleting_the_last_submitted_record_sums_the_batch_up_as_reviewed(
    batch, analyst, analyst_api
):
    first, *others = ReleaseArea.objects.filter(upload_id=batch["id"]).order_by("reference")
    for record in others:
        response = analyst_api.post(
            f"/api/v1/records/releases/{record.pk}/review/", {"decision": "approve"}
        )
        assert response.status_code == 200

    delete_record(layer="releases", record_id=first.pk, user=analyst, reason="drawn twice")

    assert review_status(batch["id"]) == "approved"


def test_restoring_a_submitted_version_puts_the_batch_back_in_the_queue(
    batch, analyst, analyst_api
):
    assert analyst_api.post(f"/api/v1/uploads/{batch['id']}/approve/").status_code == 200
    record = ReleaseArea.objects.filter(upload_id=batch["id"]).first()
    submitted = RecordVersion.objects.get(
        table_name="registry_releasearea", record_id=record.pk, action="created"
    )

    restore_version(version_id=submitted.pk, user=analyst, reason="approved too early")

    assert review_status(batch["id"]) == "submitted"
    assert queued(analyst_api) == [batch["id"]]


def test_a_batch_whose_records_another_upload_replaced_leaves_the_queue_until_its_revert(
    batch, uploads, tmp_path, analyst_api
):
    path = tmp_path / "corrected.geojson"
    corrected = release_frame()
    corrected["completed_on"] = ["2023-05-02", "2023-06-16", "2023-07-31"]
    corrected.to_file(path, driver="GeoJSON")

    second = uploads.checked(path, kind="release", organisation="npa")
    uploads.commit(second["id"], on_conflict="replace")

    assert review_status(batch["id"]) == ""
    assert queued(analyst_api) == [second["id"]]

    uploads.revert(second["id"])

    assert review_status(batch["id"]) == "submitted"
    assert queued(analyst_api) == [batch["id"]]
