"""The review pages: the queue, a batch with its report, map, conflicts and what approving it
changes, the decision forms; and the review state on the coordinator's upload page."""

import datetime as dt
import json
import re

import pytest

from app.registry.models import RecordVersion, ReleaseArea, SpotTask
from app.review.selectors import approval_effect
from app.uploads.models import Upload
from gis.areas import geodesic_area_ha
from tests import factories
from tests.review.conftest import CHA
from tests.uploads.files import FIELDS

pytestmark = pytest.mark.django_db

BATCH_HA = sum(geodesic_area_ha(field) for field in FIELDS)


def statuses(upload_id: int) -> set[str]:
    return set(ReleaseArea.objects.filter(upload_id=upload_id).values_list("status", flat=True))


def test_the_queue_lists_pending_batches_newest_first_with_their_summary(
    client, batch, uploads, tmp_path
):
    from tests.uploads.files import release_frame

    later_file = tmp_path / "later.geojson"
    release_frame(references=("L-1",), fields=FIELDS[:1]).to_file(later_file, driver="GeoJSON")
    later = uploads.committed(later_file, kind="release", organisation="npa")

    page = client.get("/review/")

    assert page.status_code == 200
    html = page.content.decode()
    assert html.index(f'data-batch="{later["id"]}"') < html.index(f'data-batch="{batch["id"]}"')
    assert f'href="/review/{batch["id"]}/"' in html
    assert "coordinator-npa" in html
    assert f"{BATCH_HA:,.2f}" in html
    assert "3 of 3 features accepted" in html


def test_the_batch_page_maps_the_batch_over_approved_records_from_local_assets(client, batch):
    page = client.get(f"/review/{batch['id']}/")

    assert page.status_code == 200
    html = page.content.decode()
    data = json.loads(
        re.search(r'<script id="review-map-data" type="application/json">(.*?)</script>', html)[1]
    )
    assert sorted(f["properties"]["reference"] for f in data["batch"]["features"]) == [
        "QT-001",
        "QT-002",
        "QT-003",
    ]
    assert {f["properties"]["status"] for f in data["batch"]["features"]} == {"submitted"}
    approved = [
        (f["properties"]["layer"], f["properties"]["status"]) for f in data["approved"]["features"]
    ]
    assert approved == [("hazards", "approved")], "the CHA under the fields, nothing pending"
    assert data["districts"]["features"], "the district outlines around the batch"
    assert '<script src="/static/maps/vendor/leaflet/leaflet.js">' in html
    assert '<script src="/static/review/batch_map.js">' in html
    assert '<script src="/static/review/batch_effect.js">' in html
    assert re.findall(r"""(?:src|href)=["']((?:https?:)?//[^"']*)""", html) == []


def test_approving_adds_to_released_exactly_what_the_page_said_it_would(client, batch):
    upload = Upload.objects.get(pk=batch["id"])

    effect = approval_effect(upload)

    assert effect.records == 3
    assert effect.released_ha.added == pytest.approx(BATCH_HA, rel=1e-4)
    (year,) = effect.years
    assert (year.year, year.cleared_ha.added) == (2023, pytest.approx(geodesic_area_ha(FIELDS[0])))
    assert statuses(upload.pk) == {"submitted"}, "the trial approval was rolled back"
    assert not RecordVersion.objects.filter(action="approved").exists()

    page = client.get(f"/review/{upload.pk}/").content.decode()
    assert f'data-effect-url="/review/{upload.pk}/effect/"' in page
    figures = client.get(f"/review/{upload.pk}/effect/").content.decode()
    assert re.search(
        rf'data-effect="released_ha">.*?\+{re.escape(f"{BATCH_HA:,.2f}")}</td>', figures, re.S
    )

    response = client.post(f"/review/{upload.pk}/decide/", {"decision": "approve"})

    assert (response.status_code, response["Location"]) == (302, "/review/")
    assert statuses(upload.pk) == {"approved"}
    after = approval_effect(Upload.objects.get(pk=upload.pk))
    assert after.records == 0
    assert after.released_ha.before == pytest.approx(effect.released_ha.after)


