"""The vector tiles at /tiles/<layer>/<z>/<x>/<y>.mvt, read back by GDAL's MVT driver: what each
layer draws and where, who may see them (the lists' rules), and their checks."""

import math
from datetime import date

import pytest
from django.test import Client
from pyproj import Geod
from shapely import box

from app.maps import tiles
from app.maps.tiles import EXTENT, GRID_UNITS
from tests import factories

from .factories import INSIDE_465, square
from .mvt import OGR2OGR, decoded_features, tile_of

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(OGR2OGR is None, reason="needs ogr2ogr (apt-get install gdal-bin)"),
]

LON, LAT = INSIDE_465
Z = 13
X, Y = tile_of(LON, LAT, Z)
GEOD = Geod(ellps="WGS84")


def tile_url(layer: str, query: str = "year=2023", *, z=Z, x=X, y=Y) -> str:
    return f"/tiles/{layer}/{z}/{x}/{y}.mvt?{query}"


def features(client, layer: str, tmp_path, query: str = "year=2023") -> list[dict]:
    response = client.get(tile_url(layer, query))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    return decoded_features(response.content, layer=layer, z=Z, x=X, y=Y, folder=tmp_path)


def signed_in(role: str, **profile) -> Client:
    client = Client()
    client.force_login(factories.user(role, **profile))
    return client


@pytest.fixture
def cha_half_released():
    """A CHA square (0.004° a side) whose west half is cleared and whose whole is reduced."""
    factories.hazard(square(LON, LAT, 0.002))
    factories.release(box(LON - 0.002, LAT - 0.002, LON, LAT + 0.002), method="cleared")
    factories.release(square(LON, LAT, 0.002), method="reduced")


def test_released_land_is_split_by_method_with_cleared_first(client, tmp_path, cha_half_released):
    by_method = {
        f["properties"]["method"]: f["geometry"] for f in features(client, "released", tmp_path)
    }

    assert set(by_method) == {"cleared", "reduced"}
    cleared, reduced = by_method["cleared"], by_method["reduced"]
    west = box(LON - 0.002, LAT - 0.002, LON, LAT + 0.002)
    east = box(LON, LAT - 0.002, LON + 0.002, LAT + 0.002)
    # Within a pixel of the tile (about 19 m at zoom 13, 0.00017°) of where they should be.
    assert cleared.symmetric_difference(west).area < 0.05 * west.area
    assert reduced.symmetric_difference(east).area < 0.05 * east.area


def test_remaining_cha_is_the_cha_less_every_release_by_the_year(client, tmp_path):
    factories.hazard(square(LON, LAT, 0.002))
    factories.release(
        box(LON - 0.002, LAT - 0.002, LON, LAT + 0.002), completed_on=date(2023, 5, 1)
    )
    factories.release(box(LON, LAT - 0.002, LON + 0.002, LAT), completed_on=date(2024, 5, 1))

    remaining_2023 = features(client, "remaining-cha", tmp_path, "year=2023")
    remaining_2024 = features(client, "remaining-cha", tmp_path, "year=2024")

    assert len(remaining_2023) == 1
    east = box(LON, LAT - 0.002, LON + 0.002, LAT + 0.002)
    assert remaining_2023[0]["geometry"].symmetric_difference(east).area < 0.05 * east.area
    north_east = box(LON, LAT, LON + 0.002, LAT + 0.002)
    assert (
        remaining_2024[0]["geometry"].symmetric_difference(north_east).area < 0.05 * north_east.area
    )


def geodesic_ha_and_perimeter_m(geometry) -> tuple[float, float]:
    area_m2, perimeter_m = GEOD.geometry_area_perimeter(geometry)
    return abs(area_m2) / 10_000, perimeter_m


def quantisation_ha(perimeter_m: float) -> float:
    """What the tile's grid (GRID_UNITS of its EXTENT units) can move an outline of this
    length by: every vertex within a grid step of where it was."""
    step_m = 40_075_016.686 / 2**Z * GRID_UNITS / EXTENT * math.cos(math.radians(LAT))
    return perimeter_m * step_m / 10_000


