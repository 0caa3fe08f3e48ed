"""What the OpenAPI schema says the answers look like: the error shape, GeoJSON, and the
refusals DRF gives a view of a kind without the view saying so.

The views document their own answers (``extend_schema``); ``ApiAutoSchema`` adds, where a view
left them out, the refusals that come from the framework around it: 401 without a valid token or
session, 403 from a permission class or a failed CSRF check, 404 for a path naming something
that does not exist or is not visible, and 400 and 415 for a body that does not parse or comes in
a media type the view does not read. The rate limits' 429 is documented by the views that are
limited (app.accounts.rate_limits: a throttle may spare some methods of a view).
tests/api/test_openapi_conformance.py (schemathesis) holds the schema to what the API answers.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated

from app.accounts.serializers import ErrorSerializer

ERROR = OpenApiResponse(
    ErrorSerializer,
    description='{"error": "<parameter>: <what to fix>", "parameter": "<name>"}; a 409 adds '
    "the state it names as codes (code, status, upload_status or review_status).",
)


@extend_schema_field(
    {
        "type": "object",
        "description": "A GeoJSON geometry in WGS 84 (longitude, latitude), 7 decimals.",
        "properties": {
            "type": {
                "type": "string",
                "enum": [
                    "Point",
                    "MultiPoint",
                    "LineString",
                    "MultiLineString",
                    "Polygon",
                    "MultiPolygon",
                    "GeometryCollection",
                ],
            },
            "coordinates": {"type": "array", "items": {}},
        },
        "required": ["type"],
    }
)
class GeometryField(serializers.JSONField):
    pass


class GeoJSONFeature(serializers.Serializer):
    """A record as a GeoJSON Feature (documentation only: PostGIS writes the JSON)."""

    type = serializers.ChoiceField(choices=["Feature"])
    id = serializers.IntegerField()
    geometry = GeometryField(allow_null=True, help_text="null for records without a place.")
    properties = serializers.DictField(
        help_text="The layer's properties; area_ha is geodesic (WGS 84 ellipsoid)."
    )


class GeoJSONLink(serializers.Serializer):
    href = serializers.URLField()
    rel = serializers.ChoiceField(choices=["self", "next", "prev"])
    type = serializers.CharField()


class GeoJSONFeatureCollection(serializers.Serializer):
    """One page of a list, OGC API Features style."""

    type = serializers.ChoiceField(choices=["FeatureCollection"])
    numberMatched = serializers.IntegerField(min_value=0, help_text="Features on every page.")
    numberReturned = serializers.IntegerField(min_value=0, help_text="Features on this page.")
    links = GeoJSONLink(many=True)
    features = GeoJSONFeature(many=True)


_REFUSALS = {
    "400": "The body does not parse, or a parameter or field is wrong: the error names it.",
    "401": "No valid credentials: send 'Authorization: Token <key>' or sign in.",
    "403": "Signed in, but not allowed (the error says what is lacking), or a failed CSRF check.",
    "404": "Nothing with that id or name, or nothing you may see.",
    "415": "A body in a media type this endpoint does not read.",
}
_BODY_METHODS = ("POST", "PUT", "PATCH")


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, with the framework's refusals added where a view did not
    document them itself (the view's own description wins)."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._framework_refusals():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=_REFUSALS[code]), code
                )
        return responses

    def _get_parameters(self):
        # DRF reads an empty optional query parameter (year=, as an HTML form sends it) as an
        # absent one, and so do the views that read theirs by hand (app.records.api_views).
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter["in"] == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
        return parameters

    def _framework_refusals(self) -> list[str]:
        view = self.view
        codes = []
        permissions = [type(permission) for permission in view.get_permissions()]
        open_to_all = permissions == [AllowAny] or not view.get_authenticators()
        if not open_to_all:
            codes.append("401")
            if self.method in (*_BODY_METHODS, "DELETE") or set(permissions) - {IsAuthenticated}:
                codes.append("403")
        if self.method in _BODY_METHODS:
            codes += ["400", "415"]
        if "{" in self.path:
            codes.append("404")
        return codes
