from django.contrib.gis.db import models

from app.registry.models.review import Reviewed, ReviewedQuerySet


class SpotTask(Reviewed):
    """An EOD roving-team task: single items found and destroyed at one spot."""

    reference = models.CharField(max_length=60)
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="spot_tasks"
    )
    completed_on = models.DateField()
    location = models.PointField(srid=4326, help_text="Task location in WGS 84.")
    items_destroyed = models.PositiveIntegerField()

    upload = models.ForeignKey(
        "uploads.Upload",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spot_tasks",
        help_text="The upload batch that created this record; revert removes exactly these.",
    )

    objects = ReviewedQuerySet.as_manager()

    class Meta:
        ordering = ["completed_on", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="spot_task_reference_per_organisation"
            ),
            models.CheckConstraint(
                condition=models.Q(items_destroyed__gte=0), name="spot_task_items_not_negative"
            ),
        ]
        # Clearance statistics count tasks per year.
        indexes = [models.Index(fields=["completed_on"], name="spot_task_date_idx")]

    def __str__(self) -> str:
        return f"spot task {self.reference}"
