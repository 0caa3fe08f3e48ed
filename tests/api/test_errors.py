"""Bad parameters get a 400 naming the parameter; unknown slugs and codes a 404."""

import json

import pytest

from app.registry.models import ReleaseArea
from tests import factories
from tests.api.places import square_inside_district

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/releases/?limit=0", "limit"),
        ("/api/v1/releases/?limit=10001", "limit"),
        ("/api/v1/releases/?limit=many", "limit"),
        ("/api/v1/releases/?offset=-1", "offset"),
        ("/api/v1/releases/?offset=99999999999999999999", "offset"),
        ("/api/v1/releases/?year=twenty", "year"),
        ("/api/v1/releases/?year=1800", "year"),
        ("/api/v1/releases/?method=demined", "method"),
        ("/api/v1/hazards/?kind=XYZ", "kind"),
        ("/api/v1/releases/?organisation=not a slug", "organisation"),
        ("/api/v1/releases/?bbox=106,16,107", "bbox"),
        ("/api/v1/releases/?bbox=106,16,107,17,18", "bbox"),
        ("/api/v1/releases/?bbox=west,16,107,17", "bbox"),
        ("/api/v1/releases/?bbox=107,16,106,17", "bbox"),
        ("/api/v1/releases/?bbox=106,17,107,16", "bbox"),
        ("/api/v1/releases/?bbox=-181,16,107,17", "bbox"),
        ("/api/v1/releases/?bbox=106,16,107,91", "bbox"),
        ("/api/v1/releases/?bbox=nan,16,107,17", "bbox"),
        ("/api/v1/releases/?admin_unit=" + "4" * 17, "admin_unit"),
        ("/api/v1/releases/?format=json", "format"),
        ("/api/v1/releases/?admin_unit=464&boundary_set=2020", "boundary_set"),
        ("/api/v1/villages/?boundary_set=2019", "boundary_set"),
        ("/api/v1/admin-units/?level=county", "level"),
        ("/api/v1/admin-units/?boundary_set=1999", "boundary_set"),
        ("/api/v1/hazards/?method=cleared", "method"),
        ("/api/v1/villages/?organisation=npa", "organisation"),
        ("/api/v1/spot-tasks/?kind=CHA", "kind"),
        ("/api/v1/releases/?bbbox=106,16,107,17", "bbbox"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, url, parameter):
    response = client.get(url)

    assert response.status_code == 400
    body = json.loads(response.content)
    assert body["parameter"] == parameter
    assert body["error"].startswith(f"{parameter}: ")


def test_the_400_says_what_to_fix(client):
    body = json.loads(client.get("/api/v1/releases/?bbox=107,16,106,17").content)

    assert body == {"error": "bbox: minlon must be less than maxlon", "parameter": "bbox"}


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/releases/?admin_unit=999", "admin_unit"),
        ("/api/v1/villages/?admin_unit=464&boundary_set=2025", "admin_unit"),
        ("/api/v1/hazards/?organisation=nobody", "organisation"),
    ],
)
def test_an_unknown_code_or_slug_is_a_404_naming_it(client, url, parameter):
    factories.organisation("npa")

    response = client.get(url)

    assert response.status_code == 404
    body = json.loads(response.content)
    assert body["parameter"] == parameter
    assert body["error"].startswith(f"{parameter}: no ")


def test_an_error_is_json_even_to_a_client_asking_for_geojson(client):
    response = client.get("/api/v1/releases/?limit=0", HTTP_ACCEPT="application/geo+json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


def test_a_code_is_data_never_sql(client):
    release = factories.release(square_inside_district("464"))

    response = client.get("/api/v1/releases/", {"admin_unit": "464' OR '1'='1"})

    assert response.status_code == 404
    assert json.loads(response.content)["parameter"] == "admin_unit"
    assert ReleaseArea.objects.filter(id=release.id).exists()


@pytest.mark.parametrize(
    "url", ["/api/v1/uploads/abc/", "/api/v1/records/hazards/1.5/", "/api/v1/no-such-list/"]
)
def test_a_url_under_the_api_that_names_no_endpoint_is_a_json_404(client, url):
    response = client.get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "/api/v1/docs/" in json.loads(response.content)["error"]


def test_a_page_url_that_names_nothing_is_still_the_sites_404_page(client):
    response = client.get("/records/no-such-layer/1/extra/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_empty_year_on_the_targets_list_means_no_year_as_on_the_other_lists(client):
    factories.target(year=2023, value=1000)

    response = client.get("/api/v1/targets/?year=")

    assert response.status_code == 200
    assert [target["year"] for target in json.loads(response.content)["results"]] == [2023]
