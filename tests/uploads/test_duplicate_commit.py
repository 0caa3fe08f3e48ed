"""The same file sent twice before either was committed (issue 8): the second commit ends the
upload rejected as a duplicate of the first, once, instead of sending it back to ready."""

import pytest

from app.registry.models import ReleaseArea
from app.uploads.models import StagedFeature, Upload
from app.uploads.services import commit as commit_service
from app.uploads.worker import process_waiting_uploads
from tests.uploads.files import release_frame

pytestmark = pytest.mark.django_db


def release_geojson(tmp_path):
    path = tmp_path / "releases.geojson"
    release_frame().to_file(path, driver="GeoJSON")
    return path


def twins_checked(tmp_path, uploader) -> tuple[dict, dict]:
    """The same file sent twice while neither was committed: both checked, both ready."""
    path = release_geojson(tmp_path)
    first = uploader.checked(path, kind="release", organisation="npa")
    second = uploader.checked(path, kind="release", organisation="npa")
    assert (first["status"], second["status"]) == ("ready", "ready")
    return first, second


def assert_rejected_as_duplicate_of(upload: dict, first: dict) -> None:
    assert upload["status"] == "rejected"
    assert upload["duplicate_of"] == first["id"]
    assert f"duplicate of upload {first['id']}" in upload["error"]
    assert upload["report"]["duplicate_of"] == first["id"]
    assert upload["report"]["stored"] == 0
    assert not StagedFeature.objects.filter(upload_id=upload["id"]).exists()


def test_the_commit_of_a_file_committed_meanwhile_ends_it_rejected_as_a_duplicate(
    tmp_path, api, uploader, npa
):
    first, second = twins_checked(tmp_path, uploader)
    uploader.commit(first["id"])

    committed_again = uploader.commit(second["id"])

    assert_rejected_as_duplicate_of(committed_again, first)
    assert "after this one was checked" in committed_again["error"]
    assert ReleaseArea.objects.count() == 3
    assert set(ReleaseArea.objects.values_list("upload_id", flat=True)) == {first["id"]}
    # Final: a third commit is refused as for any upload that is not ready, nothing is queued.
    response = api.post(f"/api/v1/uploads/{second['id']}/commit/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["status"] == "rejected"
    assert process_waiting_uploads() == []


def test_the_duplicate_sentence_is_in_the_readers_language(tmp_path, api, uploader, npa):
    first, second = twins_checked(tmp_path, uploader)
    uploader.commit(first["id"])
    uploader.commit(second["id"])

    shown = api.get(f"/api/v1/uploads/{second['id']}/", HTTP_ACCEPT_LANGUAGE="vi").json()

    assert f"Tệp này trùng với lần tải lên {first['id']}" in shown["error"]
    assert shown["error"] == shown["report"]["error"]
    assert "duplicate" not in shown["error"]


def test_a_commit_that_loses_the_race_to_its_twin_ends_rejected_as_a_duplicate(
    tmp_path, uploader, npa, monkeypatch
):
    """Two workers committing twins at once both find no committed twin; the second to finish
    meets the database's constraint (upload_committed_once_per_content). Here the commit's
    first look-up is made to miss, as it does for the loser of that race, which looked before
    the winner's commit ended."""
    first, second = twins_checked(tmp_path, uploader)
    uploader.commit(first["id"])
    looked_up = commit_service.committed_twin
    looks = []

    def looked_up_before_the_twin_was_committed(upload):
        looks.append(upload.pk)
        return None if len(looks) == 1 else looked_up(upload)

    monkeypatch.setattr(commit_service, "committed_twin", looked_up_before_the_twin_was_committed)

    committed_again = uploader.commit(second["id"])

    assert looks == [second["id"], second["id"]], "the look-up missed, the constraint caught it"
    assert_rejected_as_duplicate_of(committed_again, first)
    assert ReleaseArea.objects.count() == 3


def test_a_file_whose_twin_was_committed_before_its_check_is_rejected_at_the_check(
    tmp_path, api, uploader, npa
):
    path = release_geojson(tmp_path)
    first = uploader.checked(path, kind="release", organisation="npa")
    # Sent while the first was ready; the worker commits the first before checking this one.
    second = uploader.post(path, kind="release", organisation="npa").json()
    assert second["status"] == "queued"

    uploader.commit(first["id"])

    checked = uploader.get(second["id"])
    assert checked["status"] == "rejected"
    assert checked["duplicate_of"] == first["id"]
    assert f"This file is a duplicate of upload {first['id']}, committed on" in checked["error"]
    assert ReleaseArea.objects.count() == 3
    assert not StagedFeature.objects.filter(upload_id=second["id"]).exists()


def test_a_file_sent_after_its_twin_was_committed_is_still_rejected_when_sent(
    tmp_path, uploader, npa
):
    path = release_geojson(tmp_path)
    first = uploader.checked(path, kind="release", organisation="npa")
    uploader.commit(first["id"])

    again = uploader.post(path, kind="release", organisation="npa").json()

    assert again["status"] == "rejected"
    assert again["duplicate_of"] == first["id"]
    assert Upload.objects.get(pk=again["id"]).stored_name == ""
