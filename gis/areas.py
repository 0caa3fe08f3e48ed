"""Geodesic areas on the WGS 84 ellipsoid, the one Python definition of a hectare here.

The SQL twin is ``app.accounting.sql.HECTARES`` (``ST_Area(geom::geography, true) / 10000``);
``tests/accounting/test_hectares_agree.py`` checks the two agree within 0.01%.
"""

import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

WGS84 = Geod(ellps="WGS84")
SQUARE_METRES_PER_HECTARE = 10_000.0


def geodesic_area_ha(geometry: BaseGeometry) -> float:
    """Area of a lon/lat (EPSG:4326) polygon or multipolygon in hectares, on the WGS 84 ellipsoid.

    Holes are subtracted whatever the winding of the rings: pyproj sums signed ring areas, so a
    hole wound like its shell (common in files written by others) would be added. Rings are
    therefore oriented first (shells counter-clockwise, holes clockwise). Points and lines have
    area 0. The input must be in degrees, lon first: a projected geometry gives a meaningless
    result, so reproject first.
    """
    if geometry.is_empty:
        return 0.0
    area_m2, _perimeter = WGS84.geometry_area_perimeter(shapely.orient_polygons(geometry))
    return abs(area_m2) / SQUARE_METRES_PER_HECTARE
