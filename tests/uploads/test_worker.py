"""The worker: oldest first, an abandoned claim retaken at once, a refused commit back to ready
with why, an upload whose processing raises failed alone (the next organisation's goes on), given
up after MAX_ATTEMPTS."""

import datetime as dt

import psycopg
import pytest
from django.utils import timezone

from app.registry.models import Organisation, ReleaseArea
from app.uploads.models import StagedFeature, Upload
from app.uploads.services import commit as commit_service
from app.uploads.worker import (
    ADVISORY_LOCK_CLASS,
    MAX_ATTEMPTS,
    process_next_upload,
    process_waiting_uploads,
)
from tests.uploads import processes
from tests.uploads.files import FIELDS, release_frame

pytestmark = pytest.mark.django_db


def posted(tmp_path, uploader, name, **frame_options) -> int:
    path = tmp_path / name
    release_frame(**frame_options).to_file(path, driver="GeoJSON")
    response = uploader.post(path, kind="release", organisation="npa")
    assert response.status_code == 202
    return response.json()["id"]


def test_the_oldest_queued_upload_is_checked_first_and_one_at_a_time(tmp_path, uploader, npa):
    first = posted(tmp_path, uploader, "a.geojson")
    second = posted(tmp_path, uploader, "b.geojson", references=("B-1", "B-2", "B-3"))

    assert process_next_upload() == first
    assert Upload.objects.get(pk=second).status == "queued"
    assert process_next_upload() == second
    assert process_next_upload() is None


def test_a_check_abandoned_by_a_killed_worker_is_taken_again_at_once(tmp_path, uploader, npa):
    from django.db import connection

    # Claimed a moment ago by a worker since killed: its advisory lock went with its session.
    upload_id = posted(tmp_path, uploader, "a.geojson")
    Upload.objects.filter(pk=upload_id).update(
        status="checking", progress=50, claimed_at=timezone.now()
    )
    # Claimed by a live worker, which holds the upload's advisory lock in its session.
    fresh = posted(tmp_path, uploader, "b.geojson", references=("B-1", "B-2", "B-3"))
    Upload.objects.filter(pk=fresh).update(status="checking", claimed_at=timezone.now())
    conninfo = processes.conninfo_of(connection.settings_dict)
    with psycopg.connect(**conninfo, autocommit=True) as live_worker:
        live_worker.execute("SELECT pg_advisory_lock(%s, %s)", [ADVISORY_LOCK_CLASS, fresh])

        assert process_waiting_uploads() == [upload_id]

    assert Upload.objects.get(pk=upload_id).status == "ready"
    assert Upload.objects.get(pk=fresh).status == "checking", "a live claim is left alone"


def test_a_refused_commit_goes_back_to_ready_with_the_reason(tmp_path, uploader, npa):
    first = uploader.checked(_file(tmp_path), kind="release", organisation="npa")
    other = tmp_path / "other.geojson"
    release_frame(fields=tuple(reversed(FIELDS))).to_file(other, driver="GeoJSON")
    second = uploader.checked(other, kind="release", organisation="npa")
    # Both checked before either was committed: the same references, which the second (as
    # the command line without --on-conflict asks) refuses to meet stored at its commit.
    Upload.objects.filter(pk=second["id"]).update(
        options={**second["options"], "refuse_conflicts": True}
    )
    uploader.commit(first["id"])

    after = uploader.commit(second["id"])

    assert after["status"] == "ready"
    assert after["error"] == "3 reference(s) are already stored; nothing was stored"
    assert after["duplicate_of"] is None
    assert ReleaseArea.objects.count() == 3


def _file(tmp_path, name="a.geojson"):
    path = tmp_path / name
    release_frame().to_file(path, driver="GeoJSON")
    return path


@pytest.fixture
def mag(db):
    return Organisation.objects.create(slug="mag", name="Mines Advisory Group", kind="ngo")


def poisoned_commit(tmp_path, uploader) -> int:
    """NPA's checked upload queued for commit, one of its staged releases cleared to a depth of
    40,000 cm: more than the smallint column holds, so the commit's INSERT raises DataError."""
    upload = uploader.checked(_file(tmp_path), kind="release", organisation="npa")
    staged = StagedFeature.objects.get(upload_id=upload["id"], number=1)
    staged.attributes = {**staged.attributes, "depth_cm": 40000}
    staged.save()
    response = uploader.api.post(f"/api/v1/uploads/{upload['id']}/commit/")
    assert response.status_code == 202
    return upload["id"]


