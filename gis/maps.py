"""Folium maps of hazard and land release: the province coverage map and a district map.

Framework-free on purpose: the app's views, `manage.py render_map` and the notebooks all call these
builders with plain data (GeoJSON dicts and small dataclasses), so the map a notebook shows is the
map the site serves. The database work (simplified GeoJSON, the accounting) happens before, in
the app's selectors.

Offline by construction: every script and stylesheet Folium would load from a CDN is pointed at
``asset_base_url`` (the app serves them from ``/static/maps/vendor/``, copied from npm by
``manage.py collect_map_assets``). The only remote URL a map may carry is the optional
OpenStreetMap tile layer, off by default; without it the map is outlines on white.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import folium
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template
from shapely.geometry import shape

from gis.numbers import ENGLISH as ENGLISH_NUMBERS
from gis.numbers import NumberConvention, format_number
from gis.vector_tiles import VectorTiles, add_pane, add_vector_tile_layer

# Where each Folium asset lives under asset_base_url. Keys are Folium's own names for its default
# assets (folium.folium._default_js/_default_css); collect_map_assets copies these very files
# from node_modules/. None: Folium asks for it but our maps never use it (glyphicon icons,
# rotated awesome-markers), so it is dropped rather than fetched.
LOCAL_ASSETS: Mapping[str, str | None] = {
    "leaflet": "leaflet/leaflet.js",
    "jquery": "jquery/jquery.min.js",
    "bootstrap": "bootstrap/js/bootstrap.bundle.min.js",
    "awesome_markers": "leaflet.awesome-markers/leaflet.awesome-markers.js",
    "leaflet_css": "leaflet/leaflet.css",
    "bootstrap_css": "bootstrap/css/bootstrap.min.css",
    "glyphicons_css": None,
    "awesome_markers_font_css": "fontawesome-free/css/all.min.css",
    "awesome_markers_css": "leaflet.awesome-markers/leaflet.awesome-markers.css",
    "awesome_rotate_css": None,
    # folium.plugins.VectorGridProtobuf's name: the heavy layers drawn from vector tiles.
    "vectorGrid": "leaflet.vectorgrid/Leaflet.VectorGrid.bundled.min.js",
}

# Where a map's scripts and stylesheets come from: a URL prefix under which LOCAL_ASSETS' paths
# lie ("/static/maps/vendor/", a folder's file:// URI), or a function from such a path to its URL
# (the app's static(), which in production names each file by its content hash, issue 8).
AssetLocation = str | Callable[[str], str]

# The one remote URL allowed in a map: basemap tiles, fetched only when the user ticks the layer.
OSM_TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_COPYRIGHT_URL = "https://www.openstreetmap.org/copyright"
OSM_ATTRIBUTION = f'&copy; <a href="{OSM_COPYRIGHT_URL}">OpenStreetMap</a> contributors'

# % of CHA released: class edges (lower bound inclusive) and ColorBrewer YlGn, light to dark.
RELEASED_PCT_EDGES: Sequence[float] = (0, 10, 20, 40, 60, 80)
RELEASED_PCT_COLOURS: Sequence[str] = (
    "#ffffcc",
    "#d9f0a3",
    "#addd8e",
    "#78c679",
    "#31a354",
    "#006837",
)
NO_CHA_COLOUR = "#bdbdbd"
# A unit with less CHA than the caller's threshold (the app's MAP_SMALL_CHA_HA) keeps its class
# colour under dark stripes: its % may rest on a sliver of a CHA crossing its boundary (issue 11
# §4: Kim Ngân, 2.3% of 1.11 ha), and a reader must not take it for a unit nearly untouched.
# The stripes are SVG <pattern>s defined once in the page, one per class colour, which Leaflet's
# SVG renderer takes as a fillColor "url(#id)": no plugin and no script.
SMALL_CHA_STRIPE_COLOUR = "#252525"
SMALL_CHA_PATTERN_PREFIX = "small-cha-"
# Nearly opaque so a unit's colour matches its legend swatch; a basemap still shows faintly.
CHOROPLETH_OPACITY = 0.9

REMAINING_CHA_COLOUR = "#d7301f"
# Blues for released land, so they read apart from the green choropleth beneath them.
METHOD_COLOURS: Mapping[str, str] = {
    "cleared": "#08519c",
    "reduced": "#4292c6",
    "cancelled": "#9ecae1",
}
METHOD_LABELS: Mapping[str, str] = {
    "cleared": "Released: cleared",
    "reduced": "Released: reduced (technical survey)",
    "cancelled": "Released: cancelled (non-technical survey)",
}
SURVEY_COLOURS: Mapping[str, str] = {
    "none": "#ffffff",
    "nts": "#fdae61",
    "ts": "#1a9641",
}
SURVEY_LABELS: Mapping[str, str] = {
    "none": "Village: no survey yet",
    "nts": "Village: non-technical survey done",
    "ts": "Village: technical survey done",
}
SURVEY_STATUS: Mapping[str, str] = {
    "none": "no survey yet",
    "nts": "non-technical survey done",
    "ts": "technical survey done",
}

FeatureCollection = dict[str, Any]
# A heavy layer: GeoJSON in the page (a file, a notebook), or the URL of its vector tiles (the
# site: the page stays small at any scale).
HeavyLayer = FeatureCollection | VectorTiles

# What a click on a record of the district map shows, by property of the tiles
# (app.maps.tiles), with English labels (MapLabels.record_fields).
HAZARD_POPUP_FIELDS: Sequence[str] = (
    "reference",
    "kind",
    "contamination",
    "organisation",
    "recorded_on",
    "status",
    "area_ha",
)
RELEASE_POPUP_FIELDS: Sequence[str] = (
    "reference",
    "method",
    "organisation",
    "started_on",
    "completed_on",
    "depth_cm",
    "status",
    "area_ha",
)
HAZARD_COLOURS: Mapping[str, str] = {"CHA": "#b2182b", "SHA": "#ef8a62"}


@dataclass(frozen=True)
class MapLabels:
    """Every word the maps show, in English by default; the app passes translated ones.

    Fields in braces are filled with ``str.format``: ``{year}``, ``{name}`` (a unit's name),
    ``{cleared}`` and ``{target}`` (hectares already written as numbers, "ha" included in
    ``target``). How figures are written is ``coverage_map``'s ``numbers``.
    """

    coverage_title: str = "Confirmed hazardous area released by 31 December {year}"
    district_title: str = "{name}: hazard and land release by 31 December {year}"
    choropleth_layer: str = "% of CHA released by end of {year}"
    pct_heading: str = "% of CHA released"
    no_cha_recorded: str = "No CHA recorded"
    legend_heading: str = "Legend"
    boundary_layer: str = "Boundary"
    remaining_cha: str = "Remaining CHA"
    released_layer: str = "Released land by method"
    villages_layer: str = "Villages by survey status"
    basemap_layer: str = "OpenStreetMap basemap (needs internet)"
    unit_link: str = "Map of {name}"
    methods: Mapping[str, str] = field(default_factory=lambda: dict(METHOD_LABELS))
    survey_legend: Mapping[str, str] = field(default_factory=lambda: dict(SURVEY_LABELS))
    survey_status: Mapping[str, str] = field(default_factory=lambda: dict(SURVEY_STATUS))
    # Tooltip rows of the province map, keyed by the feature property each one shows.
    tooltip: Mapping[str, str] = field(
        default_factory=lambda: {
            "name": "Unit",
            "cha_ha": "CHA",
            "released_ha": "Released",
            "released_pct": "Released %",
            "cleared_vs_target": "Cleared this year / target",
        }
    )
    hazards_layer: str = "Hazard areas (records)"
    releases_layer: str = "Releases (records)"
    unit_names_layer: str = "Unit names"
    year_choice: str = "Year"
    show_choice: str = "Show"
    boundary_choice: str = "Boundary set"
    # Keyed by boundary set: the units each one's maps show.
    boundary_sets: Mapping[str, str] = field(
        default_factory=lambda: {"2019": "Districts (2019)", "2025": "Communes (2025)"}
    )
    record_fields: Mapping[str, str] = field(
        default_factory=lambda: {
            "reference": "Reference",
            "kind": "Kind",
            "contamination": "Contamination",
            "organisation": "Organisation",
            "recorded_on": "Recorded on",
            "status": "Review status",
            "area_ha": "Area (ha)",
            "method": "Method",
            "started_on": "Started on",
            "completed_on": "Completed on",
            "depth_cm": "Depth (cm)",
        }
    )
    village: str = "Village"
    survey: str = "Survey"
    no_data: str = "no data"
    no_target: str = "no target"
    no_cha: str = "no CHA"
    cleared_vs_target: str = "{cleared} ha in {year} / {target}"
    # A hatched unit (coverage_map's small_cha_ha): its tooltip's note under the %, and the
    # legend's entry; ``{threshold}`` and ``{cha}`` are hectares already written as numbers.
    small_cha_note: str = "CHA under {threshold} ha: the percentage rests on {cha} ha"
    small_cha_legend: str = (
        "Hatched: CHA under {threshold} ha (the percentage rests on little land)"
    )


ENGLISH = MapLabels()


@dataclass(frozen=True)
class UnitCoverage:
    """One unit's figures for the coverage map (from the release and clearance reports).

    Hectares are geodesic. released_pct is None where the unit has no CHA; target_ha and
    pct_of_target are None where no target applies.
    """

    code: str
    name: str
    cha_ha: float
    released_ha: float
    released_pct: float | None
    cleared_in_year_ha: float
    target_ha: float | None
    pct_of_target: float | None


@dataclass(frozen=True)
class ScopeBox:
    """Which records a map counts, in a box on the map, with an optional link to the other choice
    (approved only / with submitted work).

    The caller writes the texts (translated, in the app). ``pending`` marks a map that includes
    work not yet approved: the box is then drawn in amber, so the map is never taken for the
    approved figures.
    """

    label: str
    link_text: str | None = None
    link_url: str | None = None
    pending: bool = False


@dataclass(frozen=True)
class BoundarySetLink:
    """One boundary set the reader may switch to (``url``), or the one shown (``url`` None)."""

    boundary_set: str
    url: str | None = None


@dataclass(frozen=True)
class MapChoices:
    """The year and the boundary set a map is drawn for, with what the reader may switch to, in
    the title box: a form that reloads the page at ``form_url`` with the year chosen among
    ``years`` (``keep``: the other query parameters it sends along, e.g. include=submitted),
    and a link to each other boundary set's map. Plain HTML: no script of its own."""

    year: int
    years: Sequence[int]
    form_url: str
    keep: Mapping[str, str] = field(default_factory=dict)
    boundary_sets: Sequence[BoundarySetLink] = ()


def released_pct_colour(released_pct: float | None) -> str:
    """Colour of a unit in the choropleth: the class its % falls in, grey when it has no CHA."""
    if released_pct is None:
        return NO_CHA_COLOUR
    colour = RELEASED_PCT_COLOURS[0]
    for edge, step_colour in zip(RELEASED_PCT_EDGES, RELEASED_PCT_COLOURS, strict=True):
        if released_pct >= edge:
            colour = step_colour
    return colour


def is_small_cha(cha_ha: float, *, small_cha_ha: float) -> bool:
    """Whether a unit's % of CHA released rests on too little CHA to be read alone: it has CHA
    (a % to show) and less of it than ``small_cha_ha`` hectares. A threshold of 0 makes no unit
    small; a unit without CHA is grey, never hatched. The folium map and the report's static
    maps (gis.report_maps) hatch the same units."""
    return 0 < cha_ha < small_cha_ha


def hatched_for_small_cha(row: UnitCoverage | None, *, small_cha_ha: float) -> bool:
    """Whether the coverage map hatches a unit (see is_small_cha)."""
    return row is not None and is_small_cha(row.cha_ha, small_cha_ha=small_cha_ha)


def small_cha_pattern_id(colour: str) -> str:
    """The id of the SVG pattern that hatches a unit of class ``colour`` ("#78c679")."""
    return SMALL_CHA_PATTERN_PREFIX + colour.removeprefix("#")


def coverage_map(
    *,
    units: FeatureCollection,
    coverage: Sequence[UnitCoverage],
    year: int,
    asset_base_url: AssetLocation,
    remaining_cha: HeavyLayer | None = None,
    released: HeavyLayer | None = None,
    unit_url: Callable[[str], str] | None = None,
    title: str | None = None,
    note: str | None = None,
    basemap: bool = True,
    scope: ScopeBox | None = None,
    labels: MapLabels = ENGLISH,
    numbers: NumberConvention = ENGLISH_NUMBERS,
    header_html: str | None = None,
    choices: MapChoices | None = None,
    small_cha_ha: float = 0,
) -> folium.Map:
    """The province map: units as a choropleth of % CHA released at the end of ``year``.

    ``units`` features carry ``code`` and ``name`` properties; ``coverage`` has one row per code
    (a unit without a row is drawn grey, "no data"). ``remaining_cha`` and ``released`` (features
    with a ``method`` property) become layers the user can toggle. ``unit_url(code)`` gives the
    link from each unit to its own map. ``note`` is shown under the title (e.g. "synthetic data");
    ``scope`` says which records the figures count (see ScopeBox); ``labels`` every other word;
    ``numbers`` how the reader writes the tooltips' and the legend's figures (gis.numbers: 1,234
    ha and 61.5% in English, 1.234 ha and 61,5% in Vietnamese).
    ``header_html`` (the site's nav bar, written and escaped by the caller) is fixed across the
    top of the page, the map below it; without it the map fills the page (a file, a notebook).
    ``choices`` puts a year and boundary-set selector under the title. Each unit is named on the
    map (the "Unit names" layer), shown at first when there are few units (the 2019 districts),
    off until the reader turns it on when they would crowd the province (the 2025 communes).
    A unit with CHA but less than ``small_cha_ha`` hectares of it (hatched_for_small_cha; the
    app passes MAP_SMALL_CHA_HA, 0 hatches none) is hatched over its colour, its tooltip says
    on how little land its % rests (its hectares to 2 decimals) and the legend explains the
    hatching.
    """
    by_code = {row.code: row for row in coverage}
    m = _blank_map(units, basemap=basemap, labels=labels)
    if header_html is not None:
        _add_page_header(m, header_html)
    features, named_units, hatched_colours = [], [], set()
    for feature in units["features"]:
        code = str(feature["properties"]["code"])
        row = by_code.get(code)
        name = row.name if row else str(feature["properties"].get("name", code))
        named_units.append((name, feature))
        fill = released_pct_colour(row.released_pct) if row else NO_CHA_COLOUR
        hatched = hatched_for_small_cha(row, small_cha_ha=small_cha_ha)
        if hatched:
            hatched_colours.add(fill)
            fill = f"url(#{small_cha_pattern_id(fill)})"
        properties = {
            "code": code,
            "fill": fill,
            **_coverage_tooltip_fields(
                name, row, year, labels, numbers, small_cha_ha=small_cha_ha if hatched else None
            ),
        }
        if unit_url is not None:
            link_text = html.escape(labels.unit_link.format(name=name))
            properties["link"] = f'<a href="{html.escape(unit_url(code))}">{link_text}</a>'
        features.append({**feature, "properties": properties})
    tooltip_fields = list(labels.tooltip)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=labels.choropleth_layer.format(year=year),
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "fillOpacity": CHOROPLETH_OPACITY,
            "color": "#333333",
            "weight": 1,
        },
        highlight_function=lambda f: {"weight": 3, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(
            fields=tooltip_fields, aliases=[labels.tooltip[f] for f in tooltip_fields]
        ),
        popup=folium.GeoJsonPopup(fields=["link"], labels=False) if unit_url else None,
    ).add_to(m)
    if hatched_colours:
        _add_small_cha_patterns(m, sorted(hatched_colours))
    if remaining_cha is not None:
        _add_remaining_cha(m, remaining_cha, show=True, labels=labels)
    if released is not None:
        _add_released(m, released, show=False, labels=labels)
    _add_unit_names(m, named_units, show=len(named_units) <= UNIT_NAMES_SHOWN_UP_TO, labels=labels)
    _add_title(m, title or labels.coverage_title.format(year=year), note, choices, labels)
    if scope is not None:
        _add_scope_box(m, scope)
    _add_legend(
        m,
        heading=labels.pct_heading,
        entries=[*pct_legend_entries(numbers), (NO_CHA_COLOUR, labels.no_cha_recorded)]
        + _small_cha_legend_entries(bool(hatched_colours), small_cha_ha, labels, numbers)
        + _layer_legend_entries(remaining_cha, released, labels),
    )
    folium.LayerControl(collapsed=False).add_to(m)
    localise_assets(m, asset_base_url)
    return m


