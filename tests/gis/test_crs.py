"""Coordinate systems of field files: VN-2000 above all, recognised however the .prj is written.

The oracle for every transformation is PROJ applied to the EPSG code directly
(``Transformer.from_crs("EPSG:9212", "EPSG:4326")``), never the code under test.
"""

import json
from pathlib import Path

import pyproj
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Polygon, shape

from gis.crs import (
    CRSError,
    candidate_crs,
    check_coordinates_plausible,
    identify_crs,
    to_wgs84,
    wgs84_transformer,
)

GEOD = Geod(ellps="WGS84")
BOUNDARIES = Path(__file__).resolve().parents[2] / "data" / "boundaries"

# Khe Sanh, Hướng Hóa (old Quảng Trị), in WGS 84 lon/lat.
KHE_SANH = (106.7328, 16.6286)
# Places of the old province, to sample a file "without a CRS".
QUANG_TRI_PLACES = [
    (106.7328, 16.6286),  # Khe Sanh
    (107.0955, 16.8163),  # Đông Hà
    (107.0580, 17.0100),  # Dốc Miếu, Gio Linh
    (106.9600, 16.9990),  # Vĩnh Linh, south of the Bến Hải
    (107.1850, 16.7460),  # Quảng Trị town
    (106.9900, 16.4600),  # Đa Krông
]

# ArcGIS writes a VN-2000 TM-3 .prj like this when the zone was defined by hand: its own name,
# the datum spelled as a Vietnamese user would, and the Helmert parameters of Decision
# 05/2007/QĐ-BTNMT in a TOWGS84 clause.
HAND_WRITTEN_TM3_WITH_TOWGS84 = (
    'PROJCS["VN2000_Quang_Tri_KT_106_15",'
    'GEOGCS["GCS_VN-2000",DATUM["VN_2000",SPHEROID["WGS_1984",6378137.0,298.257223563],'
    "TOWGS84[-191.90441,-39.30318,-111.45032,0.00928836,-0.01975479,0.00427372,0.252906278]],"
    'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],'
    'PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],'
    'PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",106.25],'
    'PARAMETER["Scale_Factor",0.9999],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]'
)

# The same grid where the writer left the datum as WGS 84 and put VN-2000 only in TOWGS84.
WGS84_NAMED_DATUM_WITH_VN2000_SHIFT = (
    'PROJCS["TM3_106_15",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",'
    'SPHEROID["WGS_1984",6378137.0,298.257223563],'
    "TOWGS84[-191.90441,-39.30318,-111.45032,0.00928836,-0.01975479,0.00427372,0.252906278]],"
    'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],'
    'PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],'
    'PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",106.25],'
    'PARAMETER["Scale_Factor",0.9999],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]'
)

QGIS_PROJ_STRING_VN2000_TM3 = (
    "+proj=tmerc +lat_0=0 +lon_0=106.25 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 "
    "+towgs84=-191.90441,-39.30318,-111.45032,0.00928836,-0.01975479,0.00427372,0.252906278 "
    "+units=m +no_defs"
)


def epsg_to_wgs84(code, x, y):
    """The oracle: PROJ's own EPSG transformation from the official code."""
    return pyproj.Transformer.from_crs(f"EPSG:{code}", "EPSG:4326", always_xy=True).transform(x, y)


def wgs84_to_epsg(code, lon, lat):
    return pyproj.Transformer.from_crs("EPSG:4326", f"EPSG:{code}", always_xy=True).transform(
        lon, lat
    )


def metres_between(first, second):
    _azimuth, _back, distance = GEOD.inv(first[0], first[1], second[0], second[1])
    return distance


def quang_tri_2019():
    with open(BOUNDARIES / "quangtri_province.geojson", encoding="utf-8") as file:
        return shape(json.load(file)["features"][0]["geometry"])


def test_arcgis_esri_wkt_of_vn2000_tm3_106_15_is_epsg_9212():
    esri_wkt = pyproj.CRS.from_epsg(9212).to_wkt("WKT1_ESRI")
    assert "AUTHORITY" not in esri_wkt and "9212" not in esri_wkt

    identified = identify_crs(esri_wkt)

    assert identified.epsg == 9212
    assert identified.crs == pyproj.CRS.from_epsg(9212)
    assert "matched ESRI WKT to EPSG:9212" in identified.how


@pytest.mark.parametrize(
    "definition",
    [
        HAND_WRITTEN_TM3_WITH_TOWGS84,
        WGS84_NAMED_DATUM_WITH_VN2000_SHIFT,
        QGIS_PROJ_STRING_VN2000_TM3,
    ],
    ids=["custom-name-and-towgs84", "wgs84-named-datum-vn2000-towgs84", "qgis-proj-string"],
)
def test_hand_written_vn2000_tm3_definitions_are_epsg_9212(definition):
    assert identify_crs(definition).epsg == 9212


