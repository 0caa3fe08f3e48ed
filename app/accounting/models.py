"""The accounting store: the approved registry's figures kept per piece, so that a report is a
sum of stored rows instead of unions of the whole registry.

The pieces are cut exactly where the reference SQL (app.accounting.selectors.*) cuts: hazards
(and cleared releases) merged into parts that overlap nothing else (clusters of polygons that
touch or overlap, unioned), each part paired with the ``ST_Subdivide`` pieces of every admin
unit it meets. A part that lies wholly inside a unit piece counts whole; one that crosses a
piece's edge is clipped to it. Keeping the reference's cuts keeps its figures: every cut of a
long edge moves geodesic hectares a little (a cut point lies on the straight lon/lat line, not
on the geodesic), so a store cut anywhere else would drift from the reference.

Written only by the database (app.accounting.store_schema: PL/pgSQL functions and triggers run
in the transaction of every write to the registry); read by the accounting selectors. The
reference SQL stays what defines the figures: ``manage.py check_accounting`` compares the two.
"""

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.utils.translation import gettext_lazy as _


class Family(models.TextChoices):
    """What a part is a cluster of, and so what its figures mean."""

    CHA = "CHA", _("Confirmed hazardous areas (with the land released in them by date)")
    SHA = "SHA", _("Suspected hazardous areas")
    # Cleared land anywhere, by date: the release report's cleared_outside_cha_ha.
    CLEARED = "cleared", _("Cleared land, by completion date")
    # Land cleared in one calendar year: the clearance and progress reports.
    CLEARED_IN_YEAR = "cleared_in_year", _("Land cleared in one year")
    CLEARED_IN_YEAR_BY = "cleared_in_year_by", _("Land cleared in one year by one organisation")
    # Land released by survey (cancelled or reduced) in one calendar year: the progress
    # report's surveyed_ha.
    SURVEYED_IN_YEAR = "surveyed_in_year", _("Land surveyed (cancelled or reduced) in one year")


class UnitPiece(models.Model):
    """One ``ST_Subdivide`` piece of an alive admin unit, as the reference cuts it."""

    unit = models.ForeignKey(
        "registry.AdminUnit", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    boundary_set = models.CharField(max_length=4)
    level = models.CharField(max_length=10)
    geometry = models.PolygonField(srid=4326)


class Part(models.Model):
    """A cluster of counted polygons of one family that touch or overlap, unioned: it overlaps no
    other part of its family, so parts' hectares add up and an overlap counts once."""

    family = models.CharField(max_length=20, choices=Family.choices)
    # The completion year (and organisation) of the cleared releases it unites; 0 when not kept
    # per year (or organisation), so that the family's key has no NULLs.
    year = models.IntegerField(default=0)
    organisation_id = models.BigIntegerField(default=0)
    members = ArrayField(models.BigIntegerField(), help_text="ids of the hazards or releases")
    geometry = models.GeometryField(srid=4326)
    # CHA and cleared parts: the running unions of the releases meeting the part up to
    # ``last_day`` (cleared, cleared or reduced, any method), from which a release completed
    # after that day extends the series without unioning the earlier ones again.
    last_day = models.DateField(null=True)
    cleared = models.GeometryField(srid=4326, null=True, spatial_index=False)
    cleared_or_reduced = models.GeometryField(srid=4326, null=True, spatial_index=False)
    released = models.GeometryField(srid=4326, null=True, spatial_index=False)
    any_reduced = models.BooleanField(default=False)
    any_cancelled = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["family", "year", "organisation_id"], name="part_key_idx")]


