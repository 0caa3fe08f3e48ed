"""The history of every registry record, written by a PostgreSQL trigger, never by Python.

Every INSERT, UPDATE and DELETE of hazards, releases, spot tasks, villages, targets and admin
units closes the record's open version (``valid_to``) and opens a new one (``valid_from``), so
the registry as it stood at any moment is the versions whose interval contains that moment
(``as_recorded`` in the statistics, through the ``scope_recorded`` views). A trigger rather than
``save()`` or signals because the upload commit, the revert and bulk updates write with SQL.

Who, from which upload and why come from transaction-local settings that
``app.registry.history.recording`` sets; ``action`` is inferred from what changed (the status,
``deleted_at``) unless the writer names it (``restored``).
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

# Tables whose rows are versioned, and the column holding each one's geometry (None: none).
VERSIONED_TABLES = {
    "registry_hazardarea": "geometry",
    "registry_releasearea": "geometry",
    "registry_spottask": "location",
    "registry_village": "location",
    "registry_annualtarget": None,
    "registry_adminunit": "geometry",
}


class VersionAction(models.TextChoices):
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Changed")
    SUBMITTED = "submitted", _("Submitted for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Sent back for correction")
    DELETED = "deleted", _("Deleted")
    UNDELETED = "undeleted", _("Deletion undone")
    RESTORED = "restored", _("Restored from an earlier version")
    REMOVED = "removed", _("Removed (upload reverted)")


class RecordVersionQuerySet(models.QuerySet):
    def of(self, table: str, record_id: int) -> "RecordVersionQuerySet":
        return self.filter(table_name=table, record_id=record_id)


class RecordVersion(models.Model):
    table_name = models.CharField(max_length=40)
    record_id = models.BigIntegerField()
    action = models.CharField(max_length=10, choices=VersionAction.choices)
    data = models.JSONField(help_text="The row's columns (the geometry apart) after the change.")
    geometry = models.GeometryField(srid=4326, null=True, help_text="The row's geometry then.")
    valid_from = models.DateTimeField()
    valid_to = models.DateTimeField(
        null=True, help_text="When the next version replaced it (null: the current version)."
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A plain id, not a foreign key: the history outlives anything it refers to.
    upload_id = models.BigIntegerField(null=True)
    reason = models.TextField(blank=True, default="")

    objects = RecordVersionQuerySet.as_manager()

    class Meta:
        ordering = ["table_name", "record_id", "valid_from", "id"]
        indexes = [
            # A record's history page, and the trigger closing the open version.
            models.Index(
                fields=["table_name", "record_id", "valid_from"], name="version_record_idx"
            ),
            # A batch's history on its review page.
            models.Index(fields=["upload_id"], name="version_upload_idx"),
            # as_recorded: the versions of one table open at a moment.
            models.Index(fields=["table_name", "valid_from", "valid_to"], name="version_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.table_name} {self.record_id} {self.action} at {self.valid_from}"