def test_the_old_quang_binh_zone_106_00_is_epsg_9211_not_9212():
    esri_wkt = pyproj.CRS.from_epsg(9211).to_wkt("WKT1_ESRI").replace("VN-2000_TM-3", "QB")
    assert identify_crs(esri_wkt).epsg == 9211


@pytest.mark.parametrize(
    "definition",
    [HAND_WRITTEN_TM3_WITH_TOWGS84, QGIS_PROJ_STRING_VN2000_TM3],
    ids=["custom-name-and-towgs84", "qgis-proj-string"],
)
def test_a_hand_written_vn2000_file_lands_within_1_m_of_the_epsg_9212_transformation(definition):
    easting, northing = wgs84_to_epsg(9212, *KHE_SANH)
    expected = epsg_to_wgs84(9212, easting, northing)

    identified = identify_crs(definition)
    [(lon, lat)] = to_wgs84([(easting, northing)], identified.crs)

    assert metres_between((lon, lat), expected) < 1.0


def test_a_vn2000_tm3_file_read_on_the_wgs84_datum_would_land_about_225_m_off():
    """What the identification prevents: the same TM-3 numbers taken on the WGS 84 datum (no
    datum shift) land off by the VN-2000 shift, which DOMAIN.md puts at about 225 m."""
    easting, northing = wgs84_to_epsg(9212, *KHE_SANH)
    same_grid_on_wgs84 = pyproj.CRS.from_proj4(
        "+proj=tmerc +lat_0=0 +lon_0=106.25 +k=0.9999 +x_0=500000 +y_0=0 +datum=WGS84 +units=m"
    )
    [right] = to_wgs84([(easting, northing)], identify_crs("EPSG:9212").crs)
    [wrong] = to_wgs84([(easting, northing)], same_grid_on_wgs84)

    assert metres_between(right, KHE_SANH) < 0.01
    assert 215 < metres_between(right, wrong) < 235


def test_a_vn2000_utm_file_read_as_wgs84_utm_would_land_about_225_m_off():
    easting, northing = wgs84_to_epsg(3405, *KHE_SANH)
    vn2000 = identify_crs(pyproj.CRS.from_epsg(3405).to_wkt("WKT1_ESRI")).crs

    [right] = to_wgs84([(easting, northing)], vn2000)
    [wrong] = to_wgs84([(easting, northing)], pyproj.CRS.from_epsg(32648))

    assert metres_between(right, KHE_SANH) < 0.01
    assert 215 < metres_between(right, wrong) < 235


def test_the_vn2000_transformation_is_the_epsg_one():
    easting, northing = wgs84_to_epsg(9212, *KHE_SANH)
    transformer = wgs84_transformer(pyproj.CRS.from_epsg(9212), (easting, northing) * 2)
    assert "VN-2000 to WGS 84" in transformer.description


def test_shapely_polygons_are_transformed_vertex_by_vertex_like_the_epsg_oracle():
    ring_lonlat = [(106.73, 16.63), (106.7394, 16.63), (106.7394, 16.639), (106.73, 16.639)]
    ring_tm3 = [wgs84_to_epsg(9212, lon, lat) for lon, lat in ring_lonlat]
    polygon_tm3 = Polygon(ring_tm3)

    [polygon_wgs84] = to_wgs84([polygon_tm3], identify_crs(HAND_WRITTEN_TM3_WITH_TOWGS84).crs)

    for vertex, oracle in zip(polygon_wgs84.exterior.coords, ring_lonlat, strict=False):
        assert metres_between(vertex, oracle) < 1.0


def test_to_wgs84_keeps_missing_geometries_and_drops_z():
    point_z = shapely.Point(*wgs84_to_epsg(32648, *KHE_SANH), 42.0)
    transformed = to_wgs84([point_z, None], pyproj.CRS.from_epsg(32648))
    assert transformed[1] is None
    assert not transformed[0].has_z
    assert metres_between((transformed[0].x, transformed[0].y), KHE_SANH) < 0.01


def test_utm_48n_esri_wkt_is_epsg_32648_and_lands_on_the_oracle():
    identified = identify_crs(pyproj.CRS.from_epsg(32648).to_wkt("WKT1_ESRI"))
    easting, northing = 717_000.0, 1_840_000.0

    [(lon, lat)] = to_wgs84([(easting, northing)], identified.crs)

    assert identified.epsg == 32648
    assert metres_between((lon, lat), epsg_to_wgs84(32648, easting, northing)) < 0.01


def test_vn2000_utm_48n_esri_wkt_is_epsg_3405():
    assert identify_crs(pyproj.CRS.from_epsg(3405).to_wkt("WKT1_ESRI")).epsg == 3405


