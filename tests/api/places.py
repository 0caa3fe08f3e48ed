"""Test shapes placed with shapely against the bundled boundary files, not the database.

Expected hectares are computed from these shapes with gis.areas.geodesic_area_ha (pyproj.Geod),
independently of the SQL under test.
"""

import json
from functools import cache

from shapely import box
from shapely.geometry import Polygon, shape

from app.registry.services.admin_units import BOUNDARIES_DIR


@cache
def unit_shapes(filename: str) -> dict:
    collection = json.loads((BOUNDARIES_DIR / filename).read_text())
    return {f["properties"]["code"]: shape(f["geometry"]) for f in collection["features"]}


def district(code: str):
    return unit_shapes("quangtri_districts.geojson")[code]


def square_inside_district(code: str, *, side_deg: float = 0.02) -> Polygon:
    """A square well inside a 2019 district: centred on a point of the district eroded by more
    than its half-diagonal, so it touches no other district."""
    centre = district(code).buffer(-(side_deg + 0.01)).representative_point()
    half = side_deg / 2
    return box(centre.x - half, centre.y - half, centre.x + half, centre.y + half)


def square_across_border(code: str, neighbour_code: str, *, side_deg: float = 0.01) -> Polygon:
    """A square centred on the middle of the border two 2019 districts share."""
    border = district(code).intersection(district(neighbour_code))
    centre = max(getattr(border, "geoms", [border]), key=lambda line: line.length).interpolate(
        0.5, normalized=True
    )
    half = side_deg / 2
    return box(centre.x - half, centre.y - half, centre.x + half, centre.y + half)


def commune_containing(geometry) -> str:
    """Code of the 2025 commune that contains a shape."""
    communes = unit_shapes("quangtri_2025_communes.geojson")
    return next(code for code, commune in communes.items() if commune.contains(geometry))
