"""The worker: oldest first, a stale claim retaken, a refused commit back to ready with why."""

import datetime as dt
import shutil

import pytest
from django.utils import timezone

from app.registry.models import ReleaseArea
from app.uploads.models import Upload
from app.uploads.worker import process_next_upload, process_waiting_uploads
from tests.uploads.files import release_frame

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


def test_a_check_abandoned_by_a_killed_worker_is_taken_again(tmp_path, uploader, npa):
    upload_id = posted(tmp_path, uploader, "a.geojson")
    Upload.objects.filter(pk=upload_id).update(
        status="checking", progress=50, claimed_at=timezone.now() - dt.timedelta(hours=1)
    )
    fresh = posted(tmp_path, uploader, "b.geojson", references=("B-1", "B-2", "B-3"))
    Upload.objects.filter(pk=fresh).update(status="checking", claimed_at=timezone.now())

    assert process_waiting_uploads() == [upload_id]
    assert Upload.objects.get(pk=upload_id).status == "ready"
    assert Upload.objects.get(pk=fresh).status == "checking", "a live claim is left alone"


def test_a_commit_the_database_refuses_goes_back_to_ready_with_the_reason(tmp_path, uploader, npa):
    first = uploader.checked(_file(tmp_path), kind="release", organisation="npa")
    again = tmp_path / "again.geojson"
    shutil.copy(tmp_path / "a.geojson", again)
    second = uploader.checked(again, kind="release", organisation="npa")
    # Both checked before either was committed: the second is the same content, which only the
    # database's one-committed-upload-per-content constraint can refuse at its commit.
    uploader.commit(first["id"])

    after = uploader.commit(second["id"])

    assert after["status"] == "ready"
    assert "committed by another upload" in after["error"]
    assert ReleaseArea.objects.count() == 3


def _file(tmp_path, name="a.geojson"):
    path = tmp_path / name
    release_frame().to_file(path, driver="GeoJSON")
    return path