@pytest.mark.parametrize("code", [4131, 3148, 3149])
def test_indian_1960_esri_wkt_keeps_its_epsg_code(code):
    assert identify_crs(pyproj.CRS.from_epsg(code).to_wkt("WKT1_ESRI")).epsg == code


def test_indian_1960_utm_written_as_a_proj_string_is_epsg_3148_and_shifted_hundreds_of_metres():
    identified = identify_crs(
        "+proj=utm +zone=48 +a=6377276.345 +rf=300.8017 +towgs84=198,881,317,0,0,0,0 +units=m"
    )
    easting, northing = 717_000.0, 1_840_000.0
    [shifted] = to_wgs84([(easting, northing)], identified.crs)
    unshifted = pyproj.Transformer.from_proj(
        "+proj=utm +zone=48 +a=6377276.345 +rf=300.8017 +units=m",
        "+proj=longlat +a=6377276.345 +rf=300.8017",
        always_xy=True,
    ).transform(easting, northing)

    assert identified.epsg == 3148
    assert metres_between(shifted, unshifted) > 300


def test_vn2000_geographic_esri_wkt_is_epsg_4756():
    assert identify_crs(pyproj.CRS.from_epsg(4756).to_wkt("WKT1_ESRI")).epsg == 4756


@pytest.mark.parametrize("entry", ["EPSG:9212", "epsg:9212", "9212", " 9212 "])
def test_a_users_epsg_entry_is_taken_as_given(entry):
    identified = identify_crs(entry)
    assert identified.epsg == 9212
    assert identified.name == "VN-2000 / TM-3 106-15"
    assert "given" in identified.how


def test_a_vn2000_grid_with_no_epsg_twin_is_kept_on_the_epsg_vn2000_datum():
    esri_wkt = (
        pyproj.CRS.from_epsg(9212)
        .to_wkt("WKT1_ESRI")
        .replace('"Central_Meridian",106.25', '"Central_Meridian",106.1')
    )
    identified = identify_crs(esri_wkt)
    easting, northing = 510_000.0, 1_840_000.0
    # Oracle: EPSG:4756 (VN-2000 geographic) through PROJ, after the same TM inverse.
    projection = pyproj.Proj(
        "+proj=tmerc +lat_0=0 +lon_0=106.1 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84"
    )
    vn2000_lon, vn2000_lat = projection(easting, northing, inverse=True)
    expected = epsg_to_wgs84(4756, vn2000_lon, vn2000_lat)

    [(lon, lat)] = to_wgs84([(easting, northing)], identified.crs)

    assert identified.epsg is None
    assert "VN-2000" in identified.how
    assert metres_between((lon, lat), expected) < 1.0


@pytest.mark.parametrize(
    "prj_text",
    [
        "",
        "   \n",
        "<!DOCTYPE html><html><head><title>404 Not Found</title></head></html>",
        "this is not a projection",
        'PROJCS["broken",GEOGCS[',
        "EPSG:999999",
    ],
    ids=["empty", "blank", "html-page", "prose", "truncated-wkt", "unknown-code"],
)
def test_an_unreadable_prj_is_a_clear_error(prj_text):
    with pytest.raises(CRSError) as error:
        identify_crs(prj_text)
    assert "EPSG:" in str(error.value)


def test_an_html_page_saved_as_prj_is_named_as_such():
    with pytest.raises(CRSError, match="web page"):
        identify_crs("<html><body>Sign in</body></html>")


def test_latitudes_beyond_90_are_impossible_in_a_geographic_crs():
    with pytest.raises(CRSError, match="impossible as degrees"):
        check_coordinates_plausible((717_000, 1_840_000, 718_000, 1_841_000), pyproj.CRS(4326))


def test_degrees_labelled_as_utm_are_impossible():
    with pytest.raises(CRSError, match="look like degrees"):
        check_coordinates_plausible((106.7, 16.6, 106.8, 16.7), pyproj.CRS(32648))


def test_northings_beyond_the_pole_are_impossible_in_utm():
    with pytest.raises(CRSError, match="cannot exist"):
        check_coordinates_plausible((700_000, 1e9, 710_000, 1.1e9), pyproj.CRS(32648))


def test_plausible_coordinates_pass():
    check_coordinates_plausible((106.7, 16.6, 106.8, 16.7), pyproj.CRS(4326))
    check_coordinates_plausible((717_000, 1_840_000, 718_000, 1_841_000), pyproj.CRS(32648))


