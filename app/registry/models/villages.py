from django.contrib.gis.db import models

from app.registry.models.review import Reviewed, ReviewedQuerySet


class Village(Reviewed):
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

    organisation = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="villages",
        help_text="The organisation that reported the survey (null: the province's own list).",
    )

    upload = models.ForeignKey(
        "uploads.Upload",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="villages",
        help_text="The upload batch that created this record; revert removes exactly these.",
    )

    objects = ReviewedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name_vi} ({self.code})"
