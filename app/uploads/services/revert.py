"""Reverting a committed upload as one unit."""

from django.db import connection, transaction
from django.utils import timezone

from app.registry.services.imports import STORAGE
from app.uploads.models import ReplacedRecord, Upload, UploadStatus
from app.uploads.services.errors import UploadStateConflict
from app.uploads.services.locks import locked_upload
from gis.attributes import LayerKind


def revert_upload(*, upload_id: int) -> Upload:
    """Remove exactly the records a committed upload created and put back the records it
    replaced, in one transaction.

    Refused (409) while a later committed upload has replaced some of this batch's records:
    revert that one first, so every revert returns the registry to a state it was really in.
    """
    with transaction.atomic():
        upload = locked_upload(upload_id)
        if upload.status != UploadStatus.COMMITTED:
            raise UploadStateConflict(
                f"upload {upload.pk} is {upload.status}; only a committed upload can be reverted"
            )
        later = sorted(
            ReplacedRecord.objects.filter(
                replaced_upload=upload, upload__status=UploadStatus.COMMITTED
            )
            .values_list("upload_id", flat=True)
            .distinct()
        )
        if later:
            raise UploadStateConflict(
                f"upload {', '.join(map(str, later))} replaced records of upload {upload.pk}; "
                "revert it first",
                code="replaced_later",
            )
        model, _geometry_field = STORAGE[LayerKind(upload.kind)]
        removed, _by_model = model.objects.filter(upload=upload).delete()
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} SELECT (jsonb_populate_record(NULL::{table}, r.record)).* "
                "FROM uploads_replacedrecord r WHERE r.upload_id = %s",
                [upload.pk],
            )
            restored = cursor.rowcount
        upload.status = UploadStatus.REVERTED
        upload.reverted_at = timezone.now()
        upload.report = {**upload.report, "removed": removed, "restored": restored}
        upload.save()
    return upload
