"""Every value is checked at check time against the column it will be stored in.

A value the column cannot hold (a depth beyond a smallint, a village code longer than 30
characters, a reference of 100,000 characters) rejects its feature, naming the
field and the limit; the other features are checked and committed as usual. Before, such a file
passed the check and the commit died in the worker (``DataError``), or the check itself failed
for the whole file (``StringDataRightTruncation``).
"""

import geopandas as gpd
import pytest
import shapely

from app.registry.models import ReleaseArea, SpotTask, Village
from tests.uploads.files import release_frame

pytestmark = pytest.mark.django_db


def write(frame: gpd.GeoDataFrame, path):
    frame.to_file(path, driver="GeoJSON")
    return path


def reasons_of(report: dict, feature: int) -> list[str]:
    (row,) = [row for row in report["rejected"] if row["feature"] == feature]
    return row["reasons"]


def test_a_depth_beyond_what_depth_cm_holds_rejects_that_feature_and_the_rest_commit(
    tmp_path, uploader, npa
):
    frame = release_frame()
    frame["method"] = "cleared"
    frame["depth_cm"] = [30, 40000, 50]
    path = write(frame, tmp_path / "deep.geojson")

    upload = uploader.checked(path, kind="release", organisation="npa")

    assert upload["status"] == "ready", upload["report"]
    assert upload["report"]["accepted"] == 2
    (reason,) = reasons_of(upload["report"], 2)
    assert "depth_cm" in reason
    assert "40000" in reason and "32,767" in reason
    committed = uploader.commit(upload["id"])
    assert committed["status"] == "committed", committed
    assert sorted(ReleaseArea.objects.values_list("reference", "depth_cm")) == [
        ("QT-001", 30),
        ("QT-003", 50),
    ]


def test_a_village_code_longer_than_the_column_rejects_that_village(tmp_path, uploader, npa):
    long_code = "QT-" + "7" * 42
    frame = gpd.GeoDataFrame(
        {
            "code": ["V-1", long_code],
            "name_vi": ["Cồn Tiên", "Dốc Miếu"],
            "name_en": ["Con Tien", "Doc Mieu"],
        },
        geometry=shapely.points([(107.0, 16.8), (107.05, 16.85)]),
        crs="EPSG:4326",
    )

    upload = uploader.checked(
        write(frame, tmp_path / "thon.geojson"), kind="village", organisation="npa"
    )

    assert upload["status"] == "ready", upload["report"]
    (reason,) = reasons_of(upload["report"], 2)
    assert "code" in reason and "45" in reason and "30" in reason
    uploader.commit(upload["id"])
    assert list(Village.objects.values_list("code", flat=True)) == ["V-1"]


def test_a_100000_character_reference_rejects_that_feature_only(tmp_path, uploader, npa):
    huge = "R" * 100_000
    path = write(release_frame(references=("QT-001", huge, "QT-003")), tmp_path / "long.geojson")

    upload = uploader.checked(path, kind="release", organisation="npa")

    assert upload["status"] == "ready", (upload["status"], upload["error"])
    (row,) = upload["report"]["rejected"]
    assert row["feature"] == 2
    assert "reference" in row["reasons"][0] and "60" in row["reasons"][0]
    # The report names the feature without carrying 100,000 characters to every page.
    assert row["reference"] is None and "RRRR" in row["reasons"][0]
    assert len(str(upload["report"])) < 20_000
    uploader.commit(upload["id"])
    assert ReleaseArea.objects.count() == 2


def test_an_item_count_beyond_an_integer_column_rejects_that_task(tmp_path, uploader, npa):
    frame = gpd.GeoDataFrame(
        {
            "reference": ["T-1", "T-2"],
            "completed_on": ["2023-05-01", "2023-05-02"],
            "items_destroyed": [3, 5_000_000_000],
        },
        geometry=shapely.points([(107.0, 16.8), (107.05, 16.85)]),
        crs="EPSG:4326",
    )

    upload = uploader.checked(
        write(frame, tmp_path / "tasks.geojson"), kind="spot-task", organisation="npa"
    )

    assert upload["status"] == "ready", upload["report"]
    (reason,) = reasons_of(upload["report"], 2)
    assert "items_destroyed" in reason and "2,147,483,647" in reason
    uploader.commit(upload["id"])
    assert list(SpotTask.objects.values_list("reference", flat=True)) == ["T-1"]
