"""CSV opened with Python's csv module and Excel with openpyxl, as their readers would."""

import codecs
import csv
import datetime as dt
import io
import subprocess

import openpyxl
import pytest
import shapely

from gis.exports import write_export
from tests.gis.exports.conftest import (
    FIELDS,
    METADATA,
    POLYGONS,
    ROWS,
    batches_of,
    oracle_ha,
    release_layer,
)


def test_csv_is_utf8_with_a_bom_a_header_line_and_one_row_per_feature(tmp_path, release_batches):
    path = tmp_path / "releases.csv"

    written = write_export("csv", release_batches, layer=release_layer(), destination=path)

    raw = path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert written == len(rows) == len(ROWS)
    assert list(rows[0]) == [f.name for f in FIELDS] + ["centroid_lon", "centroid_lat", "wkt"]
    assert rows[0]["organisation"] == "Hướng Hóa NPA"
    assert rows[2]["organisation"] == 'Vĩnh Linh, "RENEW"'
    assert rows[3]["organisation"] == "Gio Linh\nPeaceTrees"
    assert rows[0]["completed_on"] == "2024-03-31"
    assert rows[2]["completed_on"] == ""
    assert rows[1]["depth_cm"] == ""
    assert float(rows[0]["area_ha"]) == ROWS[0]["area_ha"]


def test_csv_wkt_carries_the_geometry_and_the_centroid_is_in_degrees(tmp_path):
    path = tmp_path / "releases.csv"
    write_export(
        "csv",
        batches_of(POLYGONS, ROWS, epsg=32648),
        layer=release_layer(epsg=32648),
        destination=path,
    )

    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    for row, original in zip(rows, POLYGONS, strict=True):
        geometry = shapely.from_wkt(row["wkt"])
        # UTM metres, written to the millimetre.
        assert geometry.bounds[0] > 100_000
        assert float(row["centroid_lon"]) == pytest.approx(original.centroid.x, abs=1e-7)
        assert float(row["centroid_lat"]) == pytest.approx(original.centroid.y, abs=1e-7)


def test_csv_writes_into_a_file_object(release_batches):
    buffer = io.BytesIO()
    write_export("csv", release_batches, layer=release_layer(), destination=buffer)

    text = buffer.getvalue().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("reference,organisation")
    assert not buffer.closed


def test_csv_wkt_areas_are_the_written_hectares(tmp_path, release_batches):
    path = tmp_path / "releases.csv"
    write_export("csv", release_batches, layer=release_layer(), destination=path)

    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    for row, original in zip(rows, POLYGONS, strict=True):
        assert oracle_ha(shapely.from_wkt(row["wkt"])) == pytest.approx(
            oracle_ha(original), rel=1e-6
        )


def test_excel_has_numbers_as_numbers_dates_as_dates_and_the_centroid(tmp_path, release_batches):
    path = tmp_path / "releases.xlsx"

    written = write_export("xlsx", release_batches, layer=release_layer(), destination=path)

    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["releases", "export"]
    rows = list(workbook["releases"].iter_rows(values_only=True))
    assert written == len(rows) - 1 == len(ROWS)
    assert rows[0] == (*(f.label for f in FIELDS), "centroid_lon", "centroid_lat")
    first = dict(zip((f.name for f in FIELDS), rows[1], strict=False))
    assert first["organisation"] == "Hướng Hóa NPA"
    assert first["completed_on"] == dt.datetime(2024, 3, 31)
    assert workbook["releases"]["C2"].number_format == "yyyy-mm-dd"
    assert isinstance(first["depth_cm"], int)
    assert first["area_ha"] == ROWS[0]["area_ha"]
    assert rows[1][-2:] == pytest.approx((POLYGONS[0].centroid.x, POLYGONS[0].centroid.y))
    assert rows[2][3] is None  # a missing depth stays an empty cell
    assert sum(row[4] for row in rows[1:]) == pytest.approx(sum(r["area_ha"] for r in ROWS))


def test_excel_export_sheet_says_what_was_exported_and_lists_the_fields(tmp_path, release_batches):
    path = tmp_path / "releases.xlsx"
    write_export("xlsx", release_batches, layer=release_layer(), destination=path)

    rows = list(openpyxl.load_workbook(path)["export"].iter_rows(values_only=True))
    said = {row[0]: row[1] for row in rows[: len(METADATA)]}
    assert said == METADATA
    assert ("completed_on", "date", "Completion date") in rows


def test_excel_goes_on_in_a_second_sheet_past_the_row_limit(tmp_path, monkeypatch, release_batches):
    from gis.exports import excel

    monkeypatch.setattr(excel, "MAX_ROWS", 3)  # header + 2 rows per sheet
    path = tmp_path / "releases.xlsx"
    write_export("xlsx", release_batches, layer=release_layer(), destination=path)

    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["releases", "releases (2)", "releases (3)", "export"]
    data_rows = sum(workbook[name].max_row - 1 for name in workbook.sheetnames[:-1])
    assert data_rows == len(ROWS)


def test_gdals_excel_reader_finds_dates_integers_and_reals(tmp_path, release_batches):
    """A second reader of the workbook, GDAL's XLSX driver (as ogr2ogr and QGIS open a
    spreadsheet): the columns come back typed, not as text."""
    path = tmp_path / "releases.xlsx"
    write_export("xlsx", release_batches, layer=release_layer(), destination=path)

    result = subprocess.run(
        ["ogrinfo", "-ro", "-so", str(path), "releases"], capture_output=True, text=True, check=True
    )

    assert f"Feature Count: {len(ROWS)}" in result.stdout
    assert "Completion date: Date" in result.stdout
    assert "Clearance depth (cm): Integer" in result.stdout
    assert "Area (ha, geodesic): Real" in result.stdout
    assert "centroid_lon: Real" in result.stdout
