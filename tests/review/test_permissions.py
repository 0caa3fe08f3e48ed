"""Who may upload, see, commit, revert and review: analysts everything; a field coordinator
their own organisation's uploads only (another one's is a 404, so ids do not leak) and no
review decision; planners no uploads at all."""

import pytest

from app.registry.models import ReleaseArea
from app.uploads.models import Upload
from tests.review.conftest import CoordinatorUploads
from tests.uploads.files import release_frame

pytestmark = pytest.mark.django_db


def test_a_coordinator_cannot_approve_reject_or_send_back_even_their_own_batch(
    batch, coordinator_api
):
    record = ReleaseArea.objects.filter(upload_id=batch["id"]).first()

    responses = [
        coordinator_api.post(f"/api/v1/uploads/{batch['id']}/approve/"),
        coordinator_api.post(f"/api/v1/uploads/{batch['id']}/reject/", {"reason": "x"}),
        coordinator_api.post(f"/api/v1/uploads/{batch['id']}/return/", {"reason": "x"}),
        coordinator_api.post(
            f"/api/v1/records/releases/{record.pk}/review/", {"decision": "approve"}
        ),
        coordinator_api.get("/api/v1/review/"),
    ]

    assert [r.status_code for r in responses] == [403] * 5
    assert "analysts" in responses[0].json()["error"]
    assert set(
        ReleaseArea.objects.filter(upload_id=batch["id"]).values_list("status", flat=True)
    ) == {"submitted"}


def test_a_coordinator_of_another_organisation_cannot_see_commit_or_revert_the_upload(
    batch, other_coordinator_api, tmp_path, uploads
):
    other_file = tmp_path / "more.geojson"
    release_frame(references=("QT-101", "QT-102", "QT-103")).to_file(other_file, driver="GeoJSON")
    ready = uploads.checked(other_file, kind="release", organisation="npa")
    theirs = f"/api/v1/uploads/{batch['id']}/"

    seen = other_coordinator_api.get(theirs)
    committed = other_coordinator_api.post(f"/api/v1/uploads/{ready['id']}/commit/")
    reverted = other_coordinator_api.post(f"{theirs}revert/")
    resubmitted = other_coordinator_api.post(f"{theirs}resubmit/")
    listed = other_coordinator_api.get("/api/v1/uploads/").json()["results"]
    missing = other_coordinator_api.get("/api/v1/uploads/999999/")

    assert [seen.status_code, committed.status_code, reverted.status_code] == [404, 404, 404]
    assert resubmitted.status_code == 404
    assert seen.json() == {**missing.json(), "error": seen.json()["error"]}
    assert listed == []
    assert Upload.objects.get(pk=batch["id"]).status == "committed"
    assert Upload.objects.get(pk=ready["id"]).status == "ready"


def test_a_coordinator_cannot_upload_for_another_organisation(
    coordinator_api, other_coordinator, releases_file
):
    response = CoordinatorUploads(coordinator_api).post(
        releases_file, kind="release", organisation="mag"
    )

    assert response.status_code == 403
    assert "your own organisation" in response.json()["error"]
    assert Upload.objects.count() == 0


def test_a_planner_can_neither_upload_nor_read_uploads(
    planner_api, coordinator, releases_file, batch
):
    posted = CoordinatorUploads(planner_api).post(releases_file, kind="release", organisation="npa")

    assert posted.status_code == 403
    assert planner_api.get("/api/v1/uploads/").status_code == 403
    assert planner_api.get(f"/api/v1/uploads/{batch['id']}/").status_code == 403
    assert planner_api.post(f"/api/v1/uploads/{batch['id']}/approve/").status_code == 403
    assert Upload.objects.count() == 1


def test_a_coordinator_reverts_their_batch_until_a_record_of_it_is_approved(
    batch, coordinator_api, analyst_api, uploads, tmp_path, releases_file
):
    record = ReleaseArea.objects.filter(upload_id=batch["id"]).first()
    analyst_api.post(f"/api/v1/records/releases/{record.pk}/review/", {"decision": "approve"})

    refused = coordinator_api.post(f"/api/v1/uploads/{batch['id']}/revert/")

    assert refused.status_code == 403
    assert "only an analyst" in refused.json()["error"]
    assert ReleaseArea.objects.filter(upload_id=batch["id"]).count() == 3
    assert analyst_api.post(f"/api/v1/uploads/{batch['id']}/revert/").status_code == 200
    assert ReleaseArea.objects.filter(upload_id=batch["id"]).count() == 0


def test_a_coordinator_reverts_their_own_rejected_batch(batch, coordinator_api, analyst_api):
    analyst_api.post(f"/api/v1/uploads/{batch['id']}/reject/", {"reason": "wrong sheet"})

    response = coordinator_api.post(f"/api/v1/uploads/{batch['id']}/revert/")

    assert response.status_code == 200
    assert ReleaseArea.objects.filter(upload_id=batch["id"]).count() == 0


def test_upload_pages_show_a_coordinator_their_organisation_only(
    client, coordinator, other_coordinator, batch
):
    client.force_login(other_coordinator)

    listing = client.get("/uploads/")
    detail = client.get(f"/uploads/{batch['id']}/")
    form = client.get("/uploads/new/").content.decode()

    assert listing.status_code == 200
    assert f'href="/uploads/{batch["id"]}/"' not in listing.content.decode()
    assert detail.status_code == 404
    assert '<option value="mag">' in form
    assert '<option value="npa">' not in form


def test_upload_and_review_pages_refuse_roles_without_them(client, planner, coordinator, batch):
    client.force_login(planner)
    assert client.get("/uploads/").status_code == 403
    assert client.get("/uploads/new/").status_code == 403
    assert client.get(f"/uploads/{batch['id']}/").status_code == 403
    client.force_login(coordinator)
    assert client.get("/review/").status_code == 403
    assert client.get(f"/review/{batch['id']}/").status_code == 403
    assert client.post(f"/review/{batch['id']}/decide/", {"decision": "approve"}).status_code == 403
    assert set(ReleaseArea.objects.values_list("status", flat=True)) == {"submitted"}
