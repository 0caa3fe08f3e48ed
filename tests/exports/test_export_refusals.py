"""Bad export requests are 400s that say what to fix (an unknown organisation a 404), as the
lists' other parameters are; never a server error or half a file."""

import pytest
from shapely import box

from app.api.selectors import layers
from app.api.selectors.features import FeatureFilters
from app.exports.responses import ExportRefused, export_response
from app.registry.scopes import APPROVED
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def a_release():
    factories.release(box(107.0, 16.8, 107.01, 16.81))


@pytest.mark.parametrize(
    ("query", "parameter", "says"),
    [
        ("format=docx", "format", "'docx' is not one of geojson, gpkg, shp, csv, xlsx, kml"),
        ("format=gpkg&crs=EPSG:3857", "crs", "'EPSG:3857' is not one of EPSG:4326, EPSG:32648"),
        ("format=gpkg&crs=utm", "crs", "'utm' is not one of"),
        ("crs=EPSG:9212", "crs", "applies to an export"),
        ("format=csv&limit=10", "limit", "an export holds every matching feature"),
        ("format=csv&offset=10", "offset", "drop limit and offset"),
        ("format=xlsx&status=submitted", "status", "is for the GeoJSON list"),
        ("format=kml&deleted=true", "deleted", "is for the GeoJSON list"),
        ("format=shp&year=1900", "year", "1975"),
        ("format=gpkg&bbox=1,2,3", "bbox", "give 4 comma-separated numbers"),
    ],
)
def test_a_bad_export_request_is_a_400_naming_the_parameter(client, query, parameter, says):
    response = client.get(f"/api/v1/releases/?{query}")

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["parameter"] == parameter
    assert says in body["error"]


def test_an_unknown_organisation_is_a_404(client):
    response = client.get("/api/v1/releases/?format=gpkg&organisation=nobody")

    assert response.status_code == 404
    assert response.json()["parameter"] == "organisation"


def test_the_crs_may_be_named_by_code_or_ogc_uri(client):
    for crs in ("9212", "epsg:9212", "http://www.opengis.net/def/crs/EPSG/0/9212"):
        response = client.get(f"/api/v1/releases/?format=csv&crs={crs}")
        assert response.status_code == 200, (crs, response.content)


def test_format_geojson_is_the_list_itself(client):
    response = client.get("/api/v1/releases/?format=geojson&limit=5")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"


def test_the_response_helper_refuses_what_it_does_not_offer(analyst):
    with pytest.raises(ExportRefused, match="not an export format"):
        export_response(
            layer=layers.RELEASES, filters=FeatureFilters(), fmt="pdf", scope=APPROVED, user=analyst
        )
    with pytest.raises(ExportRefused, match="EPSG:3857 is not offered"):
        export_response(
            layer=layers.RELEASES,
            filters=FeatureFilters(),
            fmt="gpkg",
            crs=3857,
            scope=APPROVED,
            user=analyst,
        )
