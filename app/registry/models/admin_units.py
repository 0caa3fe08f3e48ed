from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from app.registry.models.review import SoftDeletable, SoftDeleteQuerySet


class BoundarySet(models.TextChoices):
    """Which official boundary set a unit belongs to.

    Vietnam abolished districts and merged communes and provinces on 1 July 2025. Statistics are
    computed spatially against either set, so legacy time series and current reports both work.
    """

    LEGACY_2019 = "2019", _("2019 (10 districts of the former Quảng Trị, until 2025-06-30)")
    REFORM_2025 = "2025", _("2025 (merged Quảng Trị and its 78 communes, from 2025-07-01)")


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class AdminUnitQuerySet(SoftDeleteQuerySet):
    def in_set(self, boundary_set: str) -> "AdminUnitQuerySet":
        return self.filter(boundary_set=boundary_set)

    def at_level(self, level: str) -> "AdminUnitQuerySet":
        return self.filter(level=level)


class AdminUnit(SoftDeletable):
    code = models.CharField(max_length=16, help_text="Official GSO code, e.g. 464 (Vĩnh Linh).")
    name_vi = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    level = models.CharField(max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    boundary_set = models.CharField(max_length=4, choices=BoundarySet.choices)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    geometry = models.MultiPolygonField(
        srid=4326, help_text="Boundary in WGS 84 (lon, lat). Areas are computed geodesically."
    )

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        ordering = ["boundary_set", "level", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["boundary_set", "code"], name="admin_unit_code_per_set"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="admin_unit_valid_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_vi} ({self.code}, {self.boundary_set})"