def district_map(
    *,
    district: dict[str, Any],
    year: int,
    asset_base_url: AssetLocation,
    remaining_cha: HeavyLayer,
    released: HeavyLayer,
    villages: FeatureCollection,
    hazards: VectorTiles | None = None,
    releases: VectorTiles | None = None,
    title: str | None = None,
    note: str | None = None,
    basemap: bool = True,
    scope: ScopeBox | None = None,
    labels: MapLabels = ENGLISH,
    header_html: str | None = None,
    choices: MapChoices | None = None,
) -> folium.Map:
    """One district (or commune): its outline, remaining CHA, released land by method and
    villages coloured by survey status, all as of the end of ``year``; ``scope``, ``labels``,
    ``header_html`` and ``choices`` as in ``coverage_map``; the unit's name on the map.

    ``district`` is a GeoJSON feature with ``code`` and ``name``; ``released`` features carry
    ``method`` (cleared | reduced | cancelled); ``villages`` are points with ``name`` and
    ``survey_status`` (none | nts | ts).
    """
    name = str(district["properties"]["name"])
    outline = {"type": "FeatureCollection", "features": [district]}
    m = _blank_map(outline, basemap=basemap, labels=labels)
    if header_html is not None:
        _add_page_header(m, header_html)
    folium.GeoJson(
        outline,
        name=labels.boundary_layer,
        style_function=lambda f: {"fill": False, "color": "#333333", "weight": 2},
        control=False,
    ).add_to(m)
    _add_remaining_cha(m, remaining_cha, show=True, labels=labels)
    _add_released(m, released, show=True, labels=labels)
    if hazards is not None:
        _add_records(m, hazards, "hazards", HAZARD_POPUP_FIELDS, show=False, labels=labels)
    if releases is not None:
        _add_records(m, releases, "releases", RELEASE_POPUP_FIELDS, show=False, labels=labels)
    village_features = [
        {
            **v,
            "properties": {
                "name": html.escape(str(v["properties"]["name"])),
                "survey": labels.survey_status[v["properties"]["survey_status"]],
                "fill": SURVEY_COLOURS[v["properties"]["survey_status"]],
            },
        }
        for v in villages["features"]
    ]
    folium.GeoJson(
        {"type": "FeatureCollection", "features": village_features},
        name=labels.villages_layer,
        marker=folium.CircleMarker(radius=5, fill=True),
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "fill": True,
            "fillOpacity": 1,
            "color": "#222222",
            "weight": 1,
        },
        # Folium refuses a tooltip whose fields no feature has, as in a unit without villages.
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "survey"], aliases=[labels.village, labels.survey]
        )
        if village_features
        else None,
    ).add_to(m)
    _add_unit_names(m, [(name, district)], show=True, labels=labels)
    _add_title(
        m, title or labels.district_title.format(name=name, year=year), note, choices, labels
    )
    if scope is not None:
        _add_scope_box(m, scope)
    _add_legend(
        m,
        heading=labels.legend_heading,
        entries=_layer_legend_entries(remaining_cha, released, labels)
        + [(SURVEY_COLOURS[s], labels.survey_legend[s]) for s in SURVEY_COLOURS],
    )
    folium.LayerControl(collapsed=False).add_to(m)
    localise_assets(m, asset_base_url)
    return m


