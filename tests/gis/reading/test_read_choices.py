"""What the reader refuses to decide alone: which layer, which CRS, which format."""

import json
import zipfile

import pytest
from shapely.geometry import box

from gis.reading import SUPPORTED_FORMATS, ReadError, read_layer
from tests.gis.reading.conftest import REFERENCES, fields_frame, write_shapefile_zip


def test_a_geopackage_with_several_layers_asks_which_and_never_reads_the_first(tmp_path):
    path = tmp_path / "survey.gpkg"
    fields_frame().to_file(path, layer="cha", driver="GPKG")
    fields_frame().iloc[:1].to_file(path, layer="sha", driver="GPKG")

    with pytest.raises(ReadError) as asked:
        read_layer(path)

    assert asked.value.code == "several_layers"
    assert asked.value.choices == ("cha", "sha")
    assert "cha (3 features)" in asked.value.message and "sha (1 features)" in asked.value.message
    assert read_layer(path, layer="sha").feature_count == 1
    assert read_layer(path, layer="CHA").feature_count == 3


def test_an_unknown_layer_lists_the_layers_there_are(tmp_path):
    path = tmp_path / "survey.gpkg"
    fields_frame().to_file(path, layer="cha", driver="GPKG")

    with pytest.raises(ReadError) as refused:
        read_layer(path, layer="releases")

    assert refused.value.code == "unknown_layer"
    assert refused.value.choices == ("cha",)


def test_a_zip_with_two_shapefiles_asks_which(tmp_path):
    folder = tmp_path / "parts"
    folder.mkdir()
    fields_frame().to_file(folder / "cha.shp")
    fields_frame().iloc[:2].to_file(folder / "released.shp")
    archive = tmp_path / "both.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for part in folder.iterdir():
            bundle.write(part, part.name)

    with pytest.raises(ReadError) as asked:
        read_layer(archive)

    assert asked.value.code == "several_layers"
    assert asked.value.choices == ("cha", "released")
    assert read_layer(archive, layer="released").feature_count == 2


def test_a_shapefile_without_prj_is_refused_not_guessed(tmp_path):
    archive = write_shapefile_zip(fields_frame("EPSG:32648"), tmp_path, drop=(".prj",))

    with pytest.raises(ReadError) as refused:
        read_layer(archive)

    assert refused.value.code == "crs_missing"
    assert "no .prj" in refused.value.message and "crs" in refused.value.message


def test_a_shapefile_without_prj_is_offered_the_systems_that_place_it_in_the_area(tmp_path):
    archive = write_shapefile_zip(fields_frame("EPSG:32648"), tmp_path, drop=(".prj",))
    quang_tri = box(106.5, 16.2, 107.5, 17.2)

    with pytest.raises(ReadError) as refused:
        read_layer(archive, operating_area=quang_tri)

    assert refused.value.choices[:2] == ("EPSG:32648", "EPSG:3405")
    assert "EPSG:32648 (WGS 84 / UTM zone 48N)" in refused.value.message
    assert "EPSG:4326" not in refused.value.choices


def test_a_crs_given_with_the_upload_overrides_the_file_and_says_so(tmp_path):
    # Drawn in UTM 48N but labelled as UTM 49N: the user knows better.
    frame = fields_frame("EPSG:32648").set_crs("EPSG:32649", allow_override=True)
    path = tmp_path / "mislabelled.gpkg"
    frame.to_file(path, driver="GPKG")

    read = read_layer(path, crs="EPSG:32648")

    assert read.source_epsg == 32648
    assert read.crs_how.startswith("given with the upload")
    assert any("EPSG:32649" in warning for warning in read.warnings)
    assert list(read.features["reference"]) == list(REFERENCES)


def test_projected_coordinates_labelled_as_degrees_are_refused(tmp_path):
    path = tmp_path / "metres.gpkg"
    fields_frame("EPSG:32648").set_crs("EPSG:4326", allow_override=True).to_file(path)

    with pytest.raises(ReadError) as refused:
        read_layer(path)

    assert refused.value.code == "coordinates_impossible"
    assert "EPSG:32648" in refused.value.message


def test_coordinates_far_outside_the_crs_area_of_use_are_refused(tmp_path):
    # Quảng Trị drawn in UTM 48N but labelled New Zealand TM: read so, it lands in Antarctica.
    path = tmp_path / "wrong-label.gpkg"
    fields_frame("EPSG:32648").set_crs("EPSG:2193", allow_override=True).to_file(path)

    with pytest.raises(ReadError) as refused:
        read_layer(path)

    assert refused.value.code == "coordinates_impossible"
    assert "NZGD2000 / New Zealand Transverse Mercator 2000" in refused.value.message


def test_an_unknown_crs_is_a_clear_error(tmp_path):
    path = tmp_path / "fields.geojson"
    fields_frame().to_file(path, driver="GeoJSON")

    with pytest.raises(ReadError) as refused:
        read_layer(path, crs="EPSG:999999")

    assert refused.value.code == "crs_invalid"


