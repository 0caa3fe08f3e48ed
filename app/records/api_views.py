"""The records API: one record as a GeoJSON Feature, its history, and the hand-made changes.

Views parse the request, call one service or selector, and answer the record as PostGIS wrote
it. Errors take the API's one shape (app.api.errors): a bad value names the field (400), an
unknown or invisible record is a 404, a refusal for lack of permission a 403 saying what is
lacking, an action the record's state does not allow a 409.

A ``reason`` travels in the JSON body (``{"reason": "..."}``, beside the fields of a PATCH) or
as ``?reason=``; deleting and restoring need one.
"""

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from app.accounts import policy
from app.accounts.headers import exact_positions
from app.api.geojson import GEOJSON_MEDIA_TYPE
from app.api.request_text import as_text
from app.api.schema import ERROR, GeoJSONFeature
from app.api.views import OrganisationList as ApiOrganisationList
from app.records import reference, selectors, services
from app.records.exceptions import ChangeRefused, RecordStateConflict
from app.records.layers import ADMIN_UNITS, RECORD_LAYERS, TARGETS

_ERROR = ERROR
_FEATURE = OpenApiResponse(
    GeoJSONFeature,
    description=(
        "The record as a GeoJSON Feature (WGS 84, 7 decimals; geometry null for targets). "
        "Properties: the layer's list properties plus status, deleted_at, upload_id, layer and "
        "url (its page); area_ha is geodesic (WGS 84 ellipsoid)."
    ),
)
_HISTORY = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=(
        '{"layer", "id", "versions": [{"id", "action", "action_label", "valid_from", '
        '"valid_to", "changed_by", "upload_id", "reason", "changes": [{"field", "old", "new"}], '
        '"geometry": {"changed", "hectares_before", "hectares_after"} or null, "current", "data" '
        '(the stored columns), "restore_url"}]}, oldest first. Hectares are geodesic, '
        "rounded to 2 decimals."
    ),
)
_LAYER = OpenApiParameter(
    "layer", str, OpenApiParameter.PATH, enum=list(RECORD_LAYERS), description="Kind of record."
)
# Deleting and restoring refuse without one (400 naming reason); it may come in a JSON body
# ({"reason": "..."}) instead, which the schema cannot say of a DELETE.
_REQUIRED_REASON = OpenApiParameter(
    "reason",
    str,
    OpenApiParameter.QUERY,
    required=True,
    description="Why: required, kept in the history (or as reason in a JSON body).",
)
_CHANGES = OpenApiTypes.OBJECT
# A write that answers the record as it now is, or a refusal.
_CHANGED_FEATURE = {
    (200, GEOJSON_MEDIA_TYPE): _FEATURE,
    400: _ERROR,
    403: _ERROR,
    404: _ERROR,
    409: _ERROR,
}


def _reason(request) -> str:
    """The body's ``reason``, else the query string's: text (a number is a 400 naming it)."""
    body = request.data if isinstance(request.data, dict) else {}
    reason = body.get("reason")
    if reason is None:
        reason = request.query_params.get("reason", "")
    return as_text("reason", reason)


def _changes(request) -> dict:
    if not isinstance(request.data, dict):
        raise ChangeRefused(
            parameter="changes", message=gettext("send the fields to change as a JSON object")
        )
    return {name: value for name, value in request.data.items() if name != "reason"}


def _feature_response(layer, record_id: int, *, status_code: int = 200) -> HttpResponse:
    feature = selectors.record_feature_json(layer=layer, record_id=record_id)
    return HttpResponse(feature, content_type=GEOJSON_MEDIA_TYPE, status=status_code)


def _conflict(conflict: RecordStateConflict) -> Response:
    return Response({"error": conflict.message}, status=status.HTTP_409_CONFLICT)


def _record(request, layer_name: str, record_id: int):
    layer = selectors.record_layer(layer_name)
    if request.method == "GET":
        selectors.visible_record(layer=layer, record_id=record_id, user=request.user)
        return _feature_response(layer, record_id)
    try:
        if request.method == "PATCH":
            services.change_record(
                layer=layer.name,
                record_id=record_id,
                user=request.user,
                changes=_changes(request),
                reason=_reason(request),
            )
        else:
            services.delete_record(
                layer=layer.name, record_id=record_id, user=request.user, reason=_reason(request)
            )
    except RecordStateConflict as conflict:
        return _conflict(conflict)
    return _feature_response(layer, record_id)


