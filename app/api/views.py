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

from app.api import params
from app.api.geojson import GEOJSON_MEDIA_TYPE, GeoJSONNegotiation, feature_collection_response
from app.api.selectors import layers
from app.api.selectors.features import feature_page
from app.api.selectors.organisations import organisation_list

ERROR_RESPONSE = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description='{"error": "<parameter>: <what to fix>", "parameter": "<name>"}',
)


def feature_list_schema(params_class, *, summary: str, properties: str):
    return extend_schema_view(
        get=extend_schema(
            summary=summary,
            parameters=[params_class],
            responses={
                (200, GEOJSON_MEDIA_TYPE): OpenApiResponse(
                    response=OpenApiTypes.OBJECT,
                    description=(
                        "GeoJSON FeatureCollection (WGS 84, 7 decimals) with numberMatched, "
                        f"numberReturned and links (self, next, prev). Properties: {properties}."
                    ),
                ),
                400: ERROR_RESPONSE,
                404: ERROR_RESPONSE,
            },
            tags=["features"],
        )
    )


class FeatureListView(APIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = GeoJSONNegotiation
    layer: layers.Layer
    params_class: type[params.PageParams]

    def get(self, request):
        query = self.params_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = feature_page(
            self.layer,
            filters=query.to_filters(),
            limit=query.validated_data["limit"],
            offset=query.validated_data["offset"],
        )
        return feature_collection_response(request, page)


@feature_list_schema(
    params.AdminUnitParams,
    summary="Admin units of both boundary sets",
    properties=(
        "code, name_vi, name_en, level, boundary_set, parent_code, valid_from, valid_to, "
        "area_ha (geodesic)"
    ),
)
class AdminUnitList(FeatureListView):
    layer = layers.ADMIN_UNITS
    params_class = params.AdminUnitParams


@feature_list_schema(
    params.HazardParams,
    summary="Hazard areas (SHA and CHA)",
    properties=(
        "reference, kind, contamination, organisation (slug), recorded_on, notes, "
        "area_ha (geodesic)"
    ),
)
class HazardList(FeatureListView):
    layer = layers.HAZARDS
    params_class = params.HazardParams


@feature_list_schema(
    params.ReleaseParams,
    summary="Released land (cancelled, reduced, cleared)",
    properties=(
        "reference, method, organisation (slug), started_on, completed_on, depth_cm, "
        "area_ha (geodesic)"
    ),
)
class ReleaseList(FeatureListView):
    layer = layers.RELEASES
    params_class = params.ReleaseParams


@feature_list_schema(
    params.SpotTaskParams,
    summary="EOD spot tasks",
    properties="reference, organisation (slug), completed_on, items_destroyed",
)
class SpotTaskList(FeatureListView):
    layer = layers.SPOT_TASKS
    params_class = params.SpotTaskParams


@feature_list_schema(
    params.VillageParams,
    summary="Villages (thôn) and their survey dates",
    properties="code, name_vi, name_en, nts_completed_on, ts_completed_on",
)
class VillageList(FeatureListView):
    layer = layers.VILLAGES
    params_class = params.VillageParams


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