# A statement failing in GEOS as a floating overlay may on dense releases.
GEOS_FAILURE = (
    "SELECT ST_Intersection('GEOMETRYCOLLECTION(POLYGON((0 0,1 0,1 1,0 0)),LINESTRING(0 0,2 2))'"
    "::geometry, 'POLYGON((0 0,1 0,1 1,0 0))'::geometry, 0.1)"
)


@pytest.fixture(params=["floating", "on the grid after a GEOS failure"])
def overlays(request, monkeypatch):
    """The dissolved layers as built (floating overlays), or again on the tile's grid when the
    floating overlays fail."""
    if request.param != "floating":
        for layer, (_floating, on_grid) in list(tiles._DISSOLVED_SQL.items()):
            monkeypatch.setitem(tiles._DISSOLVED_SQL, layer, (GEOS_FAILURE, on_grid))


def test_overlapping_chas_count_once_in_remaining_and_released_land(client, tmp_path, overlays):
    west_cha, east_cha = square(LON - 0.001, LAT, 0.002), square(LON + 0.001, LAT, 0.002)
    factories.hazard(west_cha)
    factories.hazard(east_cha)
    # A cleared strip across both CHAs' overlap, reaching beyond them to the north and south.
    strip = box(LON - 0.0005, LAT - 0.003, LON + 0.0005, LAT + 0.003)
    factories.release(strip, method="cleared", completed_on=date(2023, 5, 1))
    cha_land = west_cha.union(east_cha)
    expected_remaining_ha, remaining_perimeter_m = geodesic_ha_and_perimeter_m(
        cha_land.difference(strip)
    )
    expected_released_ha, released_perimeter_m = geodesic_ha_and_perimeter_m(
        cha_land.intersection(strip)
    )

    remaining = features(client, "remaining-cha", tmp_path)
    released = features(client, "released", tmp_path)

    remaining_ha = sum(geodesic_ha_and_perimeter_m(f["geometry"])[0] for f in remaining)
    released_ha = sum(geodesic_ha_and_perimeter_m(f["geometry"])[0] for f in released)
    assert {f["properties"]["method"] for f in released} == {"cleared"}
    # Counted twice, the overlap (0.002° by 0.004°, 9.4 ha, half of it in the strip) would add
    # 4.7 ha to each; the grid allows about 1.3 ha and 0.5 ha.
    assert remaining_ha == pytest.approx(
        expected_remaining_ha, abs=quantisation_ha(remaining_perimeter_m)
    )
    assert released_ha == pytest.approx(
        expected_released_ha, abs=quantisation_ha(released_perimeter_m)
    )


def test_the_record_layers_carry_what_the_popups_show(client, tmp_path):
    shape = square(LON, LAT, 0.002)
    hazard = factories.hazard(shape, org="npa")
    release = factories.release(shape, method="cleared", completed_on=date(2023, 5, 1))
    factories.release(shape, completed_on=date(2024, 5, 1))  # after the year: not drawn
    expected_ha = abs(GEOD.geometry_area_perimeter(shape)[0]) / 10_000

    (hazard_feature,) = features(client, "hazards", tmp_path)
    (release_feature,) = features(client, "releases", tmp_path)

    assert hazard_feature["properties"]["reference"] == hazard.reference
    assert hazard_feature["properties"]["kind"] == "CHA"
    assert hazard_feature["properties"]["organisation"] == "npa"
    assert hazard_feature["properties"]["status"] == "approved"
    assert hazard_feature["properties"]["area_ha"] == pytest.approx(expected_ha, abs=0.01)
    assert release_feature["properties"]["reference"] == release.reference
    assert release_feature["properties"]["method"] == "cleared"
    assert release_feature["properties"]["completed_on"] == "2023-05-01"
    assert release_feature["geometry"].symmetric_difference(shape).area < 0.05 * shape.area


