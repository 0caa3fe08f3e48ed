"""The history trigger: every write of a registry record leaves a version, with who and why."""

from datetime import date

import pytest
from django.db import connection
from shapely.geometry import box

from app.registry.history import recording
from app.registry.models import HazardArea, RecordVersion, ReleaseArea, SpotTask
from tests import factories

pytestmark = pytest.mark.django_db

SQUARE = box(107.0, 16.8, 107.01, 16.81)


def versions(record) -> list[RecordVersion]:
    return list(
        RecordVersion.objects.of(record._meta.db_table, record.pk).order_by("valid_from", "id")
    )


def test_a_new_record_has_one_open_version_with_its_columns_and_geometry():
    release = factories.release(SQUARE, status="submitted")
    (version,) = versions(release)
    assert version.action == "created"
    assert version.valid_to is None
    assert version.data["reference"] == release.reference
    assert version.data["status"] == "submitted"
    assert "geometry" not in version.data
    assert version.geometry.equals_exact(release.geometry, 0)


def test_a_status_change_is_recorded_as_the_review_decision_with_who_and_why(analyst):
    hazard = factories.hazard(SQUARE, status="submitted")
    with recording(user=analyst, reason="matches the CMRS evidence", upload_id=7):
        hazard.status = "approved"
        hazard.save()
    first, second = versions(hazard)
    assert first.valid_to == second.valid_from
    assert (second.action, second.changed_by, second.reason, second.upload_id) == (
        "approved",
        analyst,
        "matches the CMRS evidence",
        7,
    )


@pytest.mark.parametrize(
    ("status", "action"), [("rejected", "rejected"), ("draft", "returned"), ("submitted", None)]
)
def test_each_review_state_has_its_action(status, action):
    release = factories.release(SQUARE, status="submitted" if status != "submitted" else "draft")
    release.status = status
    release.save()
    assert versions(release)[-1].action == (action or "submitted")


def test_soft_delete_and_its_undo_are_recorded():
    task = factories.spot_task(107.0, 16.8)
    SpotTask.objects.filter(pk=task.pk).update(deleted_at="2026-01-01T00:00:00Z")
    SpotTask.objects.filter(pk=task.pk).update(deleted_at=None)
    assert [v.action for v in versions(task)] == ["created", "deleted", "undeleted"]


def test_an_update_that_changes_nothing_writes_no_version():
    release = factories.release(SQUARE)
    ReleaseArea.objects.filter(pk=release.pk).update(method="cleared")
    assert len(versions(release)) == 1


def test_a_geometry_change_alone_is_a_new_version_with_the_new_shape():
    release = factories.release(SQUARE)
    moved = factories.multipolygon(box(107.0, 16.8, 107.02, 16.81))
    ReleaseArea.objects.filter(pk=release.pk).update(geometry=moved)
    old, new = versions(release)
    assert new.action == "changed"
    assert old.geometry.equals_exact(factories.multipolygon(SQUARE), 0)
    assert new.geometry.equals_exact(moved, 0)


def test_a_named_action_overrides_the_inferred_one():
    release = factories.release(SQUARE, completed_on=date(2023, 6, 1))
    with recording(action="restored"):
        ReleaseArea.objects.filter(pk=release.pk).update(completed_on=date(2023, 5, 1))
    assert versions(release)[-1].action == "restored"


def test_a_hard_delete_closes_the_history_with_a_removed_version_no_moment_holds():
    hazard = factories.hazard(SQUARE)
    HazardArea.objects.filter(pk=hazard.pk).delete()
    created, removed = versions(hazard)
    assert removed.action == "removed"
    assert created.valid_to == removed.valid_from == removed.valid_to


def test_one_bulk_update_writes_one_version_per_changed_row():
    releases = [factories.release(SQUARE, status="submitted") for _ in range(3)]
    ids = [r.pk for r in releases]
    ReleaseArea.objects.filter(pk__in=ids).update(status="approved")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM registry_recordversion WHERE table_name = %s "
            "AND record_id = ANY(%s) AND action = 'approved' AND valid_to IS NULL",
            ["registry_releasearea", ids],
        )
        assert cursor.fetchone()[0] == 3


def test_the_settings_of_recording_do_not_outlive_it(analyst):
    release = factories.release(SQUARE, status="submitted")
    with recording(user=analyst, reason="checked"):
        pass
    release.status = "approved"
    release.save()
    last = versions(release)[-1]
    assert (last.changed_by, last.reason) == (None, "")
