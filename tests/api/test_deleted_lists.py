"""deleted=true on the GeoJSON lists: the soft-deleted records, for analysts, so that a deletion
can be found and undone; every other reader is refused and no list ever shows them otherwise."""

import json

import pytest
from django.test import Client
from django.utils import timezone
from shapely import box

from app.registry.models import AdminUnit, AnnualTarget, ReleaseArea
from tests import factories

pytestmark = pytest.mark.django_db

SQUARE = box(107.0, 16.8, 107.01, 16.81)


@pytest.fixture
def releases() -> dict[str, int]:
    made = {
        "alive": factories.release(SQUARE, org="npa"),
        "deleted approved": factories.release(SQUARE, org="npa"),
        "deleted draft": factories.release(SQUARE, org="mag", status="draft"),
    }
    for name in ("deleted approved", "deleted draft"):
        ReleaseArea.objects.filter(pk=made[name].pk).update(deleted_at=timezone.now())
    return {name: release.pk for name, release in made.items()}


def signed_in(role: str, **profile) -> Client:
    client = Client()
    client.force_login(factories.user(role, **profile))
    return client


def features(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return json.loads(response.content)["features"]


def test_an_analyst_lists_only_the_deleted_records_with_when_they_were_deleted(client, releases):
    listed = features(client.get("/api/v1/releases/?deleted=true"))

    assert {f["id"] for f in listed} == {releases["deleted approved"], releases["deleted draft"]}
    assert all(f["properties"]["deleted_at"] for f in listed)
    assert {f["properties"]["status"] for f in listed} == {"approved", "draft"}


def test_deleted_and_status_together_list_the_deleted_records_in_that_state(client, releases):
    listed = features(client.get("/api/v1/releases/?deleted=true&status=draft"))

    assert [f["id"] for f in listed] == [releases["deleted draft"]]


def test_without_the_flag_no_list_shows_a_deleted_record(client, releases):
    for url in (
        "/api/v1/releases/",
        "/api/v1/releases/?deleted=false",
        "/api/v1/releases/?status=draft",
    ):
        ids = {f["id"] for f in features(client.get(url))}
        assert releases["deleted approved"] not in ids and releases["deleted draft"] not in ids, url
    assert "deleted_at" not in features(client.get("/api/v1/releases/"))[0]["properties"]


@pytest.mark.parametrize(
    "role, profile",
    [
        ("field_coordinator", {"org": "mag"}),
        ("planner", {}),
        ("administrator", {}),
    ],
)
def test_every_other_role_is_refused_the_deleted_records(releases, role, profile):
    response = signed_in(role, **profile).get("/api/v1/releases/?deleted=true")

    assert response.status_code == 403
    assert "analysts" in json.loads(response.content)["error"]


def test_deleted_with_include_submitted_is_a_400_naming_deleted(client, releases):
    response = client.get("/api/v1/releases/?deleted=true&include=submitted")

    assert response.status_code == 400
    assert json.loads(response.content)["parameter"] == "deleted"


def test_a_value_that_is_no_boolean_is_a_400_naming_deleted(client):
    response = client.get("/api/v1/hazards/?deleted=maybe")

    assert response.status_code == 400
    assert json.loads(response.content)["parameter"] == "deleted"


def test_deleted_admin_units_are_listed_for_analysts(client):
    unit = AdminUnit.objects.filter(level="district").first()
    AdminUnit.objects.filter(pk=unit.pk).update(deleted_at=timezone.now())

    listed = features(client.get("/api/v1/admin-units/?deleted=true&level=district"))

    assert [f["properties"]["code"] for f in listed] == [unit.code]


def test_deleted_targets_are_listed_with_deleted_true(client):
    kept = factories.target(year=2024, value=100)
    gone = factories.target(year=2024, value=200, org="npa")
    AnnualTarget.objects.filter(pk=gone.pk).update(deleted_at=timezone.now())

    default = json.loads(client.get("/api/v1/targets/?year=2024").content)["results"]
    deleted = json.loads(client.get("/api/v1/targets/?year=2024&deleted=true").content)["results"]

    assert [row["id"] for row in default] == [kept.pk]
    assert [row["id"] for row in deleted] == [gone.pk]
    assert deleted[0]["deleted_at"]


def test_a_planner_is_refused_the_deleted_targets(db):
    response = signed_in("planner").get("/api/v1/targets/?deleted=true")

    assert response.status_code == 403
