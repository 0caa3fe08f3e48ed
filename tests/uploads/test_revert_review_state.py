"""A reverted upload has nothing left to review: its review state is empty, not 'submitted'."""

import pytest

from app.uploads.models import Upload
from tests.uploads.files import release_frame

pytestmark = pytest.mark.django_db


def test_a_reverted_upload_reports_no_review_state(tmp_path, uploader, npa):
    path = tmp_path / "releases.geojson"
    release_frame().to_file(path, driver="GeoJSON")
    upload = uploader.checked(path, kind="release", organisation="npa")
    committed = uploader.commit(upload["id"])
    assert committed["review"]["status"] == "submitted"

    reverted = uploader.revert(upload["id"])

    assert reverted["status"] == "reverted"
    assert reverted["review"]["status"] == ""
    assert uploader.get(upload["id"])["review"]["status"] == ""
    assert Upload.objects.get(pk=upload["id"]).review_status == ""
    queue = uploader.api.get("/api/v1/review/").json()
    assert upload["id"] not in [batch["id"] for batch in queue["results"]]
