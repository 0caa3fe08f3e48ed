"""Stats endpoints: parse the parameters, call one selector, render its report as JSON, or as
CSV or Excel with ``?format=csv|xlsx`` (app.accounting.report_tables and report_files).

A selector's refusal (InvalidReportParameter, UnknownUnit) carries the parameter it concerns;
app.api.errors turns it into the API's 400 or 404, as for every other endpoint.

Which records a report counts is the user's reading scope (app.accounts.policy.reading_scope):
approved ones by default, with ``include=submitted`` pending work too, with ``as_recorded`` the
registry of a past day. The selector runs inside ``reading(scope)`` and the JSON says, as
``scope``, what it counted. With PUBLIC_SUMMARY on, anonymous visitors get the province and
district rows (401 for anything else)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import (
    api_view,
    permission_classes,
    renderer_classes,
    throttle_classes,
)
from rest_framework.exceptions import NotAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from app.accounting.params import (
    ClearanceParams,
    ForecastParams,
    ProgressParams,
    ReleaseParams,
)
from app.accounting.report_files import CsvTableRenderer, XlsxTableRenderer
from app.accounting.report_json import scoped_report_json
from app.accounting.report_schema import (
    ClearanceReportSerializer,
    ForecastReportSerializer,
    ProgressReportSerializer,
    ReleaseReportSerializer,
)
from app.accounting.report_tables import report_table
from app.accounting.selectors import (
    clearance_report,
    progress_report,
    release_forecast,
    release_report,
)
from app.accounts import policy
from app.accounts.permissions import CanViewDataOrPublicSummary
from app.accounts.rate_limits import RATE_LIMITED_RESPONSE, ExpensiveEndpointThrottle
from app.api.schema import ERROR
from app.registry.scopes import ReadingScope, reading

_ERRORS = {
    400: ERROR,
    401: OpenApiResponse(
        ERROR.response,
        description="Not signed in (with PUBLIC_SUMMARY on: a grouping other than the province "
        "or its districts).",
    ),
    403: OpenApiResponse(
        ERROR.response,
        description="include=submitted asked by a role that reads approved data only.",
    ),
    429: RATE_LIMITED_RESPONSE,
}


_SCOPE = (
    "scope: which records were counted: records (approved | approved and submitted), "
    "includes_submitted, and submitted_by (organisation slugs, or null for every organisation) "
    "with a label when pending work is included, or as_recorded (the moment of a past registry)."
)


# ?format=csv and ?format=xlsx: the same report as a file (app.accounting.report_files).
_RENDERERS = [JSONRenderer, CsvTableRenderer, XlsxTableRenderer]

_FORMATS = (
    " With format=csv (UTF-8 with BOM; what the figures cover in trailing columns) or "
    "format=xlsx (the figures, then a sheet saying what they cover): the same figures as a file "
    "whose column headers are in the reader's language."
)


def _answer(request, report, scope: ReadingScope) -> Response:
    """The report as JSON, or as the CSV or Excel file ``?format=`` asked for."""
    file_format = request.accepted_renderer.format
    if file_format == "json":
        return Response(scoped_report_json(report, scope))
    user = request.user
    table = report_table(
        report,
        scope,
        reader=user.get_username() if user.is_authenticated else _("not signed in"),
        generated_at=timezone.localtime(),
    )
    return Response(
        table,
        headers={"Content-Disposition": f'attachment; filename="{table.name}.{file_format}"'},
    )


def _params(serializer_class, request) -> dict:
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data


def _reading_scope(request, params: dict, *, by: str) -> ReadingScope:
    """The records this user's report counts; refusals say what is lacking (401 anonymous,
    403 signed in)."""
    if not policy.can_read_statistics(request.user, by=by):
        raise NotAuthenticated(
            _(
                "sign in to see statistics by %(by)s; "
                "the public summary has the province and its districts"
            )
            % {"by": by}
        )
    try:
        return policy.reading_scope(
            request.user,
            include_submitted="include" in params,
            as_recorded=params.get("as_recorded"),
        )
    except policy.NotAllowed as refused:
        if not request.user.is_authenticated:
            raise NotAuthenticated(refused.message) from None
        raise


def _stats_endpoint(params_class, serializer_class, *, description: str, not_found: str = ""):
    """The decorators every statistics endpoint shares: GET only, open to readers of data (and
    to the public summary where it is on), counted against the expensive endpoints' limit,
    answered as JSON, CSV or Excel, documented with its parameters and its JSON."""
    responses = {
        200: OpenApiResponse(serializer_class, description=description + _SCOPE + _FORMATS),
        **_ERRORS,
    }
    if not_found:
        responses[404] = OpenApiResponse(ERROR.response, description=not_found)

    def decorate(view):
        view = renderer_classes(_RENDERERS)(view)
        view = throttle_classes([ExpensiveEndpointThrottle])(view)
        view = permission_classes([CanViewDataOrPublicSummary])(view)
        view = api_view(["GET"])(view)
        return extend_schema(parameters=[params_class], responses=responses)(view)

    return decorate


@_stats_endpoint(
    ReleaseParams,
    ReleaseReportSerializer,
    description="Release of CHA as of the date per unit: rows of code, name, cha_ha, "
    "released_ha, cleared_ha, reduced_ha, cancelled_ha, released_pct; a total that adds "
    "sha_ha and cleared_outside_cha_ha. Hectares are geodesic (WGS 84). ",
    not_found="No unit with that code.",
)
def release_stats(request):
    params = _params(ReleaseParams, request)
    scope = _reading_scope(request, params, by=params["by"])
    with reading(scope):
        report = release_report(
            as_of=params["as_of"],
            by=params["by"],
            boundary_set=params.get("boundary_set"),
            unit_code=params.get("unit"),
        )
    return _answer(request, report, scope)


@_stats_endpoint(
    ClearanceParams,
    ClearanceReportSerializer,
    description="Clearance in the year: rows of code, name, cleared_ha, target_ha, "
    "pct_of_target, spot_tasks, items_destroyed, and the province total. ",
)
def clearance_stats(request):
    params = _params(ClearanceParams, request)
    scope = _reading_scope(request, params, by=params["by"])
    with reading(scope):
        report = clearance_report(
            year=params["year"], by=params["by"], boundary_set=params.get("boundary_set")
        )
    return _answer(request, report, scope)


@_stats_endpoint(
    ProgressParams,
    ProgressReportSerializer,
    description="One row per year for the province: cleared_ha, target_ha, "
    "pct_of_target, newly_released_ha, released_ha, released_pct, spot_tasks, "
    "items_destroyed (with targets), villages_surveyed and villages_surveyed_pct; "
    "a total for the period. ",
)
def progress_stats(request):
    params = _params(ProgressParams, request)
    scope = _reading_scope(request, params, by="province")
    with reading(scope):
        report = progress_report(
            from_year=params["from"], to_year=params["to"], boundary_set=params.get("boundary_set")
        )
    return _answer(request, report, scope)


@_stats_endpoint(
    ForecastParams,
    ForecastReportSerializer,
    description="A projection from recorded work: per unit and for the province, "
    "remaining CHA as of the date (cha_ha - released_ha, as the release statistics), "
    "the CHA newly released in each of the last `years` complete years, the mean, low "
    "and high pace (hectares per year), and the year the remaining CHA would be "
    "released at each pace (as_of's year + ceil(remaining / pace)); null with a reason "
    "where it cannot be computed. The method in plain words as `method`. ",
)
def forecast_stats(request):
    params = _params(ForecastParams, request)
    scope = _reading_scope(request, params, by=params["by"])
    with reading(scope):
        report = release_forecast(
            as_of=params["as_of"],
            by=params["by"],
            years=params["years"],
            boundary_set=params.get("boundary_set"),
        )
    return _answer(request, report, scope)
