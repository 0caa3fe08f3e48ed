"""HTTP Basic with real clients against a live server: Python's urllib, which sends the
password only once challenged (so the 401's WWW-Authenticate must offer Basic), and GDAL's
GeoJSON driver with GDAL_HTTP_AUTH=BASIC, as QGIS's GDAL-based providers do."""

import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request

import pytest
from shapely.geometry import box

from tests import factories
from tests.live_site import _admin_units_restored, live_site  # noqa: F401 (fixtures)

PASSWORD = factories.PASSWORD


@pytest.fixture
def analyst_and_release(live_site):  # noqa: F811
    analyst = factories.user("analyst", username="live-analyst")
    release = factories.release(box(107.0, 16.7, 107.01, 16.71))
    return analyst, release


def test_urllib_answers_the_challenge_and_reads_the_releases(live_site, analyst_and_release):  # noqa: F811
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, live_site, "live-analyst", PASSWORD)
    opener = urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(passwords))

    with opener.open(f"{live_site}/api/v1/releases/") as response:
        body = json.load(response)

    assert [feature["id"] for feature in body["features"]] == [analyst_and_release[1].pk]


def test_urllib_with_a_wrong_password_gets_the_401(live_site, analyst_and_release):  # noqa: F811
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, live_site, "live-analyst", "wrong")
    opener = urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(passwords))

    with pytest.raises(urllib.error.HTTPError) as refused:
        opener.open(f"{live_site}/api/v1/releases/")

    assert refused.value.code == 401
    assert refused.value.headers["WWW-Authenticate"].startswith('Basic realm="landrelease"')


def _ogrinfo(url: str, userpwd: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["ogrinfo", "-ro", "-al", "-so", url],
        env={**os.environ, "GDAL_HTTP_AUTH": "BASIC", "GDAL_HTTP_USERPWD": userpwd},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL's ogrinfo (gdal-bin) missing")
def test_gdal_reads_the_releases_with_basic_credentials(live_site, analyst_and_release):  # noqa: F811
    read = _ogrinfo(f"{live_site}/api/v1/releases/", f"live-analyst:{PASSWORD}")

    assert read.returncode == 0, read.stderr
    assert "Feature Count: 1" in read.stdout


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL's ogrinfo (gdal-bin) missing")
def test_gdal_with_a_wrong_password_reads_nothing(live_site, analyst_and_release):  # noqa: F811
    read = _ogrinfo(f"{live_site}/api/v1/releases/", "live-analyst:wrong")

    assert read.returncode != 0
    assert "Feature Count" not in read.stdout
