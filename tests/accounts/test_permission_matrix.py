"""Every role against every endpoint and page, reading and writing, on real records of two
organisations (issue 4).

Each row of MATRIX is one request and the status each role gets. The world: NPA and MAG each
have an upload with one submitted release, MAG an approved release, NPA a draft release. The
coordinator works for NPA, so MAG's submitted work is what they must never read or write.
"""

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from shapely.geometry import box

from app.registry.models import AdminUnit, ReleaseArea
from app.uploads.models import Upload
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "coordinator", "analyst", "planner", "aggregates_planner", "administrator")

# Vĩnh Linh (464), well inside the operating area.
NPA_SQUARE = box(107.00, 17.00, 107.01, 17.01)
MAG_SQUARE = box(107.02, 17.00, 107.03, 17.01)


@dataclass(frozen=True)
class World:
    npa_upload: int
    mag_upload: int
    npa_submitted: int
    mag_submitted: int
    mag_approved: int
    npa_draft: int
    district: int


def _upload(org: str) -> Upload:
    return Upload.objects.create(
        organisation=factories.organisation(org),
        kind="release",
        filename=f"{org}.geojson",
        sha256=org * 8,
        size_bytes=1,
        status="committed",
        review_status="submitted",
    )


@pytest.fixture
def world() -> World:
    npa_upload, mag_upload = _upload("npa"), _upload("mag")
    npa_submitted = factories.release(NPA_SQUARE, org="npa", status="submitted")
    mag_submitted = factories.release(MAG_SQUARE, org="mag", status="submitted")
    ReleaseArea.objects.filter(pk=npa_submitted.pk).update(upload=npa_upload)
    ReleaseArea.objects.filter(pk=mag_submitted.pk).update(upload=mag_upload)
    return World(
        npa_upload=npa_upload.pk,
        mag_upload=mag_upload.pk,
        npa_submitted=npa_submitted.pk,
        mag_submitted=mag_submitted.pk,
        mag_approved=factories.release(MAG_SQUARE, org="mag").pk,
        npa_draft=factories.release(NPA_SQUARE, org="npa", status="draft").pk,
        district=AdminUnit.objects.get(boundary_set="2019", code="464").pk,
    )


def _client_for(role: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if role == "anonymous":
        return client
    if role == "coordinator":
        user = factories.user("field_coordinator", org="npa")
    elif role == "aggregates_planner":
        user = factories.user("planner", aggregates_only=True)
    else:
        user = factories.user(role)
    client.force_login(user)
    return client


def _geojson_file() -> SimpleUploadedFile:
    body = (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"reference": "M-1", "method": "cleared", "completed_on": "2024-05-01"}, "geometry": '
        '{"type": "Polygon", "coordinates": [[[107.0, 17.0], [107.01, 17.0], [107.01, 17.01], '
        "[107.0, 17.01], [107.0, 17.0]]]}}]}"
    )
    return SimpleUploadedFile("m.geojson", body.encode(), content_type="application/geo+json")


@dataclass(frozen=True)
class Request:
    name: str
    method: str
    url: str
    expected: str  # the status for each of ROLES, in that order
    body: object = None

    def statuses(self) -> dict[str, int]:
        codes = [int(code) for code in self.expected.split()]
        assert len(codes) == len(ROLES), self.name
        return dict(zip(ROLES, codes, strict=True))


