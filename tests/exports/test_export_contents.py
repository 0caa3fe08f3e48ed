"""What an export holds, read back with each format's reader: the records the filters select,
their properties, and geodesic hectares equal to those of the shapes made (pyproj.Geod), in
every coordinate system offered."""

import datetime as dt
import io

import numpy as np
import openpyxl
import pytest
import shapely
from shapely import box
from shapely.geometry import Polygon

from tests import factories
from tests.api.places import district
from tests.exports.conftest import (
    FORMAT_NAMES,
    GEOD,
    GEOMETRY_FORMATS,
    in_wgs84,
    oracle_ha,
)

pytestmark = pytest.mark.django_db

# Near Khe Sanh (Hướng Hóa), and one with a hole further east.
KHE_SANH = box(106.73, 16.63, 106.7394, 16.639)
WITH_HOLE = Polygon(
    [(107.0, 16.8), (107.01, 16.8), (107.01, 16.81), (107.0, 16.81)],
    [[(107.002, 16.802), (107.004, 16.802), (107.004, 16.804), (107.002, 16.804)]],
)
SMALL = box(106.85, 16.70, 106.851, 16.7012)


@pytest.fixture
def releases():
    return {
        "khe sanh": factories.release(KHE_SANH, org="npa", completed_on=dt.date(2024, 3, 31)),
        "with hole": factories.release(WITH_HOLE, org="mag", method="reduced"),
        "small": factories.release(SMALL, org="npa"),
    }


SHAPES = {"khe sanh": KHE_SANH, "with hole": WITH_HOLE, "small": SMALL}


def farthest_vertex_m(geometry, original) -> float:
    """Largest geodesic distance from a vertex read back to the nearest original vertex (a
    shapefile reorders rings, so the vertices are matched by distance, not by position)."""
    expected = shapely.get_coordinates(original)
    farthest = 0.0
    for lon, lat in shapely.get_coordinates(geometry):
        _az, _baz, distances = GEOD.inv(
            np.full(len(expected), lon), np.full(len(expected), lat), expected[:, 0], expected[:, 1]
        )
        farthest = max(farthest, float(distances.min()))
    return farthest


@pytest.mark.parametrize("fmt", GEOMETRY_FORMATS)
@pytest.mark.parametrize("crs", [4326, 32648, 3405, 9212])
def test_the_hectares_read_back_are_those_of_the_shapes(client, releases, exported, fmt, crs):
    export = exported(client, f"/api/v1/releases/?format={fmt}&crs=EPSG:{crs}", fmt)

    by_id = export.by_id()
    file_epsg = 4326 if fmt == "kml" else crs  # KML is WGS 84 whatever was asked
    if export.epsg is not None:
        assert export.epsg == file_epsg
    for name, release in releases.items():
        geometry = in_wgs84(by_id[release.pk]["geometry"], file_epsg)
        # Within a square metre: CSV writes metres to the millimetre.
        assert oracle_ha(geometry) == pytest.approx(oracle_ha(SHAPES[name]), abs=1e-4)
        assert farthest_vertex_m(geometry, SHAPES[name]) < 1.0


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_the_properties_come_through_with_their_types(client, releases, exported, fmt):
    export = exported(client, f"/api/v1/releases/?format={fmt}", fmt)

    row = export.by_id()[releases["khe sanh"].pk]
    short = fmt == "shp"  # dBASE names: 10 characters
    assert row["reference"] == releases["khe sanh"].reference
    assert row["organisati" if short else "organisation"] == "npa"
    assert row["method"] == "cleared"
    completed = row["completed_" if short else "completed_on"]
    assert str(completed)[:10] in ("2024-03-31", "2024/03/31")
    assert float(row["area_ha"]) == pytest.approx(round(oracle_ha(KHE_SANH), 2))
    assert int(row["depth_cm"]) == 30
    if fmt == "xlsx":
        assert completed == dt.datetime(2024, 3, 31)
        assert isinstance(row["area_ha"], float)
        assert isinstance(row["depth_cm"], int)
        assert row["centroid_lon"] == pytest.approx(KHE_SANH.centroid.x, abs=1e-7)
        assert row["centroid_lat"] == pytest.approx(KHE_SANH.centroid.y, abs=1e-7)


