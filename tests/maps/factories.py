"""Geometry for the map tests; rows come from the shared tests/factories.py."""

from shapely import box
from shapely.geometry.base import BaseGeometry

from tests.factories import hazard, organisation, release, village

__all__ = ["INSIDE_465", "hazard", "organisation", "release", "square", "village"]

# Well inside Hướng Hóa (code 465), far from any district boundary.
INSIDE_465 = (106.68, 16.70)


def square(lon: float, lat: float, half_side_deg: float) -> BaseGeometry:
    return box(lon - half_side_deg, lat - half_side_deg, lon + half_side_deg, lat + half_side_deg)
