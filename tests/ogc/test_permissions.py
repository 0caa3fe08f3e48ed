"""Who sees what under /ogc/: the rules of the /api/v1 lists (app.accounts.policy), with two
organisations and records not yet approved; aggregates-only accounts see no exact position."""

import json
import re

import pytest
from django.test import Client

from tests import factories
from tests.api.places import square_inside_district
from tests.factories import signed_in

pytestmark = pytest.mark.django_db

POSITION_COLLECTIONS = ("hazards", "releases", "spot-tasks", "villages")
UNIT_COLLECTIONS = ("districts-2019", "communes-2025")


def listed(client: Client, url: str, releases: dict) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    names = {record_id: name for name, record_id in releases.items()}
    return {names[feature["id"]] for feature in json.loads(response.content)["features"]}


def test_everyone_reads_approved_records_by_default(releases):
    for client in (
        signed_in("planner"),
        signed_in("field_coordinator", org="npa"),
        signed_in("analyst"),
    ):
        assert listed(client, "/ogc/collections/releases/items", releases) == {
            "npa approved",
            "mag approved",
        }


def test_a_coordinator_adds_their_own_organisations_submitted_work_never_anothers(releases):
    coordinator = signed_in("field_coordinator", org="npa")

    assert listed(coordinator, "/ogc/collections/releases/items?include=submitted", releases) == {
        "npa approved",
        "mag approved",
        "npa submitted",
    }
    other = releases["mag submitted"]
    response = coordinator.get(f"/ogc/collections/releases/items/{other}?include=submitted")
    assert response.status_code == 404


def test_an_analyst_adds_everyones_submitted_work(releases):
    analyst = signed_in("analyst")

    assert listed(analyst, "/ogc/collections/releases/items?include=submitted", releases) == {
        "npa approved",
        "mag approved",
        "npa submitted",
        "mag submitted",
    }


def test_a_planner_asking_for_submitted_work_is_refused_with_the_reason(releases):
    response = signed_in("planner").get("/ogc/collections/releases/items?include=submitted")

    assert response.status_code == 403
    body = json.loads(response.content)
    assert body["code"] == "Forbidden"
    assert "approved data" in body["description"]


def test_a_coordinator_filters_their_own_drafts_by_status(releases):
    coordinator = signed_in("field_coordinator", org="npa")

    assert listed(coordinator, "/ogc/collections/releases/items?status=draft", releases) == {
        "npa draft"
    }
    assert (
        signed_in("planner").get("/ogc/collections/releases/items?status=draft").status_code == 403
    )


def test_an_unapproved_record_is_not_found_by_id_for_a_planner(releases):
    planner = signed_in("planner")

    assert (
        planner.get(f"/ogc/collections/releases/items/{releases['npa approved']}").status_code
        == 200
    )
    response = planner.get(f"/ogc/collections/releases/items/{releases['npa submitted']}")
    assert response.status_code == 404
    assert json.loads(response.content)["code"] == "NotFound"


def test_anonymous_requests_get_a_401_with_a_challenge(releases):
    for path in (
        "/ogc/",
        "/ogc/conformance",
        "/ogc/api",
        "/ogc/collections",
        "/ogc/collections/releases",
        "/ogc/collections/releases/items",
        f"/ogc/collections/releases/items/{releases['npa approved']}",
        "/ogc/collections/districts-2019/items",
    ):
        response = Client().get(path)
        assert response.status_code == 401, path
        assert response["WWW-Authenticate"], path
        assert json.loads(response.content)["code"] == "NotAuthenticated"


def test_a_token_reads_the_items():
    from app.accounts.services import create_token

    factories.release(square_inside_district("464"))
    key = create_token(user=factories.user("planner"), name="qgis").key

    response = Client().get("/ogc/collections/releases/items", HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 200
    assert json.loads(response.content)["numberReturned"] == 1


def test_an_aggregates_only_planner_lists_the_unit_collections_alone(releases):
    planner = signed_in("planner", aggregates_only=True)

    response = planner.get("/ogc/collections")

    listed_ids = [c["id"] for c in json.loads(response.content)["collections"]]
    assert listed_ids == list(UNIT_COLLECTIONS)


def test_an_aggregates_only_planner_gets_no_exact_position_anywhere_under_ogc(releases):
    planner = signed_in("planner", aggregates_only=True)
    factories.hazard(square_inside_district("465"))
    factories.spot_task(106.9, 16.9)
    release_id = releases["npa approved"]

    for collection in POSITION_COLLECTIONS:
        for path in ("", "/queryables", "/items", "/items?f=html", f"/items/{release_id}"):
            response = planner.get(f"/ogc/collections/{collection}{path}")
            assert response.status_code == 403, (collection, path)
            body = json.loads(response.content)
            assert "aggregates only" in body["description"]
            assert "districts-2019" in body["description"]
    for path in ("/ogc/", "/ogc/conformance", "/ogc/api", "/ogc/collections?f=html"):
        response = planner.get(path)
        assert response.status_code == 200
        # No longitude of Quảng Trị (106-107 °E) written to 4 decimals or more.
        assert not re.search(rb"10[67]\.\d{4}", response.content), path
    # The only extents shown are the units': the records' own would tell where they lie.
    collections = json.loads(planner.get("/ogc/collections").content)["collections"]
    assert [c["id"] for c in collections] == list(UNIT_COLLECTIONS)
    for level in ("districts-2019", "communes-2025"):
        response = planner.get(f"/ogc/collections/{level}/items?limit=1")
        assert response.status_code == 200
        assert json.loads(response.content)["features"][0]["properties"]["code"]


def test_exact_positions_are_not_stored_by_caches(releases):
    response = signed_in("analyst").get("/ogc/collections/releases/items")

    assert response["Cache-Control"] == "no-store"
