"""The same Quảng Trị fields, written in every supported format and in WGS 84 or UTM 48N, read
back to within 1 m of each other and to the same geodesic hectares."""

import json
import zipfile

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import mapping

from gis.areas import geodesic_area_ha
from gis.reading import read_layer
from tests.gis.reading.conftest import (
    FIELDS,
    NAMES,
    REFERENCES,
    fields_frame,
    geod_ha,
    write_shapefile_zip,
)

TO_UTM_48N = Transformer.from_crs("EPSG:4326", "EPSG:32648", always_xy=True)


def geojson_collection(tmp_path):
    path = tmp_path / "fields.geojson"
    fields_frame().to_file(path, driver="GeoJSON")
    return path, {}


def geojson_single_feature_with_bom(tmp_path):
    feature = {
        "type": "Feature",
        "properties": {"reference": REFERENCES[1], "name": NAMES[1]},
        "geometry": mapping(FIELDS[1]),
    }
    path = tmp_path / "one.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(feature, ensure_ascii=False).encode("utf-8"))
    return path, {}


def geopackage_utm(tmp_path):
    path = tmp_path / "fields.gpkg"
    fields_frame("EPSG:32648").to_file(path, layer="cha", driver="GPKG")
    return path, {}


def geopackage_named_with_bang_and_vietnamese(tmp_path):
    written, _ = geopackage_utm(tmp_path)
    # GDAL itself cannot write this name ('!' separates archive members to it): rename.
    path = written.rename(tmp_path / "vùng nguy hiểm!2024.gpkg")
    return path, {}


def shapefile_zip_wgs84(tmp_path):
    return write_shapefile_zip(fields_frame(), tmp_path), {}


def shapefile_zip_utm_upper_case_in_subfolder(tmp_path):
    def upper_case_sidecars(name):
        stem, _, suffix = name.rpartition(".")
        return f"{stem}.{suffix.upper()}" if suffix != "shp" else name

    archive = write_shapefile_zip(
        fields_frame("EPSG:32648"), tmp_path, under="Export/QT/", rename=upper_case_sidecars
    )
    return archive, {}


def shapefile_zip_without_prj_given_crs(tmp_path):
    archive = write_shapefile_zip(fields_frame("EPSG:32648"), tmp_path, drop=(".prj",))
    return archive, {"crs": "EPSG:32648"}


def shapefile_zip_vn2000_tm3_esri_prj(tmp_path):
    archive = write_shapefile_zip(fields_frame("EPSG:9212"), tmp_path)
    with zipfile.ZipFile(archive) as bundle:
        prj = bundle.read("fields.prj").decode()
    # The .prj as ArcGIS and QGIS write it: ESRI WKT, no EPSG code; VN-2000 must still get the
    # official datum shift (without it the fields land about 225 m off).
    assert prj.startswith('PROJCS["VN-2000_TM-3_106-15"') and "AUTHORITY" not in prj
    return archive, {}


def kml(tmp_path):
    path = tmp_path / "fields.kml"
    fields_frame().to_file(path, driver="KML")
    return path, {}


def kmz(tmp_path):
    kml_path, _ = kml(tmp_path)
    path = tmp_path / "fields.kmz"
    with zipfile.ZipFile(path, "w") as bundle:
        bundle.write(kml_path, "doc.kml")
    return path, {}