def map_html(m: folium.Map) -> str:
    """The complete HTML page of a map."""
    return m.get_root().render()


def localise_assets(m: folium.Map, asset_base_url: AssetLocation) -> None:
    """Point every script and stylesheet of ``m`` and its children at ``asset_base_url``.

    Raises ValueError for an asset we have no local copy of (a new Folium plugin, say), so a CDN
    URL can never slip into a page that must work offline: add it to package.json,
    collect_map_assets and LOCAL_ASSETS first.
    """
    asset_url = _asset_url(asset_base_url)
    localised = {asset_url(path) for path in LOCAL_ASSETS.values() if path is not None}
    pending: list[Any] = [m]
    while pending:
        element = pending.pop()
        pending.extend(element._children.values())
        if isinstance(element, JSCSSMixin):
            element.default_js = _local_links(element.default_js, asset_url, localised)
            element.default_css = _local_links(element.default_css, asset_url, localised)


def _asset_url(location: AssetLocation) -> Callable[[str], str]:
    if callable(location):
        return location
    base = location if location.endswith("/") else location + "/"
    return lambda path: base + path


def _local_links(
    links: Sequence[tuple[str, str]], asset_url: Callable[[str], str], localised: set[str]
) -> list[tuple[str, str]]:
    local = []
    for name, url in links:
        if url in localised:
            local.append((name, url))
            continue
        if name not in LOCAL_ASSETS:
            raise ValueError(
                f"map asset {name!r} ({url}) has no local copy; add it to package.json, "
                "collect_map_assets and gis.maps.LOCAL_ASSETS"
            )
        path = LOCAL_ASSETS[name]
        if path is not None:
            local.append((name, asset_url(path)))
    return local


