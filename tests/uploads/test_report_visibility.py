"""An upload's check report names and counts only the stored records its organisation may see:
its own in every state and everyone's approved ones (issue 8: a coordinator's square over
another organisation's area listed that organisation's unapproved and deleted references)."""

import json

import geopandas as gpd
import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from shapely.geometry import box

from app.registry.models import HazardArea
from app.uploads.worker import process_waiting_uploads
from tests import factories

pytestmark = pytest.mark.django_db

STATES = ("approved", "submitted", "draft", "rejected", "deleted")
# One small square per state and organisation, side by side near Cồn Tiên (16.8N 107.0E).
SQUARE_DEG = 0.004


def square(row: int, column: int):
    west, south = 107.0 + column * 0.01, 16.80 + row * 0.01
    return box(west, south, west + SQUARE_DEG, south + SQUARE_DEG)


def stored(make, state: str, **arguments):
    """A record made by ``make`` in review ``state``; "deleted": approved, then soft-deleted."""
    record = make(status="approved" if state == "deleted" else state, **arguments)
    if state == "deleted":
        type(record).objects.filter(pk=record.pk).update(deleted_at=timezone.now())
    return record


@pytest.fixture
def coordinator_api(db):
    coordinator = factories.user("field_coordinator", org="npa", username="coordinator-npa")
    factories.organisation("mag")
    client = APIClient()
    client.force_authenticate(coordinator)
    return client


def checked(api, path, **fields) -> dict:
    with open(path, "rb") as handle:
        response = api.post("/api/v1/uploads/", {"file": handle, **fields}, format="multipart")
    assert response.status_code == 202, response.json()
    process_waiting_uploads()
    found = api.get(f"/api/v1/uploads/{response.json()['id']}/")
    assert found.status_code == 200
    return found.json()


def release_file(tmp_path, shapes, name="releases.geojson"):
    path = tmp_path / name
    gpd.GeoDataFrame(
        {
            "reference": [f"UP-{n}" for n in range(1, len(shapes) + 1)],
            "method": ["cleared"] * len(shapes),
            "completed_on": ["2023-05-01"] * len(shapes),
        },
        geometry=list(shapes),
        crs="EPSG:4326",
    ).to_file(path, driver="GeoJSON")
    return path


def hazard_file(tmp_path, references, shapes, name="hazards.geojson"):
    path = tmp_path / name
    gpd.GeoDataFrame(
        {
            "reference": list(references),
            "kind": ["CHA"] * len(shapes),
            "contamination": ["landmines"] * len(shapes),
            "recorded_on": ["2022-01-01"] * len(shapes),
        },
        geometry=list(shapes),
        crs="EPSG:4326",
    ).to_file(path, driver="GeoJSON")
    return path


def test_overlaps_name_the_organisations_own_records_and_others_approved_ones_only(
    tmp_path, coordinator_api
):
    theirs = {
        state: stored(factories.release, state, geometry=square(0, i), org="mag")
        for i, state in enumerate(STATES)
    }
    ours = {
        state: stored(factories.release, state, geometry=square(1, i), org="npa")
        for i, state in enumerate(STATES)
    }
    over_all = box(106.99, 16.79, 107.06, 16.82)

    report = checked(
        coordinator_api, release_file(tmp_path, [over_all]), kind="release", organisation="npa"
    )["report"]

    named = {overlap["stored"] for overlap in report["overlaps"]}
    assert named == {theirs["approved"].reference} | {r.reference for r in ours.values()}
    text = json.dumps(report)
    for state in ("submitted", "draft", "rejected", "deleted"):
        assert theirs[state].reference not in text
    assert f"{len(named)} overlap(s)" in " ".join(report["warnings"])


def test_a_release_over_another_organisations_unapproved_cha_is_outside_every_cha(
    tmp_path, coordinator_api
):
    for i, state in enumerate(STATES):
        stored(factories.hazard, state, geometry=square(0, i), org="mag")
    stored(factories.hazard, "draft", geometry=square(1, 0), org="npa")
    # One release inside each CHA: feature i+1 over MAG's CHA in STATES[i], feature 6 over ours.
    inside = [square(0, i).buffer(-0.001) for i in range(len(STATES))]
    inside.append(square(1, 0).buffer(-0.001))

    report = checked(
        coordinator_api, release_file(tmp_path, inside), kind="release", organisation="npa"
    )["report"]

    outside = [row["feature"] for row in report["outside_cha"]]
    assert outside == [2, 3, 4, 5]


def test_a_reference_another_organisation_holds_is_refused_alike_whatever_its_state(
    tmp_path, coordinator_api
):
    theirs = {
        state: stored(factories.hazard, state, geometry=square(0, i), org="mag")
        for i, state in enumerate(STATES)
    }
    own_draft = stored(factories.hazard, "draft", geometry=square(1, 0), org="npa")
    references = [theirs[state].reference for state in STATES] + [own_draft.reference, "NEW-1"]
    # Far from every stored hazard, so that only the references meet.
    shapes = [square(3, i) for i in range(len(references))]

    upload = checked(
        coordinator_api,
        hazard_file(tmp_path, references, shapes),
        kind="hazard",
        organisation="npa",
    )

    report = upload["report"]
    assert upload["status"] == "ready"
    assert report["conflicts"] == [own_draft.reference]
    assert report["overlaps"] == []
    rejected = {row["reference"]: row for row in report["rejected"]}
    assert set(rejected) == {theirs[state].reference for state in STATES}
    # Each says the same, so that none tells an approved record from an unapproved one.
    shapes_of_refusal = {
        json.dumps(row["reason_codes"]).replace(row["reference"], "REF")
        for row in rejected.values()
    }
    assert len(shapes_of_refusal) == 1
    assert "another organisation" in rejected[theirs["draft"].reference]["reasons"][0]

    committed = coordinator_api.post(
        f"/api/v1/uploads/{upload['id']}/commit/", {"on_conflict": "replace"}, format="json"
    )
    assert committed.status_code == 202
    process_waiting_uploads()
    for state in STATES:
        assert HazardArea.objects.get(reference=theirs[state].reference).organisation.slug == "mag"
    assert HazardArea.objects.get(reference="NEW-1").organisation.slug == "npa"


def test_an_analysts_upload_for_an_organisation_reports_what_that_organisation_sees(
    tmp_path, analyst
):
    """The organisation's coordinators read the report too: it is built for them, whoever
    sent the file. The analyst sees the rest on the review page (tests/review)."""
    theirs = {
        state: stored(factories.release, state, geometry=square(0, i), org="mag")
        for i, state in enumerate(STATES)
    }
    factories.organisation("npa")
    api = APIClient()
    api.force_authenticate(analyst)

    report = checked(
        api,
        release_file(tmp_path, [box(106.99, 16.79, 107.06, 16.82)]),
        kind="release",
        organisation="npa",
    )["report"]

    assert [overlap["stored"] for overlap in report["overlaps"]] == [theirs["approved"].reference]
