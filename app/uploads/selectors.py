"""Uploads as the API and the pages show them."""

from app.uploads.models import Upload

LIST_LENGTH = 200


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
        "created_at": upload.created_at,
        "checked_at": upload.checked_at,
        "committed_at": upload.committed_at,
        "reverted_at": upload.reverted_at,
    }
    if with_report:
        data["report"] = upload.report
    return data


def upload_list(*, organisation_slug: str | None = None) -> list[dict]:
    uploads = Upload.objects.select_related("organisation").defer("report").order_by("-id")
    if organisation_slug:
        uploads = uploads.filter(organisation__slug=organisation_slug)
    return [upload_json(upload, with_report=False) for upload in uploads[:LIST_LENGTH]]
