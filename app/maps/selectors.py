"""The maps the site serves: database reads feeding the builders in gis.maps.

The views and `manage.py render_map` call these, so both serve the same page. Figures come from
the accounting selectors (never recomputed here), geometry from app.maps.layers. Everything is
read in the active reading scope, approved records when none is active (the views enter the
user's scope; app.registry.scopes.scoped_reads).
"""

from collections.abc import Mapping
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Max, Min
from django.urls import reverse

from app.accounting.selectors import clearance_report, release_report
from app.accounts.language import number_convention
from app.maps import labels, layers
from app.maps.models import TileLayer
from app.maps.tiles import MAX_ZOOM, min_zoom
from app.registry.models import AdminUnit, BoundarySet, HazardArea, Level, ReleaseArea
from app.registry.scopes import scoped_reads
from gis import maps

# Which units the province map colours in each boundary set: the 2019 districts, or the 2025
# communes (districts were abolished on 1 July 2025).
MAP_LEVEL = {BoundarySet.LEGACY_2019: Level.DISTRICT, BoundarySet.REFORM_2025: Level.COMMUNE}
MAP_DETAIL = {
    BoundarySet.LEGACY_2019: layers.PROVINCE_DETAIL,
    BoundarySet.REFORM_2025: layers.MERGED_PROVINCE_DETAIL,
}

# The years a map can be drawn for, as AnnualTarget accepts them: before 1975 there is nothing to
# release, after 2100 no plan.
FIRST_YEAR, LAST_YEAR = 1975, 2100


def tile_layers(*, year: int, include_submitted: bool) -> dict[str, maps.VectorTiles]:
    """The vector tiles of each heavy layer (app.maps.tile_views) as the page's reader asks for
    them: the page's year and scope, ``{z}/{x}/{y}`` left for Leaflet."""
    query = urlencode({"year": year, **({"include": "submitted"} if include_submitted else {})})
    urls = {}
    for layer in TileLayer.values:
        path = reverse("tile", args=[layer, "{z}", "{x}", "{y}"])
        # reverse() escapes the braces that Leaflet fills in.
        path = path.replace("%7B", "{").replace("%7D", "}")
        urls[layer] = maps.VectorTiles(
            url=f"{path}?{query}", min_zoom=min_zoom(layer), max_zoom=MAX_ZOOM
        )
    return urls


@scoped_reads()
def data_years() -> list[int]:
    """The years a map may be chosen for: from the first year a release was completed in to
    the last (the current year alone when none is stored)."""
    span = ReleaseArea.objects.aggregate(first=Min("completed_on"), last=Max("completed_on"))
    if span["first"] is None:
        return [date.today().year]
    return list(range(span["first"].year, span["last"].year + 1))


@scoped_reads()
def latest_data_year() -> int:
    """The last year a release was completed in, or the current year when none is stored."""
    last = ReleaseArea.objects.aggregate(last=Max("completed_on"))["last"]
    return last.year if last else date.today().year


@scoped_reads()
def unit_coverage(*, year: int, boundary_set: str) -> list[maps.UnitCoverage]:
    """Per unit: release of CHA at the end of ``year`` beside the year's clearance and target."""
    level = MAP_LEVEL[boundary_set]
    released = release_report(as_of=date(year, 12, 31), by=level, boundary_set=boundary_set)
    cleared = {
        row.code: row
        for row in clearance_report(year=year, by=level, boundary_set=boundary_set).rows
    }
    coverage = []
    for row in released.rows:
        clearance = cleared.get(row.code)
        coverage.append(
            maps.UnitCoverage(
                code=row.code,
                name=row.name,
                cha_ha=row.cha_ha,
                released_ha=row.released_ha,
                released_pct=row.released_pct,
                cleared_in_year_ha=clearance.cleared_ha if clearance else 0.0,
                target_ha=clearance.target_ha if clearance else None,
                pct_of_target=clearance.pct_of_target if clearance else None,
            )
        )
    return coverage