def _coverage_tooltip_fields(
    name: str,
    row: UnitCoverage | None,
    year: int,
    labels: MapLabels,
    numbers: NumberConvention,
    *,
    small_cha_ha: float | None = None,
) -> dict[str, str]:
    """The tooltip's rows (HTML: Leaflet writes them so). ``small_cha_ha``: the threshold a
    hatched unit falls under, noted under its %, its CHA and released hectares then written to
    2 decimals."""
    if row is None:
        return {
            "name": html.escape(name),
            "cha_ha": labels.no_data,
            "released_ha": labels.no_data,
            "released_pct": labels.no_data,
            "cleared_vs_target": labels.no_data,
        }

    def figure(value: float, decimals: int = 0) -> str:
        return format_number(value, decimals=decimals, convention=numbers)

    if row.target_ha is None:
        target = labels.no_target
    else:
        pct = "" if row.pct_of_target is None else f" ({figure(row.pct_of_target)}%)"
        target = f"{figure(row.target_ha)} ha{pct}"
    released_pct = labels.no_cha if row.released_pct is None else f"{figure(row.released_pct, 1)}%"
    # Whole hectares would write 1.11 ha of CHA as "1 ha", and its released part as "0 ha".
    hectare_decimals = 0 if small_cha_ha is None else 2
    cha = figure(row.cha_ha, hectare_decimals)
    if small_cha_ha is not None:
        note = labels.small_cha_note.format(
            threshold=_threshold_figure(small_cha_ha, numbers), cha=cha
        )
        released_pct += f"<br><em>{html.escape(note)}</em>"
    return {
        "name": html.escape(name),
        "cha_ha": f"{cha} ha",
        "released_ha": f"{figure(row.released_ha, hectare_decimals)} ha",
        "released_pct": released_pct,
        "cleared_vs_target": labels.cleared_vs_target.format(
            cleared=figure(row.cleared_in_year_ha), year=year, target=target
        ),
    }