# The status each role gets, in the order of ROLES:
#   anonymous, coordinator (NPA), analyst, planner, aggregates-only planner, administrator.
# fmt: off
MATRIX = [
    # Statistics: every role reads approved figures; pending work is not for planners.
    Request("release stats", "GET", "/api/v1/stats/release/?as_of=2023-12-31",
            "401 200 200 200 200 200"),
    Request("clearance stats", "GET", "/api/v1/stats/clearance/?year=2023",
            "401 200 200 200 200 200"),
    Request("progress", "GET", "/api/v1/stats/progress/?from=2022&to=2023",
            "401 200 200 200 200 200"),
    Request("release stats with pending work", "GET",
            "/api/v1/stats/release/?as_of=2023-12-31&include=submitted",
            "401 200 200 403 403 403"),
    # Lists: exact positions are not for aggregates-only users.
    Request("hazard list", "GET", "/api/v1/hazards/", "401 200 200 200 403 200"),
    Request("release list", "GET", "/api/v1/releases/", "401 200 200 200 403 200"),
    Request("spot-task list", "GET", "/api/v1/spot-tasks/", "401 200 200 200 403 200"),
    Request("village list", "GET", "/api/v1/villages/", "401 200 200 200 200 200"),
    Request("admin-unit list", "GET", "/api/v1/admin-units/?level=province",
            "401 200 200 200 200 200"),
    Request("organisation list", "GET", "/api/v1/organisations/", "401 200 200 200 200 200"),
    Request("who am I", "GET", "/api/v1/auth/me/", "401 200 200 200 200 200"),
    # One record: what a user may not see does not exist for them (404); polygons are refused
    # to aggregates-only users before the record is looked up (403).
    Request("approved record", "GET", "/api/v1/records/releases/{mag_approved}/",
            "401 200 200 200 403 200"),
    Request("own submitted record", "GET", "/api/v1/records/releases/{npa_submitted}/",
            "401 200 200 404 403 404"),
    Request("other's submitted record", "GET", "/api/v1/records/releases/{mag_submitted}/",
            "401 404 200 404 403 404"),
    Request("other's submitted history", "GET",
            "/api/v1/records/releases/{mag_submitted}/history/",
            "401 404 200 404 403 404"),
    # Uploads: a coordinator's own organisation only; another's upload does not exist for them.
    Request("upload list", "GET", "/api/v1/uploads/", "401 200 200 403 403 403"),
    Request("own upload", "GET", "/api/v1/uploads/{npa_upload}/", "401 200 200 403 403 403"),
    Request("other's upload", "GET", "/api/v1/uploads/{mag_upload}/",
            "401 404 200 403 403 403"),
    Request("upload for another organisation", "POST", "/api/v1/uploads/",
            "401 403 202 403 403 403", body="mag-upload"),
    Request("upload for own organisation", "POST", "/api/v1/uploads/",
            "401 202 202 403 403 403", body="npa-upload"),
    Request("revert another's upload", "POST", "/api/v1/uploads/{mag_upload}/revert/",
            "401 404 200 403 403 403"),
    # Review: analysts only, refused before the batch is looked up.
    Request("review queue", "GET", "/api/v1/review/", "401 403 200 403 403 403"),
    Request("approve own batch", "POST", "/api/v1/uploads/{npa_upload}/approve/",
            "401 403 200 403 403 403"),
    Request("reject other's batch", "POST", "/api/v1/uploads/{mag_upload}/reject/",
            "401 403 200 403 403 403", body={"reason": "outside the task area"}),
    Request("approve one record", "POST", "/api/v1/records/releases/{npa_submitted}/review/",
            "401 403 200 403 403 403", body={"decision": "approve"}),
    # Editing: analysts any record, a coordinator their own organisation's drafts (which no
    # one else but analysts can see).
    Request("edit an approved record", "PATCH", "/api/v1/records/releases/{mag_approved}/",
            "401 403 200 403 403 403", body={"reference": "EDITED-1", "reason": "typo"}),
    Request("edit own draft", "PATCH", "/api/v1/records/releases/{npa_draft}/",
            "401 200 200 404 403 404", body={"reference": "EDITED-2", "reason": "typo"}),
    Request("delete an approved record", "DELETE",
            "/api/v1/records/releases/{mag_approved}/?reason=duplicate",
            "401 403 200 403 403 403"),
    # Reference data: analysts.
    Request("add a target", "POST", "/api/v1/targets/", "401 403 201 403 403 403",
            body={"year": 2027, "metric": "cleared_ha", "value": "100.00"}),
    Request("add an organisation", "POST", "/api/v1/organisations/", "401 403 201 403 403 403",
            body={"slug": "renew", "name": "Project RENEW", "kind": "ngo"}),
    Request("rename a district", "PATCH", "/api/v1/admin-units/{district}/",
            "401 403 200 403 403 403", body={"name_en": "Vinh Linh district"}),
    # Pages: anonymous visitors are sent to the sign-in page.
    Request("province map", "GET", "/maps/coverage/?year=2023", "302 200 200 200 200 200"),
    Request("upload pages", "GET", "/uploads/", "302 200 200 403 403 403"),
    Request("upload form", "GET", "/uploads/new/", "302 200 200 403 403 403"),
    Request("other's upload page", "GET", "/uploads/{mag_upload}/", "302 404 200 403 403 403"),
    Request("review page", "GET", "/review/", "302 403 200 403 403 403"),
    Request("batch review page", "GET", "/review/{npa_upload}/", "302 403 200 403 403 403"),
    Request("other's submitted record page", "GET", "/records/releases/{mag_submitted}/",
            "302 404 200 404 403 404"),
    Request("profile", "GET", "/accounts/profile/", "302 200 200 200 200 200"),
    Request("user administration", "GET", "/admin/auth/user/", "302 302 302 302 302 200"),
]
# fmt: on


