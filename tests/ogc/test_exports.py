"""Files of an OGC collection (f=gpkg, shp, csv, xlsx, kml on /ogc/collections/<id>/items):
every feature the filters select, in the reader's scope, read back with GDAL and openpyxl, the
hectares against pyproj.Geod."""

import csv
import io
import zipfile
from datetime import date

import numpy as np
import openpyxl
import pyogrio
import pytest
import shapely
from pyproj import Transformer
from shapely import box

from gis.areas import geodesic_area_ha
from tests import factories
from tests.api.places import square_inside_district
from tests.factories import signed_in
from tests.ogc.conftest import RELEASE_SQUARE

pytestmark = pytest.mark.django_db


def gpkg(response, tmp_path):
    assert response.status_code == 200, response.content[:500]
    path = tmp_path / "export.gpkg"
    path.write_bytes(b"".join(response.streaming_content))
    return pyogrio.read_dataframe(path, layer=0)


def test_a_geopackage_holds_the_approved_records_with_their_hectares(releases, tmp_path):
    frame = gpkg(signed_in("analyst").get("/ogc/collections/releases/items?f=gpkg"), tmp_path)

    assert sorted(frame["organisation"]) == ["mag", "npa"]
    assert frame.crs.to_epsg() == 4326
    expected = geodesic_area_ha(RELEASE_SQUARE)
    for geometry in frame.geometry:
        assert geodesic_area_ha(geometry) == pytest.approx(expected, rel=1e-9)


def test_a_coordinators_file_adds_their_own_submitted_work_never_anothers(releases, tmp_path):
    coordinator = signed_in("field_coordinator", org="npa")

    approved = gpkg(coordinator.get("/ogc/collections/releases/items?f=gpkg"), tmp_path)
    pending = gpkg(
        coordinator.get("/ogc/collections/releases/items?f=gpkg&include=submitted"), tmp_path
    )

    assert sorted(approved["status"]) == ["approved", "approved"]
    assert sorted(zip(pending["organisation"], pending["status"], strict=True)) == [
        ("mag", "approved"),
        ("npa", "approved"),
        ("npa", "submitted"),
    ]


def test_a_file_in_vn2000_says_so_and_lands_where_the_wgs84_one_does(releases, tmp_path):
    response = signed_in("analyst").get(
        "/ogc/collections/releases/items?f=gpkg&organisation=npa"
        "&crs=http://www.opengis.net/def/crs/EPSG/0/9212"
    )

    assert response["Content-Crs"] == "<http://www.opengis.net/def/crs/EPSG/0/9212>"
    frame = gpkg(response, tmp_path)
    assert frame.crs.to_epsg() == 9212
    back = Transformer.from_crs(9212, 4326, always_xy=True).transform
    (geometry,) = frame.geometry
    wgs84 = shapely.transform(geometry, lambda xy: np.column_stack(back(xy[:, 0], xy[:, 1])))
    assert geodesic_area_ha(wgs84) == pytest.approx(geodesic_area_ha(RELEASE_SQUARE), rel=1e-6)


def test_csv_xlsx_shp_and_kml_hold_the_same_features(releases, tmp_path):
    analyst = signed_in("analyst")
    url = "/ogc/collections/releases/items?organisation=mag&f="

    text = b"".join(analyst.get(url + "csv").streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    assert [row["organisation"] for row in csv.DictReader(io.StringIO(text[1:]))] == ["mag"]

    workbook = openpyxl.load_workbook(
        io.BytesIO(b"".join(analyst.get(url + "xlsx").streaming_content)), read_only=True
    )
    rows = list(workbook.worksheets[0].values)
    assert len(rows) == 2 and rows[1][rows[0].index("Organisation")] == "mag"

    shp = zipfile.ZipFile(io.BytesIO(b"".join(analyst.get(url + "shp").streaming_content)))
    assert {name.rsplit(".", 1)[-1] for name in shp.namelist()} >= {"shp", "dbf", "prj", "cpg"}

    kml = tmp_path / "releases.kml"
    kml.write_bytes(b"".join(analyst.get(url + "kml").streaming_content))
    assert len(pyogrio.read_dataframe(kml)) == 1


def test_the_derived_land_exports_per_unit_as_the_items_show_it(tmp_path):
    west = square_inside_district("464", side_deg=0.02)
    factories.hazard(west)
    min_x, min_y, max_x, max_y = west.bounds
    factories.release(box(min_x, min_y, (min_x + max_x) / 2, max_y), completed_on=date(2022, 5, 1))

    frame = gpkg(
        signed_in("analyst").get(
            "/ogc/collections/remaining-cha/items?f=gpkg&boundary_set=2019&level=district"
            "&as_of=2023-12-31"
        ),
        tmp_path,
    )

    (geometry,) = frame.geometry
    assert geodesic_area_ha(geometry) == pytest.approx(
        geodesic_area_ha(box((min_x + max_x) / 2, min_y, max_x, max_y)), rel=1e-6
    )


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("f=gpkg&limit=10", "limit"),
        ("f=csv&offset=10", "offset"),
        ("f=xlsx&status=approved", "status"),
        ("f=docx", "f"),
    ],
)
def test_paging_a_status_or_an_unknown_format_with_a_file_is_a_400_naming_it(
    releases, query, parameter
):
    response = signed_in("analyst").get(f"/ogc/collections/releases/items?{query}")

    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


def test_an_aggregates_only_planner_gets_no_file_of_positions(releases):
    planner = signed_in("planner", aggregates_only=True)

    assert planner.get("/ogc/collections/releases/items?f=gpkg").status_code == 403
    assert planner.get("/ogc/collections/districts-2019/items?f=csv").status_code == 200


def test_the_html_page_links_the_files_of_its_filters(releases):
    page = signed_in("analyst").get(
        "/ogc/collections/releases/items?f=html&organisation=npa&limit=5"
    )

    text = page.content.decode()
    assert "f=gpkg" in text and "organisation=npa" in text
    assert "limit=5&amp;f=gpkg" not in text