def _blank_map(outline: FeatureCollection, *, basemap: bool, labels: MapLabels) -> folium.Map:
    """A map fitted to ``outline`` below its title box (_FitBelowTitle) on a white background,
    with optional OSM tiles (off)."""
    m = folium.Map(tiles=None, control_scale=True, zoom_snap=0.25)
    # The map's own least zoom, so that Leaflet does not take its vector tile layers' (10 for
    # the dissolved layers, app.maps.tiles): without it, adding the remaining-CHA layer zoomed
    # the province map in to 10, past the fit, and the province lay mostly out of view. Folium's
    # own min_zoom goes to its tile layer only.
    m.options["minZoom"] = 0
    bounds = [shape(f["geometry"]).bounds for f in outline["features"] if f.get("geometry")]
    if bounds:
        west = min(b[0] for b in bounds)
        south = min(b[1] for b in bounds)
        east = max(b[2] for b in bounds)
        north = max(b[3] for b in bounds)
        m.add_child(_FitBelowTitle([[south, west], [north, east]]))
    # Leaflet's default grey backdrop makes an untiled map look broken; white reads as paper.
    # Two classes outrank leaflet.css's one, which Folium links after this style.
    m.get_root().header.add_child(
        Element("<style>.folium-map.leaflet-container { background: #ffffff; }</style>"),
        name="white_background",
    )
    if basemap:
        folium.TileLayer(
            tiles=OSM_TILES_URL,
            attr=OSM_ATTRIBUTION,
            name=labels.basemap_layer,
            overlay=True,
            show=False,
            max_zoom=19,
        ).add_to(m)
    return m


