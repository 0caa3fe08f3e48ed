"""The dashboard (/dashboard/, issue 11 §1): the landing page of signed-in users. Parses the year,
the boundary set and ``include``, calls app.dashboard.selectors.dashboard in the reader's
reading scope, and renders the cards, the charts' data (app.dashboard.charts, a json_script for
the static dashboard.js: no inline script, so the site's strict Content-Security-Policy holds),
the tables and the download links of each chart's figures (the statistics endpoints' CSV and
Excel, app.api.downloads).

Who sees it: whoever may read statistics (users limited to aggregates too: it is aggregates, but
their unit rows do not link to the district maps, which draw polygons, as on the province map);
a signed-in user without a role that reads data gets the maps' refusal; an anonymous visitor is
sent to sign in. Rate-limited as the map pages.
"""

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from app.accounting.report_json import forecast_method
from app.accounting.selectors import forecast
from app.accounts import policy
from app.accounts.language import number_convention
from app.accounts.rate_limits import rate_limited
from app.api import downloads
from app.dashboard import selectors
from app.dashboard.cache import cached_dashboard
from app.dashboard.charts import chart_data, units_with_cha
from app.maps import params
from app.maps.assets import CHART_JS, vendor_asset_url
from app.maps.scope_box import scope_box
from app.maps.selectors import MAP_LEVEL, latest_data_year
from app.registry.models import BoundarySet, Level
from app.registry.scopes import reading


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """``/``: the dashboard for a signed-in user. Anonymous visitors are sent to sign in before
    this (app.accounts.middleware), as before the dashboard; should ``/`` ever be opened to
    them, they get the province map, as they did."""
    if request.user.is_authenticated:
        return redirect("dashboard:dashboard")
    return redirect("maps:coverage")


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "dashboard/refused.html", {"message": message}, status=403)


def _indicator_labels() -> dict[str, str]:
    return {
        "cleared_ha": _("Hectares cleared"),
        "spot_tasks": _("EOD spot tasks"),
        "items_destroyed": _("Items destroyed"),
        "surveyed_ha": _("Hectares surveyed (cancelled or reduced)"),
        "released_pct": _("CHA released"),
        "cleared_pct": _("CHA cleared"),
        "villages_surveyed": _("Villages with survey completed"),
    }


def _forecast_reasons() -> dict[str, str]:
    """Why the forecast has no year, in the reader's words (the JSON's ``reason`` codes)."""
    return {
        forecast.NO_CHA: _("there is no CHA"),
        forecast.NOTHING_REMAINS: _("nothing remains to be released"),
        forecast.NO_RELEASE_IN_YEARS: _("no CHA was released in the years counted"),
    }


def _cards(indicators) -> list[tuple[str, selectors.Indicator]]:
    labels = _indicator_labels()
    return [(labels[indicator.key], indicator) for indicator in indicators]


def _chart_downloads(request, board: selectors.Dashboard, include: dict) -> dict:
    """The CSV and Excel of each chart's figures: the statistics the chart draws, as counted."""
    user, year, boundary_set = request.user, board.year, board.boundary_set
    years = {"from": board.first_year, "to": year, "boundary_set": boundary_set, **include}
    progress = downloads.statistics_downloads(
        user,
        report="progress",
        by=Level.PROVINCE,
        title=_("the progress from %(first)s to %(last)s")
        % {"first": board.first_year, "last": year},
        query=years,
    )
    released = downloads.statistics_downloads(
        user,
        report="release",
        by=board.level,
        title=_("the release figures as of %(day)s") % {"day": f"{year}-12-31"},
        query={
            "as_of": f"{year}-12-31",
            "by": board.level,
            "boundary_set": boundary_set,
            **include,
        },
    )
    return {
        "cleared": downloads.present(progress),
        "released": downloads.present(progress, released),
        "units": downloads.present(
            released,
            downloads.statistics_downloads(
                user,
                report="clearance",
                by=board.level,
                title=_("the clearance figures of %(year)s") % {"year": year},
                query={"year": year, "by": board.level, "boundary_set": boundary_set, **include},
            ),
        ),
        "organisations": downloads.present(
            downloads.statistics_downloads(
                user,
                report="clearance",
                by="organisation",
                title=_("the clearance figures of %(year)s by organisation") % {"year": year},
                query={
                    "year": year,
                    "by": "organisation",
                    "boundary_set": boundary_set,
                    **include,
                },
            )
        ),
        "work": downloads.present(progress),
        "forecast": downloads.present(
            downloads.statistics_downloads(
                user,
                report="forecast",
                by=Level.PROVINCE,
                title=_("the forecast as of %(day)s") % {"day": f"{year}-12-31"},
                query={
                    "as_of": f"{year}-12-31",
                    "by": Level.PROVINCE,
                    "boundary_set": boundary_set,
                    **include,
                },
            )
        ),
    }


@rate_limited
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    try:
        year = params.year(request)
        boundary_set = params.boundary_set(request, default=BoundarySet.LEGACY_2019)
        include_submitted = params.include_submitted(request)
    except params.BadParameter as error:
        return render(request, "dashboard/bad_request.html", {"message": str(error)}, status=400)
    # Never part of the public summary (its rows by organisation and commune are not public),
    # whatever the sign-in middleware lets through.
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    level = MAP_LEVEL[boundary_set]
    if not policy.can_read_statistics(request.user, by=level):
        return _refused(request, _("Your account has no role that may read data."))
    try:
        scope = policy.reading_scope(request.user, include_submitted=include_submitted)
    except policy.NotAllowed as refused:
        return _refused(request, refused.message)
    with reading(scope):
        year = year or latest_data_year()
        board = cached_dashboard(year=year, boundary_set=boundary_set)
    include = downloads.include_query(include_submitted=scope.include_submitted)
    map_query = {"year": year, **include}
    if boundary_set != BoundarySet.LEGACY_2019:
        map_query["boundary_set"] = boundary_set
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "board": board,
            "year_cards": _cards(board.year_indicators),
            "period_cards": _cards(board.period_indicators),
            "scope_box": scope_box(request, scope),
            "include": include,
            "coverage_url": f"{reverse('maps:coverage')}?"
            f"{urlencode({'year': year, 'boundary_set': boundary_set, **include})}",
            "unit_map_query": urlencode(map_query),
            "links_to_unit_maps": policy.sees_polygons(request.user),
            "chart_data": chart_data(board, convention=number_convention()),
            "units_without_cha": len(board.units) - len(units_with_cha(board)),
            "downloads": _chart_downloads(request, board, include),
            "forecast_method": forecast_method(board.forecast),
            "forecast_reason": _forecast_reasons().get(board.forecast.total.reason),
            "chart_js_url": vendor_asset_url(CHART_JS),
            "reports": _report_links(board, include),
        },
    )


def _report_links(board: selectors.Dashboard, include: dict) -> list[tuple[str, list]]:
    """The annual report of the year and the report of its plan period (app.reports), as a page,
    PDF and Word file, counting the same records as the dashboard."""
    period = board.period
    reports = [
        (
            _("Annual report %(year)s") % {"year": board.year},
            reverse("reports:annual", args=[board.year]),
        ),
        (
            _("Report for the plan period %(period)s") % {"period": period},
            reverse("reports:period", args=[f"{period.first_year}-{period.last_year}"]),
        ),
    ]
    formats = [("html", _("page")), ("pdf", "PDF"), ("docx", "Word")]
    return [
        (
            title,
            [
                (label, f"{url}?{urlencode({**include, 'format': file_format})}")
                for file_format, label in formats
            ],
        )
        for title, url in reports
    ]
