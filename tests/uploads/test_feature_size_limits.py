"""The limits on a feature's vertices and a file's features (settings), with clear refusals.

A 1,000,000-vertex polygon was accepted and made a 24.8 MB record and a 21.5 s review page. A
feature with more vertices than UPLOAD_MAX_VERTICES_PER_FEATURE is rejected (that feature only);
a file with more features than UPLOAD_MAX_FEATURES is refused whole. The tests lower the limits
so that tiny files reach them.
"""

import math

import pytest
from django.test import override_settings
from shapely.geometry import Polygon

from app.registry.models import ReleaseArea
from tests.uploads.files import FIELDS, release_frame

pytestmark = pytest.mark.django_db


def many_sided_field(vertices: int) -> Polygon:
    """A round field of about 400 m across near Cồn Tiên, with ``vertices`` distinct vertices."""
    return Polygon(
        [
            (
                107.1 + 0.002 * math.cos(2 * math.pi * k / vertices),
                16.8 + 0.002 * math.sin(2 * math.pi * k / vertices),
            )
            for k in range(vertices)
        ]
    )


@override_settings(UPLOAD_MAX_VERTICES_PER_FEATURE=50)
def test_a_feature_with_more_vertices_than_the_limit_is_rejected_alone(tmp_path, uploader, npa):
    path = tmp_path / "releases.geojson"
    # 100 distinct vertices and the closing one: 101 coordinates.
    release_frame(fields=(FIELDS[0], many_sided_field(100), FIELDS[2])).to_file(path)

    upload = uploader.checked(path, kind="release", organisation="npa")

    assert upload["status"] == "ready", upload["report"]
    (row,) = upload["report"]["rejected"]
    assert (row["feature"], row["reference"]) == (2, "QT-002")
    (reason,) = row["reasons"]
    assert "101 vertices" in reason and "50" in reason
    uploader.commit(upload["id"])
    assert sorted(ReleaseArea.objects.values_list("reference", flat=True)) == ["QT-001", "QT-003"]


@override_settings(UPLOAD_MAX_VERTICES_PER_FEATURE=101)
def test_a_feature_at_the_vertex_limit_is_accepted(tmp_path, uploader, npa):
    path = tmp_path / "releases.geojson"
    release_frame(fields=(many_sided_field(100),)).to_file(path)

    upload = uploader.checked(path, kind="release", organisation="npa")

    assert (upload["status"], upload["report"]["rejected"]) == ("ready", [])


@override_settings(UPLOAD_MAX_FEATURES=2)
def test_a_file_with_more_features_than_the_limit_is_refused_whole(tmp_path, uploader, npa):
    path = tmp_path / "releases.geojson"
    release_frame().to_file(path)

    upload = uploader.checked(path, kind="release", organisation="npa")

    assert upload["status"] == "rejected"
    assert upload["report"]["code"] == "too_many_features"
    assert "more than 2 features" in upload["error"]
    assert "split" in upload["error"]
    assert ReleaseArea.objects.count() == 0


@override_settings(UPLOAD_MAX_FEATURES=3)
def test_a_file_at_the_feature_limit_is_checked(tmp_path, uploader, npa):
    path = tmp_path / "releases.geojson"
    release_frame().to_file(path)

    upload = uploader.checked(path, kind="release", organisation="npa")

    assert (upload["status"], upload["report"]["accepted"]) == ("ready", 3)