def _add_remaining_cha(
    m: folium.Map, remaining_cha: HeavyLayer, *, show: bool, labels: MapLabels
) -> None:
    style = {
        "fill": True,
        "fillColor": REMAINING_CHA_COLOUR,
        "fillOpacity": 0.6,
        "color": REMAINING_CHA_COLOUR,
        "weight": 0.5,
    }
    if isinstance(remaining_cha, VectorTiles):
        _ensure_pane(m)
        add_vector_tile_layer(
            m,
            remaining_cha,
            source_layer="remaining-cha",
            name=labels.remaining_cha,
            show=show,
            style=style,
        )
        return
    folium.GeoJson(
        remaining_cha, name=labels.remaining_cha, show=show, style_function=lambda f: style
    ).add_to(m)


def _add_released(m: folium.Map, released: HeavyLayer, *, show: bool, labels: MapLabels) -> None:
    if isinstance(released, VectorTiles):
        _ensure_pane(m)
        add_vector_tile_layer(
            m,
            released,
            source_layer="released",
            name=labels.released_layer,
            show=show,
            style={"fill": True, "fillOpacity": 0.7, "weight": 0.5},
            colour_by=("method", METHOD_COLOURS),
        )
        return
    folium.GeoJson(
        released,
        name=labels.released_layer,
        show=show,
        style_function=lambda f: {
            "fillColor": METHOD_COLOURS[f["properties"]["method"]],
            "fillOpacity": 0.7,
            "color": METHOD_COLOURS[f["properties"]["method"]],
            "weight": 0.5,
        },
    ).add_to(m)


def _add_records(
    m: folium.Map,
    tiles: VectorTiles,
    source_layer: str,
    fields: Sequence[str],
    *,
    show: bool,
    labels: MapLabels,
) -> None:
    """Hazard or release records as outlines, coloured by kind or method, with a popup."""
    _ensure_pane(m)
    hazards = source_layer == "hazards"
    add_vector_tile_layer(
        m,
        tiles,
        source_layer=source_layer,
        name=labels.hazards_layer if hazards else labels.releases_layer,
        show=show,
        style={"fill": True, "fillOpacity": 0.1, "weight": 1.5},
        colour_by=("kind", HAZARD_COLOURS) if hazards else ("method", METHOD_COLOURS),
        popup_fields=[(name, labels.record_fields[name]) for name in fields],
    )


# The province map names its units at first when they are this few or fewer (the 2019
# districts, 10); more (the 2025 communes, 78) would cover the province in text at zoom 8-9.
UNIT_NAMES_SHOWN_UP_TO = 20
# Names drawn as permanent Leaflet tooltips over each unit's representative point: plain text
# on a white halo, no box, so that they read on any fill and hide little of it; they let the
# pointer through to the unit's own tooltip and link.
_UNIT_NAME_STYLE = """<style>
.leaflet-tooltip.unit-name { background: transparent; border: 0; box-shadow: none;
  padding: 0; font: bold 12px sans-serif; color: #222222; pointer-events: none;
  text-shadow: -1px -1px 0 #fff, 1px -1px 0 #fff, -1px 1px 0 #fff, 1px 1px 0 #fff; }
.leaflet-tooltip.unit-name::before { display: none; }
</style>"""


def _add_unit_names(
    m: folium.Map,
    named_units: Sequence[tuple[str, dict[str, Any]]],
    *,
    show: bool,
    labels: MapLabels,
) -> None:
    """A layer naming each unit (name, GeoJSON feature) at a point inside it."""
    points = [
        {
            "type": "Feature",
            "geometry": shape(feature["geometry"]).representative_point().__geo_interface__,
            # Leaflet writes a tooltip as HTML.
            "properties": {"name": html.escape(name)},
        }
        for name, feature in named_units
        if feature.get("geometry")
    ]
    if not points:
        return
    m.get_root().header.add_child(Element(_UNIT_NAME_STYLE), name="unit_name_style")
    folium.GeoJson(
        {"type": "FeatureCollection", "features": points},
        name=labels.unit_names_layer,
        show=show,
        marker=folium.CircleMarker(radius=0, stroke=False, fill=False, interactive=False),
        tooltip=folium.GeoJsonTooltip(
            fields=["name"],
            labels=False,
            permanent=True,
            direction="center",
            sticky=False,
            class_name="unit-name",
            interactive=False,
        ),
    ).add_to(m)


def _ensure_pane(m: folium.Map) -> None:
    if not any(isinstance(child, folium.map.CustomPane) for child in m._children.values()):
        add_pane(m)


def pct_legend_entries(numbers: NumberConvention = ENGLISH_NUMBERS) -> list[tuple[str, str]]:
    """(colour, "0–10%") per class of % CHA released, for the legends of the folium map and the
    report's static maps."""
    upper_edges = [*RELEASED_PCT_EDGES[1:], 100]
    return [
        (
            colour,
            f"{format_number(low, convention=numbers)}–{format_number(high, convention=numbers)}%",
        )
        for colour, low, high in zip(
            RELEASED_PCT_COLOURS, RELEASED_PCT_EDGES, upper_edges, strict=True
        )
    ]


