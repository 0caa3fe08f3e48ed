"""A committed batch's review state, summed up from its records' states (issue 4).

``Upload.review_status`` is stored so that the review queue finds the pending batches through an
index (upload_review_idx) instead of counting four tables per upload. It is derived: so every
write that moves a batch's records between review states, or in or out of the registry, calls
``sum_up_review`` in its own transaction, after the write: the commit (its own batch and the
batches whose records it replaced), the revert (the batches it puts records back into), the
review's decisions and resubmit (app.review.services), and the deletion, undeletion and
restoring of one record (app.records.services). A batch that is not committed has none: the
revert empties it (app.uploads.services.revert).
"""

from app.registry.models import ReviewStatus

# The module, not the function: app.uploads.selectors imports this package (its errors), so it
# may be half-imported while this module loads.
from app.uploads import selectors
from app.uploads.models import Upload, UploadReviewStatus, UploadStatus
from app.uploads.services.locks import locked_upload


def batch_review_status(counts: dict[str, int]) -> str:
    """A batch's review state from how many of its records are in each state: ``submitted``
    while any record waits for an analyst; else ``draft`` while any waits for a correction;
    else ``approved`` or ``rejected`` when every record is; else ``mixed``. A batch with no
    record left (all deleted) has none."""
    present = {status for status, n in counts.items() if n}
    if ReviewStatus.SUBMITTED in present:
        return UploadReviewStatus.SUBMITTED
    if ReviewStatus.DRAFT in present:
        return UploadReviewStatus.DRAFT
    if present == {ReviewStatus.APPROVED}:
        return UploadReviewStatus.APPROVED
    if present == {ReviewStatus.REJECTED}:
        return UploadReviewStatus.REJECTED
    return UploadReviewStatus.MIXED if present else ""


def sum_up_review(upload: Upload, **decision) -> None:
    """Store the review state ``upload``'s alive records sum up to now, and the decision's
    fields beside it (``reviewed_by``, ``reviewed_at``, ``review_reason``), in one UPDATE.
    Call it with the upload locked (locked_upload), in the transaction that moved the records."""
    for name, value in decision.items():
        setattr(upload, name, value)
    upload.review_status = batch_review_status(selectors.record_counts(upload))
    upload.save(update_fields=["review_status", *decision])


def sum_up_reviews(upload_ids) -> None:
    """``sum_up_review`` for the committed ones of these batches (None and repeats are
    skipped), each locked in turn in the order of their ids, the order every caller takes
    them in: for writes that change records of batches they have not locked already."""
    for upload_id in sorted({each for each in upload_ids if each is not None}):
        upload = locked_upload(upload_id)
        if upload.status == UploadStatus.COMMITTED:
            sum_up_review(upload)
