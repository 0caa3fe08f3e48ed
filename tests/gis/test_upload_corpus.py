"""Every case of the shared upload corpus through the reading layer, as MANIFEST.tsv expects.

Accepted cases read with the manifest's feature count (summed over layers where the file holds
several, which the reader makes the user choose between) and CRS; their polygons or points pass
validation. Rejected cases raise ReadError with a message a field coordinator can act on, or are
rejected feature by feature by validation; no other exception is acceptable. The operating-area
check is not applied here: the corpus comes from around the world.
"""

import csv
import re
from pathlib import Path

import pytest

from gis.reading import LayerRead, ReadError, read_layer
from gis.validation import TargetGeometry, validate_geometries

CORPUS = Path(__file__).parents[2] / "../shared/data/upload-corpus"
MANIFEST = CORPUS / "MANIFEST.tsv"

if not MANIFEST.exists():
    pytest.skip(
        f"the shared upload corpus is not beside the repository ({CORPUS.resolve()})",
        allow_module_level=True,
    )

CASES = list(csv.DictReader(MANIFEST.open(encoding="utf-8"), delimiter="\t"))

# Cases where the reader does better than the manifest's default policy, as the manifest allows.
REPAIRED_INSTEAD_OF_REJECTED = {
    # "If the pipeline repairs such rings, expect accept with 40 features": the ring touching
    # itself (feature 7) is repaired by make_valid with no change of area, and reported.
    "039_zip-layout_uppercase_DBF_extension.zip": (40, 7),
    "041_invalid_senate_ring_self_touch_stateplane.zip": (40, 7),
}


# Cases the reader refuses although the manifest accepts them, each for a reason a field
# coordinator would want to hear.
REJECTED_INSTEAD_OF_ACCEPTED = {
    # Every lat/lon in the file is "undefined" or "x"; GDAL turns them into 0°N 0°E silently.
    # The manifest's note calls the geometry fine; it is not.
    "132_gpx_non_numeric_elevation.gpx": "coordinates_invalid",
}


def expected_count(text: str) -> int:
    """'67' -> 67; '248 (16+61+83+88)' -> 248; '86 waypoints + 1 route (46 route_points)' -> 87."""
    outside_brackets = re.sub(r"\([^)]*\)", "", text)
    return sum(int(number) for number in re.findall(r"\d+", outside_brackets))


def read_every_layer(path: Path) -> list[LayerRead]:
    """All layers of a file: the one, or each layer the reader asks the user to choose from."""
    try:
        return [read_layer(path)]
    except ReadError as error:
        if error.code != "several_layers":
            raise
        assert error.choices, "a several-layers error must list the layers to choose from"
        for choice in error.choices:
            assert choice in error.message
        return [read_layer(path, layer=choice) for choice in error.choices]


def target_for(read: LayerRead) -> TargetGeometry | None:
    types = set(read.features.geometry.dropna().geom_type)
    if types == {"Point"}:
        return TargetGeometry.POINT
    if types and types <= {"Polygon", "MultiPolygon"}:
        return TargetGeometry.POLYGON
    return None


def assert_actionable(message: str) -> None:
    assert len(message) > 30
    assert "landrelease-read-" not in message, "the message leaks a temporary path"


def validation_of(read: LayerRead, target: TargetGeometry):
    return validate_geometries(
        list(read.features.geometry), target=target, read_notes=read.feature_notes
    )


@pytest.mark.parametrize("case", CASES, ids=[case["file"][:40] for case in CASES])
def test_the_case_behaves_as_the_manifest_says(case):
    path = CORPUS / "cases" / case["file"]
    if case["file"] in REPAIRED_INSTEAD_OF_REJECTED:
        count, repaired_feature = REPAIRED_INSTEAD_OF_REJECTED[case["file"]]
        (read,) = read_every_layer(path)
        checked = validation_of(read, TargetGeometry.POLYGON)
        assert read.feature_count == count
        assert [c.number for c in checked.repaired] == [repaired_feature]
        assert "repaired with make_valid" in checked.repaired[0].notes[-1]
        assert checked.rejected == ()
    elif case["file"] in REJECTED_INSTEAD_OF_ACCEPTED:
        with pytest.raises(ReadError) as refused:
            read_every_layer(path)
        assert refused.value.code == REJECTED_INSTEAD_OF_ACCEPTED[case["file"]]
        assert_actionable(refused.value.message)
    elif case["expected"] == "accept":
        assert_accepted(case, path)
    else:
        assert_rejected(path)


def assert_accepted(case: dict, path: Path) -> None:
    reads = read_every_layer(path)
    assert sum(read.feature_count for read in reads) == expected_count(
        case["expected_feature_count_if_known"]
    )
    declared = case["crs_if_known"]
    codes = {int(code) for code in re.findall(r"EPSG:(\d+)", declared)}
    for read in reads:
        if codes:
            assert read.source_epsg in codes
        elif declared:
            name = declared.strip("()")
            assert name in read.source_crs
        elif path.suffix == ".csv":
            # A CSV stores no CRS: WGS 84 lon/lat is assumed (the manifest's policy).
            assert read.source_epsg == 4326
        else:
            # The manifest records none (GDAL 3.6 could not open the layer); the file has one.
            assert read.crs_how.startswith("declared")
        bounds = read.features.geometry.dropna().total_bounds
        assert -180 - 1e-6 <= bounds[0] <= bounds[2] <= 180 + 1e-6
        assert -90 <= bounds[1] <= bounds[3] <= 90
        target = target_for(read)
        if target is not None:
            checked = validation_of(read, target)
            assert checked.rejected == (), [c.notes for c in checked.rejected]


def assert_rejected(path: Path) -> None:
    try:
        reads = read_every_layer(path)
    except ReadError as error:
        assert_actionable(error.message)
        assert error.code
        return
    for read in reads:
        target = target_for(read) or TargetGeometry.POLYGON
        checked = validation_of(read, target)
        assert checked.rejected, f"{read.layer}: nothing rejected"
        for check in checked.rejected:
            assert check.notes and all(len(note) > 10 for note in check.notes)
