from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from app.registry.models.review import Reviewed, ReviewedQuerySet


class HazardKind(models.TextChoices):
    SHA = "SHA", _("Suspected hazardous area")
    CHA = "CHA", _("Confirmed hazardous area")


class Contamination(models.TextChoices):
    CLUSTER_MUNITIONS = "cluster_munitions", _("Cluster munitions")
    LANDMINES = "landmines", _("Landmines")
    MIXED_UXO = "mixed_uxo", _("Mixed UXO")
    OTHER = "other", _("Other")


class HazardAreaQuerySet(ReviewedQuerySet):
    def confirmed(self) -> "HazardAreaQuerySet":
        return self.filter(kind=HazardKind.CHA)

    def suspected(self) -> "HazardAreaQuerySet":
        return self.filter(kind=HazardKind.SHA)


class HazardArea(Reviewed):
    reference = models.CharField(max_length=60, unique=True)
    kind = models.CharField(max_length=3, choices=HazardKind.choices)
    contamination = models.CharField(max_length=20, choices=Contamination.choices)
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="hazards"
    )
    recorded_on = models.DateField(help_text="Date the hazard was recorded by survey.")
    geometry = models.MultiPolygonField(srid=4326, help_text="Hazard outline in WGS 84.")
    notes = models.TextField(blank=True, default="")

    upload = models.ForeignKey(
        "uploads.Upload",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
        help_text="The upload batch that created this record; revert removes exactly these.",
    )

    objects = HazardAreaQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        # GiST index (spatial_index=True by default) serves every ST_Intersects in accounting.
        indexes = [models.Index(fields=["kind"], name="hazard_kind_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}"
