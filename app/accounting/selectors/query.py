"""Running one accounting query."""

from django.db import transaction

from app.registry.scopes import reads_connection, scoped_reads


def fetch_dicts(sql: str, params: dict) -> list[dict]:
    """Run one accounting query and return its rows as dicts.

    JIT is switched off for the query: PostGIS functions carry high planner costs, so PostgreSQL
    15 JIT-compiles these plans, which was measured at ~0.9 s per report against a few ms of
    actual work on empty tables.

    The query reads the records of the active reading scope, approved ones when none is active
    (app.registry.scopes.scoped_reads): the SQL names the tables, the scope's views answer.
    """
    with (
        scoped_reads(),
        transaction.atomic(using=reads_connection().alias),
        reads_connection().cursor() as cursor,
    ):
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