def csv_wkt(tmp_path):
    path = tmp_path / "fields.csv"
    rows = ["reference,name,wkt"] + [
        f'{reference},{name},"{shape.wkt}"'
        for reference, name, shape in zip(REFERENCES, NAMES, FIELDS, strict=True)
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path, {}


WRITERS = [
    geojson_collection,
    geojson_single_feature_with_bom,
    geopackage_utm,
    geopackage_named_with_bang_and_vietnamese,
    shapefile_zip_wgs84,
    shapefile_zip_utm_upper_case_in_subfolder,
    shapefile_zip_without_prj_given_crs,
    shapefile_zip_vn2000_tm3_esri_prj,
    kml,
    kmz,
    csv_wkt,
]


def metres_apart(first, second) -> float:
    """Hausdorff distance in metres, measured in UTM 48N (true to a few mm here)."""
    return shapely.hausdorff_distance(
        shapely.transform(first, _utm), shapely.transform(second, _utm)
    )


def _utm(xy: np.ndarray) -> np.ndarray:
    x, y = TO_UTM_48N.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


@pytest.mark.parametrize("write", WRITERS, ids=[w.__name__ for w in WRITERS])
def test_the_fields_land_within_a_metre_with_the_same_hectares(tmp_path, write):
    path, options = write(tmp_path)

    read = read_layer(path, **options)

    # KML keeps "name" as the placemark's <name>, which GDAL calls "Name".
    columns = {str(column).lower(): column for column in read.features.columns}
    by_reference = dict(
        zip(read.features[columns["reference"]], read.features.geometry, strict=True)
    )
    assert set(by_reference) <= set(REFERENCES) and by_reference
    for reference, expected_shape in zip(REFERENCES, FIELDS, strict=True):
        if reference not in by_reference:
            continue
        got = by_reference[reference]
        assert metres_apart(got, expected_shape) < 1.0
        assert geodesic_area_ha(got) == pytest.approx(geod_ha(expected_shape), rel=1e-6)
    assert set(read.features[columns["name"]]) <= set(NAMES)


@pytest.mark.parametrize(
    ("write", "epsg", "how"),
    [
        (geojson_collection, 4326, "declared by the GeoJSON file"),
        (geopackage_utm, 32648, "declared by the GeoPackage layer"),
        (shapefile_zip_utm_upper_case_in_subfolder, 32648, "declared in the .prj file"),
        (shapefile_zip_without_prj_given_crs, 32648, "given with the upload"),
        (shapefile_zip_vn2000_tm3_esri_prj, 9212, "declared in the .prj file"),
        (kml, 4326, "KML is WGS 84 by definition"),
        (csv_wkt, 4326, "assumed"),
    ],
    ids=lambda value: getattr(value, "__name__", str(value)),
)
def test_the_report_says_which_crs_was_used_and_how(tmp_path, write, epsg, how):
    path, options = write(tmp_path)

    read = read_layer(path, **options)

    assert read.source_epsg == epsg
    assert read.crs_how.startswith(how)
    assert read.features.crs.to_epsg() == 4326


def test_the_utm_and_wgs84_files_give_the_same_total_hectares(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    wgs84 = read_layer(shapefile_zip_wgs84(tmp_path / "a")[0])
    utm = read_layer(geopackage_utm(tmp_path / "b")[0])

    wgs84_ha = sum(geodesic_area_ha(g) for g in wgs84.features.geometry)
    utm_ha = sum(geodesic_area_ha(g) for g in utm.features.geometry)

    assert utm_ha == pytest.approx(wgs84_ha, rel=1e-6)
    assert wgs84_ha == pytest.approx(sum(geod_ha(shape) for shape in FIELDS), rel=1e-6)


def test_points_come_from_gpx_waypoints_and_csv_lon_lat(tmp_path):
    gpx = tmp_path / "tasks.gpx"
    gpx.write_text(
        '<?xml version="1.0"?><gpx version="1.1" creator="test" '
        'xmlns="http://www.topografix.com/GPX/1/1">'
        '<wpt lat="16.8012" lon="107.0034"><name>ST-1</name></wpt>'
        '<wpt lat="16.7521" lon="106.9876"><name>ST-2</name></wpt></gpx>',
        encoding="utf-8",
    )
    csv = tmp_path / "tasks.csv"
    csv.write_text("reference,lat,lon\nST-1,16.8012,107.0034\nST-2,16.7521,106.9876\n")

    from_gpx = read_layer(gpx)
    from_csv = read_layer(csv)

    assert from_gpx.layer == "waypoints"
    for read in (from_gpx, from_csv):
        assert [(p.x, p.y) for p in read.features.geometry] == [
            (107.0034, 16.8012),
            (106.9876, 16.7521),
        ]