class PartPiece(models.Model):
    """A part inside one unit piece: its hectares there, whole when ``covered``."""

    part = models.ForeignKey(
        Part, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    unit_piece = models.ForeignKey(
        UnitPiece, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    unit = models.ForeignKey(
        "registry.AdminUnit", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    # The part's key, copied so that a unit's sums read one index.
    family = models.CharField(max_length=20, choices=Family.choices)
    year = models.IntegerField(default=0)
    organisation_id = models.BigIntegerField(default=0)
    covered = models.BooleanField()
    area_ha = models.FloatField(help_text="Geodesic hectares of the part inside the unit piece.")

    class Meta:
        indexes = [
            models.Index(
                fields=["unit", "family", "year", "organisation_id"], name="part_piece_key_idx"
            )
        ]


class PartSeries(models.Model):
    """The land of a CHA part released inside one unit piece by ``day`` (cumulative, one row per
    completion date of the releases meeting the part), and the growth since the previous row.
    Of a cleared part: its own cleared land by ``day``, in the cleared columns only."""

    part_piece = models.ForeignKey(
        PartPiece, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    unit = models.ForeignKey(
        "registry.AdminUnit", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    family = models.CharField(max_length=20, choices=Family.choices)
    day = models.DateField()
    cleared_ha = models.FloatField()
    cleared_or_reduced_ha = models.FloatField()
    released_ha = models.FloatField()
    cleared_growth_ha = models.FloatField()
    cleared_or_reduced_growth_ha = models.FloatField()
    released_growth_ha = models.FloatField()

    class Meta:
        indexes = [
            models.Index(fields=["part_piece", "day"], name="part_series_piece_idx"),
            models.Index(fields=["unit", "family", "day"], name="part_series_unit_idx"),
        ]


class UnitSeries(models.Model):
    """Per unit and day, the growth of its released (or cleared) land that day, summed over its
    pieces: a report as of D sums a unit's rows up to D. Recomputed from PartSeries for the
    (unit, day) pairs a write changed."""

    unit = models.ForeignKey(
        "registry.AdminUnit", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    family = models.CharField(max_length=20, choices=Family.choices)
    day = models.DateField()
    cleared_ha = models.FloatField()
    cleared_or_reduced_ha = models.FloatField()
    released_ha = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "family", "day"], name="unit_series_one_row_per_day"
            )
        ]


class UnitArea(models.Model):
    """Per unit and family key, the hectares of the family's parts inside the unit (CHA, SHA,
    land cleared in a year, by an organisation in a year). Recomputed from PartPiece for the
    keys a write changed."""

    unit = models.ForeignKey(
        "registry.AdminUnit", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    family = models.CharField(max_length=20, choices=Family.choices)
    year = models.IntegerField(default=0)
    organisation_id = models.BigIntegerField(default=0)
    area_ha = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "family", "year", "organisation_id"], name="unit_area_one_row"
            )
        ]


class PointUnit(models.Model):
    """The unit of each level of each boundary set that a spot task or village lies in: the
    lowest code among the units whose pieces it meets, as the reference chooses for a point on a
    shared boundary. Kept for every record whatever its review state (where a point lies does not
    depend on it); reports join it with the records their scope reads."""

    table_name = models.CharField(max_length=30)
    record_id = models.BigIntegerField()
    boundary_set = models.CharField(max_length=4)
    level = models.CharField(max_length=10)
    unit = models.ForeignKey(
        "registry.AdminUnit", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["table_name", "record_id", "boundary_set", "level"],
                name="point_unit_one_per_level",
            )
        ]
        indexes = [models.Index(fields=["unit", "table_name"], name="point_unit_unit_idx")]


class UnitTasks(models.Model):
    """Per unit, year and organisation, the approved spot tasks completed that year in the unit
    (PointUnit) and the items they destroyed: the clearance and progress reports' counts.
    Recomputed for the keys a write to the spot tasks or the units changed."""

    unit = models.ForeignKey(
        "registry.AdminUnit", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    year = models.IntegerField()
    organisation_id = models.BigIntegerField()
    spot_tasks = models.IntegerField()
    items_destroyed = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "organisation_id"], name="unit_tasks_one_row"
            )
        ]
