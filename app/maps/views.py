"""Map pages: parse the query, call one selector, return the page Folium built."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from app.maps import selectors
from app.registry.models import BoundarySet

FIRST_YEAR, LAST_YEAR = selectors.FIRST_YEAR, selectors.LAST_YEAR


class BadParameter(ValueError):
    pass


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "").strip()
    if not raw:
        return selectors.latest_data_year()
    if not raw.isdigit() or not FIRST_YEAR <= int(raw) <= LAST_YEAR:
        raise BadParameter(
            f"year must be a year between {FIRST_YEAR} and {LAST_YEAR} (e.g. year=2023), "
            f"not {raw!r}"
        )
    return int(raw)


def _boundary_set(request: HttpRequest, default: str | None) -> str | None:
    raw = request.GET.get("boundary_set", "").strip()
    if not raw:
        return default
    if raw not in BoundarySet.values:
        raise BadParameter(
            f"boundary_set must be one of {' or '.join(BoundarySet.values)}, not {raw!r}"
        )
    return raw


def _bad_request(request: HttpRequest, error: BadParameter) -> HttpResponse:
    return render(request, "maps/bad_request.html", {"message": str(error)}, status=400)


def _asset_base_url() -> str:
    return static("maps/vendor/")


@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    try:
        year = _year(request)
        boundary_set = _boundary_set(request, default=BoundarySet.LEGACY_2019)
    except BadParameter as error:
        return _bad_request(request, error)
    page = selectors.coverage_map_html(
        year=year,
        boundary_set=boundary_set,
        asset_base_url=_asset_base_url(),
        note=selectors.data_note(),
    )
    return HttpResponse(page)


@require_GET
def district(request: HttpRequest, code: str) -> HttpResponse:
    try:
        year = _year(request)
        boundary_set = _boundary_set(request, default=None)
    except BadParameter as error:
        return _bad_request(request, error)
    unit = selectors.map_unit(code=code, boundary_set=boundary_set)
    if unit is None:
        raise Http404(f"No district or commune with code {code!r}")
    page = selectors.district_map_html(
        unit=unit, year=year, asset_base_url=_asset_base_url(), note=selectors.data_note()
    )
    return HttpResponse(page)
