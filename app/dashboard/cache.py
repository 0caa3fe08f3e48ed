"""The dashboard's figures kept between requests, as the province map's page is
(app.maps.page_cache): keyed on what they depend on, the year, the boundary set, the reading
scope (approved, or whose pending work) and the language (units are named in it), for the
registry's generation they were computed at. Any write to the registry, its targets, units and
organisations bumps the generation (migrations/maps/0002), so a later request misses and
computes again; figures computed while a write was under way are not kept.

Kept in Django's default cache, in-process memory (LocMemCache: no CACHES is configured), not in
a table like the map pages: the dashboard's page carries the reader's CSRF token and nav bar,
so what is kept is the selector's result, a small frozen dataclass, not HTML. Measured on the
full demo (README, "The dashboard"): approved figures read the accounting store in ~0.15 s,
with pending work the reference SQL takes ~1.6-2.7 s, which a repeated view then skips.
A past registry (as_recorded) is not offered on the dashboard and is never cached.
"""

from django.core.cache import cache
from django.utils.translation import get_language

from app.dashboard.selectors import Dashboard, dashboard
from app.maps import generation
from app.maps.tile_cache import scope_key
from app.registry.scopes import ReadingScope, active_scope


def cached_dashboard(*, year: int, boundary_set: str) -> Dashboard:
    """``dashboard(year=..., boundary_set=...)`` in the active reading scope, from the cache or
    computed and kept."""
    scope = active_scope() or ReadingScope()
    read_at = generation.current_generation()
    if read_at is None or scope.as_recorded is not None:
        return dashboard(year=year, boundary_set=boundary_set)
    key = f"dashboard:{read_at}:{year}:{boundary_set}:{scope_key(scope)}:{get_language() or ''}"
    found = cache.get(key)
    if found is not None:
        return found
    board = dashboard(year=year, boundary_set=boundary_set)
    if generation.unchanged_since(read_at):
        cache.set(key, board)
    return board
