"""Thin views: parse the query, call one selector, render.

The GeoJSON lists return the text PostGIS built (``HttpResponse``), so DRF renders nothing on
the success path; DRF is still used for parsing, errors and the OpenAPI schema.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from app.accounts import policy
from app.accounts.permissions import CanSeePolygons, CanViewData
from app.accounts.rate_limits import RATE_LIMITED_RESPONSE, ExpensiveEndpointThrottle
from app.api import params
from app.api.geojson import GEOJSON_MEDIA_TYPE, feature_collection_response
from app.api.negotiation import AnswerWhateverIsAccepted
from app.api.schema import ERROR, GeoJSONFeatureCollection
from app.api.selectors import layers
from app.api.selectors.features import feature_page
from app.api.selectors.organisations import organisation_list
from app.exports.responses import export_response
from app.registry.scopes import reading
from gis.exports import FORMATS


class FeatureListView(APIView):
    """One page of a layer in the user's reading scope (approved records unless
    ``include=submitted``), or in one review ``status`` as far as the user may see it, or its
    soft-deleted records (``deleted=true``, analysts); or, with ``format=gpkg|shp|csv|xlsx|kml``,
    every feature of the scope the filters select as a file (app.exports)."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = AnswerWhateverIsAccepted
    throttle_classes = [ExpensiveEndpointThrottle]
    layer: layers.Layer
    params_class: type[params.PageParams]

    def get(self, request):
        query = self.params_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        scope = policy.reading_scope(request.user, include_submitted=query.include_submitted)
        if query.export_format is not None:
            return export_response(
                layer=self.layer,
                filters=query.to_filters(),
                fmt=query.export_format,
                crs=query.export_epsg,
                scope=scope,
                user=request.user,
            )
        status = query.validated_data.get("status")
        if status is not None:
            policy.check_status_filter(request.user, status)
        if query.validated_data.get("deleted"):
            policy.check_deleted_filter(
                request.user, reference_data=self.layer is layers.ADMIN_UNITS
            )
        with reading(scope):
            page = feature_page(
                self.layer,
                filters=query.to_filters(),
                limit=query.validated_data["limit"],
                offset=query.validated_data["offset"],
                visibility=policy.record_visibility(request.user),
            )
        return feature_collection_response(request, page)


def feature_list_view(layer: layers.Layer, params_class, *, summary: str) -> type[APIView]:
    """The list view of one layer, its OpenAPI entry listing the layer's own properties. A layer
    of exact positions is refused (403) to users limited to aggregates."""
    properties = ", ".join(key for key, _sql in layer.properties)
    permissions = [CanViewData, CanSeePolygons] if layer.exact_positions else [CanViewData]
    view = type(
        f"{params_class.__name__.removesuffix('Params')}List",
        (FeatureListView,),
        {
            "layer": layer,
            "params_class": params_class,
            "permission_classes": permissions,
            # Hazards, releases, spot tasks: no-store (app.accounts.headers).
            "exact_positions": layer.exact_positions,
        },
    )
    return extend_schema_view(
        get=extend_schema(
            summary=summary,
            parameters=[params_class],
            responses={
                (200, GEOJSON_MEDIA_TYPE): OpenApiResponse(
                    response=GeoJSONFeatureCollection,
                    description=(
                        "GeoJSON FeatureCollection (WGS 84, 7 decimals) with numberMatched, "
                        f"numberReturned and links (self, next, prev). Properties: {properties}. "
                        "area_ha is geodesic (WGS 84 ellipsoid)."
                    ),
                ),
                **{
                    (200, export_format.media_type.split(";")[0]): OpenApiResponse(
                        response=OpenApiTypes.BINARY,
                        description=(
                            f"format={name}: every feature the filters select, as a file "
                            f"({layer.name}-<date>{export_format.extension}) in crs."
                        ),
                    )
                    for name, export_format in FORMATS.items()
                },
                400: ERROR,
                401: ERROR,
                403: OpenApiResponse(
                    response=ERROR.response,
                    description=(
                        "include=submitted or a status other than approved asked by a role that "
                        "reads approved data only, or deleted=true by one that is no analyst's"
                        + ("; or an account limited to aggregates" if layer.exact_positions else "")
                        + '. {"error": "<what is lacking>"}'
                    ),
                ),
                404: ERROR,
                429: RATE_LIMITED_RESPONSE,
            },
            tags=["features"],
        )
    )(view)


AdminUnitList = feature_list_view(
    layers.ADMIN_UNITS, params.AdminUnitParams, summary="Admin units of both boundary sets"
)
HazardList = feature_list_view(
    layers.HAZARDS, params.HazardParams, summary="Hazard areas (SHA and CHA)"
)
ReleaseList = feature_list_view(
    layers.RELEASES, params.ReleaseParams, summary="Released land (cancelled, reduced, cleared)"
)
SpotTaskList = feature_list_view(layers.SPOT_TASKS, params.SpotTaskParams, summary="EOD spot tasks")
VillageList = feature_list_view(
    layers.VILLAGES, params.VillageParams, summary="Villages (thôn) and their survey dates"
)


class OrganisationSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.CharField()


class OrganisationList(APIView):
    @extend_schema(
        summary="Organisations (the slugs the list filters take)",
        responses=OrganisationSerializer(many=True),
    )
    def get(self, request):
        return Response(organisation_list())
