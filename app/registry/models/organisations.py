from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    NGO = "ngo", _("NGO")
    MILITARY = "military", _("Military")
    COMMERCIAL = "commercial", _("Commercial")
    GOVERNMENT = "government", _("Government")


class Organisation(models.Model):
    slug = models.SlugField(max_length=40, unique=True, help_text="Short handle, e.g. npa, mag.")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=OrganisationKind.choices)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name
