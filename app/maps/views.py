"""Map pages: parse the query, call one selector, return the page Folium built, with the site's
nav bar across its top (``manage.py render_map`` writes the same map without it).

Each map is read in the user's reading scope (app.accounts.policy.reading_scope): approved
records by default, with ``include=submitted`` pending work too, labelled on the map, which
carries a link to switch. Who sees what:

- the province map: every role; users limited to aggregates (and, with PUBLIC_SUMMARY on,
  anonymous visitors, districts only) get it without the remaining-CHA and released-land layers
  and without links to the district maps;
- a district map draws exact hazard and release polygons, so aggregates-only users are refused
  with a page saying why (403) rather than shown a map emptied of what it is for.
"""

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from app.accounts import policy
from app.accounts.headers import exact_positions, map_page, mark_exact_positions
from app.accounts.rate_limits import rate_limited
from app.api import downloads
from app.maps import page_cache, params, selectors
from app.maps.assets import vendor_asset_url
from app.maps.scope_box import scope_box
from app.registry.models import BoundarySet
from app.registry.scopes import ReadingScope, reading
from gis.maps import BoundarySetLink, MapChoices

INCLUDE_SUBMITTED = params.INCLUDE_SUBMITTED
BadParameter = params.BadParameter


def _bad_request(request: HttpRequest, error: BadParameter) -> HttpResponse:
    return render(request, "maps/bad_request.html", {"message": str(error)}, status=400)


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    """Anonymous visitors are sent to sign in; a signed-in user is told what they lack."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "maps/refused.html", {"message": message}, status=403)


def _choices(
    request: HttpRequest,
    *,
    year: int,
    boundary_set: str,
    scope: ReadingScope,
    province_url: str,
    keep_boundary_set: bool,
) -> MapChoices:
    """The year form (this page again, with include=submitted kept, and the boundary set when
    the page was asked for one) and a link to the province map of each other boundary set."""
    include = {"include": INCLUDE_SUBMITTED} if scope.include_submitted else {}
    keep = {**({"boundary_set": boundary_set} if keep_boundary_set else {}), **include}
    return MapChoices(
        year=year,
        years=selectors.data_years(),
        form_url=request.path,
        keep=keep,
        boundary_sets=[
            BoundarySetLink(boundary_set=other)
            if other == boundary_set
            else BoundarySetLink(
                boundary_set=other,
                url=f"{province_url}?{urlencode({'year': year, 'boundary_set': other, **include})}",
            )
            for other in BoundarySet.values
        ],
    )


def _site_header(request: HttpRequest, download_groups: list | None = None) -> str:
    """The site's nav bar for the top of a map page, as every other page has it (base.html),
    and the page's download buttons. Per request, never in the page cache: the buttons depend
    on the reader."""
    return render_to_string(
        "maps/_site_header.html", {"downloads": download_groups or []}, request=request
    )


def _province_downloads(request, *, year: int, boundary_set: str, scope: ReadingScope) -> list:
    """The figures of the province map (per district or 2025 commune) and, for those who see
    polygons, the year's released land and the hazard areas, counted as the map counts."""
    by = selectors.MAP_LEVEL[boundary_set]
    include = downloads.include_query(include_submitted=scope.include_submitted)
    grouping = {"by": by, "boundary_set": boundary_set, **include}
    return downloads.present(
        downloads.statistics_downloads(
            request.user,
            report="release",
            by=by,
            title=_("the release figures as of %(day)s") % {"day": f"{year}-12-31"},
            query={"as_of": f"{year}-12-31", **grouping},
        ),
        downloads.statistics_downloads(
            request.user,
            report="clearance",
            by=by,
            title=_("the clearance figures of %(year)s") % {"year": year},
            query={"year": year, **grouping},
        ),
        downloads.feature_downloads(
            request.user,
            layer="releases",
            title=_("the land released in %(year)s") % {"year": year},
            query={"year": year, **include},
        ),
        downloads.feature_downloads(
            request.user, layer="hazards", title=_("the hazard areas"), query=include
        ),
    )