@pytest.mark.parametrize("true_code", [32648, 9212, 3405])
def test_candidates_for_a_quang_tri_file_without_crs_include_the_true_system_at_the_top(
    true_code,
):
    sample = [wgs84_to_epsg(true_code, lon, lat) for lon, lat in QUANG_TRI_PLACES]

    candidates = candidate_crs(sample, quang_tri_2019())
    codes = [candidate.epsg for candidate in candidates]

    assert true_code in codes[:3]
    best = candidates[codes.index(true_code)]
    assert best.inside_fraction == 1.0
    # Geographic systems cannot hold metres; the 49N zone puts them in the sea or Laos.
    assert 4326 not in codes and 32649 not in codes


def test_tm3_coordinates_of_quang_tri_rank_9212_first():
    sample = [wgs84_to_epsg(9212, lon, lat) for lon, lat in QUANG_TRI_PLACES]
    assert candidate_crs(sample, quang_tri_2019())[0].epsg == 9212


def test_utm_48n_coordinates_rank_32648_first():
    sample = [wgs84_to_epsg(32648, lon, lat) for lon, lat in QUANG_TRI_PLACES]
    assert candidate_crs(sample, quang_tri_2019())[0].epsg == 32648


def test_longitude_latitude_without_crs_offer_the_geographic_systems_only():
    candidates = candidate_crs(QUANG_TRI_PLACES, quang_tri_2019())
    assert [candidate.epsg for candidate in candidates][:1] == [4326]
    assert {candidate.epsg for candidate in candidates} <= {4326, 4756, 4131, 4147}


def test_coordinates_of_another_country_have_no_candidates_here():
    paris_utm31 = [(452_000.0, 5_411_000.0), (453_000.0, 5_412_000.0)]
    assert candidate_crs(paris_utm31, quang_tri_2019()) == []


def test_without_an_operating_area_each_system_is_judged_by_its_own_area_of_use():
    """Without an area, 9212 cannot be told from 32648 (whose area of use covers all of 102-108°E),
    but systems of other regions drop out: VN-2000 / UTM 49N (onshore Vietnam east of 108°E) and
    the TM-3 zone of Điện Biên (north of 20.9°N)."""
    sample = [wgs84_to_epsg(9212, lon, lat) for lon, lat in QUANG_TRI_PLACES]
    candidates = {
        candidate.epsg: candidate.inside_fraction for candidate in candidate_crs(sample, None)
    }
    assert candidates[9212] == 1.0
    assert 3406 not in candidates and 9205 not in candidates


def test_an_esri_wkt_on_another_datum_is_matched_when_proj_finds_it_equivalent():
    esri_wkt = (
        'PROJCS["ED50_UTM_zone_30N",GEOGCS["GCS_European_1950",DATUM["D_European_1950",'
        'SPHEROID["International_1924",6378388,297]],PRIMEM["Greenwich",0],'
        'UNIT["Degree",0.017453292519943295]],PROJECTION["Transverse_Mercator"],'
        'PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",-3],'
        'PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],'
        'PARAMETER["false_northing",0],UNIT["Meter",1]]'
    )
    assert identify_crs(esri_wkt).epsg == 23030


def test_an_unnamed_datum_is_used_as_written_and_says_so():
    esri_wkt = (
        'GEOGCS["GRS 1980(IUGG, 1980)",DATUM["D_unknown",SPHEROID["GRS80",6378137,298.257222101]],'
        'PRIMEM["Greenwich",0],UNIT["Degree",0.017453292519943295]]'
    )
    identified = identify_crs(esri_wkt)
    assert identified.epsg is None
    assert "used as written" in identified.how


def test_indian_1960_in_quang_tri_uses_the_transformation_made_for_14_to_18_north():
    easting, northing = wgs84_to_epsg(3148, *KHE_SANH)
    transformer = wgs84_transformer(pyproj.CRS.from_epsg(3148), (easting, northing) * 2)
    [datum_shift] = [op for op in transformer.operations if "Indian 1960 to" in op.name]
    west, south, east, north = datum_shift.area_of_use.bounds
    assert west <= KHE_SANH[0] <= east and south <= KHE_SANH[1] <= north


@pytest.mark.parametrize("code", [4147, 2044])
def test_hanoi_1972_esri_wkt_keeps_its_epsg_code(code):
    assert identify_crs(pyproj.CRS.from_epsg(code).to_wkt("WKT1_ESRI")).epsg == code


def test_tm3_coordinates_of_the_former_quang_binh_rank_9211_first_in_the_merged_province():
    with open(BOUNDARIES / "quangtri_2025_province.geojson", encoding="utf-8") as file:
        merged_province = shape(json.load(file)["features"][0]["geometry"])
    quang_binh_places = [(106.60, 17.47), (106.28, 17.59), (106.42, 17.75), (106.79, 17.21)]
    sample = [wgs84_to_epsg(9211, lon, lat) for lon, lat in quang_binh_places]

    assert candidate_crs(sample, merged_province)[0].epsg == 9211
