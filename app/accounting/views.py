"""Stats endpoints: parse the parameters, call one selector, render its report as JSON.

A selector's refusal (InvalidReportParameter, UnknownUnit) carries the parameter it concerns;
app.api.errors turns it into the API's 400 or 404, as for every other endpoint."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from app.accounting.params import ClearanceParams, ProgressParams, ReleaseParams
from app.accounting.report_json import report_json
from app.accounting.selectors import clearance_report, progress_report, release_report

_ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description='{"error": "...", "parameter": "..."}'),
}


def _params(serializer_class, request) -> dict:
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data


@extend_schema(
    parameters=[ReleaseParams],
    responses={
        200: OpenApiResponse(
            OpenApiTypes.OBJECT,
            description="Release of CHA as of the date per unit: rows of code, name, cha_ha, "
            "released_ha, cleared_ha, reduced_ha, cancelled_ha, released_pct; a total that adds "
            "sha_ha and cleared_outside_cha_ha. Hectares are geodesic (WGS 84).",
        ),
        **_ERRORS,
        404: OpenApiResponse(OpenApiTypes.OBJECT, description="No unit with that code."),
    },
)
@api_view(["GET"])
def release_stats(request):
    params = _params(ReleaseParams, request)
    report = release_report(
        as_of=params["as_of"],
        by=params["by"],
        boundary_set=params.get("boundary_set"),
        unit_code=params.get("unit"),
    )
    return Response(report_json(report))


@extend_schema(
    parameters=[ClearanceParams],
    responses={
        200: OpenApiResponse(
            OpenApiTypes.OBJECT,
            description="Clearance in the year: rows of code, name, cleared_ha, target_ha, "
            "pct_of_target, spot_tasks, items_destroyed, and the province total.",
        ),
        **_ERRORS,
    },
)
@api_view(["GET"])
def clearance_stats(request):
    params = _params(ClearanceParams, request)
    report = clearance_report(
        year=params["year"], by=params["by"], boundary_set=params.get("boundary_set")
    )
    return Response(report_json(report))


@extend_schema(
    parameters=[ProgressParams],
    responses={
        200: OpenApiResponse(
            OpenApiTypes.OBJECT,
            description="One row per year for the province: cleared_ha, target_ha, "
            "pct_of_target, newly_released_ha, released_ha, released_pct, spot_tasks, "
            "items_destroyed (with targets), villages_surveyed and villages_surveyed_pct; "
            "a total for the period.",
        ),
        **_ERRORS,
    },
)
@api_view(["GET"])
def progress_stats(request):
    params = _params(ProgressParams, request)
    report = progress_report(
        from_year=params["from"], to_year=params["to"], boundary_set=params.get("boundary_set")
    )
    return Response(report_json(report))
