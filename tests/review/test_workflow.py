"""The review workflow of issue 4, end to end: a field coordinator's upload is committed as
submitted records, which count only once an analyst approves them; rejected ones never count
and say why in their history; sent back, corrected and resubmitted, then approved."""

import pytest

from app.accounting.selectors import clearance_report, release_report
from app.registry.models import RecordVersion, ReleaseArea
from app.registry.scopes import APPROVED, ReadingScope, reading
from app.uploads.models import Upload
from gis.areas import geodesic_area_ha
from tests.review.conftest import AS_OF, YEAR
from tests.uploads.files import FIELDS, REFERENCES

pytestmark = pytest.mark.django_db

# The oracle: pyproj.Geod on the file's own polygons. They lie inside the CHA and apart from
# each other, so each hectare of them is released once; only QT-001 is a clearance.
BATCH_HA = sum(geodesic_area_ha(field) for field in FIELDS)
CLEARED_HA = geodesic_area_ha(FIELDS[0])


def released_ha(scope: ReadingScope = APPROVED) -> float:
    with reading(scope):
        return release_report(as_of=AS_OF, by="district").total.released_ha


def cleared_in_year_ha(scope: ReadingScope = APPROVED) -> float:
    with reading(scope):
        return clearance_report(year=YEAR, by="district").total.cleared_ha


def statuses(upload_id: int) -> list[str]:
    return list(
        ReleaseArea.objects.filter(upload_id=upload_id)
        .order_by("reference")
        .values_list("status", flat=True)
    )


def test_a_committed_upload_is_submitted_and_absent_from_the_default_statistics(
    uploads, releases_file, cha, coordinator
):
    before = released_ha()
    before_cleared = cleared_in_year_ha()

    batch = uploads.committed(releases_file, kind="release", organisation="npa")

    assert statuses(batch["id"]) == ["submitted"] * 3
    assert Upload.objects.get(pk=batch["id"]).review_status == "submitted"
    assert released_ha() == pytest.approx(before, abs=1e-9)
    assert cleared_in_year_ha() == pytest.approx(before_cleared, abs=1e-9)
    with_pending = ReadingScope(include_submitted=True)
    assert released_ha(with_pending) - before == pytest.approx(BATCH_HA, rel=1e-4)
    assert cleared_in_year_ha(with_pending) - before_cleared == pytest.approx(CLEARED_HA, rel=1e-4)


def test_the_stats_endpoints_count_the_batch_only_with_include_submitted(batch, analyst_api):
    default = analyst_api.get("/api/v1/stats/release/", {"as_of": AS_OF, "by": "district"})
    pending = analyst_api.get(
        "/api/v1/stats/release/", {"as_of": AS_OF, "by": "district", "include": "submitted"}
    )

    assert default.status_code == pending.status_code == 200
    added = pending.json()["total"]["released_ha"] - default.json()["total"]["released_ha"]
    assert added == pytest.approx(BATCH_HA, abs=0.02)


def test_approving_raises_released_and_cleared_hectares_by_exactly_the_batch(
    batch, analyst_api, analyst
):
    before, before_cleared = released_ha(), cleared_in_year_ha()

    response = analyst_api.post(f"/api/v1/uploads/{batch['id']}/approve/")

    assert response.status_code == 200, response.json()
    assert response.json()["review_status"] == "approved"
    assert released_ha() - before == pytest.approx(BATCH_HA, rel=1e-4)
    assert cleared_in_year_ha() - before_cleared == pytest.approx(CLEARED_HA, rel=1e-4)
    assert statuses(batch["id"]) == ["approved"] * 3
    upload = Upload.objects.get(pk=batch["id"])
    assert (upload.review_status, upload.reviewed_by) == ("approved", analyst)
    approvals = RecordVersion.objects.filter(
        table_name="registry_releasearea", action="approved", upload_id=batch["id"]
    )
    assert approvals.count() == 3
    assert {version.changed_by for version in approvals} == {analyst}


