"""Each list is a GeoJSON FeatureCollection whose features carry the record's fields."""

from datetime import date

import pytest
from shapely import box
from shapely.geometry import MultiPolygon, Point, Polygon, shape

from gis.areas import geodesic_area_ha
from tests import factories
from tests.api.places import district, square_inside_district

pytestmark = pytest.mark.django_db

# Coordinates are written with 7 decimals (about 1 cm).
COORDINATE_TOLERANCE_DEG = 1e-7


def only_feature(body: dict) -> dict:
    assert body["type"] == "FeatureCollection"
    assert body["numberMatched"] == body["numberReturned"] == 1
    [feature] = body["features"]
    assert feature["type"] == "Feature"
    return feature


def test_a_release_carries_its_fields_and_geodesic_hectares(fetch):
    square = square_inside_district("464")
    release = factories.release(square, method="cleared", completed_on=date(2023, 6, 1), org="mag")

    feature = only_feature(fetch("/api/v1/releases/"))

    assert feature["id"] == release.id
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert shape(feature["geometry"]).hausdorff_distance(square) < COORDINATE_TOLERANCE_DEG
    area_ha = feature["properties"].pop("area_ha")
    assert area_ha == pytest.approx(geodesic_area_ha(square), rel=1e-4)
    assert feature["properties"] == {
        "reference": release.reference,
        "method": "cleared",
        "organisation": "mag",
        "started_on": "2023-01-01",
        "completed_on": "2023-06-01",
        "depth_cm": 30,
        "status": "approved",
    }


def test_hazard_hectares_subtract_holes_and_add_every_part(fetch):
    x, y, _max_x, _max_y = square_inside_district("465", side_deg=0.04).bounds
    with_hole = Polygon(
        box(x, y, x + 0.03, y + 0.03).exterior.coords,
        [box(x + 0.01, y + 0.01, x + 0.02, y + 0.02).exterior.coords],
    )
    second_part = box(x + 0.035, y, x + 0.04, y + 0.01)
    outline = MultiPolygon([with_hole, second_part])
    hazard = factories.hazard(outline, kind="SHA", recorded_on=date(2014, 5, 2), org="renew")

    feature = only_feature(fetch("/api/v1/hazards/"))

    area_ha = feature["properties"].pop("area_ha")
    assert area_ha == pytest.approx(geodesic_area_ha(outline), rel=1e-4)
    assert area_ha < geodesic_area_ha(box(x, y, x + 0.04, y + 0.03))
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert len(feature["geometry"]["coordinates"]) == 2
    assert feature["properties"] == {
        "reference": hazard.reference,
        "kind": "SHA",
        "contamination": "cluster_munitions",
        "organisation": "renew",
        "recorded_on": "2014-05-02",
        "notes": "",
        "status": "approved",
    }


def test_a_spot_task_is_a_point_feature(fetch):
    task = factories.spot_task(106.95, 17.01, completed_on=date(2021, 2, 3), items_destroyed=7)

    feature = only_feature(fetch("/api/v1/spot-tasks/"))

    assert feature["geometry"] == {"type": "Point", "coordinates": [106.95, 17.01]}
    assert feature["properties"] == {
        "reference": task.reference,
        "organisation": "npa",
        "completed_on": "2021-02-03",
        "items_destroyed": 7,
        "status": "approved",
    }


def test_a_village_carries_its_survey_dates(fetch):
    village = factories.village(106.9, 16.9, nts_completed_on=date(2019, 4, 1))

    feature = only_feature(fetch("/api/v1/villages/"))

    assert shape(feature["geometry"]).equals(Point(106.9, 16.9))
    assert feature["properties"] == {
        "code": village.code,
        "name_vi": village.name_vi,
        "name_en": village.name_en,
        "nts_completed_on": "2019-04-01",
        "ts_completed_on": None,
        "status": "approved",
    }


def test_an_admin_unit_carries_its_set_parent_dates_and_geodesic_hectares(fetch):
    body = fetch("/api/v1/admin-units/?level=district&boundary_set=2019")

    vinh_linh = next(f for f in body["features"] if f["properties"]["code"] == "464")
    area_ha = vinh_linh["properties"].pop("area_ha")
    assert area_ha == pytest.approx(geodesic_area_ha(district("464")), rel=1e-4)
    assert vinh_linh["geometry"]["type"] == "MultiPolygon"
    assert vinh_linh["properties"] == {
        "code": "464",
        "name_vi": "Vĩnh Linh",
        "name_en": "Vinh Linh",
        "level": "district",
        "boundary_set": "2019",
        "parent_code": "45",
        "valid_from": None,
        "valid_to": "2025-06-30",
    }


def test_an_empty_list_is_an_empty_feature_collection(fetch):
    body = fetch("/api/v1/releases/")

    assert body["features"] == []
    assert body["numberMatched"] == body["numberReturned"] == 0