@pytest.mark.parametrize(
    "name", ["fields.tab", "fields.xlsx", "fields.shp", "ortho.tif", "fields", "fields.gdb.zip"]
)
def test_other_formats_are_unsupported_and_the_supported_ones_listed(tmp_path, name):
    path = tmp_path / name
    if name.endswith(".zip"):
        with zipfile.ZipFile(path, "w") as bundle:
            bundle.writestr("fields.gdb/a00000001.gdbtable", b"\0" * 10)
    else:
        path.write_bytes(b"not a GIS file")

    with pytest.raises(ReadError) as refused:
        read_layer(path)

    assert refused.value.code == "unsupported_format"
    for supported in SUPPORTED_FORMATS:
        assert supported in refused.value.message


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "fields.geojson"
    fields_frame().to_file(path, driver="GeoJSON")

    with pytest.raises(ReadError) as refused:
        read_layer(path, max_file_bytes=100)

    assert refused.value.code == "file_too_large"


def test_a_missing_file_is_a_read_error(tmp_path):
    with pytest.raises(ReadError) as refused:
        read_layer(tmp_path / "nothing.geojson")

    assert refused.value.code == "file_missing"


def test_a_kml_that_only_links_to_a_remote_file_is_refused_without_fetching(tmp_path):
    path = tmp_path / "link.kml"
    path.write_text(
        '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        "<NetworkLink><Link><href>http://192.0.2.1/secret.kml</href></Link></NetworkLink>"
        "</Document></kml>"
    )

    with pytest.raises(ReadError) as refused:
        read_layer(path)

    assert refused.value.code == "remote_link"
    assert "never fetched" in refused.value.message


def test_an_image_overlay_beside_placemarks_is_ignored_not_read_as_a_polygon(tmp_path):
    path = tmp_path / "with-scan.kml"
    path.write_text(
        '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        "<Placemark><name>QT-1</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
        "107.0,16.8 107.01,16.8 107.01,16.81 107.0,16.81 107.0,16.8"
        "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>"
        "<GroundOverlay><name>scan</name><Icon><href>map.png</href></Icon><LatLonBox>"
        "<north>16.9</north><south>16.7</south><east>107.1</east><west>106.9</west>"
        "</LatLonBox></GroundOverlay></Document></kml>"
    )

    read = read_layer(path)

    assert read.feature_count == 1
    assert "1 image overlay(s) were ignored." in read.warnings


def test_a_zip_with_a_shapefile_and_a_kml_asks_which(tmp_path):
    folder = tmp_path / "parts"
    folder.mkdir()
    fields_frame().to_file(folder / "cha.shp")
    fields_frame().iloc[:1].to_file(folder / "drawn.kml", driver="KML")
    archive = tmp_path / "both.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for part in folder.iterdir():
            bundle.write(part, part.name)

    with pytest.raises(ReadError) as asked:
        read_layer(archive)

    assert asked.value.choices == ("cha", "drawn.kml")
    assert read_layer(archive, layer="drawn.kml").feature_count == 1
    assert read_layer(archive, layer="cha").feature_count == 3


def test_a_zipped_geopackage_is_read_like_the_file_itself(tmp_path):
    gpkg = tmp_path / "cha.gpkg"
    fields_frame("EPSG:32648").to_file(gpkg, layer="cha", driver="GPKG")
    archive = tmp_path / "cha.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.write(gpkg, "export/cha.gpkg")

    read = read_layer(archive)

    assert (read.feature_count, read.source_epsg, read.driver) == (3, 32648, "GPKG")


def test_a_layer_of_more_features_than_allowed_is_refused_having_read_one_more(tmp_path):
    path = tmp_path / "fields.geojson"
    fields_frame().to_file(path, driver="GeoJSON")

    assert read_layer(path, max_features=3).feature_count == 3
    with pytest.raises(ReadError) as refused:
        read_layer(path, max_features=2)

    assert refused.value.code == "too_many_features"
    assert "more than 2 features" in refused.value.message


@pytest.mark.filterwarnings("ignore:invalid value encountered")
def test_a_coordinate_that_is_not_a_number_leaves_that_feature_without_geometry(tmp_path):
    path = tmp_path / "fields.geojson"
    text = fields_frame(crs="EPSG:32648").to_json(drop_id=True)
    # The second field's fourth vertex loses its northing, as a broken export writes it.
    collection = json.loads(text)
    collection["features"][1]["geometry"]["coordinates"][0][3][1] = float("nan")
    path.write_text(json.dumps(collection))

    read = read_layer(path, crs="EPSG:32648")

    assert read.features.geometry[1] is None
    assert read.features.geometry[0] is not None and read.features.geometry[2] is not None
    assert read.feature_notes == {
        1: "vertex 4: the y coordinate (northing or latitude) is NaN, not a number"
    }
