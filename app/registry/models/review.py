"""What every record of the registry shares: its review state and its soft delete.

A hectare counts in the province's figures only once the mine action centre has approved it
(issue 4): upload commits create records in ``submitted``, an analyst approves, rejects or sends
them back to ``draft``. Deleting sets ``deleted_at``; an analyst can undo it. Every change of
these rows is recorded by a database trigger in ``RecordVersion`` (app.registry.models.history).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (being corrected)")
    SUBMITTED = "submitted", _("Submitted for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class SoftDeleteQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def deleted(self):
        return self.filter(deleted_at__isnull=False)


class ReviewedQuerySet(SoftDeleteQuerySet):
    def approved(self):
        """What the province's figures count: approved and not deleted."""
        return self.filter(status=ReviewStatus.APPROVED, deleted_at__isnull=True)

    def pending(self):
        return self.filter(status=ReviewStatus.SUBMITTED, deleted_at__isnull=True)


class SoftDeletable(models.Model):
    deleted_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when deleted; an analyst can undo it (null: alive)."
    )

    class Meta:
        abstract = True


class Reviewed(SoftDeletable):
    # db_default as well: the upload commit inserts with SQL and must not need to name it.
    status = models.CharField(
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.DRAFT,
        db_default=ReviewStatus.DRAFT,
        help_text="Review state; statistics count approved records by default.",
    )

    class Meta:
        abstract = True
