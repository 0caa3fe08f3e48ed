"""``Cache-Control: no-store`` on every answer that carries exact coordinates of records, by
what its view declares (app.accounts.headers); aggregates are left to the usual caching."""

import pytest
from django.test import Client
from shapely.geometry import box

from tests import factories

pytestmark = pytest.mark.django_db

# Inside district 464 (Vĩnh Linh) of the bundled boundaries.
SQUARE = box(107.0, 17.0, 107.01, 17.01)


@pytest.fixture
def records(db):
    return {
        "hazards": factories.hazard(SQUARE),
        "releases": factories.release(SQUARE),
        "spot-tasks": factories.spot_task(107.005, 17.005),
    }


def _signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/hazards/",
        "/api/v1/releases/",
        "/api/v1/spot-tasks/",
        "/api/v1/records/{layer}/{id}/",
        "/api/v1/records/{layer}/{id}/history/",
        "/records/{layer}/{id}/",
        "/maps/districts/464/?year=2023",
        "/maps/coverage/?year=2023",
    ],
)
@pytest.mark.parametrize("layer", ["hazards", "releases", "spot-tasks"])
def test_answers_with_exact_coordinates_are_not_stored(client, records, path, layer):
    response = client.get(path.format(layer=layer, id=records[layer].pk))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/stats/release/?as_of=2023-12-31&by=district",
        "/api/v1/stats/clearance/?year=2023&by=district",
        "/api/v1/admin-units/?level=district",
        "/api/v1/villages/",
        "/api/v1/organisations/",
        "/records/hazards/",
    ],
)
def test_aggregates_and_reference_data_need_no_such_header(client, records, path):
    response = client.get(path)

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_province_map_of_an_aggregates_only_user_carries_no_polygon_and_no_header(records):
    reader = factories.user("planner", username="donor", aggregates_only=True)

    response = _signed_in(reader).get("/maps/coverage/?year=2023")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
