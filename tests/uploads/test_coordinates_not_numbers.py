"""A coordinate that is not a number (NaN, Infinity) rejects its feature, not the whole file.

GDAL reads ``NaN`` and ``Infinity`` in a GeoJSON without complaint (and a shapefile or GeoPackage
can hold them as doubles). Before, one such vertex made the whole upload "cannot be transformed".
"""

import json

import pytest
from shapely.geometry import mapping

from app.registry.models import ReleaseArea
from tests.uploads.files import FIELDS, REFERENCES

pytestmark = pytest.mark.django_db


def release_geojson_with(tmp_path, second_ring) -> object:
    """Three releases; the second one's outline is ``second_ring`` as written."""
    features = []
    for number, (reference, field) in enumerate(zip(REFERENCES, FIELDS, strict=True), start=1):
        geometry = mapping(field)
        if number == 2:
            geometry = {"type": "Polygon", "coordinates": [second_ring]}
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "reference": reference,
                    "method": "cleared",
                    "completed_on": "2023-05-01",
                },
                "geometry": geometry,
            }
        )
    path = tmp_path / "releases.geojson"
    # json.dumps writes float("nan") as NaN and float("inf") as Infinity, as GDAL reads them.
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


@pytest.mark.filterwarnings("ignore:invalid value encountered")
@pytest.mark.parametrize(
    ("value", "axis", "written"),
    [(float("nan"), 0, "NaN"), (float("inf"), 1, "Infinity")],
)
def test_a_vertex_that_is_not_a_number_rejects_that_feature_only(
    tmp_path, uploader, npa, value, axis, written
):
    ring = [[107.02, 16.80], [107.035, 16.801], [107.03, 16.812], [107.02, 16.80]]
    ring[2][axis] = value
    path = release_geojson_with(tmp_path, ring)

    upload = uploader.checked(path, kind="release", organisation="npa")

    assert upload["status"] == "ready", (upload["status"], upload["error"])
    assert upload["report"]["accepted"] == 2
    (row,) = upload["report"]["rejected"]
    assert (row["feature"], row["reference"]) == (2, "QT-002")
    (reason,) = row["reasons"]
    assert "vertex 3" in reason
    assert ("x coordinate" if axis == 0 else "y coordinate") in reason
    assert written in reason and "not a number" in reason
    uploader.commit(upload["id"])
    assert sorted(ReleaseArea.objects.values_list("reference", flat=True)) == ["QT-001", "QT-003"]