def _unit_downloads(request, *, unit, year: int, scope: ReadingScope) -> list:
    """The figures of one district or commune and its records (the map's exact polygons)."""
    include = downloads.include_query(include_submitted=scope.include_submitted)
    in_unit = {"admin_unit": unit.code, "boundary_set": unit.boundary_set}
    return downloads.present(
        downloads.statistics_downloads(
            request.user,
            report="release",
            by=unit.level,
            title=_("the release figures as of %(day)s") % {"day": f"{year}-12-31"},
            query={
                "as_of": f"{year}-12-31",
                "by": unit.level,
                "boundary_set": unit.boundary_set,
                "unit": unit.code,
                **include,
            },
        ),
        downloads.feature_downloads(
            request.user,
            layer="releases",
            title=_("the land released in %(year)s") % {"year": year},
            query={**in_unit, "year": year, **include},
        ),
        downloads.feature_downloads(
            request.user, layer="hazards", title=_("the hazard areas"), query={**in_unit, **include}
        ),
    )


@map_page
@rate_limited
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    try:
        year = params.year(request)
        boundary_set = params.boundary_set(request, default=BoundarySet.LEGACY_2019)
        include_submitted = params.include_submitted(request)
    except BadParameter as error:
        return _bad_request(request, error)
    level = selectors.MAP_LEVEL[boundary_set]
    if not policy.can_read_statistics(request.user, by=level):
        return _refused(request, _("Your account has no role that may read data."))
    try:
        scope = policy.reading_scope(request.user, include_submitted=include_submitted)
    except policy.NotAllowed as refused:
        return _refused(request, refused.message)
    if policy.sees_polygons(request.user):
        # Its remaining-CHA and released-land layers are hazard and release polygons.
        mark_exact_positions(request)
    polygons = policy.sees_polygons(request.user)
    box = scope_box(request, scope)
    link_query = {"include": INCLUDE_SUBMITTED} if scope.include_submitted else None
    with reading(scope):
        year = year or selectors.latest_data_year()
        page = page_cache.cached_province_map(
            year=year,
            boundary_set=boundary_set,
            polygons=polygons,
            # The choices follow from the key and the registry (its years), so they are built
            # with the page, and a cached page costs no query for them.
            variant=repr((box, link_query)),
            header_html=_site_header(
                request,
                _province_downloads(request, year=year, boundary_set=boundary_set, scope=scope),
            ),
            build=lambda header_html: selectors.coverage_map_html(
                year=year,
                boundary_set=boundary_set,
                asset_base_url=vendor_asset_url,
                note=selectors.data_note(),
                polygons=polygons,
                scope_box=box,
                link_query=link_query,
                header_html=header_html,
                tiles=selectors.tile_layers(year=year, include_submitted=scope.include_submitted),
                choices=_choices(
                    request,
                    year=year,
                    boundary_set=boundary_set,
                    scope=scope,
                    province_url=request.path,
                    keep_boundary_set=True,
                ),
            ),
        )
    return HttpResponse(page)


@exact_positions
@map_page
@rate_limited
@require_GET
def district(request: HttpRequest, code: str) -> HttpResponse:
    try:
        year = params.year(request)
        boundary_set = params.boundary_set(request, default=None)
        include_submitted = params.include_submitted(request)
    except BadParameter as error:
        return _bad_request(request, error)
    if not policy.sees_polygons(request.user):
        return _refused(
            request,
            _(
                "Your account shows aggregates only, and a district map draws exact hazard and "
                "release polygons. The province map and the statistics by district are open "
                "to you."
            ),
        )
    try:
        scope = policy.reading_scope(request.user, include_submitted=include_submitted)
    except policy.NotAllowed as refused:
        return _refused(request, refused.message)
    with reading(scope):
        unit = selectors.map_unit(code=code, boundary_set=boundary_set)
        if unit is None:
            raise Http404(_("No district or commune with code %(code)r") % {"code": code})
        year = year or selectors.latest_data_year()
        page = selectors.district_map_html(
            unit=unit,
            year=year,
            asset_base_url=vendor_asset_url,
            note=selectors.data_note(),
            scope_box=scope_box(request, scope),
            header_html=_site_header(
                request, _unit_downloads(request, unit=unit, year=year, scope=scope)
            ),
            tiles=selectors.tile_layers(year=year, include_submitted=scope.include_submitted),
            choices=_choices(
                request,
                year=year,
                boundary_set=unit.boundary_set,
                scope=scope,
                province_url=reverse("maps:coverage"),
                keep_boundary_set=boundary_set is not None,
            ),
        )
    return HttpResponse(page)
