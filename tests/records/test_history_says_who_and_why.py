"""A record's history names who created, changed, approved and deleted it, when, from which
upload and why, and says what changed against the version before."""

import pytest
from shapely.geometry import mapping

from app.records import services
from app.registry.history import recording
from app.registry.models import HazardArea
from tests import factories
from tests.accounting.shapes import HUONG_HOA_LAT, HUONG_HOA_LON, ha, square

pytestmark = pytest.mark.django_db

LON, LAT = HUONG_HOA_LON, HUONG_HOA_LAT


def versions_of(api, layer: str, record_id: int) -> list[dict]:
    response = api.get(f"/api/v1/records/{layer}/{record_id}/history/")
    assert response.status_code == 200, response.content
    return response.json()["versions"]


def test_create_approve_change_and_delete_are_each_a_version_with_who_and_why(
    api, analyst, npa_coordinator
):
    with recording(user=npa_coordinator, reason="field survey, March"):
        hazard = factories.hazard(square(LON, LAT), status="submitted")
    with recording(user=analyst, reason="checked against the survey report"):
        HazardArea.objects.filter(pk=hazard.pk).update(status="approved")
    services.change_record(
        layer="hazards",
        record_id=hazard.pk,
        user=analyst,
        changes={"notes": "fenced by the commune"},
        reason="site visit",
    )
    services.delete_record(
        layer="hazards", record_id=hazard.pk, user=analyst, reason="entered twice"
    )

    versions = versions_of(api, "hazards", hazard.pk)

    assert [(v["action"], v["changed_by"], v["reason"]) for v in versions] == [
        ("created", "npa-coordinator", "field survey, March"),
        ("approved", "analyst", "checked against the survey report"),
        ("changed", "analyst", "site visit"),
        ("deleted", "analyst", "entered twice"),
    ]
    assert versions[0]["changes"] == []
    assert versions[1]["changes"] == [{"field": "status", "old": "submitted", "new": "approved"}]
    assert versions[2]["changes"] == [{"field": "notes", "old": "", "new": "fenced by the commune"}]
    assert [change["field"] for change in versions[3]["changes"]] == ["deleted_at"]
    assert versions[3]["changes"][0]["old"] is None
    assert [v["current"] for v in versions] == [False, False, False, True]
    assert versions[-1]["restore_url"] is None
    assert versions[0]["restore_url"].endswith(
        f"/api/v1/records/hazards/{hazard.pk}/history/{versions[0]['id']}/restore/"
    )


def test_a_geometry_change_says_so_with_geodesic_hectares_before_and_after(api):
    first, second = square(LON, LAT, 0.004), square(LON, LAT, 0.006)
    release = factories.release(first)

    api.patch(
        f"/api/v1/records/releases/{release.pk}/",
        {"geometry": mapping(second), "completed_on": "2023-07-15"},
        format="json",
    )

    created, changed = versions_of(api, "releases", release.pk)
    assert created["geometry"] is None
    assert changed["geometry"]["changed"] is True
    assert changed["geometry"]["hectares_before"] == pytest.approx(ha(first), abs=0.01)
    assert changed["geometry"]["hectares_after"] == pytest.approx(ha(second), abs=0.01)
    assert changed["changes"] == [
        {"field": "completed_on", "old": "2023-06-01", "new": "2023-07-15"}
    ]


def test_an_attribute_change_leaves_the_geometry_marked_unchanged(api):
    release = factories.release(square(LON, LAT))

    api.patch(f"/api/v1/records/releases/{release.pk}/", {"depth_cm": 50}, format="json")

    changed = versions_of(api, "releases", release.pk)[-1]
    assert changed["geometry"]["changed"] is False
    assert changed["changes"] == [{"field": "depth_cm", "old": 30, "new": 50}]


def test_the_organisation_is_shown_by_its_slug(api):
    release = factories.release(square(LON, LAT))
    factories.organisation("mag")

    api.patch(f"/api/v1/records/releases/{release.pk}/", {"organisation": "mag"}, format="json")

    changed = versions_of(api, "releases", release.pk)[-1]
    assert changed["changes"] == [{"field": "organisation", "old": "npa", "new": "mag"}]


def test_the_batch_a_version_came_from_is_named(api, analyst):
    from app.uploads.models import Upload

    organisation = factories.organisation("npa")
    upload = Upload.objects.create(
        organisation=organisation,
        kind="release",
        filename="r.geojson",
        sha256="0" * 64,
        size_bytes=1,
    )
    with recording(user=analyst, upload_id=upload.pk):
        release = factories.release(square(LON, LAT))

    assert versions_of(api, "releases", release.pk)[0]["upload_id"] == upload.pk


def test_an_edit_that_changes_nothing_writes_no_version(api):
    release = factories.release(square(LON, LAT))

    api.patch(
        f"/api/v1/records/releases/{release.pk}/", {"completed_on": "2023-06-01"}, format="json"
    )

    assert [v["action"] for v in versions_of(api, "releases", release.pk)] == ["created"]
