"""Discarding a checked upload that is not wanted: its staged features go, the upload and its
report stay, as discarded; for whoever may commit it; a 409 in any other state."""

import pytest
from rest_framework.test import APIClient

from app.registry.models import ReleaseArea
from app.uploads.models import StagedFeature, Upload
from app.uploads.worker import process_waiting_uploads
from tests import factories
from tests.factories import api_client
from tests.uploads.conftest import Uploader
from tests.uploads.files import release_frame

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(db):
    return factories.user("field_coordinator", org="npa", username="coordinator-npa")


@pytest.fixture
def coordinator_uploads(coordinator):
    return Uploader(api_client(coordinator))


@pytest.fixture
def ready(tmp_path, coordinator_uploads) -> dict:
    path = tmp_path / "releases.geojson"
    release_frame().to_file(path, driver="GeoJSON")
    upload = coordinator_uploads.checked(path, kind="release", organisation="npa")
    assert upload["status"] == "ready"
    return upload


def discard(client: APIClient, upload_id: int):
    return client.post(f"/api/v1/uploads/{upload_id}/discard/")


def test_the_organisation_discards_a_ready_upload_and_its_staged_features_go(
    coordinator_uploads, ready
):
    assert StagedFeature.objects.filter(upload_id=ready["id"]).count() == 3

    response = discard(coordinator_uploads.api, ready["id"])

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "discarded"
    assert body["discarded_at"]
    assert body["report"]["accepted"] == 3, "the report is kept for the record"
    assert not StagedFeature.objects.filter(upload_id=ready["id"]).exists()
    assert Upload.objects.get(pk=ready["id"]).discarded_by.username == "coordinator-npa"


def test_a_discarded_upload_cannot_be_committed(coordinator_uploads, ready):
    discard(coordinator_uploads.api, ready["id"])

    response = coordinator_uploads.api.post(f"/api/v1/uploads/{ready['id']}/commit/")

    assert response.status_code == 409
    assert response.json()["status"] == "discarded"
    process_waiting_uploads()
    assert ReleaseArea.objects.count() == 0


def test_a_committed_upload_is_a_409_that_says_its_state(coordinator_uploads, ready):
    coordinator_uploads.commit(ready["id"])

    response = discard(coordinator_uploads.api, ready["id"])

    assert response.status_code == 409
    assert response.json()["status"] == "committed"
    assert "only a ready, rejected or failed upload can be discarded" in response.json()["error"]
    assert ReleaseArea.objects.count() == 3


def test_a_queued_upload_is_a_409(tmp_path, coordinator_uploads):
    path = tmp_path / "releases.geojson"
    release_frame().to_file(path, driver="GeoJSON")
    queued = coordinator_uploads.post(path, kind="release", organisation="npa").json()

    assert discard(coordinator_uploads.api, queued["id"]).status_code == 409


@pytest.mark.parametrize("status", ["rejected", "failed"])
def test_a_rejected_or_failed_upload_can_be_discarded(coordinator_uploads, ready, status):
    Upload.objects.filter(pk=ready["id"]).update(status=status)

    response = discard(coordinator_uploads.api, ready["id"])

    assert response.status_code == 200
    assert response.json()["status"] == "discarded"


def test_another_organisations_coordinator_gets_a_404_and_changes_nothing(ready):
    other = factories.user("field_coordinator", org="mag", username="coordinator-mag")

    response = discard(api_client(other), ready["id"])

    assert response.status_code == 404
    assert Upload.objects.get(pk=ready["id"]).status == "ready"
    assert StagedFeature.objects.filter(upload_id=ready["id"]).count() == 3


def test_an_analyst_may_discard_and_a_planner_may_not(ready, analyst, planner):
    assert discard(api_client(planner), ready["id"]).status_code == 403
    assert discard(api_client(analyst), ready["id"]).status_code == 200


def test_the_upload_page_offers_discard_with_a_csrf_token(coordinator, ready):
    from django.test import Client

    page = Client()
    page.force_login(coordinator)

    html = page.get(f"/uploads/{ready['id']}/").content.decode()

    assert 'data-can-discard="true"' in html
    assert "data-discard" in html
    assert "csrfmiddlewaretoken" in html