@scoped_reads()
def coverage_map_html(
    *,
    year: int,
    boundary_set: str,
    asset_base_url: maps.AssetLocation,
    note: str | None = None,
    polygons: bool = True,
    scope_box: maps.ScopeBox | None = None,
    link_query: Mapping[str, str] | None = None,
    header_html: str | None = None,
    tiles: Mapping[str, maps.VectorTiles] | None = None,
    choices: maps.MapChoices | None = None,
) -> str:
    """The province map: each unit of ``boundary_set`` coloured by % of CHA released by the end
    of ``year``, with remaining CHA and released land as layers and a link to each unit's map.

    ``polygons=False`` (aggregates-only users, the public summary) leaves out the two layers and
    the links, whose maps draw exact polygons. ``scope_box`` says on the map which records it
    counts; ``link_query`` is added to each unit link's query (``include=submitted``);
    ``header_html`` (the site's nav bar, app.maps.views) goes above the map. With ``tiles``
    (``tile_layers``, the site) the two layers are drawn from vector tiles; without (a file
    written by ``render_map``, a notebook) they are GeoJSON in the page. ``choices``: the year
    and boundary-set selector (app.maps.views). A unit with less CHA than MAP_SMALL_CHA_HA is
    hatched and noted (gis.maps.hatched_for_small_cha); app.maps.page_cache keys on it."""
    level = MAP_LEVEL[boundary_set]
    detail = MAP_DETAIL[boundary_set]
    remaining_cha = released = None
    if polygons and tiles is not None:
        remaining_cha, released = tiles[TileLayer.REMAINING_CHA], tiles[TileLayer.RELEASED]
    elif polygons:
        release = layers.release_layers(as_of=date(year, 12, 31), unit_id=None, detail=detail)
        remaining_cha, released = release.remaining_cha, release.released
    query = urlencode({"year": year, "boundary_set": boundary_set, **(link_query or {})})
    m = maps.coverage_map(
        units=layers.unit_outlines(boundary_set=boundary_set, level=level, detail=detail),
        coverage=unit_coverage(year=year, boundary_set=boundary_set),
        year=year,
        asset_base_url=asset_base_url,
        remaining_cha=remaining_cha,
        released=released,
        unit_url=(lambda code: f"{reverse('maps:district', args=[code])}?{query}")
        if polygons
        else None,
        scope=scope_box,
        title=labels.province_map_title(year=year, level=level, boundary_set=boundary_set),
        labels=labels.map_labels(),
        numbers=number_convention(),
        note=note,
        header_html=header_html,
        choices=choices,
        small_cha_ha=settings.MAP_SMALL_CHA_HA,
    )
    return maps.map_html(m)


@scoped_reads()
def map_unit(*, code: str, boundary_set: str | None) -> AdminUnit | None:
    """The district (2019) or commune (2025) with this code; None when there is none."""
    units = AdminUnit.objects.filter(code=code, level__in=[Level.DISTRICT, Level.COMMUNE])
    if boundary_set is not None:
        units = units.in_set(boundary_set)
    return units.order_by("boundary_set").first()


@scoped_reads()
def district_map_html(
    *,
    unit: AdminUnit,
    year: int,
    asset_base_url: maps.AssetLocation,
    note: str | None = None,
    scope_box: maps.ScopeBox | None = None,
    header_html: str | None = None,
    tiles: Mapping[str, maps.VectorTiles],
    choices: maps.MapChoices | None = None,
) -> str:
    """One district or commune: remaining CHA, released land by method, the hazard and release
    records (vector ``tiles``, ``tile_layers``) and villages by survey status at the end of
    ``year``; ``scope_box``, ``header_html`` and ``choices`` as in ``coverage_map_html``."""
    as_of = date(year, 12, 31)
    m = maps.district_map(
        district=layers.unit_outline(unit_id=unit.pk, detail=layers.DISTRICT_DETAIL),
        year=year,
        asset_base_url=asset_base_url,
        remaining_cha=tiles[TileLayer.REMAINING_CHA],
        released=tiles[TileLayer.RELEASED],
        hazards=tiles[TileLayer.HAZARDS],
        releases=tiles[TileLayer.RELEASES],
        villages=layers.village_points(as_of=as_of, unit_id=unit.pk),
        note=note,
        labels=labels.map_labels(),
        scope=scope_box,
        header_html=header_html,
        choices=choices,
    )
    return maps.map_html(m)


@scoped_reads()
def data_note() -> str | None:
    """The warning every map carries while the store holds the synthetic demo data set (its
    hazards say so in their notes), so a screenshot is never mistaken for real contamination."""
    if HazardArea.objects.filter(notes__icontains="synthetic").exists():
        return labels.synthetic_note()
    return None
