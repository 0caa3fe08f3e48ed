"""The map builders on plain data: no database, no network."""

import re

import pytest

from gis.maps import (
    LOCAL_ASSETS,
    METHOD_LABELS,
    NO_CHA_COLOUR,
    OSM_COPYRIGHT_URL,
    OSM_TILES_URL,
    RELEASED_PCT_COLOURS,
    SURVEY_LABELS,
    BoundarySetLink,
    MapChoices,
    ScopeBox,
    UnitCoverage,
    VectorTiles,
    coverage_map,
    district_map,
    localise_assets,
    map_html,
    released_pct_colour,
)

ASSETS = "/static/maps/vendor/"


def square(x: float, y: float, size: float = 0.1) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def feature(geometry: dict, **properties) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


UNITS = collection(
    [
        feature(square(106.7, 16.8), code="464", name="Vĩnh Linh"),
        feature(square(106.8, 16.8), code="465", name="Gio Linh"),
        feature(square(106.9, 16.8), code="471", name="Cồn Cỏ"),
    ]
)
COVERAGE = [
    UnitCoverage(
        code="464",
        name="Vĩnh Linh",
        cha_ha=12_345.0,
        released_ha=4_321.0,
        released_pct=35.0,
        cleared_in_year_ha=812.0,
        target_ha=1_000.0,
        pct_of_target=81.2,
    ),
    UnitCoverage(
        code="465",
        name="Gio Linh",
        cha_ha=900.0,
        released_ha=850.0,
        released_pct=94.4,
        cleared_in_year_ha=10.0,
        target_ha=None,
        pct_of_target=None,
    ),
    UnitCoverage(
        code="471",
        name="Cồn Cỏ",
        cha_ha=0.0,
        released_ha=0.0,
        released_pct=None,
        cleared_in_year_ha=0.0,
        target_ha=None,
        pct_of_target=None,
    ),
]
REMAINING = collection([feature(square(106.72, 16.82, 0.02))])
RELEASED = collection(
    [
        feature(square(106.75, 16.85, 0.01), method="cleared"),
        feature(square(106.77, 16.85, 0.01), method="reduced"),
        feature(square(106.79, 16.85, 0.01), method="cancelled"),
    ]
)
VILLAGES = collection(
    [
        feature(
            {"type": "Point", "coordinates": [106.71, 16.81]}, name="Thôn Một", survey_status="none"
        ),
        feature(
            {"type": "Point", "coordinates": [106.72, 16.81]}, name="Thôn Hai", survey_status="nts"
        ),
        feature(
            {"type": "Point", "coordinates": [106.73, 16.81]}, name="Thôn Ba", survey_status="ts"
        ),
    ]
)


def readable(page: str) -> str:
    """The page with Folium's JSON escapes (\\u0129, \\") decoded, as a browser would read it."""
    page = re.sub(r"\\u([0-9a-fA-F]{4})", lambda match: chr(int(match.group(1), 16)), page)
    return page.replace('\\"', '"')


def remote_urls(page: str) -> set[str]:
    """Every http(s) URL in a page, once the optional basemap layer's own two are taken out."""
    page = readable(page).replace(OSM_TILES_URL, "").replace(OSM_COPYRIGHT_URL, "")
    return set(re.findall(r"https?://[^\s\"'<>)]+", page))


def province_page(**overrides) -> str:
    arguments = dict(
        units=UNITS,
        coverage=COVERAGE,
        year=2023,
        asset_base_url=ASSETS,
        remaining_cha=REMAINING,
        released=RELEASED,
        unit_url=lambda code: f"/maps/districts/{code}/?year=2023",
    )
    return readable(map_html(coverage_map(**(arguments | overrides))))


def district_page(**overrides) -> str:
    arguments = dict(
        district=UNITS["features"][0],
        year=2022,
        asset_base_url=ASSETS,
        remaining_cha=REMAINING,
        released=RELEASED,
        villages=VILLAGES,
    )
    return readable(map_html(district_map(**(arguments | overrides))))


def test_the_coverage_map_carries_every_unit_with_its_figures():
    page = province_page()
    for name in ("Vĩnh Linh", "Gio Linh", "Cồn Cỏ"):
        assert name in page
    assert "12,345 ha" in page
    assert "35.0%" in page
    assert "812 ha in 2023 / 1,000 ha (81%)" in page
    assert "10 ha in 2023 / no target" in page


def test_the_coverage_map_links_each_unit_to_its_own_map():
    page = province_page()
    for code in ("464", "465", "471"):
        assert f"/maps/districts/{code}/?year=2023" in page


def test_units_are_coloured_by_their_class_and_grey_without_cha():
    page = province_page()
    assert released_pct_colour(35.0) == RELEASED_PCT_COLOURS[2]
    assert released_pct_colour(94.4) == RELEASED_PCT_COLOURS[-1]
    assert released_pct_colour(0.0) == RELEASED_PCT_COLOURS[0]
    assert released_pct_colour(None) == NO_CHA_COLOUR
    for colour in (RELEASED_PCT_COLOURS[2], RELEASED_PCT_COLOURS[-1], NO_CHA_COLOUR):
        assert colour in page


