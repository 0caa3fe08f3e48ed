"""Writes to the accounting store. Everything else the database does itself, in the triggers
of app.accounting.store_schema."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


def rebuild_store() -> dict[str, int]:
    """Rebuild the whole store from the registry in one transaction; returns its size."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SELECT accounting_rebuild_all()")
        cursor.execute(
            "SELECT (SELECT count(*) FROM accounting_part),"
            " (SELECT count(*) FROM accounting_partpiece),"
            " (SELECT count(*) FROM accounting_partseries)"
        )
        parts, pieces, series = cursor.fetchone()
    return {"parts": parts, "pieces": pieces, "series": series}


@contextmanager
def store_rebuilt_after() -> Iterator[None]:
    """A bulk load in one transaction: inside, the store's triggers skip their upkeep (each COPY
    or row would recompute what the next one changes again); at the end the store is rebuilt
    once, in the same transaction, so no reader ever sees the two disagree."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('landrelease.accounting_deferred', 'on', true)")
        yield
        cursor.execute("SELECT set_config('landrelease.accounting_deferred', '', true)")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SELECT accounting_rebuild_all()")
