"""Upload API: parse the request, call one service, render the upload as JSON.

Checking and committing happen in the background worker (manage.py upload_worker): POST returns
202 at once and the client polls GET /api/v1/uploads/<id>/ for status, progress and report.
"""

from django.http import FileResponse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import api_view, parser_classes, throttle_classes
from rest_framework.response import Response

from app.accounts.headers import exact_positions
from app.accounts.rate_limits import RATE_LIMITED_RESPONSE, UploadCreationThrottle
from app.api.request_text import FormTextParser, JSONObjectParser, MultiPartTextParser
from app.api.schema import ERROR
from app.uploads.models import OnConflict, UploadKind
from app.uploads.report_text import localised_upload
from app.uploads.selectors import original_file, upload_json, upload_list, visible_upload
from app.uploads.services import (
    UploadRefused,
    UploadStateConflict,
    create_upload,
    discard_upload,
    parse_mapping,
    request_commit,
    revert_upload,
)

_ERROR = ERROR
_UPLOAD = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="The upload: id, status (queued | checking | ready | committing | committed | "
    "rejected | failed | reverted | discarded), progress (0-100), kind, organisation, filename, "
    "sha256, size_bytes, options, on_conflict, error, duplicate_of, report, created_by, "
    "commit_requested_by, review (status: submitted | draft | approved | rejected | mixed, "
    "reviewed_by, reviewed_at, reason, records per review state) and its timestamps. Analysts "
    "see every upload, field coordinators their organisation's (another one's is a 404); "
    "other roles are refused (403).",
)


@extend_schema_field(OpenApiTypes.BINARY)
class UploadedFile(serializers.FileField):
    """A file part of the form: binary in the schema (drf-spectacular says uri for a FileField
    unless every request component is split from its response one)."""


class UploadRequest(serializers.Serializer):
    """The multipart form of POST /api/v1/uploads/ (documentation; parsing is in the view)."""

    file = UploadedFile(help_text="The GIS file (zip, gpkg, geojson, kml, kmz, gpx, csv).")
    kind = serializers.ChoiceField(choices=UploadKind.values)
    organisation = serializers.SlugField(help_text="Organisation slug, e.g. npa.")
    crs = serializers.CharField(required=False, help_text="Source CRS when the file has none.")
    layer = serializers.CharField(required=False, help_text="Layer to read, when several.")
    encoding = serializers.CharField(required=False, help_text="Attribute text encoding.")
    mapping = serializers.CharField(
        required=False,
        help_text='Column mapping: a JSON object {"target": "source"} or "target=source,...".',
    )
    defaults = serializers.CharField(
        required=False,
        help_text="Values for fields the file has no column for, e.g. "
        '"method=cleared,completed_on=2024-05-01,reference=NPA-{n}" ({n}: feature number).',
    )
    on_conflict = serializers.ChoiceField(choices=OnConflict.values, required=False)


class CommitRequest(serializers.Serializer):
    on_conflict = serializers.ChoiceField(choices=OnConflict.values, required=False)


def _conflict(refused: UploadStateConflict) -> Response:
    body = {"error": refused.message, "code": refused.code}
    if refused.status is not None:
        body["status"] = refused.status
    return Response(body, status=status.HTTP_409_CONFLICT)


