"""Irregular polygons of a chosen geodesic area, cuts through them, and a packing index.

Hazard outlines drawn in the field are irregular: survey teams walk around evidence points. A
star-shaped ring (vertices at sorted angles around a centre, radii varying smoothly) stretched and
rotated is always a simple, valid polygon and looks like one.
"""

import math
from collections import defaultdict

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from app.demo.province import offset_lonlat
from gis.areas import SQUARE_METRES_PER_HECTARE, WGS84


def irregular_polygon(
    rng: np.random.Generator, *, lon: float, lat: float, area_ha: float
) -> Polygon:
    """An irregular polygon centred near (lon, lat) whose geodesic area is area_ha (±0.01%)."""
    vertex_count = int(rng.integers(9, 18))
    # Evenly spread angles with jitter: every gap stays well under half a turn, which keeps the
    # ring wound once around its centre (sorted uniform angles can leave a gap past pi and cross).
    step = 2.0 * math.pi / vertex_count
    angles = (np.arange(vertex_count) + rng.uniform(-0.35, 0.35, vertex_count)) * step
    # Smooth the radii with their neighbours so the outline wobbles rather than spikes.
    noise = rng.normal(0.0, 0.35, vertex_count)
    radii = np.exp((noise + np.roll(noise, 1) + np.roll(noise, -1)) / 3.0 + noise * 0.4)
    elongation = rng.uniform(1.0, 2.2)
    bearing = rng.uniform(0.0, math.pi)
    x = radii * np.cos(angles) * elongation
    y = radii * np.sin(angles) / elongation
    east = x * math.cos(bearing) - y * math.sin(bearing)
    north = x * math.sin(bearing) + y * math.cos(bearing)
    # Shoelace area of the unit ring, then one geodesic correction: at a few km the ellipsoidal
    # area scales with the square of the size to far better than 0.01%.
    unit_area_m2 = 0.5 * abs(np.dot(east, np.roll(north, -1)) - np.dot(north, np.roll(east, -1)))
    scale = math.sqrt(area_ha * SQUARE_METRES_PER_HECTARE / unit_area_m2)
    lons, lats = offset_lonlat(lon, lat, east * scale, north * scale)
    area_m2, _perimeter = WGS84.polygon_area_perimeter(lons, lats)
    scale *= math.sqrt(area_ha * SQUARE_METRES_PER_HECTARE / abs(area_m2))
    lons, lats = offset_lonlat(lon, lat, east * scale, north * scale)
    return Polygon(np.column_stack([lons, lats]))


def _band(geometry: BaseGeometry, bearing: float, low: float, high: float) -> Polygon:
    """The band of the plane between two parallel lines across geometry, in its own degrees.

    low and high are positions along the bearing, in units of the geometry's extent along it
    (0 = its first vertex, 1 = its last); values beyond [0, 1] reach past it.
    """
    coords = shapely.get_coordinates(geometry)
    direction = np.array([math.cos(bearing), math.sin(bearing)])
    across = np.array([-direction[1], direction[0]])
    along = coords @ direction
    start, extent = along.min(), along.max() - along.min()
    reach = 2.0 * (np.abs(coords @ across).max() + extent + 1.0)
    a, b = start + low * extent, start + high * extent
    corners = [
        direction * a - across * reach,
        direction * b - across * reach,
        direction * b + across * reach,
        direction * a + across * reach,
    ]
    return Polygon(corners)


def polygonal(geometry: BaseGeometry) -> MultiPolygon | None:
    """The polygonal part of an overlay result as a MultiPolygon (None if it has no area)."""
    parts = [
        part
        for part in shapely.get_parts(geometry)
        if isinstance(part, Polygon) and not part.is_empty and part.area > 0
    ]
    return MultiPolygon(parts) if parts else None


def split_into_strips(
    geometry: BaseGeometry, *, bearing: float, cuts: list[float]
) -> list[MultiPolygon]:
    """Cut geometry into strips at the given fractions of its extent along bearing.

    The strips share their cut lines exactly, so they do not overlap and their union is the input.
    """
    edges = [-1.0, *sorted(cuts), 2.0]
    strips = []
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        piece = polygonal(shapely.intersection(geometry, _band(geometry, bearing, low, high)))
        if piece is not None:
            strips.append(piece)
    return strips


def part_of(
    geometry: BaseGeometry, *, bearing: float, low: float, high: float
) -> MultiPolygon | None:
    """The part of geometry between two fractions of its extent along bearing (None if empty)."""
    return polygonal(shapely.intersection(geometry, _band(geometry, bearing, low, high)))


class PackingIndex:
    """Polygons placed so far, bucketed by grid cell, to reject a candidate that overlaps one."""

    def __init__(self, cell_degrees: float = 0.02) -> None:
        self._cell = cell_degrees
        self._cells: dict[tuple[int, int], list[BaseGeometry]] = defaultdict(list)

    def _keys(self, geometry: BaseGeometry):
        minx, miny, maxx, maxy = geometry.bounds
        for i in range(math.floor(minx / self._cell), math.floor(maxx / self._cell) + 1):
            for j in range(math.floor(miny / self._cell), math.floor(maxy / self._cell) + 1):
                yield i, j

    def overlaps(self, geometry: BaseGeometry) -> bool:
        seen: set[int] = set()
        for key in self._keys(geometry):
            for placed in self._cells.get(key, ()):
                if id(placed) in seen:
                    continue
                seen.add(id(placed))
                if shapely.intersects(placed, geometry):
                    return True
        return False

    def add(self, geometry: BaseGeometry) -> None:
        shapely.prepare(geometry)
        for key in self._keys(geometry):
            self._cells[key].append(geometry)
