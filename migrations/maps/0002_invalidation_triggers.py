"""The triggers that keep the maps' caches true (app.maps.models): in the write's transaction,
whatever path wrote (an upload's commit, a review, an edit, an admin-unit reload, the demo).

Statement-level triggers over transition tables, like the history's (registry 0004): a batch of
1,000 releases deletes the tiles it touches with one DELETE ... USING, not 1,000.
"""

from django.db import migrations

# Hazards and releases: the tiles (with their buffer) that the old or the new geometry of a
# changed row meets, in every layer, year and scope; a status or a date change moves a row in or
# out of a scope or a year, so any change of a row counts. Then the page generation.
FORGET_TILES = r"""
CREATE OR REPLACE FUNCTION maps_forget_touched_tiles() RETURNS trigger
LANGUAGE plpgsql AS $function$
BEGIN
    -- Only the branch of TG_OP runs, so each transition table is named where it exists.
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM maps_cachedtile AS t USING old_rows AS o
        WHERE ST_Intersects(t.envelope, o.geometry);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        DELETE FROM maps_cachedtile AS t USING new_rows AS n
        WHERE ST_Intersects(t.envelope, n.geometry);
    END IF;
    PERFORM maps_bump_registry_generation();
    RETURN NULL;
END
$function$;
"""

# The row may be missing after a TRUNCATE of every table (a test database's flush): the upsert
# puts it back. Its row lock, held to the write's commit, is what tells a reader building a page
# or a tile meanwhile not to cache it (app.maps.generation).
BUMP = r"""
CREATE OR REPLACE FUNCTION maps_bump_registry_generation() RETURNS void
LANGUAGE sql AS $function$
    INSERT INTO maps_registrygeneration (id, value) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET value = maps_registrygeneration.value + 1;
$function$;

CREATE OR REPLACE FUNCTION maps_registry_written() RETURNS trigger
LANGUAGE plpgsql AS $function$
BEGIN
    PERFORM maps_bump_registry_generation();
    RETURN NULL;
END
$function$;

-- Every tile, for writes that change them all (a TRUNCATE; an organisation's slug, which the
-- record layers show).
CREATE OR REPLACE FUNCTION maps_forget_all_tiles() RETURNS trigger
LANGUAGE plpgsql AS $function$
BEGIN
    DELETE FROM maps_cachedtile;
    PERFORM maps_bump_registry_generation();
    RETURN NULL;
END
$function$;
"""

TILE_TABLES = ["registry_hazardarea", "registry_releasearea"]
# What the province map shows beside them: units, villages (district links), spot tasks and
# targets (the clearance figures).
PAGE_TABLES = [
    "registry_adminunit",
    "registry_village",
    "registry_spottask",
    "registry_annualtarget",
    "registry_organisation",
]

TRANSITIONS = {
    "insert": "AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows",
    "update": "AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows",
}


def _forwards() -> list[str]:
    statements = [
        BUMP,
        FORGET_TILES,
        "INSERT INTO maps_registrygeneration (id, value) VALUES (1, 0)",
    ]
    for table in TILE_TABLES:
        for event, timing in TRANSITIONS.items():
            statements.append(
                f"CREATE TRIGGER {table}_maps_{event} {timing.format(table=table)} "
                "FOR EACH STATEMENT EXECUTE FUNCTION maps_forget_touched_tiles()"
            )
    for table in PAGE_TABLES:
        forget = "maps_forget_all_tiles" if table == "registry_organisation" else None
        statements.append(
            f"CREATE TRIGGER {table}_maps_write AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {forget or 'maps_registry_written'}()"
        )
    for table in TILE_TABLES + PAGE_TABLES:
        statements.append(
            f"CREATE TRIGGER {table}_maps_truncate AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION maps_forget_all_tiles()"
        )
    return statements


def _backwards() -> list[str]:
    statements = [
        f"DROP TRIGGER IF EXISTS {table}_maps_{event} ON {table}"
        for table in TILE_TABLES
        for event in TRANSITIONS
    ]
    statements += [f"DROP TRIGGER IF EXISTS {table}_maps_write ON {table}" for table in PAGE_TABLES]
    statements += [
        f"DROP TRIGGER IF EXISTS {table}_maps_truncate ON {table}"
        for table in TILE_TABLES + PAGE_TABLES
    ]
    statements += [
        "DROP FUNCTION IF EXISTS maps_forget_touched_tiles()",
        "DROP FUNCTION IF EXISTS maps_forget_all_tiles()",
        "DROP FUNCTION IF EXISTS maps_registry_written()",
        "DROP FUNCTION IF EXISTS maps_bump_registry_generation()",
        "DELETE FROM maps_registrygeneration",
    ]
    return statements


class Migration(migrations.Migration):
    dependencies = [("maps", "0001_initial"), ("registry", "0005_scope_views")]

    operations = [migrations.RunSQL(_forwards(), _backwards())]