@pytest.mark.parametrize(
    ("released_pct", "colour_index"),
    [(9.99, 0), (10.0, 1), (19.9, 1), (20.0, 2), (59.9, 3), (60.0, 4), (80.0, 5), (100.0, 5)],
)
def test_class_edges_include_their_lower_bound(released_pct, colour_index):
    assert released_pct_colour(released_pct) == RELEASED_PCT_COLOURS[colour_index]


def test_the_coverage_map_has_a_legend_a_title_and_the_toggleable_layers():
    page = province_page(note="Synthetic demo data")
    assert "map-legend" in page
    assert "% of CHA released" in page
    for label in ("0–10%", "80–100%", "No CHA recorded", "Remaining CHA", *METHOD_LABELS.values()):
        assert label in page
    assert "Confirmed hazardous area released by 31 December 2023" in page
    assert "Synthetic demo data" in page
    assert "L.control.layers" in page
    assert "Released land by method" in page


def test_a_unit_without_stats_is_drawn_as_no_data():
    page = province_page(coverage=COVERAGE[:1])
    assert "Gio Linh" in page
    assert "no data" in page


def test_unit_names_are_escaped_in_the_page():
    units = collection([feature(square(106.7, 16.8), code="1", name="<script>alert(1)</script>")])
    page = province_page(units=units, coverage=[])
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


# The released land as the site draws it, from vector tiles: its page loads VectorGrid too.
RELEASED_TILES = VectorTiles(url="/tiles/released/{z}/{x}/{y}.mvt", min_zoom=10, max_zoom=18)


def test_the_coverage_map_loads_only_local_assets():
    page = province_page(released=RELEASED_TILES)
    assert remote_urls(page) == set()
    for path in filter(None, LOCAL_ASSETS.values()):
        assert f"{ASSETS}{path}" in page
    assert "glyphicons" not in page
    assert "rotate" not in page


def hashed(path: str) -> str:
    """A URL as Django's manifest storage makes it: the content hash before the extension."""
    stem, extension = path.rsplit(".", 1)
    return f"/static/maps/vendor/{stem}.0123abcd5678.{extension}"


def test_each_asset_can_take_a_url_of_its_own_as_a_manifest_names_it():
    """The app passes static(), which names each file by its content hash in production."""
    page = province_page(asset_base_url=hashed, released=RELEASED_TILES)

    for path in filter(None, LOCAL_ASSETS.values()):
        assert hashed(path) in page
        assert f"{ASSETS}{path}" not in page
    assert remote_urls(page) == set()


def test_without_a_basemap_the_page_has_no_remote_url_at_all():
    page = province_page(basemap=False)
    assert re.findall(r"https?://", page) == []
    assert "openstreetmap" not in page.lower()


def test_the_basemap_is_an_optional_layer_that_starts_hidden():
    page = province_page()
    tile_layer = re.search(r"var (tile_layer_\w+) = L\.tileLayer\(\s*\"([^\"]+)\"", page)
    assert tile_layer.group(2) == OSM_TILES_URL
    # Listed in the layer control, never added to the map: no tile is fetched until ticked.
    assert f'"OpenStreetMap basemap (needs internet)" : {tile_layer.group(1)}' in page
    assert f"{tile_layer.group(1)}.addTo(" not in page


def test_the_district_map_shows_outline_layers_villages_and_legend():
    page = district_page()
    assert "Vĩnh Linh: hazard and land release by 31 December 2022" in page
    for name in ("Thôn Một", "Thôn Hai", "Thôn Ba"):
        assert name in page
    for label in [*METHOD_LABELS.values(), *SURVEY_LABELS.values(), "Remaining CHA"]:
        assert label in page
    assert "new L.CircleMarker(latlng" in page
    assert remote_urls(page) == set()


def test_a_map_with_pending_work_says_so_in_an_amber_box_with_a_link_back():
    page = province_page(
        scope=ScopeBox(
            label="Includes submitted work not yet approved",
            link_text="Show approved records only",
            link_url="/maps/coverage/?year=2023&a=1",
            pending=True,
        )
    )
    box = re.search(r'<div class="map-scope"[^>]*>(.*?)</div>', page)
    assert box, "no scope box on the map"
    assert "Includes submitted work not yet approved" in box.group(1)
    assert (
        '<a href="/maps/coverage/?year=2023&amp;a=1">Show approved records only</a>' in box.group(1)
    )
    assert "#fff3cd" in box.group(0)


def test_a_map_of_approved_records_has_a_plain_box_and_no_box_without_a_scope():
    approved = district_page(scope=ScopeBox(label="Approved only"))

    assert re.search(r'<div class="map-scope"[^>]*>Approved only</div>', approved)
    assert "#fff3cd" not in approved
    assert "map-scope" not in province_page()


