"""The download buttons of the records lists and the maps (app.api.downloads): links to the
feature exports with the page's filters for those who may have exact positions, and to the
statistics files with the map's figures' query for everyone who sees the figures."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from shapely.geometry import box

from tests import factories

pytestmark = pytest.mark.django_db

HREF = re.compile(r'<a [^>]*href="([^"]+)"[^>]*data-format')


def _links(response) -> dict[str, dict]:
    """Every download link of the page: {path?format=...: its query}, the format included."""
    assert response.status_code == 200, response.content[:500]
    found = {}
    for href in HREF.findall(response.content.decode()):
        url = urlsplit(html.unescape(href))
        query = {name: values[0] for name, values in parse_qs(url.query).items()}
        found[f"{url.path}?format={query['format']}"] = query
    return found


def _signed_in(role: str, **profile) -> Client:
    client = Client()
    client.force_login(factories.user(role, **profile))
    return client


@pytest.fixture
def records():
    factories.release(box(107.0, 16.7, 107.01, 16.71), org="npa")
    factories.release(box(107.02, 16.7, 107.03, 16.71), org="mag", status="submitted")


def test_the_releases_list_links_each_export_with_its_filters(records):
    links = _links(
        _signed_in("analyst").get(
            "/records/releases/", {"status": "approved", "organisation": "npa", "q": "R-"}
        )
    )

    assert set(links) == {
        f"/api/v1/releases/?format={name}" for name in ("gpkg", "shp", "csv", "xlsx", "kml")
    }
    for query in links.values():
        # An export holds approved records unless asked for the work under review too.
        assert {k: v for k, v in query.items() if k != "format"} == {"organisation": "npa"}


def test_without_a_state_the_files_count_pending_work_for_those_who_see_it(records):
    coordinator_links = _links(_signed_in("field_coordinator", org="npa").get("/records/releases/"))
    planner_links = _links(_signed_in("planner").get("/records/releases/"))

    assert coordinator_links["/api/v1/releases/?format=gpkg"] == {
        "include": "submitted",
        "format": "gpkg",
    }
    assert planner_links["/api/v1/releases/?format=gpkg"] == {"format": "gpkg"}


def test_the_submitted_state_is_the_export_with_the_work_under_review(records):
    analyst = _signed_in("analyst")

    submitted = _links(analyst.get("/records/releases/", {"status": "submitted"}))
    drafts = _links(analyst.get("/records/releases/", {"status": "draft"}))

    assert submitted["/api/v1/releases/?format=csv"] == {"include": "submitted", "format": "csv"}
    assert drafts == {}


def test_an_aggregates_only_reader_gets_no_feature_file(records):
    reader = _signed_in("planner", aggregates_only=True)

    page = reader.get("/records/villages/")

    assert _links(page) == {}
    assert "data-downloads" not in page.content.decode()


def test_the_province_map_links_its_figures_and_its_polygons(records):
    links = _links(_signed_in("analyst").get("/maps/coverage/", {"year": 2023}))

    assert links["/api/v1/stats/release/?format=xlsx"] == {
        "as_of": "2023-12-31",
        "by": "district",
        "boundary_set": "2019",
        "format": "xlsx",
    }
    assert links["/api/v1/stats/clearance/?format=csv"] == {
        "year": "2023",
        "by": "district",
        "boundary_set": "2019",
        "format": "csv",
    }
    assert links["/api/v1/releases/?format=shp"] == {"year": "2023", "format": "shp"}
    assert "/api/v1/hazards/?format=gpkg" in links


def test_the_figures_links_keep_the_maps_pending_work_and_boundary_set(records):
    links = _links(
        _signed_in("analyst").get(
            "/maps/coverage/", {"year": 2023, "boundary_set": "2025", "include": "submitted"}
        )
    )

    assert links["/api/v1/stats/release/?format=csv"] == {
        "as_of": "2023-12-31",
        "by": "commune",
        "boundary_set": "2025",
        "include": "submitted",
        "format": "csv",
    }


def test_an_aggregates_only_reader_gets_the_figures_of_the_map_and_no_polygons(records):
    links = _links(
        _signed_in("planner", aggregates_only=True).get("/maps/coverage/", {"year": 2023})
    )

    assert set(links) == {
        "/api/v1/stats/release/?format=csv",
        "/api/v1/stats/release/?format=xlsx",
        "/api/v1/stats/clearance/?format=csv",
        "/api/v1/stats/clearance/?format=xlsx",
    }


def test_the_figures_links_of_a_map_answer_files_with_the_maps_query(records):
    reader = _signed_in("planner", aggregates_only=True)
    links = _links(reader.get("/maps/coverage/", {"year": 2023}))

    for path, query in links.items():
        response = reader.get(path.split("?")[0], query)
        assert response.status_code == 200, (path, response.content[:300])
        assert response["Content-Disposition"].startswith("attachment;")


def test_a_district_map_links_the_units_figures_and_records(records):
    links = _links(_signed_in("analyst").get("/maps/districts/465/", {"year": 2023}))

    assert links["/api/v1/stats/release/?format=csv"] == {
        "as_of": "2023-12-31",
        "by": "district",
        "boundary_set": "2019",
        "unit": "465",
        "format": "csv",
    }
    assert links["/api/v1/releases/?format=kml"] == {
        "admin_unit": "465",
        "boundary_set": "2019",
        "year": "2023",
        "format": "kml",
    }
