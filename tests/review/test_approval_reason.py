"""An approval's reason is kept, like a rejection's (issue 8: POST approve with a reason
answered 200 and stored an empty reason): on the batch, in the records' history, and shown where
the other decisions' reasons are (the upload's API and page, the review page and queue)."""

import pytest

from app.registry.models import RecordVersion
from app.uploads.models import Upload

pytestmark = pytest.mark.django_db

REASON = "Checked against the QTMAC field visit of 12 March"


def test_an_approval_through_the_api_keeps_its_reason(batch, analyst_api, coordinator_api):
    response = analyst_api.post(
        f"/api/v1/uploads/{batch['id']}/approve/", {"reason": REASON}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["review_reason"] == REASON
    assert Upload.objects.get(pk=batch["id"]).review_reason == REASON
    approvals = RecordVersion.objects.filter(upload_id=batch["id"], action="approved")
    assert approvals.count() == 3
    assert set(approvals.values_list("reason", flat=True)) == {REASON}
    seen_by_the_organisation = coordinator_api.get(f"/api/v1/uploads/{batch['id']}/").json()
    assert seen_by_the_organisation["review"]["reason"] == REASON


def test_an_approval_on_the_page_keeps_its_reason_and_the_pages_show_it(client, batch):
    response = client.post(
        f"/review/{batch['id']}/decide/", {"decision": "approve", "reason": REASON}
    )

    assert response.status_code == 302
    assert Upload.objects.get(pk=batch["id"]).review_reason == REASON
    assert REASON in client.get(f"/review/{batch['id']}/").content.decode()
    assert REASON in client.get(f"/uploads/{batch['id']}/").content.decode()


def test_an_approval_without_a_reason_is_still_accepted(batch, analyst_api):
    response = analyst_api.post(f"/api/v1/uploads/{batch['id']}/approve/")

    assert response.status_code == 200
    assert Upload.objects.get(pk=batch["id"]).review_reason == ""
