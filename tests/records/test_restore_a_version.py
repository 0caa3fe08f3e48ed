"""Restoring a past version writes its data and geometry back exactly, as action 'restored';
a record an upload revert removed is stored again under its old id, unless that clashes."""

import pytest
from django.db import connection
from shapely.geometry import mapping

from app.records import services
from app.registry.history import recording
from app.registry.models import ReleaseArea
from tests import factories
from tests.accounting.shapes import HUONG_HOA_LAT, HUONG_HOA_LON, square

pytestmark = pytest.mark.django_db

LON, LAT = HUONG_HOA_LON, HUONG_HOA_LAT


def stored_wkb(release_id: int) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_AsEWKB(geometry) FROM registry_releasearea WHERE id = %s", [release_id]
        )
        return bytes(cursor.fetchone()[0])


def versions_of(api, release) -> list[dict]:
    return api.get(f"/api/v1/records/releases/{release.pk}/history/").json()["versions"]


def restore(api, release, version_id, reason="back to the surveyed outline"):
    return api.post(
        f"/api/v1/records/releases/{release.pk}/history/{version_id}/restore/",
        {"reason": reason},
        format="json",
    )


def test_a_restored_geometry_is_the_old_one_byte_for_byte(api):
    # Coordinates with many decimals: a restore that went through text would round them.
    outline = square(LON + 0.000123456789, LAT - 0.000987654321, 0.0041)
    release = factories.release(outline)
    original = stored_wkb(release.pk)
    api.patch(
        f"/api/v1/records/releases/{release.pk}/",
        {"geometry": mapping(square(LON, LAT, 0.006)), "method": "reduced", "depth_cm": None},
        format="json",
    )
    assert stored_wkb(release.pk) != original

    response = restore(api, release, versions_of(api, release)[0]["id"])

    assert response.status_code == 200, response.content
    assert stored_wkb(release.pk) == original
    release.refresh_from_db()
    assert (release.method, release.depth_cm, release.status) == ("cleared", 30, "approved")


def test_the_restore_is_recorded_with_who_and_why(api):
    release = factories.release(square(LON, LAT))
    api.patch(f"/api/v1/records/releases/{release.pk}/", {"depth_cm": 20}, format="json")

    restore(api, release, versions_of(api, release)[0]["id"], reason="depth was right")

    last = versions_of(api, release)[-1]
    assert (last["action"], last["changed_by"], last["reason"]) == (
        "restored",
        "analyst",
        "depth was right",
    )
    assert last["changes"] == [{"field": "depth_cm", "old": 20, "new": 30}]


def test_restoring_the_current_version_or_without_a_reason_is_refused(api):
    release = factories.release(square(LON, LAT))
    api.patch(f"/api/v1/records/releases/{release.pk}/", {"depth_cm": 20}, format="json")
    first, current = versions_of(api, release)

    assert restore(api, release, current["id"]).json()["parameter"] == "version_id"
    unexplained = restore(api, release, first["id"], reason="  ")
    assert unexplained.status_code == 400
    assert unexplained.json()["parameter"] == "reason"


def test_a_version_of_another_record_is_not_found_under_this_one(api):
    release, other = factories.release(square(LON, LAT)), factories.release(square(LON, LAT))
    others_version = versions_of(api, other)[0]

    response = restore(api, release, others_version["id"])

    assert response.status_code == 404
    assert response.json()["parameter"] == "version_id"


def remove_as_a_revert_does(analyst, release) -> None:
    with recording(user=analyst, reason="upload reverted"):
        ReleaseArea.objects.filter(pk=release.pk).delete()


def test_a_record_removed_by_a_revert_keeps_its_history_and_can_be_stored_again(api, analyst):
    release = factories.release(square(LON, LAT))
    original = stored_wkb(release.pk)
    remove_as_a_revert_does(analyst, release)
    assert api.get(f"/api/v1/records/releases/{release.pk}/").status_code == 404
    created, removed = versions_of(api, release)
    assert removed["action"] == "removed"

    response = restore(api, release, created["id"], reason="only the other features were wrong")

    assert response.status_code == 200, response.content
    assert response.json()["id"] == release.pk
    assert stored_wkb(release.pk) == original
    assert [v["action"] for v in versions_of(api, release)] == ["created", "removed", "restored"]


def test_storing_a_removed_record_again_is_refused_when_its_reference_is_taken(api, analyst):
    release = factories.release(square(LON, LAT))
    remove_as_a_revert_does(analyst, release)
    newcomer = factories.release(square(LON, LAT))
    ReleaseArea.objects.filter(pk=newcomer.pk).update(reference=release.reference)
    created = versions_of(api, release)[0]

    response = restore(api, release, created["id"])

    assert response.status_code == 400
    assert response.json()["parameter"] == "reference"
    assert not ReleaseArea.objects.filter(pk=release.pk).exists()


def test_restoring_a_version_brings_back_its_deletion_state_too(api, analyst):
    release = factories.release(square(LON, LAT))
    services.delete_record(layer="releases", record_id=release.pk, user=analyst, reason="dup")
    alive_version = versions_of(api, release)[0]

    restore(api, release, alive_version["id"], reason="not a duplicate")

    release.refresh_from_db()
    assert release.deleted_at is None
