from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from app.registry.models.review import Reviewed, ReviewedQuerySet


class ReleaseMethod(models.TextChoices):
    """IMAS 07.11 land-release outcomes, in ascending order of evidence."""

    CANCELLED = "cancelled", _("Cancelled (non-technical survey)")
    REDUCED = "reduced", _("Reduced (technical survey)")
    CLEARED = "cleared", _("Cleared")


class ReleaseAreaQuerySet(ReviewedQuerySet):
    def completed_in(self, year: int) -> "ReleaseAreaQuerySet":
        return self.filter(completed_on__year=year)

    def completed_by(self, day) -> "ReleaseAreaQuerySet":
        return self.filter(completed_on__lte=day)

    def cleared(self) -> "ReleaseAreaQuerySet":
        return self.filter(method=ReleaseMethod.CLEARED)


class ReleaseArea(Reviewed):
    reference = models.CharField(max_length=60)
    method = models.CharField(max_length=10, choices=ReleaseMethod.choices)
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="releases"
    )
    started_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(help_text="Completion date; reports count releases by it.")
    depth_cm = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Clearance depth in cm (30 in Vietnam); clearance only."
    )
    geometry = models.MultiPolygonField(srid=4326, help_text="Released land in WGS 84.")

    upload = models.ForeignKey(
        "uploads.Upload",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="releases",
        help_text="The upload batch that created this record; revert removes exactly these.",
    )

    objects = ReleaseAreaQuerySet.as_manager()

    class Meta:
        ordering = ["completed_on", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="release_reference_per_organisation"
            ),
            models.CheckConstraint(
                condition=models.Q(started_on__isnull=True)
                | models.Q(started_on__lte=models.F("completed_on")),
                name="release_started_before_completed",
            ),
            models.CheckConstraint(
                condition=models.Q(depth_cm__isnull=True) | models.Q(method="cleared"),
                name="release_depth_only_for_clearance",
            ),
        ]
        # Accounting filters by completion date and method before any spatial work.
        indexes = [models.Index(fields=["method", "completed_on"], name="release_method_date_idx")]

    def __str__(self) -> str:
        return f"{self.method} {self.reference}"
