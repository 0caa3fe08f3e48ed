"""The province and district maps in headless Chromium, offline, with their vector tiles:
zoomed in where the registry holds a CHA and a release, the tiles are asked for, answered 200
and drawn by VectorGrid (SVG paths in its pane), with no console error, no Content-Security-
Policy violation and no request for anything but 127.0.0.1 (tests/chromium.py)."""

from datetime import date
from urllib.parse import urlsplit

import pytest
from shapely import box

from tests import chromium, factories

from .factories import INSIDE_465, square

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow,
    pytest.mark.skipif(
        chromium.CHROMIUM is None, reason="needs chromium (apt-get install chromium)"
    ),
]

LON, LAT = INSIDE_465
# Zoom 13, where the dissolved layers are served (from 10): the page opens on the whole province
# or district, so the readiness check moves the map there, as a reader would, once the page has
# loaded (before, the page's own fitBounds may still come).
ZOOM = 13
TILE_PATHS = "document.querySelectorAll('.leaflet-vector-tiles-pane path').length"


def zoomed_in_and_drawn(paths: int) -> str:
    return f"""(function () {{
      var name = Object.keys(window).find(function (key) {{ return /^map_[0-9a-f]+$/.test(key); }});
      var map = name && window[name];
      if (document.readyState !== "complete" || !map || !map.setView) {{ return false; }}
      if (map.getZoom() !== {ZOOM}) {{ map.setView([{LAT}, {LON}], {ZOOM}); }}
      var fetched = performance.getEntriesByType("resource").filter(function (entry) {{
        return entry.name.indexOf("/{ZOOM}/") > 0 && entry.name.indexOf("/tiles/") > 0;
      }});
      return map.getZoom() === {ZOOM} && fetched.length > 0 && {TILE_PATHS} >= {paths};
    }})()"""


@pytest.fixture
def answered(client):
    """The test client's answers, recorded as (path, status)."""
    serve, statuses = chromium.served_by(client), []

    def recording(path: str):
        status, headers, body = serve(path)
        statuses.append((path, status))
        return status, headers, body

    return recording, statuses


@pytest.fixture
def cha_half_released():
    factories.hazard(square(LON, LAT, 0.002))
    factories.release(
        box(LON - 0.002, LAT - 0.002, LON, LAT + 0.002), completed_on=date(2023, 5, 1)
    )


@pytest.mark.parametrize(
    ("path", "paths_drawn"),
    [
        # Remaining CHA (the released land is a layer the reader turns on).
        ("/maps/coverage/?year=2023", 1),
        # Remaining CHA and released land.
        ("/maps/districts/465/?year=2023", 2),
    ],
)
def test_a_map_draws_its_tiles_offline_without_an_error(
    answered, cha_half_released, path, paths_drawn
):
    serve, statuses = answered
    browser = chromium.Browser(serve)
    try:
        visit = browser.visit(path, ready=zoomed_in_and_drawn(paths_drawn))
        drawn = browser._evaluate(TILE_PATHS)
        unit_names = browser._evaluate("document.querySelectorAll('.unit-name').length")
    finally:
        browser.close()

    assert visit.ready, visit
    assert drawn >= paths_drawn
    assert unit_names >= 1
    tiles = [(p, status) for p, status in statuses if p.startswith("/tiles/")]
    assert tiles, statuses
    assert all(status == 200 for _p, status in tiles), tiles
    assert any(f"/{ZOOM}/" in p for p, _status in tiles), tiles
    # None below the zoom the dissolved layers start at (their tile would be a 400).
    assert all(int(p.split("/")[3]) >= 10 for p, _status in tiles), tiles
    assert visit.console_errors == [], visit
    assert visit.violations == [], visit
    assert {urlsplit(url).hostname for url in visit.browser_requests} == {"127.0.0.1"}, visit
