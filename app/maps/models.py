"""The maps' caches in PostgreSQL: vector tiles and province map pages (issue 9, §5).

Both are filled by the readers and emptied by triggers on the registry's tables
(migrations/maps/0001_initial.py), in the transaction of the write, whatever path wrote:

- a cached tile is deleted when a hazard or release whose old or new geometry meets the tile
  (with its buffer) is inserted, changed or deleted;
- every write to the registry bumps ``RegistryGeneration``; a cached page is valid for the
  generation it was built at only.

A reader stores what it built only if no write committed or is under way since it read the
generation (app.maps.tile_cache, app.maps.page_cache), so a page or tile built from a snapshot
older than a write is never kept after that write.
"""

from django.contrib.gis.db import models
from django.db.models import CheckConstraint, Q, UniqueConstraint


class RegistryGeneration(models.Model):
    """One row (id 1): the count of statements that wrote to the registry. The triggers
    increment it; a page cached at an older value is stale."""

    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [CheckConstraint(condition=Q(id=1), name="maps_one_registry_generation")]


class TileLayer(models.TextChoices):
    REMAINING_CHA = "remaining-cha", "Remaining CHA"
    RELEASED = "released", "Released CHA land by method"
    HAZARDS = "hazards", "Hazard areas"
    RELEASES = "releases", "Release records"


class CachedTile(models.Model):
    """One vector tile as served (Mapbox Vector Tile bytes, empty for a tile with nothing)."""

    layer = models.CharField(max_length=20, choices=TileLayer.choices)
    year = models.SmallIntegerField(help_text="Drawn as of 31 December of this year.")
    scope = models.CharField(
        max_length=200,
        help_text="Whose records: approved, or submitted:* / submitted:<organisation ids>.",
    )
    z = models.SmallIntegerField()
    x = models.IntegerField()
    y = models.IntegerField()
    envelope = models.PolygonField(
        srid=4326,
        help_text="The tile with its buffer in WGS 84: the triggers delete the tiles whose "
        "envelope a changed hazard or release meets (GiST index).",
    )
    mvt = models.BinaryField()
    built_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # The tile view's lookup.
            UniqueConstraint(
                fields=["layer", "year", "scope", "z", "x", "y"], name="maps_one_cached_tile"
            )
        ]


class CachedProvinceMap(models.Model):
    """The province map's HTML without the site's nav bar (each reader's own, put in when
    served), for one generation of the registry."""

    generation = models.BigIntegerField()
    year = models.SmallIntegerField()
    boundary_set = models.CharField(max_length=4)
    scope = models.CharField(max_length=200, help_text="As CachedTile.scope.")
    language = models.CharField(max_length=10)
    polygons = models.BooleanField(help_text="Built for readers who see exact polygons.")
    variant = models.CharField(
        max_length=64,
        help_text="Digest of what else the page shows per reader (its scope box and links).",
    )
    html = models.TextField()
    built_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # The map view's lookup.
            UniqueConstraint(
                fields=[
                    "generation",
                    "year",
                    "boundary_set",
                    "scope",
                    "language",
                    "polygons",
                    "variant",
                ],
                name="maps_one_cached_province_map",
            )
        ]
