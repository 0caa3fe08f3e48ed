"""Per-feature geometry checks: accepted, repaired (with the area change said) or rejected."""

import pytest
from shapely.geometry import (
    GeometryCollection,
    LineString,
    MultiPoint,
    MultiPolygon,
    Point,
    Polygon,
    box,
)

from gis.areas import geodesic_area_ha
from gis.validation import Outcome, TargetGeometry, validate_geometries

FIELD = box(107.000, 16.800, 107.010, 16.808)


def check_polygons(*geometries, **options):
    return validate_geometries(list(geometries), target=TargetGeometry.POLYGON, **options)


def test_a_valid_polygon_is_accepted_as_a_multipolygon():
    (check,) = check_polygons(FIELD).checks

    assert check.outcome is Outcome.ACCEPTED
    assert isinstance(check.geometry, MultiPolygon)
    assert geodesic_area_ha(check.geometry) == pytest.approx(geodesic_area_ha(FIELD), rel=1e-12)


def test_a_multipolygon_is_kept_whole():
    field = MultiPolygon([FIELD, box(107.02, 16.80, 107.03, 16.81)])

    (check,) = check_polygons(field).checks

    assert check.outcome is Outcome.ACCEPTED
    assert len(check.geometry.geoms) == 2


def test_null_and_empty_geometries_are_rejected_with_the_feature_number():
    result = check_polygons(FIELD, None, Polygon(), references=["A", "B", "C"])

    assert [(c.number, c.reference, c.notes) for c in result.rejected] == [
        (2, "B", ("no geometry (null)",)),
        (3, "C", ("empty geometry",)),
    ]


def test_the_reader_note_is_the_reason_for_an_unreadable_geometry():
    result = check_polygons(None, read_notes={0: "geometry could not be read (ring not closed)"})

    assert result.rejected[0].notes == ("geometry could not be read (ring not closed)",)


def test_z_values_are_dropped_with_a_note():
    field_z = Polygon([(x, y, 12.5) for x, y in FIELD.exterior.coords])

    (check,) = check_polygons(field_z).checks

    assert check.outcome is Outcome.ACCEPTED
    assert not check.geometry.has_z
    assert "Z (height) values dropped" in check.notes


def test_a_ring_touching_itself_is_repaired_when_the_area_stays_the_same():
    # A shell that returns to its start point midway: valid for ESRI, invalid for OGC.
    touching = Polygon(
        [(107.0, 16.8), (107.01, 16.8), (107.01, 16.81), (107.005, 16.8), (107.0, 16.81)]
    )
    assert not touching.is_valid

    (check,) = check_polygons(touching).checks

    assert check.outcome is Outcome.REPAIRED
    assert check.geometry.is_valid
    assert "repaired with make_valid" in check.notes[0]
    assert geodesic_area_ha(check.geometry) == pytest.approx(geodesic_area_ha(touching), rel=0.01)


def test_a_bow_tie_is_rejected_because_repair_would_change_the_area():
    bow_tie = Polygon([(107.0, 16.8), (107.01, 16.81), (107.01, 16.8), (107.0, 16.81)])

    (check,) = check_polygons(bow_tie).checks

    assert check.outcome is Outcome.REJECTED
    assert "more than 1%" in check.notes[0]
    assert check.geometry is None


def test_overlapping_parts_of_a_multipolygon_are_flagged_and_merged_when_slight():
    slight = MultiPolygon([FIELD, box(107.0099, 16.800, 107.02, 16.808)])  # 0.5% overlap
    heavy = MultiPolygon([FIELD, box(107.005, 16.800, 107.02, 16.808)])  # 25% overlap

    slight_check, heavy_check = check_polygons(slight, heavy).checks

    assert slight_check.outcome is Outcome.REPAIRED
    assert len(slight_check.geometry.geoms) == 1
    assert heavy_check.outcome is Outcome.REJECTED
    for check in (slight_check, heavy_check):
        assert any("parts of the multipolygon overlap" in flag for flag in check.flags)


def test_vertices_more_than_5_km_apart_are_flagged():
    long_field = box(107.0, 16.8, 107.06, 16.801)  # about 6.4 km east to west

    (check,) = check_polygons(long_field).checks

    assert check.outcome is Outcome.ACCEPTED
    assert any("km apart" in flag for flag in check.flags)
    assert check_polygons(FIELD).checks[0].flags == ()


def test_the_same_geometry_twice_in_a_file_is_flagged_whatever_the_start_vertex():
    reordered = Polygon(list(FIELD.exterior.coords)[2:] + list(FIELD.exterior.coords)[1:3])

    result = check_polygons(FIELD, box(107.02, 16.8, 107.03, 16.81), reordered)

    assert result.checks[2].flags == ("same geometry as feature 1",)
    assert result.checks[1].flags == ()


def test_lines_and_mixed_collections_are_rejected_for_polygon_layers():
    mixed = GeometryCollection([FIELD, Point(107.0, 16.8)])

    result = check_polygons(LineString([(107, 16.8), (107.01, 16.81)]), mixed)

    assert "is a LineString; a polygon is required" in result.checks[0].notes
    assert "mixing Point, Polygon" in result.checks[1].notes[0]


def test_points_for_spot_tasks_and_villages():
    result = validate_geometries(
        [Point(107.0, 16.8, 3.0), MultiPoint([(107.0, 16.8)]), MultiPoint([(1, 1), (2, 2)]), FIELD],
        target=TargetGeometry.POINT,
    )

    outcomes = [c.outcome for c in result.checks]
    assert outcomes == [Outcome.ACCEPTED, Outcome.ACCEPTED, Outcome.REJECTED, Outcome.REJECTED]
    assert result.checks[0].geometry == Point(107.0, 16.8)
    assert result.checks[1].geometry == Point(107.0, 16.8)
    assert "is a Polygon; a point is required" in result.checks[3].notes


def test_a_ring_of_two_distinct_vertices_is_flagged_and_rejected():
    sliver = Polygon([(107.0, 16.8), (107.01, 16.8), (107.0, 16.8), (107.0, 16.8)])

    (check,) = check_polygons(sliver).checks

    assert check.outcome is Outcome.REJECTED
    assert "a ring has only 2 distinct vertices" in check.flags
    assert check.notes[0].startswith("invalid polygon")


def test_a_feature_with_more_vertices_than_allowed_is_rejected_and_one_at_the_limit_kept():
    # 4 corners and the closing vertex: 5 coordinates.
    round_field = FIELD.buffer(0.001)
    count = len(round_field.exterior.coords)

    result = check_polygons(FIELD, round_field, max_vertices=5)

    assert result.checks[0].outcome is Outcome.ACCEPTED
    rejected = result.checks[1]
    assert (rejected.outcome, rejected.flags) == (Outcome.REJECTED, ())
    assert rejected.notes == (
        f"has {count} vertices; a feature may have at most 5: simplify the outline or split "
        "the feature",
    )