def test_an_upload_whose_commit_raises_fails_alone_and_the_next_is_processed(
    tmp_path, uploader, npa, mag
):
    poisoned = poisoned_commit(tmp_path, uploader)
    other = posted(tmp_path, uploader, "mag.geojson", references=("M-1", "M-2", "M-3"))
    Upload.objects.filter(pk=other).update(organisation=mag)

    assert process_waiting_uploads() == [poisoned, other]

    failed = uploader.get(poisoned)
    assert failed["status"] == "failed"
    assert 'DataError: value "40000" is out of range for type smallint' in failed["error"]
    assert failed["report"]["error"] == failed["error"]
    assert failed["report"]["accepted"] == 3, "the check's report is kept"
    assert not StagedFeature.objects.filter(upload_id=poisoned).exists()
    assert ReleaseArea.objects.count() == 0
    assert uploader.get(other)["status"] == "ready"
    assert process_next_upload() is None, "the failed upload is not taken again"


def test_an_upload_whose_commit_raises_shows_the_reason_on_its_page(
    tmp_path, uploader, npa, client
):
    poisoned = poisoned_commit(tmp_path, uploader)
    process_waiting_uploads()

    page = client.get(f"/uploads/{poisoned}/")

    assert page.status_code == 200
    # The page's script shows the API's error; the API gives it in the reader's language.
    vietnamese = uploader.api.get(f"/api/v1/uploads/{poisoned}/", HTTP_ACCEPT_LANGUAGE="vi")
    assert "out of range" in vietnamese.json()["error"]
    assert vietnamese.json()["error"].startswith("Quá trình lưu thất bại bất ngờ (DataError: ")


def test_any_exception_in_the_commit_fails_the_upload_with_its_class_and_message(
    tmp_path, uploader, npa, monkeypatch
):
    upload = uploader.checked(_file(tmp_path), kind="release", organisation="npa")
    uploader.api.post(f"/api/v1/uploads/{upload['id']}/commit/")

    def broken(upload, on_conflict):
        raise RuntimeError("disk on fire\nsecond line not shown")

    monkeypatch.setattr(commit_service, "_insert_from_staging", broken)
    process_waiting_uploads()

    failed = uploader.get(upload["id"])
    assert failed["status"] == "failed"
    assert "(RuntimeError: disk on fire)" in failed["error"]
    assert "second line" not in failed["error"]


def test_each_claim_counts_an_attempt_before_the_work_starts(tmp_path, uploader, npa):
    upload = uploader.checked(_file(tmp_path), kind="release", organisation="npa")
    assert Upload.objects.get(pk=upload["id"]).attempts == 1, "the check's"

    response = uploader.api.post(f"/api/v1/uploads/{upload['id']}/commit/")

    assert response.status_code == 202
    assert Upload.objects.get(pk=upload["id"]).attempts == 0, "the commit's are counted afresh"


def test_a_commit_started_twice_by_killed_workers_is_tried_a_third_time(tmp_path, uploader, npa):
    upload = uploader.checked(_file(tmp_path), kind="release", organisation="npa")
    uploader.api.post(f"/api/v1/uploads/{upload['id']}/commit/")
    # What two workers killed mid-commit leave: the attempts they counted, the status unchanged.
    Upload.objects.filter(pk=upload["id"]).update(attempts=MAX_ATTEMPTS - 1)

    process_waiting_uploads()

    assert uploader.get(upload["id"])["status"] == "committed"
    assert ReleaseArea.objects.count() == 3


def test_a_commit_started_three_times_without_finishing_is_given_up_and_the_next_goes_on(
    tmp_path, uploader, npa
):
    upload = uploader.checked(_file(tmp_path), kind="release", organisation="npa")
    uploader.api.post(f"/api/v1/uploads/{upload['id']}/commit/")
    Upload.objects.filter(pk=upload["id"]).update(attempts=MAX_ATTEMPTS)
    other = posted(tmp_path, uploader, "b.geojson", references=("B-1", "B-2", "B-3"))

    assert process_waiting_uploads() == [upload["id"], other]

    given_up = uploader.get(upload["id"])
    assert given_up["status"] == "failed"
    assert "The commit was started 3 times and never finished" in given_up["error"]
    assert ReleaseArea.objects.count() == 0
    assert uploader.get(other)["status"] == "ready"


def test_a_check_started_three_times_without_finishing_is_given_up(tmp_path, uploader, npa):
    upload_id = posted(tmp_path, uploader, "a.geojson")
    Upload.objects.filter(pk=upload_id).update(
        status="checking", attempts=MAX_ATTEMPTS, claimed_at=timezone.now() - dt.timedelta(hours=1)
    )

    assert process_waiting_uploads() == [upload_id]

    given_up = uploader.get(upload_id)
    assert given_up["status"] == "failed"
    assert "The check was started 3 times" in given_up["error"]


def test_an_upload_the_command_line_checks_itself_is_left_alone_by_the_worker(
    tmp_path, npa, upload_root
):
    from app.uploads.services import create_upload

    content = _file(tmp_path).read_bytes()
    upload = create_upload(
        organisation_slug="npa",
        kind="release",
        filename="a.geojson",
        chunks=[content],
        size_bytes=len(content),
        checked_here=True,
    )

    assert upload.status == "checking"
    assert process_next_upload() is None