def _threshold_figure(small_cha_ha: float, numbers: NumberConvention) -> str:
    """The threshold as the reader writes it, to no more decimals than it has (up to 2): "5",
    or "2,5" in Vietnamese."""
    decimals = next(d for d in (0, 1, 2) if d == 2 or round(small_cha_ha, d) == small_cha_ha)
    return format_number(small_cha_ha, decimals=decimals, convention=numbers)


def _small_cha_legend_entries(
    any_hatched: bool, small_cha_ha: float, labels: MapLabels, numbers: NumberConvention
) -> list[tuple[str, str]]:
    """The hatching's legend row, when a unit is hatched: a swatch striped as the map's units
    (a CSS gradient, the legend being HTML)."""
    if not any_hatched:
        return []
    swatch = f"repeating-linear-gradient(45deg, {SMALL_CHA_STRIPE_COLOUR} 0 2px, #ffffff 2px 6px)"
    threshold = _threshold_figure(small_cha_ha, numbers)
    return [(swatch, labels.small_cha_legend.format(threshold=threshold))]


def _add_small_cha_patterns(m: folium.Map, colours: Sequence[str]) -> None:
    """One SVG <pattern> per class colour that a hatched unit has: the colour, striped. They
    live in a 0×0 <svg> of their own (not display:none: browsers need not paint a pattern from
    an undisplayed <svg>), which Leaflet's paths reach by id, ids being the document's."""
    patterns = "".join(
        f'<pattern id="{small_cha_pattern_id(colour)}" patternUnits="userSpaceOnUse" '
        'width="6" height="6" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="{colour}"/>'
        f'<line x1="1" y1="0" x2="1" y2="6" stroke="{SMALL_CHA_STRIPE_COLOUR}" stroke-width="2"/>'
        "</pattern>"
        for colour in colours
    )
    m.get_root().html.add_child(
        Element(
            '<svg class="map-patterns" width="0" height="0" aria-hidden="true" '
            f'style="position:absolute"><defs>{patterns}</defs></svg>'
        ),
        name="small_cha_patterns",
    )


def _layer_legend_entries(
    remaining_cha: HeavyLayer | None,
    released: HeavyLayer | None,
    labels: MapLabels,
) -> list[tuple[str, str]]:
    entries = []
    if remaining_cha is not None:
        entries.append((REMAINING_CHA_COLOUR, labels.remaining_cha))
    if released is not None:
        entries.extend(
            (METHOD_COLOURS[method], labels.methods[method]) for method in METHOD_COLOURS
        )
    return entries


class _FitBelowTitle(MacroElement):
    """Fits the map to ``bounds`` ([[south, west], [north, east]]) in the part of it below the
    title box (``.map-title``, _add_title), so that the box covers no part of the province.

    The box's height depends on the screen (its text wraps within 60% of the map's width) and
    on the page's nav bar, so it is measured in the page, once, when the map is drawn: the fit
    pads the map's top by what the box covers of it (Leaflet's ``paddingTopLeft``), at most
    half the map so that a tiny window still shows the province. A reader's later moves are
    theirs: a resize does not fit again. Without a title box the map is fitted whole.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var map = {{ this._parent.get_name() }};
          var title = document.querySelector(".map-title");
          var covered = 0;
          if (title) {
            var top = map.getContainer().getBoundingClientRect().top;
            covered = title.getBoundingClientRect().bottom - top + {{ this.gap_px }};
          }
          covered = Math.min(Math.max(covered, 0), map.getSize().y / 2);
          map.fitBounds({{ this.bounds|tojson }}, {paddingTopLeft: [0, covered], animate: false});
        })();
        {% endmacro %}
        """
    )

    # Between the box's lower edge and the northernmost point.
    gap_px = 8

    def __init__(self, bounds: Sequence[Sequence[float]]) -> None:
        super().__init__()
        self._name = "FitBelowTitle"
        self.bounds = [list(corner) for corner in bounds]


class _Overlay(MacroElement):
    """A fixed HTML box over the map (title, legend); escaped here, not by the caller."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}{{ this.body }}{% endmacro %}
        """
    )

    def __init__(self, body: str) -> None:
        super().__init__()
        self._name = "Overlay"
        self.body = body


# A page header (the site's nav bar) over a full-page Folium map. Folium sizes the map by its
# element id (``#map_<hash> {position: relative; height: 100%}``), which only ``!important``
# outranks from a class selector. The map then runs from under the header to the bottom of the
# page, so Leaflet's controls (zoom, layers) sit below the header; the title box follows
# ``--map-header-height`` too. The legend and the scope box are anchored at the bottom.
_PAGE_HEADER_STYLE = """<style>
:root { --map-header-height: 56px; }
.map-page-header { position: fixed; top: 0; left: 0; right: 0; z-index: 1100; }
.folium-map { position: absolute !important; top: var(--map-header-height) !important;
              bottom: 0; height: auto !important; }
</style>"""
# The header's real height (a nav bar wraps on a narrow screen), measured before Leaflet sizes
# the map (its script comes at the end of the page) and again on every resize: this handler is
# registered before Leaflet's own, so Leaflet reads the map's new size.
_PAGE_HEADER_SCRIPT = """<script>
(function () {
  var header = document.currentScript.previousElementSibling;
  function fit() {
    document.documentElement.style.setProperty("--map-header-height", header.offsetHeight + "px");
  }
  fit();
  window.addEventListener("resize", fit);
})();
</script>"""


