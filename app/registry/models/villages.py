from django.contrib.gis.db import models


class Village(models.Model):
    """A thôn. Survey dates drive the 'villages surveyed' indicator of the progress report."""

    code = models.CharField(max_length=30, unique=True)
    name_vi = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    location = models.PointField(srid=4326, help_text="Village centre in WGS 84.")
    nts_completed_on = models.DateField(
        null=True, blank=True, help_text="Non-technical survey completed (null: not yet)."
    )
    ts_completed_on = models.DateField(
        null=True, blank=True, help_text="Technical survey completed (null: not yet)."
    )

    upload = models.ForeignKey(
        "uploads.Upload",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="villages",
        help_text="The upload batch that created this record; revert removes exactly these.",
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name_vi} ({self.code})"
