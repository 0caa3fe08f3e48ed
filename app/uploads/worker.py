"""The background worker's one step: claim the oldest waiting upload and check or commit it.

Claimed with SELECT ... FOR UPDATE SKIP LOCKED, so several workers never take the same upload and
the web process never waits for one. A commit runs inside the claiming transaction: a worker
killed mid-commit leaves the upload 'committing' and the registry as it was, and the next worker
commits it again from the start.
"""

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from app.uploads.models import Upload, UploadStatus
from app.uploads.progress import CheckStep
from app.uploads.services import (
    UploadRefused,
    UploadStateConflict,
    check_upload,
    commit_upload,
)

log = logging.getLogger(__name__)

# A check still 'checking' this long after its claim was abandoned by a killed worker (a
# 100,000-polygon file checks in about 20 s here); it is taken again from the start.
STALE_CLAIM = dt.timedelta(minutes=15)


def process_next_upload() -> int | None:
    """Check or commit the oldest waiting upload; its id, or None when nothing waits."""
    with transaction.atomic():
        upload = (
            Upload.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status__in=[UploadStatus.QUEUED, UploadStatus.COMMITTING])
                | Q(status=UploadStatus.CHECKING, claimed_at__lt=timezone.now() - STALE_CLAIM)
            )
            .order_by("id")
            .first()
        )
        if upload is None:
            return None
        if upload.status == UploadStatus.COMMITTING:
            try:
                with transaction.atomic():
                    commit_upload(upload_id=upload.pk)
            except (UploadStateConflict, UploadRefused) as refused:
                # Back to ready with the reason: the user may commit again with another choice.
                Upload.objects.filter(pk=upload.pk).update(
                    status=UploadStatus.READY, error=refused.message
                )
            return upload.pk
        Upload.objects.filter(pk=upload.pk).update(
            status=UploadStatus.CHECKING, progress=CheckStep.CLAIMED, claimed_at=timezone.now()
        )
    check_upload(upload_id=upload.pk)
    return upload.pk


def process_waiting_uploads() -> list[int]:
    """Process uploads until none waits (``upload_worker --once``, tests, cron)."""
    done = []
    while (upload_id := process_next_upload()) is not None:
        done.append(upload_id)
    return done
