"""The review step of issue 4: an analyst approves, rejects or sends back submitted records.

A hectare counts in the province's figures only once approved. An upload commit stores its
records ``submitted``; here an analyst decides on the whole batch or on one record:

- **approve**: submitted → approved; the records count from now on;
- **reject** (a reason is required): submitted → rejected; they never count;
- **return** (a reason is required): submitted → draft, for the organisation to correct them
  (app.records) and **resubmit**: draft → submitted.

Only submitted records are decided on. An approved or rejected record is final here: an analyst
who finds an approved record wrong edits or deletes it (app.records, both recorded in its
history), or reverts the whole upload. A batch decision applies to the batch's submitted records
only, so records decided one by one keep their decision.

Every decision is one transaction inside ``recording(user, upload_id, reason)``: the history
trigger writes one RecordVersion per record (action approved / rejected / returned /
submitted, who, why, from which batch). The upload's ``review_status`` is then summed up again
from its records (app.uploads.services.review_state).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from app.accounts import policy
from app.records.exceptions import RecordNotFound
from app.records.labels import REVIEW_STATE_WORDS
from app.records.layers import RECORD_LAYERS, REVIEWED_LAYERS
from app.registry.history import recording
from app.registry.models import ReviewStatus
from app.uploads.models import Upload, UploadReviewStatus, UploadStatus
from app.uploads.page_texts import STATUS_WORDS
from app.uploads.services.locks import locked_upload
from app.uploads.services.review_state import sum_up_review

APPROVE, REJECT, RETURN = "approve", "reject", "return"
DECISIONS = {
    APPROVE: ReviewStatus.APPROVED,
    REJECT: ReviewStatus.REJECTED,
    RETURN: ReviewStatus.DRAFT,
}
NEEDS_REASON = (REJECT, RETURN)

# A batch's review state in a word, inside a sentence (the pages' review/_status_label.html).
BATCH_REVIEW_WORDS = {
    UploadReviewStatus.SUBMITTED: gettext_lazy("waiting for review"),
    UploadReviewStatus.DRAFT: gettext_lazy("sent back for correction"),
    UploadReviewStatus.APPROVED: gettext_lazy("approved"),
    UploadReviewStatus.REJECTED: gettext_lazy("rejected"),
    UploadReviewStatus.MIXED: gettext_lazy("partly approved, partly rejected"),
}


class ReviewRefused(ValueError):
    """A decision that cannot be taken as sent (400); ``parameter`` names what to fix."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


class ReviewConflict(Exception):
    """The records are not in a state that allows the decision (409). The message names the
    state in the reader's words; ``codes`` holds it as codes for scripts (``{"status":
    "approved"}``), which the API puts beside the message."""

    def __init__(self, message: str, **codes: str) -> None:
        super().__init__(message)
        self.message = message
        self.codes = codes


def approve_batch(*, upload_id: int, user, reason: str = "") -> Upload:
    """Approve every submitted record of the upload: from now on they count. ``reason`` (may
    be empty) is kept like a rejection's: in the history and as the batch's review reason."""
    return _decide_batch(upload_id=upload_id, user=user, decision=APPROVE, reason=reason)


def reject_batch(*, upload_id: int, user, reason: str) -> Upload:
    """Reject every submitted record of the upload, for ``reason`` (required)."""
    return _decide_batch(upload_id=upload_id, user=user, decision=REJECT, reason=reason)


def return_batch(*, upload_id: int, user, reason: str) -> Upload:
    """Send every submitted record of the upload back to draft for correction, for ``reason``
    (required); the organisation corrects them and resubmits."""
    return _decide_batch(upload_id=upload_id, user=user, decision=RETURN, reason=reason)


def resubmit_batch(*, upload_id: int, user, reason: str = "") -> Upload:
    """Submit again the draft records of a batch sent back for correction (the upload's
    organisation, or an analyst); ``reason`` may say what was corrected. The last review's
    reviewer, time and reason stay on the upload until the next decision."""
    with transaction.atomic():
        upload = locked_upload(upload_id)
        if not policy.can_submit_upload(user, upload):
            raise policy.NotAllowed(
                _("only the upload's organisation or an analyst may submit it again")
            )
        _require_committed(upload)
        with recording(user=user, upload_id=upload.pk, reason=reason.strip()):
            changed = _move_batch(upload, ReviewStatus.DRAFT, ReviewStatus.SUBMITTED)
        if not changed:
            raise ReviewConflict(
                _(
                    "upload %(id)s has no record sent back for correction; only draft records "
                    "can be submitted again"
                )
                % {"id": upload.pk}
            )
        sum_up_review(upload)
    return upload


