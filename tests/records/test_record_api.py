"""GET /api/v1/records/<layer>/<id>/: the record as a GeoJSON Feature built in PostGIS; PATCH
refuses what the rules refuse with a 400 that names the field, never a 500."""

import pytest
from shapely import Polygon
from shapely.geometry import mapping

from tests import factories
from tests.accounting.shapes import HUONG_HOA_LAT, HUONG_HOA_LON, ha, square

pytestmark = pytest.mark.django_db

LON, LAT = HUONG_HOA_LON, HUONG_HOA_LAT


def test_a_release_is_a_feature_with_its_state_organisation_and_geodesic_area(api):
    outline = square(LON, LAT, 0.004)
    release = factories.release(outline, status="submitted")

    response = api.get(f"/api/v1/records/releases/{release.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    feature = response.json()
    assert feature["type"] == "Feature"
    assert feature["id"] == release.pk
    assert feature["geometry"]["type"] == "MultiPolygon"
    properties = feature["properties"]
    assert properties["status"] == "submitted"
    assert properties["organisation"] == "npa"
    assert properties["deleted_at"] is None
    assert properties["upload_id"] is None
    assert properties["url"] == f"/records/releases/{release.pk}/"
    assert properties["area_ha"] == pytest.approx(ha(outline), abs=0.01)


def test_a_village_a_spot_task_and_a_target_are_features_too(api):
    village = factories.village(LON, LAT)
    spot_task = factories.spot_task(LON, LAT)
    target = factories.target(year=2024, value=120, district="465")

    assert api.get(f"/api/v1/records/villages/{village.pk}/").json()["geometry"]["type"] == "Point"
    assert (
        api.get(f"/api/v1/records/spot-tasks/{spot_task.pk}/").json()["properties"][
            "items_destroyed"
        ]
        == 3
    )
    properties = api.get(f"/api/v1/records/targets/{target.pk}/").json()["properties"]
    assert (properties["year"], properties["admin_unit"], properties["value"]) == (2024, "465", 120)


def test_an_unknown_layer_or_record_is_a_404_naming_it(api):
    unknown_layer = api.get("/api/v1/records/minefields/1/")
    assert unknown_layer.status_code == 404
    assert unknown_layer.json()["parameter"] == "layer"
    assert api.get("/api/v1/records/releases/999999/").json()["parameter"] == "id"


def patch(api, release, changes):
    return api.patch(f"/api/v1/records/releases/{release.pk}/", changes, format="json")


@pytest.mark.parametrize(
    ("changes", "parameter", "words"),
    [
        ({"completed_on": "31/02/2023"}, "completed_on", "date"),
        ({"started_on": "2024-01-01"}, "started_on", "before completed_on"),
        ({"method": "cancelled"}, "depth_cm", "depth"),
        ({"method": "swept"}, "method", "swept"),
        ({"depth_cm": -5}, "depth_cm", "0"),
        ({"status": "approved"}, "status", "review"),
        ({"deleted_at": None}, "deleted_at", "delete"),
        ({"colour": "red"}, "colour", "these can"),
        ({"organisation": "nobody"}, "organisation", "nobody"),
        ({}, "changes", "JSON object"),
    ],
)
def test_a_change_the_rules_refuse_is_a_400_naming_the_field(api, changes, parameter, words):
    release = factories.release(square(LON, LAT))

    response = patch(api, release, changes)

    assert response.status_code == 400, response.content
    assert response.json()["parameter"] == parameter
    assert words in response.json()["error"]


def test_a_reference_another_release_of_the_organisation_has_is_refused(api):
    release, other = factories.release(square(LON, LAT)), factories.release(square(LON, LAT))

    response = patch(api, release, {"reference": other.reference})

    assert response.status_code == 400
    assert response.json() == {
        "error": "reference: this organisation already has a release with this reference",
        "parameter": "reference",
    }


BOW_TIE = Polygon([(LON, LAT), (LON + 0.01, LAT + 0.01), (LON + 0.01, LAT), (LON, LAT + 0.01)])


@pytest.mark.parametrize(
    ("geometry", "words"),
    [
        (mapping(BOW_TIE), "invalid polygon"),
        ({"type": "Point", "coordinates": [LON, LAT]}, "polygon is required"),
        (mapping(square(10.0, 50.0)), "outside the operating area"),
        ({"type": "Polygon", "coordinates": [[[400, 0], [401, 0], [401, 1], [400, 0]]]}, "WGS 84"),
        ({"type": "Polygon", "coordinates": "nonsense"}, "GeoJSON"),
        ("not json", "JSON"),
        (
            {
                **mapping(square(LON, LAT)),
                "crs": {"type": "name", "properties": {"name": "EPSG:3405"}},
            },
            "reproject",
        ),
    ],
)
def test_a_geometry_that_cannot_be_stored_is_refused_with_the_reason(api, geometry, words):
    release = factories.release(square(LON, LAT))

    response = patch(api, release, {"geometry": geometry})

    assert response.status_code == 400, response.content
    assert response.json()["parameter"] == "geometry"
    assert words in response.json()["error"]


def test_an_outline_of_more_vertices_than_an_upload_may_have_is_refused(api, settings):
    settings.UPLOAD_MAX_VERTICES_PER_FEATURE = 20
    release = factories.release(square(LON, LAT))
    round_field = square(LON, LAT, 0.002).buffer(0.001)

    response = patch(api, release, {"geometry": mapping(round_field)})

    assert response.status_code == 400, response.content
    assert response.json()["parameter"] == "geometry"
    count = len(round_field.exterior.coords)
    assert f"has {count} vertices; a feature may have at most 20" in response.json()["error"]


def test_a_polygon_is_stored_as_a_multipolygon_and_a_feature_is_accepted(api):
    release = factories.release(square(LON, LAT))
    outline = square(LON, LAT, 0.002)

    response = patch(api, release, {"geometry": {"type": "Feature", "geometry": mapping(outline)}})

    assert response.status_code == 200, response.content
    assert response.json()["geometry"]["type"] == "MultiPolygon"
    assert response.json()["properties"]["area_ha"] == pytest.approx(ha(outline), abs=0.01)


def test_a_village_moves_to_a_point(api):
    village = factories.village(LON, LAT)

    response = api.patch(
        f"/api/v1/records/villages/{village.pk}/",
        {"geometry": {"type": "Point", "coordinates": [LON + 0.01, LAT]}, "name_en": "Khe Sanh"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["geometry"]["coordinates"] == pytest.approx([LON + 0.01, LAT])
    assert response.json()["properties"]["name_en"] == "Khe Sanh"


def test_deleting_needs_a_reason_and_happens_once(api):
    release = factories.release(square(LON, LAT))
    path = f"/api/v1/records/releases/{release.pk}/"

    assert api.delete(path).json()["parameter"] == "reason"
    assert api.delete(path, {"reason": "duplicate"}, format="json").status_code == 200
    again = api.delete(path, {"reason": "duplicate"}, format="json")
    assert again.status_code == 409
    assert "already" in again.json()["error"]
    assert patch(api, release, {"depth_cm": 20}).status_code == 409
    assert api.post(f"{path}undelete/").status_code == 200
    assert api.post(f"{path}undelete/").status_code == 409
