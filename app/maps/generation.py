"""The registry's write generation (app.maps.models.RegistryGeneration), as the caches read it.

A reader reads the generation before it builds a page or a tile, and stores what it built only
if ``unchanged_since`` that generation. The write's trigger bumps the row and holds its lock to
the write's commit: a write that committed since makes the value differ, a write under way
makes the row locked (SKIP LOCKED: the reader serves what it built and does not wait). Either
way what was built may predate the write, and is not kept.
"""

from django.db import connection

from app.maps.models import RegistryGeneration

_TABLE = RegistryGeneration._meta.db_table


def current_generation() -> int | None:
    """The generation now; None when its row is missing (a flushed test database), when
    nothing is cached."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM public.{_TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def unchanged_since(generation: int | None) -> bool:
    """No write committed since ``generation`` was read, and none is under way. Holds a share
    lock on the row to the end of the caller's transaction, so that no write commits between
    this check and the caller's INSERT of what it built."""
    if generation is None:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM public.{_TABLE} WHERE id = 1 FOR SHARE SKIP LOCKED")
        row = cursor.fetchone()
    return row is not None and row[0] == generation