def test_rejecting_leaves_the_figures_unchanged_and_the_reason_in_each_records_history(
    batch, analyst_api, analyst
):
    before, before_cleared = released_ha(), cleared_in_year_ha()
    reason = "Polygons drawn from the wrong survey sheet"

    response = analyst_api.post(
        f"/api/v1/uploads/{batch['id']}/reject/", {"reason": reason}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert released_ha() == pytest.approx(before, abs=1e-9)
    assert cleared_in_year_ha() == pytest.approx(before_cleared, abs=1e-9)
    assert statuses(batch["id"]) == ["rejected"] * 3
    for record in ReleaseArea.objects.filter(upload_id=batch["id"]):
        last = RecordVersion.objects.of("registry_releasearea", record.pk).get(valid_to=None)
        assert (last.action, last.reason, last.changed_by, last.upload_id) == (
            "rejected",
            reason,
            analyst,
            batch["id"],
        )
    assert Upload.objects.get(pk=batch["id"]).review_reason == reason


def test_sent_back_corrected_and_resubmitted_then_approved_it_counts(
    batch, analyst_api, coordinator_api, coordinator
):
    before = released_ha()

    returned = analyst_api.post(
        f"/api/v1/uploads/{batch['id']}/return/",
        {"reason": "QT-002 completion date is wrong"},
        format="json",
    )
    assert returned.status_code == 200, returned.json()
    assert returned.json()["review_status"] == "draft"
    assert statuses(batch["id"]) == ["draft"] * 3
    assert released_ha(ReadingScope(include_submitted=True)) == pytest.approx(before, abs=1e-9)
    page = coordinator_api.get(f"/api/v1/uploads/{batch['id']}/").json()
    assert page["review"]["status"] == "draft"
    assert page["review"]["reason"] == "QT-002 completion date is wrong"
    assert len(page["review"]["attention"]) == 3

    resubmitted = coordinator_api.post(
        f"/api/v1/uploads/{batch['id']}/resubmit/", {"reason": "date fixed"}, format="json"
    )
    assert resubmitted.status_code == 200, resubmitted.json()
    assert resubmitted.json()["review_status"] == "submitted"
    assert statuses(batch["id"]) == ["submitted"] * 3
    resubmissions = RecordVersion.objects.filter(action="submitted", upload_id=batch["id"])
    assert {(v.changed_by, v.reason) for v in resubmissions} == {(coordinator, "date fixed")}

    approved = analyst_api.post(f"/api/v1/uploads/{batch['id']}/approve/")
    assert approved.status_code == 200
    assert released_ha() - before == pytest.approx(BATCH_HA, rel=1e-4)


def test_one_record_approved_alone_counts_alone_and_the_batch_decision_spares_it(
    batch, analyst_api
):
    before = released_ha()
    first = ReleaseArea.objects.get(upload_id=batch["id"], reference=REFERENCES[0])

    response = analyst_api.post(
        f"/api/v1/records/releases/{first.pk}/review/", {"decision": "approve"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["upload_review_status"]) == (
        "approved",
        "submitted",
    )
    assert released_ha() - before == pytest.approx(geodesic_area_ha(FIELDS[0]), rel=1e-4)

    rejected = analyst_api.post(
        f"/api/v1/uploads/{batch['id']}/reject/", {"reason": "the others overlap"}, format="json"
    )

    assert rejected.status_code == 200
    assert statuses(batch["id"]) == ["approved", "rejected", "rejected"]
    assert rejected.json()["review_status"] == "mixed"
    assert released_ha() - before == pytest.approx(geodesic_area_ha(FIELDS[0]), rel=1e-4)


def test_one_record_rejected_or_sent_back_needs_a_reason(batch, analyst_api):
    record = ReleaseArea.objects.filter(upload_id=batch["id"]).first()

    for decision in ("reject", "return"):
        response = analyst_api.post(
            f"/api/v1/records/releases/{record.pk}/review/", {"decision": decision}, format="json"
        )
        assert response.status_code == 400
        assert response.json()["parameter"] == "reason"
    unknown = analyst_api.post(
        f"/api/v1/records/releases/{record.pk}/review/", {"decision": "bless"}, format="json"
    )
    assert (unknown.status_code, unknown.json()["parameter"]) == (400, "decision")
    assert statuses(batch["id"]) == ["submitted"] * 3


def test_a_batch_rejected_or_sent_back_without_a_reason_is_a_400_naming_reason(batch, analyst_api):
    for action in ("reject", "return"):
        response = analyst_api.post(f"/api/v1/uploads/{batch['id']}/{action}/", {"reason": " "})

        assert response.status_code == 400
        assert response.json()["parameter"] == "reason"
    assert statuses(batch["id"]) == ["submitted"] * 3


def test_only_submitted_records_are_decided_on_an_approved_batch_is_final(batch, analyst_api):
    analyst_api.post(f"/api/v1/uploads/{batch['id']}/approve/")
    record = ReleaseArea.objects.filter(upload_id=batch["id"]).first()

    again = analyst_api.post(
        f"/api/v1/uploads/{batch['id']}/reject/", {"reason": "changed my mind"}, format="json"
    )
    one = analyst_api.post(
        f"/api/v1/records/releases/{record.pk}/review/",
        {"decision": "reject", "reason": "changed my mind"},
        format="json",
    )
    resubmit = analyst_api.post(f"/api/v1/uploads/{batch['id']}/resubmit/")

    assert again.status_code == one.status_code == resubmit.status_code == 409
    assert "only submitted records" in again.json()["error"]
    assert "only a submitted record" in one.json()["error"]
    assert statuses(batch["id"]) == ["approved"] * 3


def test_the_commit_and_the_revert_are_recorded_as_the_coordinators_from_the_batch(
    batch, uploads, coordinator
):
    ids = list(ReleaseArea.objects.filter(upload_id=batch["id"]).values_list("id", flat=True))
    versions = RecordVersion.objects.filter(table_name="registry_releasearea", record_id__in=ids)
    created = versions.filter(action="created")
    assert created.count() == 3
    assert {(v.changed_by, v.upload_id) for v in created} == {(coordinator, batch["id"])}
    assert Upload.objects.get(pk=batch["id"]).commit_requested_by == coordinator
    assert Upload.objects.get(pk=batch["id"]).created_by == coordinator

    uploads.revert(batch["id"])

    removed = versions.filter(action="removed")
    assert removed.count() == 3
    assert {(v.changed_by, v.upload_id) for v in removed} == {(coordinator, batch["id"])}


def test_a_village_upload_stores_the_uploading_organisation(tmp_path, uploads, coordinator):
    import geopandas as gpd
    import shapely

    from app.registry.models import Village

    path = tmp_path / "villages.geojson"
    gpd.GeoDataFrame(
        {"code": ["V-1"], "name_vi": ["Thôn Cồn Tiên"], "name_en": ["Con Tien"]},
        geometry=shapely.points([(107.0, 16.8)]),
        crs="EPSG:4326",
    ).to_file(path, driver="GeoJSON")

    uploads.committed(path, kind="village", organisation="npa")

    village = Village.objects.get(code="V-1")
    assert (village.organisation, village.status) == (coordinator.profile.organisation, "submitted")


def test_the_batch_review_state_sums_up_its_records():
    from app.uploads.services.review_state import batch_review_status

    assert batch_review_status({"submitted": 2, "approved": 1}) == "submitted"
    assert batch_review_status({"draft": 1, "approved": 4}) == "draft"
    assert batch_review_status({"approved": 3}) == "approved"
    assert batch_review_status({"rejected": 3, "approved": 0}) == "rejected"
    assert batch_review_status({"rejected": 1, "approved": 2}) == "mixed"
    assert batch_review_status({}) == ""


def test_deciding_on_a_record_that_does_not_exist_is_a_404_naming_the_id(batch, analyst_api):
    response = analyst_api.post(
        "/api/v1/records/releases/999999/review/", {"decision": "approve"}, format="json"
    )

    assert response.status_code == 404
    assert response.json() == {"error": "id: no release record 999999", "parameter": "id"}
