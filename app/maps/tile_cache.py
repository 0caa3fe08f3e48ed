"""Vector tiles served from their cache (app.maps.models.CachedTile), built on a miss.

A tile is kept per layer, year, reading scope and z/x/y until a write touches it: the registry's
triggers delete the cached tiles whose envelope a changed hazard or release meets
(migrations/maps/0002). What a reader built is stored only if no write committed or is under
way since the reader began (app.maps.generation), so a tile is never cached from a snapshot
older than a write that touched it.
"""

from datetime import date

from django.db import connection

from app.maps import generation, tiles
from app.maps.models import CachedTile
from app.registry.scopes import ReadingScope, active_scope

_TABLE = CachedTile._meta.db_table


def scope_key(scope: ReadingScope) -> str:
    """The cache's name for the records a scope reads: ``approved``, ``submitted:*`` (every
    organisation's pending work) or ``submitted:3,5`` (those organisations')."""
    if scope.as_recorded is not None:
        raise ValueError("tiles of a past registry are not cached")
    if not scope.include_submitted:
        return "approved"
    if scope.submitted_by is None:
        return "submitted:*"
    return "submitted:" + ",".join(str(pk) for pk in sorted(scope.submitted_by))


def cached_tile_mvt(*, layer: str, year: int, tile: tiles.TileAddress) -> bytes:
    """The layer's tile as of 31 December ``year`` in the active reading scope (the caller's
    ``reading(scope)``): from the cache, or built and cached."""
    scope = scope_key(active_scope())
    key = {"layer": layer, "year": year, "scope": scope, "z": tile.z, "x": tile.x, "y": tile.y}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT mvt FROM public.{_TABLE} WHERE layer = %(layer)s AND year = %(year)s "
            "AND scope = %(scope)s AND z = %(z)s AND x = %(x)s AND y = %(y)s",
            key,
        )
        row = cursor.fetchone()
    if row is not None:
        return bytes(row[0])
    read_at = generation.current_generation()
    mvt = tiles.tile_mvt(layer=layer, tile=tile, as_of=date(year, 12, 31))
    if generation.unchanged_since(read_at):
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO public.{_TABLE} (layer, year, scope, z, x, y, envelope, mvt, "
                f"built_at) VALUES (%(layer)s, %(year)s, %(scope)s, %(z)s, %(x)s, %(y)s, "
                f"{tiles.tile_envelope_sql()}, %(mvt)s, now()) ON CONFLICT DO NOTHING",
                {**key, "mvt": mvt},
            )
    return mvt