def test_the_csv_centroid_is_in_degrees_when_the_geometry_is_in_metres(client, releases, exported):
    export = exported(client, "/api/v1/releases/?format=csv&crs=EPSG:9212", "csv")

    row = export.by_id()[releases["khe sanh"].pk]
    assert float(row["centroid_lon"]) == pytest.approx(KHE_SANH.centroid.x, abs=1e-7)
    assert float(row["centroid_lat"]) == pytest.approx(KHE_SANH.centroid.y, abs=1e-7)
    assert row["geometry"].bounds[0] > 400_000  # TM-3 metres


def test_the_excel_area_column_sums_to_the_shapes_hectares(client, releases, exported):
    export = exported(client, "/api/v1/releases/?format=xlsx", "xlsx")

    expected = sum(round(oracle_ha(shape), 2) for shape in SHAPES.values())
    assert sum(row["area_ha"] for row in export.rows) == pytest.approx(expected)


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_the_organisation_filter_applies(client, releases, exported, fmt):
    export = exported(client, f"/api/v1/releases/?format={fmt}&organisation=mag", fmt)

    assert export.ids() == {releases["with hole"].pk}


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_the_bbox_filter_applies(client, releases, exported, fmt):
    export = exported(client, f"/api/v1/releases/?format={fmt}&bbox=106.7,16.6,106.8,16.7", fmt)

    assert export.ids() == {releases["khe sanh"].pk}


def test_an_export_with_nothing_selected_is_an_empty_file_that_opens(client, releases, exported):
    for fmt in FORMAT_NAMES:
        export = exported(client, f"/api/v1/releases/?format={fmt}&year=1990", fmt)
        assert export.rows == []


def test_the_file_is_named_for_the_collection_and_the_day(client, releases, exported):
    today = dt.date.today().isoformat()

    assert exported(client, "/api/v1/releases/?format=gpkg", "gpkg").filename == (
        f"releases-{today}.gpkg"
    )
    assert exported(client, "/api/v1/spot-tasks/?format=shp", "shp").filename == (
        f"spot-tasks-{today}.shp.zip"
    )


def test_points_export_as_points(client, exported):
    task = factories.spot_task(106.9, 16.9, items_destroyed=4)

    export = exported(client, "/api/v1/spot-tasks/?format=gpkg&crs=EPSG:32648", "gpkg")

    row = export.by_id()[task.pk]
    assert row["geometry"].geom_type == "Point"
    assert row["items_destroyed"] == 4
    point = in_wgs84(row["geometry"], 32648)
    assert (point.x, point.y) == pytest.approx((106.9, 16.9), abs=1e-8)


def test_admin_units_export_with_their_area_and_vietnamese_names(client, exported):
    export = exported(client, "/api/v1/admin-units/?format=csv&level=district", "csv")

    rows = {row["code"]: row for row in export.rows}
    huong_hoa = rows["465"]
    assert huong_hoa["name_vi"] == "Hướng Hóa"
    assert float(huong_hoa["area_ha"]) == pytest.approx(oracle_ha(district("465")), abs=0.01)
    assert oracle_ha(huong_hoa["geometry"]) == pytest.approx(oracle_ha(district("465")), rel=1e-6)


@pytest.mark.vietnamese
def test_the_excel_headers_are_in_the_readers_language(client, releases, exported):
    response = client.get("/api/v1/releases/?format=xlsx")

    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header = next(workbook.worksheets[0].iter_rows(values_only=True))
    assert "Mã tham chiếu" in header  # Reference
    assert "Ngày hoàn thành" in header  # Completed on