def test_an_asset_without_a_local_copy_is_refused():
    m = coverage_map(units=UNITS, coverage=COVERAGE, year=2023, asset_base_url=ASSETS)
    m.default_js = [*m.default_js, ("d3", "https://cdn.example.org/d3.min.js")]
    with pytest.raises(ValueError, match="'d3'"):
        localise_assets(m, ASSETS)


HEADER = '<nav class="site-nav">landrelease · <a href="/records/">Records</a></nav>'


def test_a_page_header_comes_before_the_map_fixed_above_its_controls():
    page = province_page(header_html=HEADER)

    header = page.index('<div class="map-page-header"><nav class="site-nav">')
    assert header < page.index('<div class="folium-map"')
    assert ".map-page-header { position: fixed; top: 0; left: 0; right: 0; z-index: 1100; }" in page
    # Leaflet's controls and the map's boxes sit at z-index 1000.
    assert "z-index:1000" in page
    assert "top: var(--map-header-height) !important" in page


def test_the_header_height_is_measured_before_leaflet_draws_the_map():
    page = province_page(header_html=HEADER)

    measure = page.index('setProperty("--map-header-height", header.offsetHeight + "px")')
    assert measure < page.index("L.map(")
    assert 'window.addEventListener("resize", fit)' in page


def test_the_title_moves_below_the_header_and_stays_at_the_top_without_one():
    title = (
        'class="map-title" style="position:fixed;left:60px;z-index:1000;'
        "top:calc(var(--map-header-height, 0px) + 10px);"
    )

    assert title in province_page(header_html=HEADER)
    assert title in province_page()


def test_the_map_is_fitted_below_its_title_box_at_any_zoom_its_layers_allow():
    page = province_page()

    # The units' bounds, [[south, west], [north, east]], fitted below the measured title box
    # once the box is in the page (tests/maps/test_title_box_in_chromium.py measures the result).
    fit = page.index(
        "map.fitBounds([[16.8, 106.7], [16.900000000000002, 107.0]], {paddingTopLeft: [0, covered]"
    )
    assert page.index('class="map-title"') < fit
    assert 'document.querySelector(".map-title")' in page
    # Not the remaining-CHA tiles' least zoom (10), which would zoom the province in.
    assert '"minZoom": 0' in page


def test_without_a_header_the_map_fills_the_page():
    page = province_page()

    assert "map-page-header" not in page
    assert "--map-header-height:" not in page


def test_the_district_map_takes_a_header_too():
    page = district_page(header_html=HEADER)

    assert page.index('<div class="map-page-header">') < page.index('<div class="folium-map"')


def test_the_page_title_names_the_map_escaped():
    assert "<title>Confirmed hazardous area released by 31 December 2023</title>" in province_page()
    district = district_page(title="Hải Lăng <2022> & Co")
    assert "<title>Hải Lăng &lt;2022&gt; &amp; Co</title>" in district


CHOICES = MapChoices(
    year=2023,
    years=[2021, 2022, 2023],
    form_url="/maps/coverage/",
    keep={"boundary_set": "2019", "include": "submitted"},
    boundary_sets=[
        BoundarySetLink("2019"),
        BoundarySetLink(
            "2025", url="/maps/coverage/?year=2023&boundary_set=2025&include=submitted"
        ),
    ],
)


def test_the_year_and_boundary_set_choices_reload_the_page_with_the_query_kept():
    page = province_page(choices=CHOICES)

    form = re.search(r'<form class="map-choices".*?</form>', page, re.S).group(0)
    assert 'method="get" action="/maps/coverage/"' in form
    assert re.findall(r'<option value="(\d+)"', form) == ["2021", "2022", "2023"]
    assert '<option value="2023" selected>' in form
    assert '<input type="hidden" name="include" value="submitted">' in form
    assert '<input type="hidden" name="boundary_set" value="2019">' in form
    assert '<strong aria-current="page">Districts (2019)</strong>' in form
    assert (
        '<a href="/maps/coverage/?year=2023&amp;boundary_set=2025&amp;include=submitted">'
        "Communes (2025)</a>" in form
    )
    assert "<script" not in form


def test_units_are_named_on_the_map_in_a_layer_of_their_own():
    page = province_page()

    assert '"Unit names"' in page
    assert '"permanent": true' in page and '"className": "unit-name"' in page
    # Every unit's name, at a point inside it.
    for unit in UNITS["features"]:
        assert f'"name": "{unit["properties"]["name"]}"' in page


def test_many_units_are_named_only_when_the_reader_asks():
    many = collection(
        [feature(square(106.5 + i * 0.01, 16.8), code=str(i), name=f"Unit {i}") for i in range(30)]
    )
    few_page, many_page = province_page(), province_page(units=many, coverage=[])

    def unit_names_shown(page: str) -> bool:
        # The layer control names the layer's variable; Folium adds a hidden layer to the
        # control only, not to the map.
        layer = re.search(r'"Unit names" : (geo_json_\w+)', page).group(1)
        return f"{layer}.addTo(map_" in page

    assert unit_names_shown(few_page)
    assert not unit_names_shown(many_page)