@pytest.fixture
def two_organisations_pending():
    """Approved and submitted releases of two organisations, side by side."""
    factories.release(square(LON - 0.001, LAT, 0.0004), org="npa")
    factories.release(square(LON + 0.001, LAT, 0.0004), org="npa", status="submitted")
    factories.release(square(LON, LAT + 0.001, 0.0004), org="mag", status="submitted")


def organisations_drawn(client, tmp_path, query) -> list[tuple[str, str]]:
    return sorted(
        (f["properties"]["organisation"], f["properties"]["status"])
        for f in features(client, "releases", tmp_path, query)
    )


def test_a_coordinator_sees_their_organisations_pending_work_only(
    tmp_path, two_organisations_pending
):
    coordinator = signed_in("field_coordinator", org="npa")

    assert organisations_drawn(coordinator, tmp_path, "year=2023") == [("npa", "approved")]
    assert organisations_drawn(coordinator, tmp_path, "year=2023&include=submitted") == [
        ("npa", "approved"),
        ("npa", "submitted"),
    ]


def test_an_analyst_sees_every_organisations_pending_work(
    client, tmp_path, two_organisations_pending
):
    assert organisations_drawn(client, tmp_path, "year=2023&include=submitted") == [
        ("mag", "submitted"),
        ("npa", "approved"),
        ("npa", "submitted"),
    ]


def test_cached_tiles_are_kept_per_scope(tmp_path, two_organisations_pending):
    """The analyst's tile with everyone's pending work is cached; the coordinator's is not it."""
    analyst, coordinator = signed_in("analyst"), signed_in("field_coordinator", org="mag")

    organisations_drawn(analyst, tmp_path, "year=2023&include=submitted")
    assert organisations_drawn(coordinator, tmp_path, "year=2023&include=submitted") == [
        ("mag", "submitted"),
        ("npa", "approved"),
    ]


@pytest.mark.parametrize("layer", ["remaining-cha", "released", "hazards", "releases"])
def test_aggregates_only_users_and_visitors_get_no_tiles(layer, anonymous_client):
    aggregates_only = signed_in("planner", aggregates_only=True)

    for client in (aggregates_only, anonymous_client):
        response = client.get(tile_url(layer))
        assert response.status_code == 403
        assert "error" in response.json()
    assert "aggregates only" in aggregates_only.get(tile_url(layer)).json()["error"]


def test_a_planner_is_refused_pending_work():
    response = signed_in("planner").get(tile_url("released", "year=2023&include=submitted"))

    assert response.status_code == 403
    assert "include=submitted is for analysts and field coordinators" in response.json()["error"]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/tiles/hazards/5/25/14.mvt", "zoom must be between 6 and 18, not 5"),
        ("/tiles/released/19/0/0.mvt", "zoom must be between 10 and 18, not 19"),
        # The dissolved layers start at 10, under the province map's choropleth.
        ("/tiles/released/9/408/231.mvt", "zoom must be between 10 and 18, not 9"),
        ("/tiles/remaining-cha/8/204/115.mvt", "zoom must be between 10 and 18, not 8"),
        ("/tiles/released/10/1024/0.mvt", "x must be between 0 and 1023 at zoom 10, not 1024"),
        ("/tiles/released/10/0/-1.mvt", "y must be a whole number, not '-1'"),
        ("/tiles/released/10/0/0.mvt?year=1900", "year must be a year between 1975 and 2100"),
        ("/tiles/released/10/0/0.mvt?include=drafts", "include must be submitted"),
    ],
)
def test_bad_tile_addresses_and_parameters_are_400s_that_say_what_to_fix(client, path, message):
    response = client.get(path)

    assert response.status_code == 400
    assert message in response.json()["error"]


def test_an_unknown_layer_is_a_404_naming_the_layers(client):
    response = client.get("/tiles/villages/10/0/0.mvt")

    assert response.status_code == 404
    assert "remaining-cha, released, hazards, releases" in response.json()["error"]


def test_tiles_are_not_stored_by_browsers_or_proxies(client):
    response = client.get(tile_url("hazards"))

    assert response["Cache-Control"] == "no-store"
