"""The review page's live overlaps: an analyst sees every organisation's records in every state
(approved first, each with its state); the same selector asked with a field coordinator's
visibility names only approved records and their own organisation's (issue 8)."""

import pytest
from django.utils import timezone

from app.accounts.policy import RecordVisibility, record_visibility
from app.registry.models import ReleaseArea
from app.review.selectors import batch_overlaps
from app.uploads.models import Upload
from tests import factories
from tests.uploads.files import FIELDS

pytestmark = pytest.mark.django_db

STATES = ("approved", "submitted", "draft", "rejected", "deleted")


def overlapping(state: str, org: str) -> ReleaseArea:
    """A release inside the batch's first field, in review ``state`` ("deleted": approved,
    then soft-deleted)."""
    record = factories.release(
        FIELDS[0].buffer(-0.001), org=org, status="approved" if state == "deleted" else state
    )
    if state == "deleted":
        ReleaseArea.objects.filter(pk=record.pk).update(deleted_at=timezone.now())
    return record


@pytest.fixture
def others(db):
    return {state: overlapping(state, "mag") for state in STATES}


def test_the_analyst_sees_every_organisations_overlapping_records_approved_first(
    client, batch, others
):
    html = client.get(f"/review/{batch['id']}/").content.decode()

    assert html.count("data-overlap") == len(STATES)
    positions = [html.index(others[state].reference) for state in STATES]
    assert positions[0] == min(positions)
    upload = Upload.objects.get(pk=batch["id"])
    listed = batch_overlaps(upload, visibility=RecordVisibility(True, None))
    assert {pair["other"]["reference"]: pair["other"]["status"] for pair in listed["pairs"]} == {
        others[state].reference: "approved" if state == "deleted" else state for state in STATES
    }
    assert [pair["other"]["deleted"] for pair in listed["pairs"]].count(True) == 1


def test_a_coordinators_visibility_names_approved_records_and_their_own_only(
    batch, others, coordinator
):
    own_draft = overlapping("draft", "npa")
    upload = Upload.objects.get(pk=batch["id"])

    listed = batch_overlaps(upload, visibility=record_visibility(coordinator))

    assert {pair["other"]["reference"] for pair in listed["pairs"]} == {
        others["approved"].reference,
        own_draft.reference,
    }
    assert listed["count"] == 2
