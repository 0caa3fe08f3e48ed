import pytest
from pyproj import Geod
from shapely.geometry import MultiPolygon, Point, Polygon

from gis.areas import geodesic_area_ha

GEOD = Geod(ellps="WGS84")
# About 1 km x 1 km near Khe Sanh.
SQUARE = Polygon([(106.73, 16.63), (106.7394, 16.63), (106.7394, 16.639), (106.73, 16.639)])


def oracle_ha(ring):
    lons, lats = zip(*ring, strict=True)
    area, _ = GEOD.polygon_area_perimeter(lons, lats)
    return abs(area) / 10_000


def test_square_matches_the_polygon_oracle():
    assert geodesic_area_ha(SQUARE) == pytest.approx(oracle_ha(SQUARE.exterior.coords), rel=1e-9)
    assert 90 < geodesic_area_ha(SQUARE) < 110


def test_ring_orientation_does_not_change_the_area():
    reversed_square = Polygon(list(SQUARE.exterior.coords)[::-1])
    assert geodesic_area_ha(reversed_square) == pytest.approx(geodesic_area_ha(SQUARE))


def test_a_hole_is_subtracted():
    hole = [(106.732, 16.632), (106.734, 16.632), (106.734, 16.634), (106.732, 16.634)]
    with_hole = Polygon(SQUARE.exterior.coords, [hole])
    expected = oracle_ha(SQUARE.exterior.coords) - oracle_ha(hole)
    assert geodesic_area_ha(with_hole) == pytest.approx(expected, rel=1e-9)


def test_multipolygon_parts_add_up():
    other = Polygon([(107.0, 16.8), (107.01, 16.8), (107.01, 16.81), (107.0, 16.81)])
    expected = oracle_ha(SQUARE.exterior.coords) + oracle_ha(other.exterior.coords)
    assert geodesic_area_ha(MultiPolygon([SQUARE, other])) == pytest.approx(expected, rel=1e-9)


def test_points_and_empty_geometries_have_no_area():
    assert geodesic_area_ha(Point(106.7, 16.6)) == 0
    assert geodesic_area_ha(Polygon()) == 0
