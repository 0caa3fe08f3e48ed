"""The province map in headless Chromium at a laptop's and a phone's size, in both boundary sets:
the title box covers no part of the province (every vertex of the units' outlines, the
northernmost first, projects outside its rectangle), the whole province is in view, and a unit
with a sliver of CHA is drawn with the hatching's pattern (tests/chromium.py)."""

from datetime import date

import pytest
from shapely import box

from gis.maps import RELEASED_PCT_COLOURS, small_cha_pattern_id
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
LAPTOP = (1366, 768)
PHONE = (390, 844)
# The sliver below is half released: the 40–60% class.
HATCH = small_cha_pattern_id(RELEASED_PCT_COLOURS[3])

MAP = """Object.keys(window).map(function (key) { return window[key]; }).find(function (value) {
  return value instanceof L.Map; })"""
READY = f"""document.readyState === "complete" && typeof L !== "undefined" && Boolean({MAP})"""
# Where the units' outline vertices fall on the screen beside the title box's rectangle, both in
# the page's (client) coordinates: the map's container points shifted by the container's corner.
PROBE = f"""(function () {{
  var map = {MAP};
  var frame = map.getContainer().getBoundingClientRect();
  var title = document.querySelector(".map-title").getBoundingClientRect();
  function flat(rings) {{
    return rings.reduce(function (all, item) {{
      return all.concat(Array.isArray(item) ? flat(item) : [item]);
    }}, []);
  }}
  var vertices = [];
  map.eachLayer(function (layer) {{
    if (layer.feature && layer.feature.properties.fill && layer.getLatLngs) {{
      flat(layer.getLatLngs()).forEach(function (latlng) {{
        var point = map.latLngToContainerPoint(latlng);
        vertices.push({{lat: latlng.lat, x: point.x + frame.left, y: point.y + frame.top}});
      }});
    }}
  }});
  function inside(p, r) {{
    return p.x >= r.left && p.x <= r.right && p.y >= r.top && p.y <= r.bottom;
  }}
  return {{
    title: {{left: title.left, top: title.top, right: title.right, bottom: title.bottom}},
    frame: {{left: frame.left, top: frame.top, right: frame.right, bottom: frame.bottom}},
    vertices: vertices.length,
    north: vertices.reduce(function (a, b) {{ return b.lat > a.lat ? b : a; }}),
    under_title: vertices.filter(function (p) {{ return inside(p, title); }}).length,
    out_of_view: vertices.filter(function (p) {{ return !inside(p, frame); }}).length,
    hatched: document.querySelectorAll('path[fill="url(#{HATCH})"]').length,
    pattern: Boolean(document.getElementById("{HATCH}")),
  }};
}})()"""


@pytest.fixture
def sliver_of_cha():
    """~1.2 ha of CHA, half released in 2023: hatched in the 40–60% class."""
    factories.hazard(square(LON, LAT, 0.0005))
    factories.release(
        box(LON - 0.0005, LAT - 0.0005, LON, LAT + 0.0005), completed_on=date(2023, 5, 1)
    )


@pytest.mark.parametrize("window", [LAPTOP, PHONE], ids=["laptop", "phone"])
@pytest.mark.parametrize("boundary_set", ["2019", "2025"])
def test_the_title_box_leaves_the_province_in_view_below_it(
    client, sliver_of_cha, boundary_set, window
):
    width, height = window
    browser = chromium.Browser(chromium.served_by(client))
    try:
        browser.resize(width=width, height=height)
        visit = browser.visit(f"/maps/coverage/?year=2023&boundary_set={boundary_set}", ready=READY)
        seen = browser._evaluate(PROBE)
    finally:
        browser.close()

    assert visit.ready, visit
    assert visit.console_errors == [], visit
    assert seen["frame"]["right"] == width, seen
    assert seen["vertices"] > 100, seen
    north, title = seen["north"], seen["title"]
    assert north["y"] > title["bottom"] or north["x"] > title["right"], seen
    assert seen["under_title"] == 0, seen
    assert seen["out_of_view"] == 0, seen
    assert seen["hatched"] == 1 and seen["pattern"], seen