def review_record(*, model, record_id: int, user, decision: str, reason: str = ""):
    """Approve, reject or return (``decision``) one submitted record of ``model``; returns it
    as it is now. Its upload's review_status is summed up again."""
    _require_reviewer(user)
    reason = _checked_reason(decision, reason)
    layer = _layer_name(model)
    with transaction.atomic():
        found = model.objects.filter(pk=record_id).values("upload_id").first()
        if found is None:
            raise _not_found(layer, record_id)
        # The upload first, then the record: the order every batch decision takes its locks in.
        upload = locked_upload(found["upload_id"]) if found["upload_id"] else None
        record = model.objects.select_for_update().filter(pk=record_id).first()
        if record is None:
            raise _not_found(layer, record_id)
        if record.deleted_at is not None:
            raise ReviewConflict(
                _("%(layer)s record %(id)s is deleted; undelete it before reviewing it")
                % {"layer": RECORD_LAYERS[layer].noun, "id": record_id}
            )
        if record.status != ReviewStatus.SUBMITTED:
            raise ReviewConflict(
                _(
                    "%(layer)s record %(id)s is %(status)s; only a submitted record can be "
                    "approved, rejected or sent back"
                )
                % {
                    "layer": RECORD_LAYERS[layer].noun,
                    "id": record_id,
                    "status": REVIEW_STATE_WORDS[record.status],
                },
                status=record.status,
            )
        with recording(user=user, upload_id=record.upload_id, reason=reason):
            model.objects.filter(pk=record.pk).update(status=DECISIONS[decision])
        if upload is not None:
            sum_up_review(upload, reviewed_by=user, reviewed_at=timezone.now())
        record.refresh_from_db()
    return record


def _decide_batch(*, upload_id: int, user, decision: str, reason: str) -> Upload:
    _require_reviewer(user)
    reason = _checked_reason(decision, reason)
    with transaction.atomic():
        upload = locked_upload(upload_id)
        _require_committed(upload)
        with recording(user=user, upload_id=upload.pk, reason=reason):
            changed = _move_batch(upload, ReviewStatus.SUBMITTED, DECISIONS[decision])
        if not changed:
            raise ReviewConflict(
                _(
                    "upload %(id)s has no submitted record (its review is %(review)s); only "
                    "submitted records can be approved, rejected or sent back"
                )
                % {
                    "id": upload.pk,
                    "review": BATCH_REVIEW_WORDS.get(upload.review_status, _("not started")),
                },
                review_status=upload.review_status,
            )
        sum_up_review(upload, reviewed_by=user, reviewed_at=timezone.now(), review_reason=reason)
    return upload


def _move_batch(upload: Upload, from_status: str, to_status: str) -> int:
    """One UPDATE per table: the batch's alive records in ``from_status`` go to ``to_status``."""
    return sum(
        model.objects.filter(
            upload_id=upload.pk, status=from_status, deleted_at__isnull=True
        ).update(status=to_status)
        for model in REVIEWED_LAYERS.values()
    )


def _require_reviewer(user) -> None:
    if not policy.can_review(user):
        raise policy.NotAllowed(_("only analysts review submissions"))


def _require_committed(upload: Upload) -> None:
    if upload.status != UploadStatus.COMMITTED:
        raise ReviewConflict(
            _("upload %(id)s is %(status)s; only a committed upload's records are reviewed")
            % {"id": upload.pk, "status": STATUS_WORDS.get(upload.status, upload.status)},
            upload_status=upload.status,
        )


def _checked_reason(decision: str, reason: str | None) -> str:
    if decision not in DECISIONS:
        raise ReviewRefused(
            "decision",
            _("use one of %(decisions)s, not %(given)r")
            % {"decisions": ", ".join(DECISIONS), "given": decision},
        )
    reason = (reason or "").strip()
    if decision in NEEDS_REASON and not reason:
        raise ReviewRefused(
            "reason", _("say why: a reason is required to reject or send back for correction")
        )
    return reason


def _not_found(layer: str, record_id: int) -> RecordNotFound:
    return RecordNotFound(
        parameter="id",
        message=_("no %(layer)s record %(id)s")
        % {"layer": RECORD_LAYERS[layer].noun, "id": record_id},
    )


def _layer_name(model) -> str:
    return next(name for name, each in REVIEWED_LAYERS.items() if each is model)
