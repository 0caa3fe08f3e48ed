from django.db import models
from django.utils.translation import gettext_lazy as _

from app.registry.models.review import SoftDeletable, SoftDeleteQuerySet


class TargetMetric(models.TextChoices):
    CLEARED_HA = "cleared_ha", _("Hectares cleared")
    SURVEYED_HA = "surveyed_ha", _("Hectares surveyed")
    SPOT_TASKS = "spot_tasks", _("EOD spot tasks")
    ITEMS_DESTROYED = "items_destroyed", _("Items destroyed")


class AnnualTarget(SoftDeletable):
    """A plan figure for one year. Null admin unit: whole province; null organisation: all."""

    year = models.PositiveSmallIntegerField()
    metric = models.CharField(max_length=20, choices=TargetMetric.choices)
    admin_unit = models.ForeignKey(
        "registry.AdminUnit", null=True, blank=True, on_delete=models.PROTECT
    )
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.PROTECT
    )
    value = models.DecimalField(max_digits=12, decimal_places=2)

    objects = SoftDeleteQuerySet.as_manager()

    class Meta:
        ordering = ["year", "metric"]
        constraints = [
            # NULLs are "whole province" / "all organisations": they must be unique too.
            models.UniqueConstraint(
                fields=["year", "metric", "admin_unit", "organisation"],
                name="annual_target_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="target_not_negative"),
            models.CheckConstraint(
                condition=models.Q(year__gte=1975, year__lte=2100), name="target_year_plausible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.metric} = {self.value}"
