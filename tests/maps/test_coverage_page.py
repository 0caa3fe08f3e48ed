"""/maps/coverage/: the province map of CHA released, served with local assets only."""

import re
from datetime import date

import pytest
from django.contrib.staticfiles import finders
from shapely import box

from app.registry.models import AdminUnit
from gis.maps import LOCAL_ASSETS, OSM_COPYRIGHT_URL, OSM_TILES_URL
from tests import factories

from .factories import INSIDE_465, square

pytestmark = pytest.mark.django_db

LON, LAT = INSIDE_465


def remote_urls(page: str) -> set[str]:
    """http(s) URLs in the page once the optional basemap tile layer's two are taken out."""
    page = page.replace(OSM_TILES_URL, "").replace(OSM_COPYRIGHT_URL, "")
    return set(re.findall(r"https?://[^\s\"'<>)]+", page))


@pytest.fixture
def some_release():
    factories.hazard(square(LON, LAT, 0.01))
    factories.release(square(LON, LAT, 0.005), method="cleared", completed_on=date(2023, 5, 1))


def test_the_coverage_map_carries_every_district(client, readable, some_release):
    response = client.get("/maps/coverage/?year=2023")

    assert response.status_code == 200
    page = readable(response.content)
    # In English (the tests' language) the districts carry their English names.
    names = AdminUnit.objects.filter(boundary_set="2019", level="district").values_list(
        "name_en", flat=True
    )
    assert len(names) == 10
    for name in names:
        assert name in page
    assert "by 31 December 2023" in page
    assert "map-legend" in page


def test_each_district_links_to_its_own_map(client, readable, some_release):
    page = readable(client.get("/maps/coverage/?year=2023").content)
    for code in AdminUnit.objects.filter(level="district").values_list("code", flat=True):
        assert f"/maps/districts/{code}/?year=2023" in page


def test_the_coverage_map_loads_only_local_assets_that_the_app_serves(
    client, readable, some_release
):
    page = readable(client.get("/maps/coverage/?year=2023").content)

    assert remote_urls(page) == set()
    referenced = re.findall(r'(?:src|href)="/static/([^"]+)"', page)
    # The map's own assets, and the stylesheet of the site's nav bar across its top.
    assert {path.removeprefix("maps/vendor/") for path in referenced} == {
        *filter(None, LOCAL_ASSETS.values()),
        "accounts/site.css",
    }
    for path in referenced:
        assert finders.find(path), f"{path} is not in the static files (run make assets)"


def test_with_2025_boundaries_every_commune_is_coloured(client, readable, some_release):
    response = client.get("/maps/coverage/?year=2025&boundary_set=2025")

    assert response.status_code == 200
    page = readable(response.content)
    names = AdminUnit.objects.filter(boundary_set="2025", level="commune").values_list(
        "name_en", flat=True
    )
    assert len(names) == 78
    for name in names:
        assert name in page


def test_the_released_share_is_in_the_tooltip(client, readable):
    factories.hazard(square(LON, LAT, 0.01))
    west_half = box(LON - 0.01, LAT - 0.01, LON, LAT + 0.01)
    factories.release(west_half, method="cleared", completed_on=date(2023, 5, 1))

    page = readable(client.get("/maps/coverage/?year=2023").content)

    # Half of the CHA square is cleared (the two halves differ by far less than 0.1 %).
    assert "50.0%" in page


@pytest.mark.parametrize("year", ["abc", "20x3", "1900", "3000", "-1"])
def test_a_bad_year_is_a_400_naming_the_parameter(client, year):
    response = client.get(f"/maps/coverage/?year={year}")

    assert response.status_code == 400
    assert b"year must be a year between 1975 and 2100" in response.content


def test_an_unknown_boundary_set_is_a_400(client):
    response = client.get("/maps/coverage/?boundary_set=2020")

    assert response.status_code == 400
    assert b"boundary_set must be one of 2019 or 2025" in response.content


def test_without_a_year_the_last_year_with_a_release_is_drawn(client, readable, some_release):
    page = readable(client.get("/maps/coverage/").content)
    assert "by 31 December 2023" in page


def test_synthetic_data_is_labelled_on_the_map(client, readable):
    factories.hazard(square(LON, LAT, 0.01), notes="Synthetic demo hazard")

    page = readable(client.get("/maps/coverage/?year=2023").content)

    assert "Synthetic demo data" in page


def test_real_data_carries_no_synthetic_label(client, readable, some_release):
    page = readable(client.get("/maps/coverage/?year=2023").content)
    assert "Synthetic" not in page
