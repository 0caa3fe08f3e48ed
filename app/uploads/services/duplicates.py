"""A file its organisation already committed for the same kind (recognised by its SHA-256): the
upload repeating it ends rejected as its duplicate, whenever that is found. When it is sent
(create), when it is checked (its twin committed while it waited in the queue) or when it is
committed (its twin committed after it was checked; the database's constraint
upload_committed_once_per_content catches two commits at once)."""

import shutil

from django.db import transaction
from django.utils import timezone

from app.uploads.models import StagedFeature, Upload, UploadStatus
from gis.messages import Day, Text, as_coded


def committed_twin(upload: Upload) -> Upload | None:
    """The committed upload of the same content, organisation and kind as ``upload``, if any
    (there is at most one: the constraint)."""
    return (
        Upload.objects.filter(
            organisation_id=upload.organisation_id,
            kind=upload.kind,
            sha256=upload.sha256,
            status=UploadStatus.COMMITTED,
        )
        .exclude(pk=upload.pk)
        .first()
    )


def duplicate_message(twin: Upload, *, code: str = "duplicate_upload") -> Text:
    # Stored in English with its code, like the worker's reports (report_text.py). The day as
    # the site's readers count days (Asia/Ho_Chi_Minh), not UTC's: a commit at 06:30 there is the
    # day before in UTC. Each reader gets it in their format.
    return Text(code, id=twin.pk, day=Day(timezone.localdate(twin.committed_at)))


def mark_duplicate(upload: Upload, twin: Upload, message: Text, *, report: dict) -> None:
    """Set ``upload`` rejected as the duplicate of ``twin`` with ``message`` added to
    ``report`` (unsaved: the caller saves it)."""
    upload.duplicate_of = twin
    upload.status = UploadStatus.REJECTED
    upload.progress = 100
    upload.error = message
    upload.report = {
        **report,
        "code": "duplicate",
        "duplicate_of": twin.pk,
        "error": message,
        "error_codes": [as_coded(message)],
    }


def end_as_duplicate(upload: Upload, twin: Upload, message: Text, *, report: dict) -> Upload:
    """End a queued, checked or committing ``upload`` rejected as the duplicate of ``twin``:
    its staged features dropped and, once this transaction commits, its copy of the file (the
    twin's is the one kept, as for a duplicate recognised when it is sent). Call it in a
    transaction with the upload locked."""
    StagedFeature.objects.filter(upload=upload).delete()
    mark_duplicate(upload, twin, message, report=report)
    if upload.stored_name:
        folder = upload.folder_path
        transaction.on_commit(lambda: shutil.rmtree(folder, ignore_errors=True))
        upload.stored_name = ""
    upload.save()
    return upload
