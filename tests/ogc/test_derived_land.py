"""The collections of the derived land (remaining-cha, released-land): the land as of a date,
dissolved per unit, against shapes cut with shapely and measured with pyproj.Geod."""

import json
from datetime import date

import pytest
from shapely import box
from shapely.geometry import shape

from gis.areas import geodesic_area_ha
from tests import factories
from tests.api.places import square_inside_district

pytestmark = pytest.mark.django_db


@pytest.fixture
def land():
    """A CHA in each of two 2019 districts; half of the first cleared in 2022, a strip of the
    second cancelled in 2024; a submitted clearance of the rest of the first."""
    west = square_inside_district("464", side_deg=0.02)
    east = square_inside_district("470", side_deg=0.02)
    factories.hazard(west)
    factories.hazard(east)
    w_min_x, w_min_y, w_max_x, w_max_y = west.bounds
    cleared = box(w_min_x - 0.001, w_min_y - 0.001, (w_min_x + w_max_x) / 2, w_max_y + 0.001)
    factories.release(cleared, method="cleared", completed_on=date(2022, 5, 1))
    e_min_x, e_min_y, e_max_x, e_max_y = east.bounds
    cancelled = box(e_min_x, e_min_y, e_max_x, e_min_y + 0.005)
    factories.release(cancelled, method="cancelled", completed_on=date(2024, 3, 1))
    factories.release(west, method="cleared", status="submitted", org="mag")
    return {"west": west, "east": east, "cleared": cleared, "cancelled": cancelled}


def features(client, url: str) -> dict[str, dict]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {feature["id"]: feature for feature in json.loads(response.content)["features"]}


def hectares(feature: dict) -> float:
    return geodesic_area_ha(shape(feature["geometry"]))


def test_released_land_by_method_as_of_a_date(client, land):
    url = "/ogc/collections/released-land/items?boundary_set=2019&as_of="

    in_2023 = features(client, url + "2023-12-31")
    in_2024 = features(client, url + "2024-12-31")

    assert set(in_2023) == {"464/released", "464/cleared"}
    expected = geodesic_area_ha(land["west"].intersection(land["cleared"]))
    assert hectares(in_2023["464/cleared"]) == pytest.approx(expected, rel=1e-4)
    assert in_2023["464/cleared"]["properties"]["area_ha"] == pytest.approx(expected, abs=0.01)
    assert set(in_2024) == {"464/released", "464/cleared", "470/released", "470/cancelled"}
    expected = geodesic_area_ha(land["east"].intersection(land["cancelled"]))
    assert hectares(in_2024["470/cancelled"]) == pytest.approx(expected, rel=1e-4)
    cancelled_only = features(client, url + "2024-12-31&method=cancelled")
    assert set(cancelled_only) == {"470/cancelled"}


def test_remaining_cha_is_the_cha_less_its_released_land(client, land):
    remaining = features(
        client, "/ogc/collections/remaining-cha/items?boundary_set=2019&as_of=2024-12-31"
    )

    assert set(remaining) == {"464/remaining", "470/remaining"}
    west = land["west"].difference(land["cleared"])
    assert hectares(remaining["464/remaining"]) == pytest.approx(geodesic_area_ha(west), rel=1e-4)
    item = client.get(
        "/ogc/collections/remaining-cha/items/470/remaining?boundary_set=2019&as_of=2024-12-31"
    )
    assert item.status_code == 200
    east = land["east"].difference(land["cancelled"])
    assert hectares(json.loads(item.content)) == pytest.approx(geodesic_area_ha(east), rel=1e-4)


def test_submitted_clearance_counts_only_with_include_submitted(client, land):
    url = "/ogc/collections/remaining-cha/items?boundary_set=2019&as_of=2024-12-31"

    assert "464/remaining" in features(client, url)
    assert "464/remaining" not in features(client, url + "&include=submitted")


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("as_of=2024-02-30", "as_of"),
        ("boundary_set=2030", "boundary_set"),
        ("boundary_set=2025&level=district", "level"),
        ("method=remaining", "method"),
    ],
)
def test_bad_derived_land_parameters_are_400s(client, query, parameter):
    response = client.get(f"/ogc/collections/released-land/items?{query}")

    assert response.status_code == 400
    assert json.loads(response.content)["parameter"] == parameter


def test_aggregates_only_accounts_get_no_derived_land(land):
    from django.test import Client

    planner = Client()
    planner.force_login(factories.user("planner", aggregates_only=True))

    for collection in ("remaining-cha", "released-land"):
        assert planner.get(f"/ogc/collections/{collection}/items").status_code == 403
        assert planner.get(f"/ogc/collections/{collection}/items/464/remaining").status_code == 403


def test_the_collection_extent_is_the_chas(client, land):
    body = json.loads(client.get("/ogc/collections/remaining-cha").content)

    west, south, east, north = body["extent"]["spatial"]["bbox"][0]
    cha = land["west"].union(land["east"]).bounds
    assert (west, south, east, north) == pytest.approx(cha)


def test_unit_collections_carry_the_release_figures_for_aggregates_only_accounts_too(land):
    from django.test import Client

    planner = Client()
    planner.force_login(factories.user("planner", aggregates_only=True))

    districts = features(planner, "/ogc/collections/districts-2019/items")

    by_code = {f["properties"]["code"]: f["properties"] for f in districts.values()}
    west_ha = geodesic_area_ha(land["west"])
    cleared_ha = geodesic_area_ha(land["west"].intersection(land["cleared"]))
    assert by_code["464"]["cha_ha"] == pytest.approx(west_ha, abs=0.01)
    assert by_code["464"]["cleared_ha"] == pytest.approx(cleared_ha, abs=0.01)
    assert by_code["464"]["released_pct"] == pytest.approx(100 * cleared_ha / west_ha, abs=0.1)
    assert by_code["461"]["cha_ha"] == 0
