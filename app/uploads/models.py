"""An upload batch: the original file, how it is to be read, its check report and its fate.

Records created by a commit point back to their batch (``upload`` on HazardArea, ReleaseArea,
SpotTask and Village), so a revert removes exactly them. Features wait for the commit in
``StagedFeature``, filled with one PostgreSQL COPY during the check.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class UploadKind(models.TextChoices):
    HAZARD = "hazard", _("Hazard areas")
    RELEASE = "release", _("Releases")
    SPOT_TASK = "spot-task", _("Spot tasks")
    VILLAGE = "village", _("Villages")


class UploadStatus(models.TextChoices):
    QUEUED = "queued", _("Queued for checking")
    CHECKING = "checking", _("Being checked")
    READY = "ready", _("Checked; can be committed")
    COMMITTING = "committing", _("Commit requested; being stored")
    COMMITTED = "committed", _("Stored")
    REJECTED = "rejected", _("Rejected; nothing stored")
    FAILED = "failed", _("Failed unexpectedly; nothing stored")
    REVERTED = "reverted", _("Committed, then removed")
    DISCARDED = "discarded", _("Checked, then discarded; nothing stored")


class UploadReviewStatus(models.TextChoices):
    """A committed batch's review, summed up from its records' states (review_state.py):
    ``submitted`` while any record waits for an analyst, else ``draft`` while any was sent back
    for correction, else ``approved`` or ``rejected`` when all records are, else ``mixed``
    (reviewed record by record, some approved and some rejected)."""

    DRAFT = "draft", _("Sent back for correction")
    SUBMITTED = "submitted", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    MIXED = "mixed", _("Reviewed record by record: some approved, some rejected")


def _new_folder_key() -> str:
    return uuid.uuid4().hex


class OnConflict(models.TextChoices):
    SKIP = "skip", _("Keep the stored record, skip the uploaded feature")
    REPLACE = "replace", _("Replace the stored record with the uploaded feature")


class Upload(models.Model):
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="uploads"
    )
    kind = models.CharField(max_length=10, choices=UploadKind.choices)
    filename = models.CharField(
        max_length=255, help_text="The name the file was sent with (metadata only)."
    )
    # A random key, never the id: a database restored from a backup gives out ids again, and an
    # upload named by its id would write into (and, as a duplicate, delete) an older upload's
    # folder. Uploads made before issue 8 keep their id as folder name (migration 0006).
    folder = models.CharField(
        max_length=32,
        unique=True,
        default=_new_folder_key,
        editable=False,
        help_text="Its folder under UPLOAD_ROOT, holding the original file.",
    )
    stored_name = models.CharField(
        max_length=40,
        blank=True,
        default="",
        help_text="Generated name under UPLOAD_ROOT/<folder>/; never the sender's name.",
    )
    sha256 = models.CharField(max_length=64, help_text="Hex SHA-256 of the file's content.")
    size_bytes = models.PositiveBigIntegerField()
    options = models.JSONField(
        default=dict, blank=True, help_text="How to read it: crs, layer, encoding, mapping."
    )
    on_conflict = models.CharField(
        max_length=7, choices=OnConflict.choices, default=OnConflict.SKIP
    )
    status = models.CharField(
        max_length=10, choices=UploadStatus.choices, default=UploadStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="0-100, while checking.")
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True, default="", help_text="Why it was rejected or failed.")
    stored_count = models.PositiveIntegerField(default=0)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        help_text="The committed upload with the same content, when this one repeats it.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uploads",
        help_text="Who sent the file (null: the command line).",
    )
    commit_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who asked for the commit; the worker records the stored rows as theirs.",
    )
    # The review of the committed records as one batch (issue 4); empty until committed.
    review_status = models.CharField(
        max_length=10, choices=UploadReviewStatus.choices, blank=True, default=""
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.TextField(
        blank=True, default="", help_text="Why it was rejected or sent back for correction."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker last took it (a stale claim is retaken)."
    )
    attempts = models.PositiveSmallIntegerField(
        default=0,
        help_text="How many times a worker took up its current step (the check, or the commit "
        "since it was asked for); counted before the step starts, so a killed worker's counts.",
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    reverted_at = models.DateTimeField(null=True, blank=True)
    discarded_at = models.DateTimeField(null=True, blank=True)
    discarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who discarded it (null: not discarded, or the command line).",
    )

    class Meta:
        ordering = ["-id"]
        constraints = [
            # The same file is stored once per organisation and kind, recognised by content.
            models.UniqueConstraint(
                fields=["organisation", "kind", "sha256"],
                condition=models.Q(status="committed"),
                name="upload_committed_once_per_content",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="upload_progress_at_most_100"
            ),
        ]
        indexes = [
            # The worker claims the oldest waiting upload.
            models.Index(fields=["status", "id"], name="upload_status_idx"),
            # The review queue: batches waiting for an analyst or a correction, newest first.
            models.Index(fields=["review_status", "committed_at"], name="upload_review_idx"),
        ]

    def __str__(self) -> str:
        return f"upload {self.pk} ({self.kind}, {self.status})"

    @property
    def folder_path(self) -> Path:
        """Where its original file is kept: UPLOAD_ROOT/<folder>."""
        return Path(settings.UPLOAD_ROOT) / self.folder

    @property
    def original_path(self) -> Path:
        return self.folder_path / self.stored_name


class StagedFeature(models.Model):
    """One accepted feature of a checked upload, waiting for the commit.

    ``attributes`` holds the parsed attributes as JSON under the target model's field names, so the
    commit is one INSERT ... SELECT jsonb_populate_record(...) in SQL.
    """

    upload = models.ForeignKey(Upload, on_delete=models.CASCADE, related_name="staged")
    number = models.PositiveIntegerField(help_text="Feature number in the file, from 1.")
    reference = models.CharField(max_length=60, blank=True, default="")
    attributes = models.JSONField()
    geometry = models.GeometryField(srid=4326)

    class Meta:
        ordering = ["upload", "number"]
        constraints = [
            models.UniqueConstraint(fields=["upload", "number"], name="staged_feature_once")
        ]


class ReplacedRecord(models.Model):
    """A stored record a commit replaced (on_conflict=replace), kept so a revert restores it.

    ``record`` is the row as JSON with the geometry as hex EWKB, so the revert is one INSERT ...
    SELECT jsonb_populate_record(...) back into the same table, with the same id.
    """

    upload = models.ForeignKey(Upload, on_delete=models.CASCADE, related_name="replaced")
    replaced_upload = models.ForeignKey(
        Upload,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced_by_later",
        help_text="The upload that had created the replaced record, if any.",
    )
    record = models.JSONField()


class WorkerHeartbeat(models.Model):
    """One running upload worker, written every few seconds while it runs (app.uploads.worker).
    /healthz reads the newest beat; a worker that stops cleanly deletes its row."""

    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField()

    class Meta:
        indexes = [
            # /healthz: the newest beat.
            models.Index(fields=["-beat_at"], name="worker_heartbeat_beat_idx"),
        ]

    def __str__(self) -> str:
        return f"upload worker {self.host}:{self.pid}"
