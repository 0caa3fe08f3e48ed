"""The province map's HTML cached in PostgreSQL (app.maps.models.CachedProvinceMap).

An entry is keyed by what the page shows: year, boundary set, reading scope, language, whether
the reader sees exact polygons, and a digest of the rest (the scope box and the links' query),
for the registry's generation it was built at; any write to the registry bumps the generation
(migrations/maps/0002), so a later read misses and builds again. The settings the page is built
with (MAP_SMALL_CHA_HA: which units are hatched) go into the digest too, since the cache outlives
a restart with another value. The site's nav bar, which names the reader, is never cached: the
page is stored with a placeholder in its place.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.utils.translation import get_language

from app.maps import generation
from app.maps.models import CachedProvinceMap
from app.maps.tile_cache import scope_key
from app.registry.scopes import active_scope

HEADER_PLACEHOLDER = "<!-- landrelease: the reader's nav bar -->"

_TABLE = CachedProvinceMap._meta.db_table


def cached_province_map(
    *,
    year: int,
    boundary_set: str,
    polygons: bool,
    variant: str,
    header_html: str,
    build: Callable[[str], str],
) -> str:
    """The page, from the cache or from ``build(header_html)`` (called with the placeholder),
    in the active reading scope; ``variant``: whatever else it depends on, as text."""
    key = {
        "year": year,
        "boundary_set": boundary_set,
        "scope": scope_key(active_scope()),
        "language": get_language() or "",
        "polygons": polygons,
        "variant": hashlib.sha256(f"{variant}\0{_built_with()}".encode()).hexdigest(),
    }
    read_at = generation.current_generation()
    where = " AND ".join(f"{column} = %({column})s" for column in key)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT html FROM public.{_TABLE} WHERE generation = %(generation)s AND {where}",
            {**key, "generation": read_at},
        )
        row = cursor.fetchone()
    if row is not None:
        page = row[0]
    else:
        page = build(HEADER_PLACEHOLDER)
        if generation.unchanged_since(read_at):
            with connection.cursor() as cursor:
                # Entries of earlier generations are never read again.
                cursor.execute(f"DELETE FROM public.{_TABLE} WHERE generation < %s", [read_at])
                cursor.execute(
                    f"INSERT INTO public.{_TABLE} (generation, {', '.join(key)}, html, built_at) "
                    f"VALUES (%(generation)s, {', '.join(f'%({c})s' for c in key)}, %(html)s, "
                    "now()) ON CONFLICT DO NOTHING",
                    {**key, "generation": read_at, "html": page},
                )
    return page.replace(HEADER_PLACEHOLDER, header_html, 1)


def _built_with() -> str:
    """The settings selectors.coverage_map_html reads, as text: a page built with other values
    is another entry (no column of its own: the digest is the key's open end)."""
    return f"MAP_SMALL_CHA_HA={settings.MAP_SMALL_CHA_HA}"
