"""Writes to the accounting store. Everything else the database does itself, in the triggers
of app.accounting.store_schema."""

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
