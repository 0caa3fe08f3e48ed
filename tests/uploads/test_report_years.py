"""The report's "years": the distinct years of the accepted features' dates, which the upload page
puts on its map and statistics links."""

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import box

from tests.uploads.files import FIELDS, release_frame

pytestmark = pytest.mark.django_db

POINTS = shapely.points([(107.0, 16.8), (107.05, 16.85), (106.73, 16.63)])


def test_release_years_are_sorted_distinct_and_only_of_accepted_features(tmp_path, uploader, npa):
    # The field near Hà Nội is outside the operating area: its 2019 is not a year of the upload.
    ha_noi = box(105.80, 21.00, 105.81, 21.01)
    frame = gpd.GeoDataFrame(
        {
            "reference": ["R-1", "R-2", "R-3", "OUT-1"],
            "method": ["cleared", "reduced", "cancelled", "cleared"],
            "completed_on": ["2023-05-01", "31/12/2021", "2023-07-30", "2019-03-01"],
        },
        geometry=[*FIELDS, ha_noi],
        crs="EPSG:4326",
    )
    path = tmp_path / "releases.geojson"
    frame.to_file(path, driver="GeoJSON")

    upload = uploader.checked(path, kind="release", organisation="npa")

    assert upload["status"] == "ready", upload["report"]
    assert [r["reference"] for r in upload["report"]["rejected"]] == ["OUT-1"]
    assert upload["report"]["years"] == [2021, 2023]


def test_hazard_years_come_from_recorded_on(tmp_path, uploader, npa):
    frame = release_frame(fields=FIELDS[:2], references=("H-1", "H-2")).drop(
        columns=["method", "completed_on"]
    )
    frame["kind"], frame["contamination"] = "CHA", "landmines"
    frame["recorded_on"] = ["2024-02-29", "2018-01-01"]
    path = tmp_path / "hazards.geojson"
    frame.to_file(path, driver="GeoJSON")

    upload = uploader.checked(path, kind="hazard", organisation="npa")

    assert upload["status"] == "ready", upload["report"]
    assert upload["report"]["years"] == [2018, 2024]


def test_spot_task_years_come_from_completed_on(tmp_path, uploader, npa):
    frame = gpd.GeoDataFrame(
        {
            "reference": ["S-1", "S-2", "S-3"],
            "completed_on": ["2025-01-02", "2025-11-30", "2020-06-01"],
            "items_destroyed": [1, 2, 3],
        },
        geometry=POINTS,
        crs="EPSG:4326",
    )
    path = tmp_path / "spots.geojson"
    frame.to_file(path, driver="GeoJSON")

    upload = uploader.checked(path, kind="spot-task", organisation="npa")

    assert upload["status"] == "ready", upload["report"]
    assert upload["report"]["years"] == [2020, 2025]


def test_villages_have_no_years(tmp_path, uploader, npa):
    frame = gpd.GeoDataFrame(
        {
            "code": ["V-1", "V-2", "V-3"],
            "name_vi": ["Thôn Cồn Tiên", "Dốc Miếu", "Hướng Hóa"],
            "name_en": ["Con Tien", "Doc Mieu", "Huong Hoa"],
            "nts_completed_on": ["2022-01-01", None, None],
        },
        geometry=POINTS,
        crs="EPSG:4326",
    )
    path = tmp_path / "villages.geojson"
    frame.to_file(path, driver="GeoJSON")

    upload = uploader.checked(path, kind="village", organisation="npa")

    assert upload["status"] == "ready", upload["report"]
    assert upload["report"]["years"] == []
