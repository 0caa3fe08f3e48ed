"""The GeoJSON lists by review state: approved records by default, pending work with
include=submitted, one state with status=, each as far as the user's role allows; exact positions
(hazards, releases, spot tasks) never for aggregates-only users."""

import json

import pytest
from django.test import Client
from shapely import box

from tests import factories

pytestmark = pytest.mark.django_db

SQUARE = box(107.0, 16.8, 107.01, 16.81)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def releases() -> dict[str, int]:
    """One release per state and organisation that matters, and a deleted approved one."""
    return factories.releases_in_every_state(SQUARE)


def listed(client: Client, url: str, releases: dict[str, int]) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    ids = {feature["id"] for feature in json.loads(response.content)["features"]}
    return {name for name, pk in releases.items() if pk in ids}


def test_the_lists_show_approved_records_by_default_with_their_status(client, releases):
    body = json.loads(client.get("/api/v1/releases/").content)

    assert {f["id"] for f in body["features"]} == {
        releases["npa approved"],
        releases["mag approved"],
    }
    assert {f["properties"]["status"] for f in body["features"]} == {"approved"}


def test_an_analyst_lists_everyones_submitted_work_with_include_submitted(client, releases):
    assert listed(client, "/api/v1/releases/?include=submitted", releases) == {
        "npa approved",
        "mag approved",
        "npa submitted",
        "mag submitted",
    }


def test_a_coordinator_adds_only_their_organisations_submitted_work(releases):
    coordinator = factories.signed_in("field_coordinator", org="npa")

    assert listed(coordinator, "/api/v1/releases/?include=submitted", releases) == {
        "npa approved",
        "mag approved",
        "npa submitted",
    }


@pytest.mark.parametrize(
    ("status", "seen"),
    [
        ("draft", {"npa draft", "mag draft"}),
        ("submitted", {"npa submitted", "mag submitted"}),
        ("rejected", {"mag rejected"}),
        ("approved", {"npa approved", "mag approved"}),
    ],
)
def test_an_analyst_filters_any_state_of_every_organisation(client, releases, status, seen):
    assert listed(client, f"/api/v1/releases/?status={status}", releases) == seen


@pytest.mark.parametrize(
    ("status", "seen"),
    [
        ("draft", {"npa draft"}),
        ("submitted", {"npa submitted"}),
        ("rejected", set()),
        ("approved", {"npa approved", "mag approved"}),
    ],
)
def test_a_coordinator_filters_their_own_organisations_states_and_everyones_approved(
    releases, status, seen
):
    coordinator = factories.signed_in("field_coordinator", org="npa")

    assert listed(coordinator, f"/api/v1/releases/?status={status}", releases) == seen


@pytest.mark.parametrize("role", ["planner", "administrator"])
def test_planners_and_administrators_filter_approved_records_only(releases, role):
    user = factories.signed_in(role)

    approved = listed(user, "/api/v1/releases/?status=approved", releases)
    for status in ("draft", "submitted", "rejected"):
        refused = user.get(f"/api/v1/releases/?status={status}")
        assert refused.status_code == 403
        assert f"status={status} is for analysts and field coordinators" in refused.json()["error"]
    pending = user.get("/api/v1/releases/?include=submitted")

    assert approved == {"npa approved", "mag approved"}
    assert pending.status_code == 403


def test_a_planner_with_an_organisation_still_sees_approved_records_only(releases):
    planner = factories.signed_in("planner", org="npa")

    assert listed(planner, "/api/v1/releases/", releases) == {"npa approved", "mag approved"}
    assert planner.get("/api/v1/releases/?status=draft").status_code == 403


def test_a_coordinators_village_submissions_are_theirs_alone(client):
    npa = factories.organisation("npa")
    ours = factories.village(106.9, 16.9, status="submitted")
    ours.organisation = npa
    ours.save()
    factories.village(106.91, 16.9, status="submitted")  # no organisation: the centre's
    coordinator = factories.signed_in("field_coordinator", org="npa")

    body = json.loads(coordinator.get("/api/v1/villages/?status=submitted").content)
    everyone = json.loads(client.get("/api/v1/villages/?status=submitted").content)

    assert [f["id"] for f in body["features"]] == [ours.pk]
    assert everyone["numberMatched"] == 2


def test_status_and_include_together_are_a_400_naming_status(client):
    response = client.get("/api/v1/hazards/?status=submitted&include=submitted")

    assert response.status_code == 400
    assert response.json()["parameter"] == "status"


@pytest.mark.parametrize(("parameter", "value"), [("status", "pending"), ("include", "drafts")])
def test_an_unknown_state_is_a_400_naming_the_parameter(client, parameter, value):
    response = client.get(f"/api/v1/spot-tasks/?{parameter}={value}")

    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


@pytest.mark.parametrize("layer", ["hazards", "releases", "spot-tasks"])
def test_an_aggregates_only_planner_may_not_list_exact_positions(layer):
    planner = factories.signed_in("planner", aggregates_only=True)

    response = planner.get(f"/api/v1/{layer}/")

    assert response.status_code == 403
    assert "aggregates only" in response.json()["error"]


@pytest.mark.parametrize("layer", ["villages", "admin-units"])
def test_an_aggregates_only_planner_lists_villages_and_admin_units(layer):
    planner = factories.signed_in("planner", aggregates_only=True)

    assert planner.get(f"/api/v1/{layer}/?limit=1").status_code == 200


def test_admin_units_take_no_review_parameters(client):
    response = client.get("/api/v1/admin-units/?status=approved")

    assert response.status_code == 400
    assert response.json()["parameter"] == "status"