@extend_schema(
    methods=["POST"],
    request={"multipart/form-data": UploadRequest},
    responses={202: _UPLOAD, 400: _ERROR, 429: RATE_LIMITED_RESPONSE},
    description="Send a file; it is queued for checking and the upload returned at once (202).",
)
@extend_schema(
    methods=["GET"],
    operation_id="uploads_list",
    responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description='{"results": [upload]}')},
    description="The latest uploads, newest first (without their reports).",
)
@api_view(["GET", "POST"])
@parser_classes([MultiPartTextParser, FormTextParser])
@throttle_classes([UploadCreationThrottle])
def uploads(request):
    if request.method == "GET":
        return Response(
            {
                "results": upload_list(
                    user=request.user, organisation_slug=request.GET.get("organisation")
                )
            }
        )
    sent = request.FILES.get("file")
    if sent is None:
        raise UploadRefused("file", gettext("send the file as multipart form field 'file'"))
    for name in ("kind", "organisation"):
        if not request.data.get(name):
            raise UploadRefused(name, gettext("required"))
    upload = create_upload(
        organisation_slug=request.data["organisation"],
        kind=request.data["kind"],
        filename=sent.name,
        chunks=sent.chunks(),
        size_bytes=sent.size,
        crs=request.data.get("crs") or None,
        layer=request.data.get("layer") or None,
        encoding=request.data.get("encoding") or None,
        mapping=parse_mapping(request.data.get("mapping")),
        defaults=parse_mapping(request.data.get("defaults"), parameter="defaults"),
        on_conflict=request.data.get("on_conflict") or OnConflict.SKIP,
        created_by=request.user,
    )
    return Response(localised_upload(upload_json(upload)), status=status.HTTP_202_ACCEPTED)


@extend_schema(responses={200: _UPLOAD, 404: _ERROR})
@api_view(["GET"])
def upload_detail(request, upload_id: int):
    return Response(localised_upload(upload_json(visible_upload(request.user, upload_id))))


@extend_schema(
    request=CommitRequest,
    responses={202: _UPLOAD, 400: _ERROR, 404: _ERROR, 409: _ERROR},
    description="Queue the commit of a ready upload: all accepted features in one transaction. "
    "on_conflict (skip | replace) decides what happens to references already stored.",
)
@api_view(["POST"])
@parser_classes([JSONObjectParser, MultiPartTextParser, FormTextParser])
def upload_commit(request, upload_id: int):
    on_conflict = request.data.get("on_conflict") or None
    visible_upload(request.user, upload_id)
    try:
        upload = request_commit(upload_id=upload_id, on_conflict=on_conflict, user=request.user)
    except UploadStateConflict as refused:
        return _conflict(refused)
    return Response(localised_upload(upload_json(upload)), status=status.HTTP_202_ACCEPTED)


@extend_schema(
    request=None,
    responses={200: _UPLOAD, 404: _ERROR, 409: _ERROR},
    description="Remove exactly the records a committed upload created, in one transaction.",
)
@api_view(["POST"])
def upload_revert(request, upload_id: int):
    visible_upload(request.user, upload_id)
    try:
        upload = revert_upload(upload_id=upload_id, user=request.user)
    except UploadStateConflict as refused:
        return _conflict(refused)
    return Response(localised_upload(upload_json(upload)))


@extend_schema(
    request=None,
    responses={200: _UPLOAD, 403: _ERROR, 404: _ERROR, 409: _ERROR},
    description="Discard a ready, rejected or failed upload that is not to be stored: its "
    "staged features are dropped, the upload and its report are kept, as discarded. Whoever "
    "may commit it may discard it; another state is a 409.",
)
@api_view(["POST"])
def upload_discard(request, upload_id: int):
    visible_upload(request.user, upload_id)
    try:
        upload = discard_upload(upload_id=upload_id, user=request.user)
    except UploadStateConflict as refused:
        return _conflict(refused)
    return Response(localised_upload(upload_json(upload)))


@extend_schema(
    responses={
        (200, "application/octet-stream"): OpenApiResponse(
            OpenApiTypes.BINARY,
            description="The file as it was sent, under the name it was sent with "
            "(Content-Disposition: attachment).",
        ),
        403: _ERROR,
        404: _ERROR,
    },
    description="The batch's file as its sender uploaded it: analysts any batch, a field "
    "coordinator their organisation's (another one's is a 404, as a missing one); refused to "
    "other roles and to aggregates-only users (exact positions). Never cached (no-store).",
)
@exact_positions
@api_view(["GET"])
def upload_original(request, upload_id: int):
    original = original_file(request.user, upload_id)
    # Django writes a non-ASCII name as filename*=utf-8''… (RFC 6266), Vietnamese included.
    return FileResponse(
        original.path.open("rb"),
        as_attachment=True,
        filename=original.filename,
        content_type="application/octet-stream",
    )