def test_a_spot_task_batch_adds_its_tasks_and_items_to_their_years_and_no_release(cha):
    upload = Upload.objects.create(
        organisation=factories.organisation("npa"),
        kind="spot-task",
        filename="tasks.csv",
        stored_name="tasks.csv",
        sha256="0" * 64,
        size_bytes=1,
        status="committed",
    )
    inside = (107.0, 16.8)
    for completed_on in (dt.date(2022, 3, 1), dt.date(2023, 5, 1), dt.date(2023, 6, 1)):
        task = factories.spot_task(*inside, completed_on=completed_on, status="submitted")
        SpotTask.objects.filter(pk=task.pk).update(upload=upload)

    effect = approval_effect(upload)

    assert effect.records == 3
    assert [(y.year, y.spot_tasks.added, y.items_destroyed.added) for y in effect.years] == [
        (2022, 1, 3),
        (2023, 2, 6),
    ]
    assert effect.released_ha.added == 0
    assert effect.cha_ha.before == effect.cha_ha.after == pytest.approx(geodesic_area_ha(CHA))


def test_the_batch_page_lists_overlaps_with_approved_records(client, batch, tmp_path):
    overlapped = factories.release(FIELDS[0].buffer(-0.001), org="mag")

    html = client.get(f"/review/{batch['id']}/").content.decode()

    assert html.count("data-overlap") == 1
    assert overlapped.reference in html
    expected = geodesic_area_ha(FIELDS[0].buffer(-0.001))
    assert f"{expected:,.4f}" in html


def test_a_rejection_without_a_reason_is_refused_on_the_page_and_changes_nothing(client, batch):
    response = client.post(f"/review/{batch['id']}/decide/", {"decision": "reject", "reason": ""})

    assert response.status_code == 400
    assert "a reason is required" in response.content.decode()
    assert statuses(batch["id"]) == {"submitted"}


def test_the_decision_forms_carry_the_csrf_token(client, batch):
    html = client.get(f"/review/{batch['id']}/").content.decode()

    forms = re.findall(r"<form .*?</form>", html, re.S)
    decisions = [form for form in forms if 'action="/review/' in form]
    assert len(decisions) == 3 + 3, "approve, reject, send back, and one per submitted record"
    assert all('name="csrfmiddlewaretoken"' in form for form in decisions)


def test_one_record_is_decided_on_from_the_page(client, batch):
    record = ReleaseArea.objects.filter(upload_id=batch["id"]).order_by("reference").first()

    response = client.post(
        f"/review/{batch['id']}/records/releases/{record.pk}/",
        {"decision": "return", "reason": "wrong date"},
    )

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == "draft"
    assert Upload.objects.get(pk=batch["id"]).review_status == "submitted"


def test_the_coordinator_reads_the_reason_on_the_upload_page_and_resubmits(
    client, batch, coordinator, analyst_api
):
    analyst_api.post(
        f"/api/v1/uploads/{batch['id']}/return/", {"reason": "QT-002 has the wrong date"}
    )
    client.force_login(coordinator)

    page = client.get(f"/uploads/{batch['id']}/").content.decode()

    assert "Sent back for correction" in page
    assert "QT-002 has the wrong date" in page
    assert f'action="/review/{batch["id"]}/resubmit/"' in page
    assert "Review this batch" not in page

    response = client.post(f"/review/{batch['id']}/resubmit/", {"reason": "fixed"})

    assert (response.status_code, response["Location"]) == (302, f"/uploads/{batch['id']}/")
    assert statuses(batch["id"]) == {"submitted"}
    assert "Waiting for review" in client.get(f"/uploads/{batch['id']}/").content.decode()