def _add_page_header(m: folium.Map, header_html: str) -> None:
    """``header_html`` fixed across the top of the page, above the map and its controls
    (z-index over Leaflet's 1000), placed before the map in the page so that it comes first
    when read or tabbed through."""
    root = m.get_root()
    root.header.add_child(Element(_PAGE_HEADER_STYLE), name="page_header_style")
    root.html.add_child(
        Element(f'<div class="map-page-header">{header_html}</div>{_PAGE_HEADER_SCRIPT}'),
        name="page_header",
    )


def _add_title(
    m: folium.Map,
    title: str,
    note: str | None,
    choices: MapChoices | None = None,
    labels: MapLabels = ENGLISH,
) -> None:
    # The browser's tab and history name the map too (branca writes the title unescaped).
    m.get_root().title = html.escape(title)
    note_html = (
        f'<div style="font-size:12px;font-weight:normal;color:#a50026">{html.escape(note)}</div>'
        if note
        else ""
    )
    choices_html = _choices_html(choices, labels) if choices is not None else ""
    m.get_root().add_child(
        _Overlay(
            '<div class="map-title" style="position:fixed;left:60px;z-index:1000;'
            "top:calc(var(--map-header-height, 0px) + 10px);"
            "background:rgba(255,255,255,0.9);padding:6px 12px;border:1px solid #999;"
            'border-radius:4px;font:bold 16px sans-serif;max-width:60%">'
            f"{html.escape(title)}{note_html}{choices_html}</div>"
        )
    )


def _choices_html(choices: MapChoices, labels: MapLabels) -> str:
    """A GET form choosing the year (a button sends it: no script) and links to the other
    boundary sets' maps, the current one in bold."""
    years = sorted({*choices.years, choices.year})
    options = "".join(
        f'<option value="{y}"{" selected" if y == choices.year else ""}>{y}</option>' for y in years
    )
    kept = "".join(
        f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
        for name, value in choices.keep.items()
    )
    names = {
        link.boundary_set: html.escape(labels.boundary_sets[link.boundary_set])
        for link in choices.boundary_sets
    }
    sets = " &middot; ".join(
        f'<a href="{html.escape(link.url)}">{names[link.boundary_set]}</a>'
        if link.url is not None
        else f'<strong aria-current="page">{names[link.boundary_set]}</strong>'
        for link in choices.boundary_sets
    )
    boundary_html = (
        f'<span style="margin-left:12px">{html.escape(labels.boundary_choice)}: {sets}</span>'
        if sets
        else ""
    )
    return (
        '<form class="map-choices" method="get" '
        f'action="{html.escape(choices.form_url)}" '
        'style="margin:4px 0 0;font:13px sans-serif">'
        f'<label>{html.escape(labels.year_choice)} <select name="year">{options}</select></label>'
        f'{kept} <button type="submit">{html.escape(labels.show_choice)}</button>'
        f"{boundary_html}</form>"
    )


def _add_scope_box(m: folium.Map, scope: ScopeBox) -> None:
    # Bottom left, above Leaflet's scale bar (metric and imperial, ~50 px): clear of the title,
    # the layer control and the legend.
    colours = (
        "background:#fff3cd;border:2px solid #b35806;color:#7f3b08"
        if scope.pending
        else "background:rgba(255,255,255,0.92);border:1px solid #999;color:#333333"
    )
    link = (
        f' &middot; <a href="{html.escape(scope.link_url)}">{html.escape(scope.link_text)}</a>'
        if scope.link_url and scope.link_text
        else ""
    )
    m.get_root().add_child(
        _Overlay(
            '<div class="map-scope" style="position:fixed;bottom:64px;left:10px;z-index:1000;'
            f"{colours};padding:6px 10px;border-radius:4px;font:bold 13px sans-serif;"
            f'max-width:45%">{html.escape(scope.label)}{link}</div>'
        )
    )


def _add_legend(m: folium.Map, *, heading: str, entries: Sequence[tuple[str, str]]) -> None:
    rows = "".join(
        '<div><span style="display:inline-block;width:14px;height:14px;margin-right:6px;'
        "vertical-align:middle;border:1px solid #555;"
        f'opacity:{CHOROPLETH_OPACITY};background:{colour}"></span>'
        f"{html.escape(label)}</div>"
        for colour, label in entries
    )
    m.get_root().add_child(
        _Overlay(
            '<div class="map-legend" style="position:fixed;bottom:30px;right:10px;z-index:1000;'
            "background:rgba(255,255,255,0.92);padding:8px 10px;border:1px solid #999;"
            'border-radius:4px;font:12px/18px sans-serif">'
            f'<div style="font-weight:bold;margin-bottom:4px">{html.escape(heading)}</div>'
            f"{rows}</div>"
        )
    )