@extend_schema(
    methods=["GET"],
    parameters=[_LAYER],
    responses={(200, GEOJSON_MEDIA_TYPE): _FEATURE, 403: _ERROR, 404: _ERROR},
)
@extend_schema(
    methods=["PATCH"],
    parameters=[_LAYER],
    request=_CHANGES,
    responses=_CHANGED_FEATURE,
    description=(
        "Change fields of the record: a JSON object of field: value (organisation by slug, "
        'admin_unit by code, dates ISO), "geometry" as GeoJSON in WGS 84, and an optional '
        '"reason". The review state does not move: an approved record stays approved.'
    ),
)
@extend_schema(
    methods=["DELETE"],
    parameters=[_LAYER, _REQUIRED_REASON],
    request=None,
    responses=_CHANGED_FEATURE,
    description="Soft delete (reason required): the record leaves every statistic; undoable.",
)
@exact_positions
@api_view(["GET", "PATCH", "DELETE"])
def record(request, layer: str, record_id: int):
    return _record(request, layer, record_id)


@extend_schema(
    parameters=[_LAYER],
    request=None,
    responses={(200, GEOJSON_MEDIA_TYPE): _FEATURE, 403: _ERROR, 404: _ERROR, 409: _ERROR},
    description="Undo a soft delete (analysts).",
)
@exact_positions
@api_view(["POST"])
def record_undelete(request, layer: str, record_id: int):
    spec = selectors.record_layer(layer)
    try:
        services.undelete_record(
            layer=spec.name, record_id=record_id, user=request.user, reason=_reason(request)
        )
    except RecordStateConflict as conflict:
        return _conflict(conflict)
    return _feature_response(spec, record_id)


@extend_schema(parameters=[_LAYER], responses={200: _HISTORY, 403: _ERROR, 404: _ERROR})
@exact_positions
@api_view(["GET"])
def record_history(request, layer: str, record_id: int):
    spec = selectors.record_layer(layer)
    selectors.visible_record_or_history(layer=spec, record_id=record_id, user=request.user)
    versions = selectors.record_history(layer=spec, record_id=record_id)
    return Response(
        {
            "layer": spec.name,
            "id": record_id,
            "url": selectors.record_url(spec, record_id),
            "versions": [_version_json(request, spec, record_id, v) for v in versions],
        }
    )


def _version_json(request, layer, record_id: int, version: selectors.VersionRow) -> dict:
    geometry = None
    if version.geometry_changed is not None:
        geometry = {
            "changed": version.geometry_changed,
            "hectares_before": _rounded(version.hectares_before),
            "hectares_after": _rounded(version.hectares_after),
        }
    return {
        "id": version.id,
        "action": version.action,
        "action_label": version.action_label,
        "valid_from": version.valid_from.isoformat(),
        "valid_to": version.valid_to.isoformat() if version.valid_to else None,
        "changed_by": version.changed_by,
        "upload_id": version.upload_id,
        "reason": version.reason,
        "changes": [
            {"field": change.field, "old": change.old, "new": change.new}
            for change in version.changes
        ],
        "geometry": geometry,
        "current": version.current,
        "data": version.data,
        "restore_url": None
        if version.current
        else request.build_absolute_uri(
            reverse(
                "record-restore",
                kwargs={"layer": layer.name, "record_id": record_id, "version_id": version.id},
            )
        ),
    }


def _rounded(hectares: float | None) -> float | None:
    return None if hectares is None else round(hectares, 2)


@extend_schema(
    parameters=[_LAYER, _REQUIRED_REASON],
    request=None,
    responses={(200, GEOJSON_MEDIA_TYPE): _FEATURE, 400: _ERROR, 403: _ERROR, 404: _ERROR},
    description=(
        "Write this past version's data and geometry back onto the record (analysts; reason "
        "required), recorded as action 'restored'. A record an upload revert removed is "
        "re-inserted under its old id."
    ),
)
@exact_positions
@api_view(["POST"])
def record_restore(request, layer: str, record_id: int, version_id: int):
    spec = selectors.record_layer(layer)
    selectors.visible_record_or_history(layer=spec, record_id=record_id, user=request.user)
    selectors.version_of_record(layer=spec, record_id=record_id, version_id=version_id)
    services.restore_version(version_id=version_id, user=request.user, reason=_reason(request))
    return _feature_response(spec, record_id)


# Reference data: targets, organisations, admin units.


