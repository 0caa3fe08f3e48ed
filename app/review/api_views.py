"""Review API: the queue of pending batches, and the decisions on a batch or on one record.

Thin views: parse, call one service, render. Only analysts decide (policy.can_review; others
403); a decision the records' state does not allow is a 409 that says why; a missing reason is
a 400 naming ``reason``.
"""

from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, parser_classes, permission_classes
from rest_framework.response import Response

from app.accounts.permissions import CanReview
from app.api.request_text import PARSERS, TextField
from app.api.schema import ERROR
from app.review import services
from app.review.selectors import batch_summary, pending_batches
from app.uploads.selectors import visible_upload

_ERROR = ERROR
_BATCH = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="The batch: id, kind, organisation, filename, committed_at, committed_by, "
    "review_status (submitted | draft | approved | rejected | mixed), reviewed_by, reviewed_at, "
    "review_reason, features, records (per review state), hectares (geodesic, polygons only), "
    "hectares_by_status and the check report in figures.",
)


class ReasonRequest(serializers.Serializer):
    reason = TextField(help_text="Why: required to reject or send back.")


class OptionalReasonRequest(serializers.Serializer):
    reason = TextField(
        required=False, help_text="Why (optional): kept with the decision in the history."
    )


# The body of a record's review: a reason is optional to approve and required to reject or send
# back (a 400 naming reason), which a single object schema cannot say.
_RECORD_REVIEW = {
    "oneOf": [
        {
            "type": "object",
            "properties": {
                "decision": {"type": "string", "enum": ["approve"]},
                "reason": {"type": "string"},
            },
            "required": ["decision"],
        },
        {
            "type": "object",
            "properties": {
                "decision": {"type": "string", "enum": ["reject", "return"]},
                "reason": {"type": "string", "minLength": 1, "description": "Why: required."},
            },
            "required": ["decision", "reason"],
        },
    ]
}


class _RecordReviewText(serializers.Serializer):
    """The fields of _RECORD_REVIEW as text: the decision's choices are the service's check."""

    decision = TextField(required=False)
    reason = TextField(required=False)


def _text(request, serializer_class, *names: str) -> dict[str, str]:
    """The body's text fields ``names``, each a string ("" when not sent): a number, a list or a
    NUL is a 400 naming the field. Only their types are checked here (``partial``): whether a
    reason is required, and which decisions exist, the service says, with its own words."""
    body = serializer_class(data=request.data, partial=True)
    body.is_valid(raise_exception=True)
    return {name: body.validated_data.get(name, "") for name in names}


class UnknownLayer(LookupError):
    def __init__(self, layer: str) -> None:
        super().__init__(layer)
        self.parameter = "layer"
        self.message = gettext("no layer %(name)s; use one of %(names)s") % {
            "name": layer,
            "names": ", ".join(services.REVIEWED_LAYERS),
        }


def _conflict(conflict: services.ReviewConflict) -> Response:
    """The message in the reader's language, and the state it names as a code (``status``,
    ``upload_status`` or ``review_status``) for scripts."""
    return Response(
        {"error": conflict.message, "code": "state", **conflict.codes},
        status=status.HTTP_409_CONFLICT,
    )


@extend_schema(
    responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description='{"results": [batch]}')},
    description="Batches waiting for review (submitted) or for a correction (draft), newest "
    "commit first. Analysts only.",
)
@api_view(["GET"])
@permission_classes([CanReview])
def review_queue(request):
    return Response({"results": pending_batches()})


def _batch_decision(decide, request, upload_id: int, **arguments) -> Response:
    try:
        upload = decide(upload_id=upload_id, user=request.user, **arguments)
    except services.ReviewConflict as conflict:
        return _conflict(conflict)
    return Response(batch_summary(upload))


@extend_schema(
    request=OptionalReasonRequest,
    responses={200: _BATCH, 400: _ERROR, 403: _ERROR, 404: _ERROR, 409: _ERROR},
    description="Approve every submitted record of the upload: they count from now on. An "
    "optional reason is kept with the decision.",
)
@api_view(["POST"])
@parser_classes(PARSERS)
@permission_classes([CanReview])
def approve(request, upload_id: int):
    return _batch_decision(
        services.approve_batch, request, upload_id, **_text(request, ReasonRequest, "reason")
    )


@extend_schema(
    request=ReasonRequest,
    responses={200: _BATCH, 400: _ERROR, 403: _ERROR, 404: _ERROR, 409: _ERROR},
    description="Reject every submitted record of the upload, with a reason.",
)
@api_view(["POST"])
@parser_classes(PARSERS)
@permission_classes([CanReview])
def reject(request, upload_id: int):
    return _batch_decision(
        services.reject_batch, request, upload_id, **_text(request, ReasonRequest, "reason")
    )


@extend_schema(
    request=ReasonRequest,
    responses={200: _BATCH, 400: _ERROR, 403: _ERROR, 404: _ERROR, 409: _ERROR},
    description="Send every submitted record of the upload back to draft for correction, with "
    "a reason; the organisation corrects them and resubmits.",
)
@api_view(["POST"])
@parser_classes(PARSERS)
@permission_classes([CanReview])
def send_back(request, upload_id: int):
    return _batch_decision(
        services.return_batch, request, upload_id, **_text(request, ReasonRequest, "reason")
    )


@extend_schema(
    request=OptionalReasonRequest,
    responses={200: _BATCH, 400: _ERROR, 403: _ERROR, 404: _ERROR, 409: _ERROR},
    description="Submit again the draft records of a batch sent back for correction: the "
    "upload's organisation, or an analyst. An optional reason says what was corrected.",
)
@api_view(["POST"])
@parser_classes(PARSERS)
def resubmit(request, upload_id: int):
    visible_upload(request.user, upload_id)
    return _batch_decision(
        services.resubmit_batch, request, upload_id, **_text(request, ReasonRequest, "reason")
    )


@extend_schema(
    parameters=[
        OpenApiParameter("layer", str, OpenApiParameter.PATH, enum=list(services.REVIEWED_LAYERS))
    ],
    request={parser.media_type: _RECORD_REVIEW for parser in PARSERS},
    responses={
        200: OpenApiResponse(
            OpenApiTypes.OBJECT,
            description="The record's layer, id, status, upload_id and its upload's review_status.",
        ),
        400: _ERROR,
        403: _ERROR,
        404: _ERROR,
        409: _ERROR,
    },
    description="Approve, reject or send back (return) one submitted record; a reason is "
    "required to reject or return. Analysts only.",
)
@api_view(["POST"])
@parser_classes(PARSERS)
@permission_classes([CanReview])
def review_record(request, layer: str, record_id: int):
    model = services.REVIEWED_LAYERS.get(layer)
    if model is None:
        raise UnknownLayer(layer)
    body = _text(request, _RecordReviewText, "decision", "reason")
    try:
        record = services.review_record(model=model, record_id=record_id, user=request.user, **body)
    except services.ReviewConflict as conflict:
        return _conflict(conflict)
    upload = record.upload
    return Response(
        {
            "layer": layer,
            "id": record.pk,
            "status": record.status,
            "upload_id": record.upload_id,
            "upload_review_status": upload.review_status if upload else None,
        }
    )
