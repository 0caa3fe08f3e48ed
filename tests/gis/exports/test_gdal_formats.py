"""GeoPackage, zipped Shapefile and KML, written and then opened with GDAL (pyogrio, and the
ogrinfo program a QGIS user's GDAL is): same features, same values, same geodesic hectares."""

import io
import subprocess
import zipfile

import numpy as np
import pyogrio
import pytest
import shapely

from gis.exports import FORMATS, write_export
from gis.exports.features import ExportField
from gis.exports.shapefile_zip import short_field_names
from tests.gis.exports.conftest import (
    FIELDS,
    GEOD,
    POINTS,
    POLYGONS,
    ROWS,
    batches_of,
    oracle_ha,
    release_layer,
)

GDAL_FORMATS = ["gpkg", "shp", "kml"]


def gdal_path(path, format_name: str) -> str:
    return f"/vsizip/{path}/releases.shp" if format_name == "shp" else str(path)


def read_back(path, format_name: str):
    kwargs = {"layer": "releases"} if format_name != "shp" else {}
    return pyogrio.read_dataframe(gdal_path(path, format_name), **kwargs)


@pytest.mark.parametrize("format_name", GDAL_FORMATS)
def test_gdal_reads_back_every_feature_with_its_hectares(tmp_path, format_name, release_batches):
    path = tmp_path / f"releases{FORMATS[format_name].extension}"

    written = write_export(format_name, release_batches, layer=release_layer(), destination=path)

    frame = read_back(path, format_name)
    assert written == len(ROWS) == len(frame)
    assert frame.crs.to_epsg() == 4326
    for geometry, expected in zip(frame.geometry, POLYGONS, strict=True):
        assert oracle_ha(geometry) == pytest.approx(oracle_ha(expected), rel=1e-9)


@pytest.mark.parametrize("format_name", GDAL_FORMATS)
def test_attributes_and_vietnamese_text_round_trip(tmp_path, format_name, release_batches):
    path = tmp_path / f"releases{FORMATS[format_name].extension}"
    write_export(format_name, release_batches, layer=release_layer(), destination=path)

    frame = read_back(path, format_name)
    names = {f.name: f.name for f in FIELDS}
    if format_name == "shp":
        names = dict(zip(names, short_field_names(FIELDS), strict=True))
    if format_name == "kml":
        names["reference"] = "Name"  # the first field names each placemark
    organisations = [None if v != v else v for v in frame[names["organisation"]]]  # NaN: null
    assert organisations[:2] == ["Hướng Hóa NPA", "Đakrông MAG"]
    assert list(frame[names["reference"]]) == [row["reference"] for row in ROWS]
    if format_name == "gpkg":
        # Types survive: dates are dates, integers integers, reals reals, nulls nulls.
        assert frame["completed_on"].iloc[0].date().isoformat() == "2024-03-31"
        assert frame["completed_on"].isna().iloc[2]
        assert frame["depth_cm"].iloc[2] == 100
        assert frame["area_ha"].tolist() == pytest.approx([row["area_ha"] for row in ROWS])
        assert organisations[4] is None


