"""Hand-built test geometry in lon/lat, placed with shapely against the bundled boundaries.

Expected hectares are computed from these shapes with gis.areas.geodesic_area_ha (pyproj.Geod),
independently of the SQL under test.
"""

import json
from functools import cache

from shapely import box
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from app.registry.services.admin_units import BOUNDARIES_DIR
from gis.areas import geodesic_area_ha

# Well inside Hướng Hóa (465), far from any district boundary.
HUONG_HOA_LON, HUONG_HOA_LAT = 106.68, 16.70


@cache
def district(code: str) -> BaseGeometry:
    collection = json.loads((BOUNDARIES_DIR / "quangtri_districts.geojson").read_text())
    feature = next(f for f in collection["features"] if f["properties"]["code"] == code)
    return shape(feature["geometry"])


@cache
def commune(code: str) -> BaseGeometry:
    collection = json.loads((BOUNDARIES_DIR / "quangtri_2025_communes.geojson").read_text())
    feature = next(f for f in collection["features"] if f["properties"]["code"] == code)
    return shape(feature["geometry"])


def inside(code: str, half_side_deg: float):
    """A square well inside a district (its representative point, 2 km from any edge)."""
    point = district(code).buffer(-0.02).representative_point()
    return square(point.x, point.y, half_side_deg)


def in_the_former_province_outside_the_2025_outline() -> tuple[float, float]:
    """A point of Đa Krông (2019) at least ~100 m inside the strip the 2025 outline leaves out."""
    collection = json.loads((BOUNDARIES_DIR / "quangtri_2025_province.geojson").read_text())
    merged = shape(collection["features"][0]["geometry"])
    strip = district("467").difference(merged).buffer(-0.001)
    largest = max(getattr(strip, "geoms", [strip]), key=lambda part: part.area)
    point = largest.representative_point()
    return point.x, point.y


def square(lon: float, lat: float, half_side_deg: float = 0.005) -> BaseGeometry:
    """A lon/lat square of about 1.1 km per 0.01° side at this latitude (~110 ha)."""
    return box(lon - half_side_deg, lat - half_side_deg, lon + half_side_deg, lat + half_side_deg)


def on_vinh_linh_gio_linh_boundary() -> tuple[float, float]:
    """A point on the boundary shared by Vĩnh Linh (464) and Gio Linh (466)."""
    shared = district("464").boundary.intersection(district("466").boundary)
    point = shared.interpolate(0.5, normalized=True)
    return point.x, point.y


def ha(geometry: BaseGeometry) -> float:
    return geodesic_area_ha(geometry)


def on_a_shared_commune_boundary() -> tuple[str, str, float, float]:
    """Two 2025 communes and a point on the boundary they share (the longest such boundary
    among the communes of the former province's Hướng Hóa area, found with shapely)."""
    collection = json.loads((BOUNDARIES_DIR / "quangtri_2025_communes.geojson").read_text())
    near = district("465")
    communes = [
        (f["properties"]["code"], shape(f["geometry"]))
        for f in collection["features"]
        if shape(f["geometry"]).intersects(near)
    ]
    best = None
    for index, (code, geometry) in enumerate(communes):
        for other_code, other in communes[index + 1 :]:
            shared = geometry.boundary.intersection(other.boundary)
            if best is None or shared.length > best[2].length:
                best = (code, other_code, shared)
    code, other_code, shared = best
    point = shared.interpolate(0.5, normalized=True)
    return code, other_code, point.x, point.y
