"""The views behind ``app.registry.scopes``: one schema per scope, one view per versioned table,
each with exactly the table's columns so that raw SQL and the ORM read it as the table.

Made by migrations (``create_scope_views``) from the tables' columns at that point of the
migration history; a migration that changes a versioned table's columns calls it again
(tests/registry/test_scope_views.py fails when one forgets).
"""

from app.registry.models.history import VERSIONED_TABLES

SCHEMAS = ("scope_approved", "scope_pending", "scope_recorded")

_ALIVE = "deleted_at IS NULL"
# CASE, not OR: the list is cast only when it is one (SQL does not short-circuit an OR).
_PENDING_BY = (
    "CASE WHEN current_setting('landrelease.pending_organisations', true) = '*' THEN true"
    " ELSE organisation_id = ANY (string_to_array("
    "nullif(current_setting('landrelease.pending_organisations', true), ''), ',')::bigint[]) END"
)
_MOMENT = "nullif(current_setting('landrelease.as_recorded', true), '')::timestamptz"


def table_columns(cursor, table: str) -> list[tuple[str, str]]:
    """(name, SQL type) of a table's columns, in their order."""
    cursor.execute(
        """
        SELECT attname, format_type(atttypid, atttypmod)
        FROM pg_attribute
        WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped
        ORDER BY attnum
        """,
        [f"public.{table}"],
    )
    return cursor.fetchall()


def create_scope_views(cursor) -> None:
    for schema in SCHEMAS:
        cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        cursor.execute(f"CREATE SCHEMA {schema}")
    for table, geometry_column in VERSIONED_TABLES.items():
        columns = table_columns(cursor, table)
        names = [name for name, _type in columns]
        reviewed = "status" in names
        listed = ", ".join(f'"{name}"' for name in names)
        approved = f"{_ALIVE} AND status = 'approved'" if reviewed else _ALIVE
        pending = (
            f"{_ALIVE} AND (status = 'approved' OR (status = 'submitted' AND {_PENDING_BY}))"
            if reviewed
            else _ALIVE
        )
        cursor.execute(
            f"CREATE VIEW scope_approved.{table} AS "
            f"SELECT {listed} FROM public.{table} WHERE {approved}"
        )
        cursor.execute(
            f"CREATE VIEW scope_pending.{table} AS "
            f"SELECT {listed} FROM public.{table} WHERE {pending}"
        )
        # The geometry is taken as stored (not cast to the column's subtype) so that the GiST
        # index on the versions can serve spatial joins.
        recorded_columns = ", ".join(
            f'version.geometry AS "{name}"'
            if name == geometry_column
            else f"(version.data ->> '{name}')::{sql_type} AS \"{name}\""
            for name, sql_type in columns
        )
        recorded_status = " AND version.data ->> 'status' = 'approved'" if reviewed else ""
        cursor.execute(
            f"""
            CREATE VIEW scope_recorded.{table} AS
            SELECT {recorded_columns}
            FROM public.registry_recordversion AS version
            WHERE version.table_name = '{table}'
              AND version.valid_from <= {_MOMENT}
              AND (version.valid_to IS NULL OR version.valid_to > {_MOMENT})
              AND version.data ->> 'deleted_at' IS NULL{recorded_status}
            """
        )
