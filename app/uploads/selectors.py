"""Uploads as the API and the pages show them, to the users who may see them."""

import re
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.db.models import Count
from django.utils.translation import gettext as _

from app.accounting.sql import hectares
from app.accounts import policy
from app.registry.models import ReviewStatus
from app.registry.services.imports import IDENTIFIER, STORAGE
from app.uploads.models import Upload, UploadStatus
from app.uploads.services.errors import OriginalFileMissing, UploadNotFound
from gis.attributes import LayerKind

LIST_LENGTH = 200
# The records of a batch the upload page lists as needing its organisation's attention.
ATTENTION_LENGTH = 100

# The name each kind's records carry in URLs (/api/v1/records/<layer>/<id>/).
RECORD_LAYER = {
    LayerKind.HAZARD: "hazards",
    LayerKind.RELEASE: "releases",
    LayerKind.SPOT_TASK: "spot-tasks",
    LayerKind.VILLAGE: "villages",
}


def visible_upload(user, upload_id) -> Upload:
    """The upload ``user`` may see. Another organisation's upload is UploadNotFound, exactly as
    a missing one, so that its number tells nothing; NotAllowed for users without uploads."""
    if not policy.can_upload(user):
        raise policy.NotAllowed(_("uploads are for field coordinators and analysts"))
    upload = (
        policy.visible_uploads(user, Upload.objects.select_related("organisation"))
        .filter(pk=upload_id)
        .first()
    )
    if upload is None:
        raise UploadNotFound(upload_id)
    return upload


@dataclass(frozen=True)
class OriginalFile:
    path: Path
    filename: str
    """The name it was sent with, without control characters (it goes in a header)."""


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def original_file(user, upload_id) -> OriginalFile:
    """The file of upload ``upload_id`` as it was sent, for a user who may have it: refused as
    visible_upload refuses (another organisation's batch is not found), and NotAllowed for an
    aggregates-only user (the file has exact positions). A duplicate's file is its twin's (same
    organisation, kind and content); OriginalFileMissing when none is kept."""
    upload = visible_upload(user, upload_id)
    if not policy.can_download_original(user, upload):
        raise policy.NotAllowed(
            _("the files of uploads have exact positions, which your account does not show")
        )
    kept = upload
    if not kept.stored_name and kept.duplicate_of_id is not None:
        kept = Upload.objects.get(pk=kept.duplicate_of_id)
    path = kept.original_path if kept.stored_name else None
    if path is None or not path.is_file():
        raise OriginalFileMissing(upload_id)
    name = _CONTROL_CHARACTERS.sub("", upload.filename).strip() or kept.stored_name
    return OriginalFile(path=path, filename=name)


def visible_uploads(user):
    if not policy.can_upload(user):
        raise policy.NotAllowed(_("uploads are for field coordinators and analysts"))
    return policy.visible_uploads(user, Upload.objects.select_related("organisation"))


def record_counts(upload: Upload) -> dict[str, int]:
    """How many of the batch's records are in each review state (deleted ones apart)."""
    model, _geometry_field = STORAGE[LayerKind(upload.kind)]
    rows = (
        model.objects.filter(upload=upload, deleted_at__isnull=True)
        .values("status")
        .annotate(n=Count("id"))
    )
    return {row["status"]: row["n"] for row in rows}


def batch_records(
    upload: Upload, *, statuses: tuple[str, ...] | None = None, limit: int = ATTENTION_LENGTH
) -> list[dict]:
    """The batch's alive records (those in ``statuses``, all by default), submitted ones first,
    each with its geodesic hectares (polygons) and the last change of its history: what was
    done, by whom, when and why (a rejection's or a return's reason)."""
    kind = LayerKind(upload.kind)
    model, geometry_field = STORAGE[kind]
    quote = connection.ops.quote_name
    table = model._meta.db_table
    geometry = f"t.{quote(geometry_field)}"
    area = hectares(geometry) if kind in (LayerKind.HAZARD, LayerKind.RELEASE) else "NULL"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT t.id, t.{quote(IDENTIFIER[kind])}, t.status, {area},
                   v.action, v.reason, v.valid_from, u.username
            FROM {quote(table)} t
            LEFT JOIN LATERAL (
                SELECT action, reason, valid_from, changed_by_id
                FROM registry_recordversion
                WHERE table_name = %(table)s AND record_id = t.id AND valid_to IS NULL
                ORDER BY valid_from DESC, id DESC LIMIT 1
            ) v ON true
            LEFT JOIN auth_user u ON u.id = v.changed_by_id
            WHERE t.upload_id = %(upload)s AND t.deleted_at IS NULL
              AND (%(statuses)s::text[] IS NULL OR t.status = ANY(%(statuses)s::text[]))
            ORDER BY t.status <> %(submitted)s, t.id
            LIMIT %(limit)s
            """,
            {
                "table": table,
                "upload": upload.pk,
                "statuses": list(statuses) if statuses is not None else None,
                "submitted": ReviewStatus.SUBMITTED,
                "limit": limit,
            },
        )
        rows = cursor.fetchall()
    return [
        {
            "layer": RECORD_LAYER[kind],
            "id": record_id,
            "reference": reference,
            "status": status,
            "area_ha": area_ha,
            "last_change": {"action": action, "reason": reason, "at": at, "by": username},
        }
        for record_id, reference, status, area_ha, action, reason, at, username in rows
    ]


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


def upload_json(upload: Upload, *, with_report: bool = True) -> dict:
    data = {
        "id": upload.pk,
        "status": upload.status,
        "progress": upload.progress,
        "kind": upload.kind,
        "organisation": upload.organisation.slug,
        "filename": upload.filename,
        "sha256": upload.sha256,
        "size_bytes": upload.size_bytes,
        "options": upload.options,
        "on_conflict": upload.on_conflict,
        "error": upload.error,
        "duplicate_of": upload.duplicate_of_id,
        "stored": upload.stored_count,
        "created_by": _username(upload.created_by),
        "commit_requested_by": _username(upload.commit_requested_by),
        "created_at": upload.created_at,
        "checked_at": upload.checked_at,
        "committed_at": upload.committed_at,
        "reverted_at": upload.reverted_at,
        "discarded_at": upload.discarded_at,
        # The analysts' review of the committed records (app.review): empty before the commit.
        "review": {
            "status": upload.review_status,
            "reviewed_by": _username(upload.reviewed_by),
            "reviewed_at": upload.reviewed_at,
            "reason": upload.review_reason,
        },
    }
    if with_report:
        data["report"] = upload.report
        if upload.status == UploadStatus.COMMITTED:
            data["review"]["records"] = record_counts(upload)
            # What the organisation has to look at: records sent back or rejected, and why.
            data["review"]["attention"] = batch_records(
                upload, statuses=(ReviewStatus.DRAFT, ReviewStatus.REJECTED)
            )
    return data


def upload_list(*, user, organisation_slug: str | None = None) -> list[dict]:
    uploads = (
        visible_uploads(user)
        .select_related("created_by", "commit_requested_by", "reviewed_by")
        .defer("report")
        .order_by("-id")
    )
    if organisation_slug:
        uploads = uploads.filter(organisation__slug=organisation_slug)
    return [upload_json(upload, with_report=False) for upload in uploads[:LIST_LENGTH]]
