"""Map layers from PostGIS: remaining CHA and released land by method, against pyproj.Geod."""

import json
from datetime import date

import pytest
from shapely.geometry import shape
from shapely.ops import unary_union

from app.maps import layers
from app.registry.models import AdminUnit
from gis.areas import geodesic_area_ha
from tests import factories

from .factories import INSIDE_465, square

pytestmark = pytest.mark.django_db

LON, LAT = INSIDE_465
# Coordinates on a 0.001° grid survive 5-decimal GeoJSON and simplification unchanged.
EXACT = layers.Detail(tolerance_deg=0.00001, digits=5)


def layer_ha(collection: dict, **properties) -> float:
    parts = [
        shape(f["geometry"])
        for f in collection["features"]
        if all(f["properties"].get(k) == v for k, v in properties.items())
    ]
    return geodesic_area_ha(unary_union(parts)) if parts else 0.0


@pytest.fixture
def hazard_with_releases():
    cha = square(LON, LAT, 0.01)
    cleared = square(LON - 0.005, LAT, 0.005)
    reduced = square(LON, LAT, 0.004)  # half under the cleared square: cleared wins there
    cancelled_later = square(LON + 0.006, LAT + 0.006, 0.003)
    factories.hazard(cha)
    factories.release(cleared, method="cleared", completed_on=date(2022, 5, 1))
    factories.release(reduced, method="reduced", completed_on=date(2023, 3, 1))
    factories.release(cancelled_later, method="cancelled", completed_on=date(2024, 2, 1))
    return cha, cleared, reduced, cancelled_later


def test_remaining_cha_is_cha_minus_the_releases_completed_by_the_date(hazard_with_releases):
    cha, cleared, reduced, cancelled_later = hazard_with_releases

    at_end_of_2023 = layers.release_layers(as_of=date(2023, 12, 31), unit_id=None, detail=EXACT)

    expected = geodesic_area_ha(cha.difference(cleared.union(reduced)))
    assert layer_ha(at_end_of_2023.remaining_cha) == pytest.approx(expected, rel=1e-4)
    assert all(
        f["properties"]["method"] != "cancelled" for f in at_end_of_2023.released["features"]
    )


def test_released_land_takes_the_method_of_highest_evidence(hazard_with_releases):
    _cha, cleared, reduced, _cancelled = hazard_with_releases

    released = layers.release_layers(as_of=date(2023, 12, 31), unit_id=None, detail=EXACT).released

    assert layer_ha(released, method="cleared") == pytest.approx(
        geodesic_area_ha(cleared), rel=1e-4
    )
    assert layer_ha(released, method="reduced") == pytest.approx(
        geodesic_area_ha(reduced.difference(cleared)), rel=1e-4
    )


def test_a_unit_map_is_clipped_to_the_unit(hazard_with_releases):
    cha, *_ = hazard_with_releases
    elsewhere = AdminUnit.objects.get(boundary_set="2019", code="464")
    inside = AdminUnit.objects.get(boundary_set="2019", code="465")

    far = layers.release_layers(as_of=date(2021, 12, 31), unit_id=elsewhere.pk, detail=EXACT)
    near = layers.release_layers(as_of=date(2021, 12, 31), unit_id=inside.pk, detail=EXACT)

    assert far.remaining_cha["features"] == []
    assert far.released["features"] == []
    assert layer_ha(near.remaining_cha) == pytest.approx(geodesic_area_ha(cha), rel=1e-4)


def test_with_nothing_stored_the_layers_are_empty():
    empty = layers.release_layers(as_of=date(2023, 12, 31), unit_id=None, detail=EXACT)
    assert empty.remaining_cha == {"type": "FeatureCollection", "features": []}
    assert empty.released == {"type": "FeatureCollection", "features": []}


# In Vietnamese, the language the units' own names are in (name_in_reader_language).
@pytest.mark.vietnamese
def test_unit_outlines_carry_every_unit_with_code_and_name():
    outlines = layers.unit_outlines(
        boundary_set="2019", level="district", detail=layers.PROVINCE_DETAIL
    )
    expected = dict(
        AdminUnit.objects.filter(boundary_set="2019", level="district").values_list(
            "code", "name_vi"
        )
    )
    assert {f["properties"]["code"]: f["properties"]["name"] for f in outlines["features"]} == (
        expected
    )
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in outlines["features"])


def test_villages_carry_their_survey_status_on_the_date():
    unit = AdminUnit.objects.get(boundary_set="2019", code="465")
    factories.village(LON, LAT, name="Thôn Chưa")
    factories.village(LON + 0.01, LAT, name="Thôn NTS", nts_completed_on=date(2020, 1, 1))
    factories.village(
        LON + 0.02,
        LAT,
        name="Thôn TS",
        nts_completed_on=date(2020, 1, 1),
        ts_completed_on=date(2024, 1, 1),
    )

    villages = layers.village_points(as_of=date(2023, 12, 31), unit_id=unit.pk)

    status = {
        f["properties"]["name"]: f["properties"]["survey_status"] for f in villages["features"]
    }
    assert status == {"Thôn Chưa": "none", "Thôn NTS": "nts", "Thôn TS": "nts"}
    later = layers.village_points(as_of=date(2024, 12, 31), unit_id=unit.pk)
    assert {f["properties"]["survey_status"] for f in later["features"]} == {"none", "nts", "ts"}


def test_a_hazard_across_a_district_boundary_is_cut_at_the_boundary():
    vinh_linh = AdminUnit.objects.get(boundary_set="2019", code="464")
    gio_linh = AdminUnit.objects.get(boundary_set="2019", code="466")
    shared = shape(json.loads(vinh_linh.geometry.boundary.intersection(gio_linh.geometry).json))
    crossing = shared.interpolate(0.5, normalized=True)
    cha = square(crossing.x, crossing.y, 0.01)
    factories.hazard(cha)

    drawn = layers.release_layers(as_of=date(2023, 12, 31), unit_id=vinh_linh.pk, detail=EXACT)

    vinh_linh_shape = shape(json.loads(vinh_linh.geometry.json))
    expected = geodesic_area_ha(cha.intersection(vinh_linh_shape))
    assert 0 < expected < geodesic_area_ha(cha)
    assert layer_ha(drawn.remaining_cha) == pytest.approx(expected, rel=1e-3)
