"""Real OGC API Features clients against a live server: GDAL's OAPIF driver (ogrinfo, ogr2ogr
from Debian's gdal-bin) and OWSLib, paging to the end with a small page size. The hectares they
read are compared with pyproj.Geod's on the shapes the test made (tests/api/places.py)."""

import os
import re
import subprocess
from datetime import date

import pyogrio
import pytest
from owslib.ogcapi.features import Features
from shapely import box

from app.registry.models import ReleaseArea
from gis.areas import geodesic_area_ha
from tests import factories
from tests.api.places import square_inside_district

pytestmark = pytest.mark.django_db

DISTRICTS = ("464", "465", "466", "467", "468", "469", "470")


@pytest.fixture
def registry():
    """Seven approved releases (one per district, of different sizes), one submitted and one
    draft that no reader of the approved registry sees, and a hazard."""
    squares = {}
    for n, code in enumerate(DISTRICTS):
        square = square_inside_district(code, side_deg=0.01 + 0.002 * n)
        squares[factories.release(square).id] = square
    factories.release(square_inside_district("464"), status="submitted", org="mag")
    factories.release(square_inside_district("465"), status="draft")
    factories.hazard(square_inside_district("466"))
    return squares


def _gdal(*args: str, token: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "GDAL_HTTP_HEADERS": f"Authorization: Token {token}",
        # No cache between runs: every page is asked of the server.
        "GDAL_HTTP_TIMEOUT": "60",
    }
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_ogrinfo_lists_the_collections_from_the_landing_page(live_ogc_server, analyst_token):
    result = _gdal("ogrinfo", "-ro", "-q", f"OAPIF:{live_ogc_server.ogc}", token=analyst_token)

    assert result.returncode == 0, result.stderr
    for collection in ("hazards", "releases", "spot-tasks", "villages", "districts-2019"):
        assert collection in result.stdout


def test_ogr2ogr_pages_releases_to_the_end_into_a_geopackage_with_the_registrys_hectares(
    live_ogc_server, analyst_token, registry, tmp_path
):
    gpkg = tmp_path / "releases.gpkg"
    result = _gdal(
        "ogr2ogr", "-f", "GPKG", str(gpkg), f"OAPIF:{live_ogc_server.ogc}", "releases",
        "-oo", "PAGE_SIZE=3", "--debug", "on",
        token=analyst_token,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    # Three pages of 3, by the next links: the last one starts at the seventh feature.
    pages = re.findall(r"Fetch\(\S*/collections/releases/items\?(\S*)\)", result.stderr)
    assert any("offset=6" in page for page in pages), pages
    frame = pyogrio.read_dataframe(gpkg)
    references = dict(ReleaseArea.objects.filter(id__in=registry).values_list("reference", "id"))
    assert sorted(frame["reference"]) == sorted(references)
    read_ha = sum(geodesic_area_ha(geometry) for geometry in frame.geometry)
    expected_ha = sum(geodesic_area_ha(square) for square in registry.values())
    assert read_ha == pytest.approx(expected_ha, rel=1e-4)
    # area_ha as the registry states it, to the 2 decimals it is rounded to.
    assert float(frame["area_ha"].sum()) == pytest.approx(expected_ha, abs=0.005 * len(registry))


def test_ogrinfo_with_a_bbox_reads_only_the_features_inside(
    live_ogc_server, analyst_token, registry
):
    inside = registry[min(registry)]
    min_x, min_y, max_x, max_y = inside.bounds
    result = _gdal(
        "ogrinfo", "-ro", "-so", f"OAPIF:{live_ogc_server.ogc}", "releases",
        "-spat", str(min_x), str(min_y), str(max_x), str(max_y),
        "-oo", "PAGE_SIZE=2",
        token=analyst_token,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert "Feature Count: 1" in result.stdout


def test_owslib_lists_collections_and_pages_items_to_the_end(
    live_ogc_server, analyst_token, registry
):
    client = Features(live_ogc_server.ogc, headers={"Authorization": f"Token {analyst_token}"})

    ids = {collection["id"] for collection in client.collections()["collections"]}
    assert {"hazards", "releases", "spot-tasks", "villages", "districts-2019"} <= ids

    features, offset, pages = [], 0, 0
    while True:
        page = client.collection_items("releases", limit=3, offset=offset)
        pages += 1
        features += page["features"]
        assert page["numberMatched"] == len(registry)
        if not any(link["rel"] == "next" for link in page["links"]):
            break
        offset += 3
    assert pages == 3
    assert sorted(feature["id"] for feature in features) == sorted(registry)
    expected_ha = sum(geodesic_area_ha(square) for square in registry.values())
    from shapely.geometry import shape

    read_ha = sum(geodesic_area_ha(shape(feature["geometry"])) for feature in features)
    assert read_ha == pytest.approx(expected_ha, rel=1e-4)


def test_owslib_reads_one_feature(live_ogc_server, analyst_token, registry):
    client = Features(live_ogc_server.ogc, headers={"Authorization": f"Token {analyst_token}"})
    release_id = min(registry)

    feature = client.collection_item("releases", str(release_id))

    assert feature["id"] == release_id
    assert feature["properties"]["method"] == "cleared"


def test_ogr2ogr_reads_the_remaining_cha_per_commune_with_the_registrys_hectares(
    live_ogc_server, analyst_token, tmp_path
):
    """The derived land with its defaults (as of today, per 2025 commune), paged one unit at a
    time: the CHA less the land released from it, however the communes cut it."""
    cha = [square_inside_district(code, side_deg=0.03) for code in ("464", "468")]
    for square in cha:
        factories.hazard(square)
    min_x, min_y, max_x, max_y = cha[0].bounds
    cleared = box(min_x, min_y, (min_x + max_x) / 2, max_y)
    factories.release(cleared, method="cleared", completed_on=date(2023, 1, 1))
    gpkg = tmp_path / "remaining.gpkg"

    result = _gdal(
        "ogr2ogr", "-f", "GPKG", str(gpkg), f"OAPIF:{live_ogc_server.ogc}", "remaining-cha",
        "-oo", "PAGE_SIZE=1",
        token=analyst_token,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    frame = pyogrio.read_dataframe(gpkg)
    assert len(frame) >= 2
    assert set(frame["method"]) == {"remaining"}
    expected_ha = geodesic_area_ha(cha[0].difference(cleared)) + geodesic_area_ha(cha[1])
    read_ha = sum(geodesic_area_ha(geometry) for geometry in frame.geometry)
    assert read_ha == pytest.approx(expected_ha, rel=1e-4)


def test_ogr2ogr_with_basic_credentials_as_qgis_sends_them(live_ogc_server, registry, tmp_path):
    factories.user("planner", username="qgis-planner")
    gpkg = tmp_path / "releases.gpkg"
    env = {
        **os.environ,
        "GDAL_HTTP_AUTH": "BASIC",
        "GDAL_HTTP_USERPWD": f"qgis-planner:{factories.PASSWORD}",
    }

    result = subprocess.run(
        ["ogr2ogr", "-f", "GPKG", str(gpkg), f"OAPIF:{live_ogc_server.ogc}", "releases"],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert len(pyogrio.read_dataframe(gpkg)) == len(registry)
    env["GDAL_HTTP_USERPWD"] = "qgis-planner:wrong"
    refused = subprocess.run(
        ["ogrinfo", "-ro", "-q", f"OAPIF:{live_ogc_server.ogc}"],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert refused.returncode != 0
    assert "401" in refused.stderr
