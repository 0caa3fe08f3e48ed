"""Per-feature geometry checks before anything is stored: accept, repair (and say so) or reject.

Hazard and release areas must be polygons (kept whole as multipolygons), spot tasks and villages
points. Z and M values are dropped with a note. An invalid polygon is repaired with
``shapely.make_valid`` only when the result is still polygonal and its geodesic area differs by
less than 1%; otherwise it is rejected, because a repair that moves area moves hectares in every
report. The flags (fewer than 3 distinct vertices, vertices more than 5 km apart, overlapping
parts, the same geometry twice in a file) are the checks GICHD's geocheck runs before an IMSMA
data migration; they warn, they do not reject. A feature of more vertices than the caller allows
is rejected before any of that work: one of 1,000,000 vertices made a 24.8 MB record.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import MultiPoint, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from gis.areas import geodesic_area_ha
from gis.messages import Number, Text

MAX_REPAIR_AREA_CHANGE = 0.01
MAX_VERTEX_GAP_M = 5_000.0
WGS84 = Geod(ellps="WGS84")


class TargetGeometry(StrEnum):
    POLYGON = "polygon"
    POINT = "point"


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    REPAIRED = "repaired"
    REJECTED = "rejected"


@dataclass(frozen=True)
class FeatureCheck:
    """What happened to one feature. ``number`` counts from 1 in file order; ``geometry`` is the
    2D geometry to store (a MultiPolygon or a Point), None when rejected. ``notes`` says why it
    was rejected or what was repaired or dropped; ``flags`` are warnings for a person to look at."""

    number: int
    reference: str | None
    outcome: Outcome
    geometry: BaseGeometry | None
    notes: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ValidationResult:
    checks: tuple[FeatureCheck, ...]

    @property
    def accepted(self) -> tuple[FeatureCheck, ...]:
        return tuple(c for c in self.checks if c.outcome is not Outcome.REJECTED)

    @property
    def repaired(self) -> tuple[FeatureCheck, ...]:
        return tuple(c for c in self.checks if c.outcome is Outcome.REPAIRED)

    @property
    def rejected(self) -> tuple[FeatureCheck, ...]:
        return tuple(c for c in self.checks if c.outcome is Outcome.REJECTED)

    @property
    def flagged(self) -> tuple[FeatureCheck, ...]:
        return tuple(c for c in self.checks if c.flags)


def validate_geometries(
    geometries: Sequence[BaseGeometry | None],
    *,
    target: TargetGeometry,
    references: Sequence[str | None] | None = None,
    read_notes: Mapping[int, str] | None = None,
    max_vertices: int | None = None,
) -> ValidationResult:
    """Check every geometry (EPSG:4326, lon/lat) for ``target``.

    ``references`` (same order) only label the report. ``read_notes`` carries, by index, why the
    reader could not parse a geometry (see ``gis.reading.LayerRead.feature_notes``). A geometry
    of more than ``max_vertices`` coordinates (every ring's closing one included, as stored) is
    rejected; None: no limit.
    """
    read_notes = read_notes or {}
    array = np.empty(len(geometries), dtype=object)
    array[:] = list(geometries)
    vertices = shapely.get_num_coordinates(array)
    too_many = (
        vertices > max_vertices if max_vertices is not None else np.zeros(len(array), dtype=bool)
    )
    # Only the features kept are measured: the vertex gaps of a rejected one would cost the most.
    longest_segments_m = _longest_segments_m(np.where(too_many, None, array))
    checks = []
    for index, geometry in enumerate(geometries):
        reference = references[index] if references is not None else None
        if too_many[index]:
            check = _rejected(
                Text(
                    "too_many_vertices",
                    count=Number(int(vertices[index])),
                    limit=Number(max_vertices),
                )
            )
        else:
            check = _check_one(
                geometry,
                target=target,
                read_note=read_notes.get(index),
                longest_segment_m=longest_segments_m[index],
            )
        checks.append(
            FeatureCheck(
                number=index + 1,
                reference=reference,
                outcome=check.outcome,
                geometry=check.geometry,
                notes=check.notes,
                flags=check.flags,
            )
        )
    return ValidationResult(checks=_flag_duplicates(checks))


@dataclass(frozen=True)
class _Checked:
    outcome: Outcome
    geometry: BaseGeometry | None
    notes: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()


def _rejected(*reasons: str, flags: tuple[str, ...] = ()) -> _Checked:
    return _Checked(outcome=Outcome.REJECTED, geometry=None, notes=reasons, flags=flags)


def _check_one(
    geometry: BaseGeometry | None,
    *,
    target: TargetGeometry,
    read_note: str | None,
    longest_segment_m: float,
) -> _Checked:
    if geometry is None:
        return _rejected(read_note or Text("no_geometry"))
    if geometry.is_empty:
        return _rejected(Text("empty_geometry"))
    notes: list[str] = []
    if read_note:
        notes.append(read_note)
    if shapely.has_z(geometry):
        geometry = shapely.force_2d(geometry)
        notes.append(Text("z_dropped"))
    if target is TargetGeometry.POINT:
        return _check_point(geometry, notes)
    return _check_polygon(geometry, notes, longest_segment_m=longest_segment_m)


def _check_point(geometry: BaseGeometry, notes: list[str]) -> _Checked:
    if isinstance(geometry, MultiPoint) and len(geometry.geoms) == 1:
        geometry = geometry.geoms[0]
        notes.append(Text("multipoint_as_point"))
    if not isinstance(geometry, Point):
        return _rejected(Text("point_required", type=geometry.geom_type))
    return _Checked(outcome=Outcome.ACCEPTED, geometry=geometry, notes=tuple(notes))


def _check_polygon(
    geometry: BaseGeometry, notes: list[str], *, longest_segment_m: float
) -> _Checked:
    if geometry.geom_type == "GeometryCollection":
        kinds = sorted({part.geom_type for part in geometry.geoms})
        if set(kinds) - {"Polygon", "MultiPolygon"}:
            return _rejected(Text("collection_mixed", types=", ".join(kinds)))
        geometry = MultiPolygon(
            [poly for part in geometry.geoms for poly in getattr(part, "geoms", [part])]
        )
        notes.append(Text("collection_as_multipolygon"))
    if not isinstance(geometry, Polygon | MultiPolygon):
        return _rejected(Text("polygon_required", type=geometry.geom_type))
    flags = list(_polygon_flags(geometry, longest_segment_m=longest_segment_m))
    outcome = Outcome.ACCEPTED
    if not geometry.is_valid:
        reason = shapely.is_valid_reason(geometry)
        # "structure" unions overlapping parts and drops collapsed lines, so a polygon stays
        # polygonal; "linework" would return a collection of polygons and stray lines.
        repaired = shapely.make_valid(geometry, method="structure", keep_collapsed=False)
        if not isinstance(repaired, Polygon | MultiPolygon):
            return _rejected(
                Text("repair_not_polygon", reason=reason, type=repaired.geom_type),
                flags=tuple(flags),
            )
        before_ha = geodesic_area_ha(geometry)
        after_ha = geodesic_area_ha(repaired)
        change = abs(after_ha - before_ha) / before_ha if before_ha > 0 else float("inf")
        if change >= MAX_REPAIR_AREA_CHANGE:
            return _rejected(
                Text(
                    "repair_moves_area",
                    reason=reason,
                    before=Number(before_ha, 4),
                    after=Number(after_ha, 4),
                ),
                flags=tuple(flags),
            )
        notes.append(
            Text(
                "repaired",
                reason=reason,
                before=Number(before_ha, 4),
                after=Number(after_ha, 4),
                change=Number(change * 100, 3, percent=True),
            )
        )
        geometry = repaired
        outcome = Outcome.REPAIRED
    if isinstance(geometry, Polygon):
        geometry = MultiPolygon([geometry])
    return _Checked(outcome=outcome, geometry=geometry, notes=tuple(notes), flags=tuple(flags))


def _polygon_flags(geometry: Polygon | MultiPolygon, *, longest_segment_m: float):
    if longest_segment_m > MAX_VERTEX_GAP_M:
        yield Text("vertex_gap", km=Number(longest_segment_m / 1000, 1))
    # A ring of fewer than 3 distinct vertices, or overlapping parts, make a polygon invalid:
    # only invalid ones need the slower look.
    if geometry.is_valid:
        return
    parts = list(geometry.geoms) if isinstance(geometry, MultiPolygon) else [geometry]
    for part in parts:
        distinct = len(set(part.exterior.coords))
        if distinct < 3:
            yield Text("few_vertices", count=distinct)
            break
    if len(parts) > 1:
        overlap_ha = _overlap_between_parts_ha(parts)
        if overlap_ha > 0:
            yield Text("parts_overlap", ha=Number(overlap_ha, 4))


def _longest_segments_m(geometries: Sequence[BaseGeometry | None]) -> np.ndarray:
    """The longest geodesic distance between consecutive vertices of any polygon ring, per
    geometry (0 for points and nulls), for all geometries at once: one Python loop per feature
    was most of the time of a 100,000-feature check."""
    array = np.empty(len(geometries), dtype=object)
    array[:] = list(geometries)
    longest = np.zeros(len(array))
    parts, part_owner = shapely.get_parts(array, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coordinates, ring_of_vertex = shapely.get_coordinates(rings, return_index=True)
    if len(coordinates) < 2:
        return longest
    same_ring = ring_of_vertex[1:] == ring_of_vertex[:-1]
    start, end = coordinates[:-1][same_ring], coordinates[1:][same_ring]
    _az, _back, lengths_m = WGS84.inv(start[:, 0], start[:, 1], end[:, 0], end[:, 1])
    owner = part_owner[ring_part[ring_of_vertex[:-1][same_ring]]]
    np.maximum.at(longest, owner, lengths_m)
    return longest


def _overlap_between_parts_ha(parts: list[Polygon]) -> float:
    tree = shapely.STRtree(parts)
    overlap_ha = 0.0
    for index, part in enumerate(parts):
        for other in tree.query(part, predicate="intersects"):
            if other > index:
                shared = shapely.intersection(
                    shapely.make_valid(part), shapely.make_valid(parts[other])
                )
                overlap_ha += sum(
                    geodesic_area_ha(piece)
                    for piece in shapely.get_parts(shared)
                    if isinstance(piece, Polygon | MultiPolygon)
                )
    return overlap_ha


def _flag_duplicates(checks: list[FeatureCheck]) -> tuple[FeatureCheck, ...]:
    """Flag a geometry that repeats an earlier one in the same file (drawn or exported twice),
    whatever its vertex order or starting point."""
    geometries = np.empty(len(checks), dtype=object)
    geometries[:] = [check.geometry for check in checks]
    keys = shapely.to_wkb(shapely.normalize(geometries))
    first_seen: dict[bytes, int] = {}
    flagged = []
    for check, key in zip(checks, keys, strict=True):
        if check.geometry is None:
            flagged.append(check)
            continue
        if key in first_seen:
            check = FeatureCheck(
                number=check.number,
                reference=check.reference,
                outcome=check.outcome,
                geometry=check.geometry,
                notes=check.notes,
                flags=(*check.flags, Text("same_geometry", feature=first_seen[key])),
            )
        else:
            first_seen[key] = check.number
        flagged.append(check)
    return tuple(flagged)