@pytest.mark.parametrize("format_name", GDAL_FORMATS)
def test_ogrinfo_opens_the_file_and_counts_the_features(tmp_path, format_name, release_batches):
    path = tmp_path / f"releases{FORMATS[format_name].extension}"
    write_export(format_name, release_batches, layer=release_layer(), destination=path)

    result = subprocess.run(
        ["ogrinfo", "-ro", "-so", gdal_path(path, format_name), "releases"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"Feature Count: {len(ROWS)}" in result.stdout


def test_the_geopackage_says_what_was_exported_and_lists_the_fields(tmp_path, release_batches):
    path = tmp_path / "releases.gpkg"
    write_export("gpkg", release_batches, layer=release_layer(), destination=path)

    layers = {name for name, _type in pyogrio.list_layers(path)}
    assert layers == {"releases", "export", "fields"}
    export = pyogrio.read_dataframe(path, layer="export")
    assert dict(zip(export["what"], export["value"], strict=True))["who"] == "analyst Nguyễn Văn A"
    assert pyogrio.read_info(path, layer="releases")["dataset_metadata"]["collection"] == "releases"
    fields = pyogrio.read_dataframe(path, layer="fields")
    assert list(fields["label"]) == [f.label for f in FIELDS]


def test_the_shapefile_zip_holds_its_parts_a_utf8_cpg_and_the_full_field_names(
    tmp_path, release_batches
):
    path = tmp_path / "releases.zip"
    write_export("shp", release_batches, layer=release_layer(), destination=path)

    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        assert {"releases.shp", "releases.shx", "releases.dbf", "releases.prj"} <= names
        assert archive.read("releases.cpg").decode().strip() == "UTF-8"
        table = archive.read("fields.csv").decode("utf-8-sig").splitlines()
        assert table[0] == "short_name,name,type,label"
        assert "completed_,completed_on,date,Completion date" in table
        assert "organisati,organisation,text,Organisation" in table
        assert "GCS_WGS_1984" in archive.read("releases.prj").decode()
        assert "who,analyst Nguyễn Văn A" in archive.read("export.csv").decode("utf-8-sig")
    info = pyogrio.read_info(gdal_path(path, "shp"))
    assert list(info["fields"]) == short_field_names(FIELDS)


def test_short_field_names_are_unique_within_ten_characters():
    fields = [
        ExportField("completed_on", "date", "a"),
        ExportField("completed_before", "date", "b"),
        ExportField("COMPLETED_", "text", "c"),
        ExportField("depth", "integer", "d"),
    ]
    names = short_field_names(fields)
    assert names == ["completed_", "complete_2", "COMPLETE_3", "depth"]
    assert all(len(name) <= 10 for name in names)


@pytest.mark.parametrize("format_name", GDAL_FORMATS)
def test_points_are_written_as_points(tmp_path, format_name):
    path = tmp_path / f"villages{FORMATS[format_name].extension}"
    layer = release_layer(geometry_type="Point")

    write_export(format_name, batches_of(POINTS, ROWS), layer=layer, destination=path)

    frame = read_back(path, format_name)
    assert list(frame.geom_type) == ["Point"] * len(POINTS)
    assert shapely.get_coordinates(frame.geometry).ravel().tolist() == pytest.approx(
        shapely.get_coordinates(POINTS).ravel().tolist()
    )


@pytest.mark.parametrize("format_name", ["gpkg", "shp"])
def test_vn2000_output_reprojects_back_within_a_metre(tmp_path, format_name):
    """EPSG:9212 (VN-2000 / TM-3 106°15'), the system of Vietnamese government maps: GDAL reads
    the system back from the file (the .prj of a shapefile, as ESRI WKT) and brings the
    features to WGS 84 through the VN-2000 datum shift, within 1 m of the originals."""
    path = tmp_path / f"releases{FORMATS[format_name].extension}"
    write_export(
        format_name,
        batches_of(POLYGONS, ROWS, epsg=9212),
        layer=release_layer(epsg=9212),
        destination=path,
    )

    frame = read_back(path, format_name)
    assert frame.crs.to_epsg() == 9212
    in_wgs84 = frame.to_crs(4326)
    for geometry, original in zip(in_wgs84.geometry, POLYGONS, strict=True):
        assert _farthest_vertex_m(geometry, original) < 1.0
        assert oracle_ha(geometry) == pytest.approx(oracle_ha(original), rel=1e-6)


def _farthest_vertex_m(geometry, original) -> float:
    """The largest geodesic distance from a vertex of ``geometry`` to the nearest vertex of
    ``original`` (a shapefile writes rings clockwise, so the vertices change order)."""
    back = shapely.get_coordinates(geometry)
    expected = shapely.get_coordinates(original)
    farthest = 0.0
    for lon, lat in back:
        _az, _baz, distances_m = GEOD.inv(
            np.full(len(expected), lon), np.full(len(expected), lat), expected[:, 0], expected[:, 1]
        )
        farthest = max(farthest, float(distances_m.min()))
    return farthest


def test_kml_takes_wgs84_only(tmp_path, release_batches):
    with pytest.raises(ValueError, match="EPSG:4326"):
        write_export(
            "kml", release_batches, layer=release_layer(epsg=9212), destination=tmp_path / "x.kml"
        )


def test_gdals_2gb_refusal_becomes_shapefile_too_large(tmp_path, monkeypatch, release_batches):
    from gis.exports import shapefile_zip

    def refuse(*args, **kwargs):
        raise RuntimeError("2GB file size limit reached for releases.dbf.")

    monkeypatch.setattr(shapefile_zip, "write_stream", refuse)

    with pytest.raises(shapefile_zip.ShapefileTooLarge):
        write_export("shp", release_batches, layer=release_layer(), destination=tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()


@pytest.mark.parametrize("format_name", GDAL_FORMATS)
def test_a_file_object_receives_the_same_file(tmp_path, format_name, release_batches):
    buffer = io.BytesIO()

    written = write_export(format_name, release_batches, layer=release_layer(), destination=buffer)

    path = tmp_path / f"from-buffer{FORMATS[format_name].extension}"
    path.write_bytes(buffer.getvalue())
    assert written == len(read_back(path, format_name)) == len(ROWS)
