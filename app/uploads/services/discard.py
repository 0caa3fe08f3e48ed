"""Discarding an upload nobody wants stored: checked but not to be committed, or refused."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from app.accounts import policy
from app.uploads.models import StagedFeature, Upload, UploadStatus
from app.uploads.page_texts import STATUS_WORDS
from app.uploads.services.errors import UploadStateConflict
from app.uploads.services.locks import locked_upload

# A ready upload waits for a commit that will not come; rejected and failed ones may still hold
# staged features of an earlier check. Anything else is being worked on, stored or ended.
DISCARDABLE = (UploadStatus.READY, UploadStatus.REJECTED, UploadStatus.FAILED)


def discard_upload(*, upload_id: int, user=None) -> Upload:
    """Mark an upload discarded and drop its staged features, in one transaction; the row, its
    report and its original file stay for the record. ``user`` (None: the command line) must be
    allowed to commit it (policy.can_submit_upload), else NotAllowed; an upload in another
    state is UploadStateConflict (409)."""
    with transaction.atomic():
        upload = locked_upload(upload_id)
        if user is not None and not policy.can_submit_upload(user, upload):
            raise policy.NotAllowed(_("you may discard uploads for your own organisation only"))
        if upload.status not in DISCARDABLE:
            raise UploadStateConflict(
                _(
                    "upload %(id)s is %(status)s; only a ready, rejected or failed upload can "
                    "be discarded"
                )
                % {"id": upload.pk, "status": STATUS_WORDS.get(upload.status, upload.status)},
                status=upload.status,
            )
        StagedFeature.objects.filter(upload=upload).delete()
        upload.status = UploadStatus.DISCARDED
        upload.discarded_at = timezone.now()
        upload.discarded_by = user
        upload.save(update_fields=["status", "discarded_at", "discarded_by"])
    return upload