@extend_schema(
    methods=["GET"],
    parameters=[
        OpenApiParameter("year", int, required=False),
        OpenApiParameter(
            "deleted",
            bool,
            required=False,
            description="true: only the soft-deleted targets, with deleted_at (analysts; 403).",
        ),
    ],
    responses={
        200: OpenApiResponse(OpenApiTypes.OBJECT, description='{"results": [target]}'),
        400: _ERROR,
    },
    description="Annual targets that count (deleted ones left out unless deleted=true).",
)
@extend_schema(
    methods=["POST"],
    request=_CHANGES,
    responses={(201, GEOJSON_MEDIA_TYPE): _FEATURE, 400: _ERROR, 403: _ERROR},
    description=(
        "A new target (analysts): year, metric (cleared_ha, surveyed_ha, spot_tasks, "
        "items_destroyed), value; admin_unit (a code) and organisation (a slug) absent or "
        "null for the whole province and all organisations; optional reason."
    ),
)
@api_view(["GET", "POST"])
def targets(request):
    if request.method == "GET":
        year = request.query_params.get("year") or None
        if year is not None and not year.isdigit():
            raise ChangeRefused(parameter="year", message=gettext("give a year, e.g. 2024"))
        deleted = _deleted_flag(request)
        if deleted:
            policy.check_deleted_filter(request.user, reference_data=True)
        rows = selectors.target_list(year=int(year) if year else None, deleted=deleted)
        return Response({"results": [_target_json(row) for row in rows]})
    target = reference.create_target(
        user=request.user, values=_changes(request), reason=_reason(request)
    )
    return _feature_response(TARGETS, target.pk, status_code=status.HTTP_201_CREATED)


def _deleted_flag(request) -> bool:
    raw = request.query_params.get("deleted", "").strip().lower()
    if raw in ("", "false", "0"):
        return False
    if raw in ("true", "1"):
        return True
    raise ChangeRefused(parameter="deleted", message=gettext("give true or false"))


def _target_json(row: selectors.TargetRow) -> dict:
    extra = {"deleted_at": row.deleted_at} if row.deleted_at is not None else {}
    return {
        "id": row.id,
        "year": row.year,
        "metric": row.metric,
        "admin_unit": row.admin_unit,
        "boundary_set": row.boundary_set,
        "organisation": row.organisation,
        "value": float(row.value),
        "url": selectors.record_url(TARGETS, row.id),
        **extra,
    }


@extend_schema(
    methods=["GET"],
    operation_id="targets_detail",
    responses={(200, GEOJSON_MEDIA_TYPE): _FEATURE, 404: _ERROR},
    description="One target.",
)
@extend_schema(
    methods=["PATCH"],
    request=_CHANGES,
    responses=_CHANGED_FEATURE,
    description="Change a target (analysts); its history is /api/v1/records/targets/<id>/history/.",
)
@extend_schema(
    methods=["DELETE"],
    parameters=[_REQUIRED_REASON],
    request=None,
    responses=_CHANGED_FEATURE,
    description="Soft delete a target (analysts; reason required).",
)
@api_view(["GET", "PATCH", "DELETE"])
def target(request, target_id: int):
    return _record(request, TARGETS.name, target_id)


@extend_schema(
    methods=["GET"],
    operation_id="admin_units_detail",
    responses={(200, GEOJSON_MEDIA_TYPE): _FEATURE, 404: _ERROR},
    description="One admin unit.",
)
@extend_schema(
    methods=["PATCH"],
    request=_CHANGES,
    responses={(200, GEOJSON_MEDIA_TYPE): _FEATURE, 400: _ERROR, 403: _ERROR, 404: _ERROR},
    description=(
        "Correct an admin unit (analysts): name_vi, name_en, valid_from, valid_to, geometry "
        "(GeoJSON); history at /api/v1/records/admin-units/<id>/history/."
    ),
)
@api_view(["GET", "PATCH"])
def admin_unit(request, unit_id: int):
    return _record(request, ADMIN_UNITS.name, unit_id)


def _organisation_json(organisation) -> dict:
    return {"slug": organisation.slug, "name": organisation.name, "kind": organisation.kind}


class OrganisationList(ApiOrganisationList):
    """The organisations' list (app.api.views), and analysts add organisations."""

    @extend_schema(
        request=_CHANGES,
        responses={201: OpenApiTypes.OBJECT, 400: _ERROR, 403: _ERROR},
        description="A new organisation (analysts): slug, name, kind (ngo, military, "
        "commercial, government).",
    )
    def post(self, request):
        organisation = reference.create_organisation(user=request.user, values=_changes(request))
        return Response(_organisation_json(organisation), status=status.HTTP_201_CREATED)


@extend_schema(
    methods=["PATCH"],
    request=_CHANGES,
    responses={200: OpenApiTypes.OBJECT, 400: _ERROR, 403: _ERROR, 404: _ERROR},
    description="Change an organisation's slug, name or kind (analysts).",
)
@api_view(["PATCH"])
def organisation(request, slug: str):
    changed = reference.change_organisation(user=request.user, slug=slug, values=_changes(request))
    return Response(_organisation_json(changed))