def _send(client: Client, request: Request, world: World):
    url = request.url.format(**world.__dict__)
    if request.body in ("mag-upload", "npa-upload"):
        form = {"file": _geojson_file(), "kind": "release", "organisation": request.body[:3]}
        return client.post(url, form)
    if request.method == "GET":
        return client.get(url)
    call = getattr(client, request.method.lower())
    return call(url, request.body or {}, content_type="application/json")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("request_", MATRIX, ids=[r.name for r in MATRIX])
def test_each_role_gets_exactly_what_the_issue_lists(settings, tmp_path, world, role, request_):
    settings.UPLOAD_ROOT = tmp_path
    response = _send(_client_for(role), request_, world)
    assert response.status_code == request_.statuses()[role], response.content[:300]


@pytest.mark.parametrize("role", ["coordinator", "planner", "administrator"])
def test_no_list_or_report_shows_another_organisations_submitted_work(world, role):
    client = _client_for(role)
    listed = client.get("/api/v1/releases/?include=submitted&limit=100")
    ids = {feature["id"] for feature in listed.json().get("features", [])}
    assert world.mag_submitted not in ids
    by_status = client.get("/api/v1/releases/?status=submitted&limit=100")
    if by_status.status_code == 200:
        ids = {feature["id"] for feature in by_status.json()["features"]}
        assert world.mag_submitted not in ids


def test_the_coordinator_sees_their_own_submitted_work_when_asking_for_it(world):
    client = _client_for("coordinator")
    listed = client.get("/api/v1/releases/?include=submitted&limit=100").json()
    ids = {feature["id"] for feature in listed["features"]}
    assert world.npa_submitted in ids
    assert world.mag_approved in ids


def test_a_refused_write_changes_nothing(world):
    client = _client_for("coordinator")
    before = ReleaseArea.objects.get(pk=world.mag_approved)
    client.patch(
        f"/api/v1/records/releases/{world.mag_approved}/",
        {"completed_on": "2020-01-01", "reason": "x"},
        content_type="application/json",
    )
    client.delete(f"/api/v1/records/releases/{world.mag_approved}/?reason=x")
    after = ReleaseArea.objects.get(pk=world.mag_approved)
    assert (after.completed_on, after.deleted_at) == (before.completed_on, None)
    assert after.completed_on == date(2023, 6, 1)


def test_a_planner_whose_profile_names_an_organisation_reads_its_approved_records_only(world):
    planner = factories.user("planner", org="npa")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(planner)
    assert client.get(f"/api/v1/records/releases/{world.npa_submitted}/").status_code == 404
    assert client.get(f"/api/v1/records/releases/{world.npa_draft}/").status_code == 404
    assert client.get(f"/api/v1/records/releases/{world.mag_approved}/").status_code == 200
