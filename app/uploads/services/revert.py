"""Reverting a committed upload as one unit."""

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from app.accounts import policy
from app.registry.history import recording
from app.registry.models import ReviewStatus
from app.registry.services.imports import STORAGE
from app.uploads.models import ReplacedRecord, Upload, UploadStatus
from app.uploads.page_texts import STATUS_WORDS
from app.uploads.services.errors import UploadStateConflict
from app.uploads.services.locks import locked_upload
from app.uploads.services.review_state import sum_up_reviews
from gis.attributes import LayerKind


def revert_upload(*, upload_id: int, user=None) -> Upload:
    """Remove exactly the records a committed upload created and put back the records it
    replaced, in one transaction, recorded in their history as ``user``'s (None: the command
    line, which may revert anything).

    Refused (409) while a later committed upload has replaced some of this batch's records:
    revert that one first, so every revert returns the registry to a state it was really in.
    Raises NotAllowed when policy.can_revert_upload refuses ``user``.
    """
    with transaction.atomic():
        upload = locked_upload(upload_id)
        model, _geometry_field = STORAGE[LayerKind(upload.kind)]
        if user is not None:
            approved = model.objects.filter(upload=upload, status=ReviewStatus.APPROVED).count()
            if not policy.can_revert_upload(user, upload, approved_records=approved):
                raise policy.NotAllowed(
                    _(
                        "only an analyst may revert this upload: some of its records are "
                        "approved, or it is another organisation's"
                    )
                )
        if upload.status != UploadStatus.COMMITTED:
            raise UploadStateConflict(
                _("upload %(id)s is %(status)s; only a committed upload can be reverted")
                % {"id": upload.pk, "status": STATUS_WORDS.get(upload.status, upload.status)},
                status=upload.status,
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
                _("upload %(later)s replaced records of upload %(id)s; revert it first")
                % {"later": ", ".join(map(str, later)), "id": upload.pk},
                code="replaced_later",
            )
        table = connection.ops.quote_name(model._meta.db_table)
        with recording(user=user, upload_id=upload.pk):
            removed, _by_model = model.objects.filter(upload=upload).delete()
        # The replaced records come back as they were, approved or not; their history says so.
        with (
            recording(user=user, upload_id=upload.pk, action="restored"),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                f"INSERT INTO {table} SELECT (jsonb_populate_record(NULL::{table}, r.record)).* "
                "FROM uploads_replacedrecord r WHERE r.upload_id = %s",
                [upload.pk],
            )
            restored = cursor.rowcount
        # The batches whose records come back have them to review again.
        sum_up_reviews(
            ReplacedRecord.objects.filter(upload=upload).values_list(
                "replaced_upload_id", flat=True
            )
        )
        upload.status = UploadStatus.REVERTED
        upload.reverted_at = timezone.now()
        # None of its records is left to review (issue 8: it stayed 'submitted'). The last
        # decision (reviewed_by, reviewed_at, review_reason) stays on record.
        upload.review_status = ""
        upload.report = {**upload.report, "removed": removed, "restored": restored}
        upload.save()
    return upload
