"""The generation bump takes the accounting store's advisory lock first (issue 9).

Every registry write bumps the one generation row (0002) and holds its row lock to commit; the
accounting store's triggers (branch h-core) serialise writers with
``pg_advisory_xact_lock(hashtext('landrelease.accounting'))``. A writer holding the row lock and
waiting for the advisory lock, beside one holding the advisory lock and waiting for the row,
deadlock. So every writer takes the advisory lock before the row lock: the bump takes it first
(re-entrant, a no-op when the accounting trigger of the same transaction already holds it).

The tile triggers bump before they delete cached tiles, so that the advisory lock comes before
those rows' locks too, and so that a reader caching a tile meanwhile never waits on a deleted
tile row while the writer waits on the reader's share lock of the generation row
(app.maps.generation): the bump is the first lock a registry write takes here.
"""

import importlib

from django.db import migrations

# 0002's maps_forget_touched_tiles, for a migration backwards.
FORGET_TILES_0002 = importlib.import_module(
    "migrations.maps.0002_invalidation_triggers"
).FORGET_TILES

BUMP = r"""
CREATE OR REPLACE FUNCTION maps_bump_registry_generation() RETURNS void
LANGUAGE plpgsql AS $function$
BEGIN
    -- Lock order for every registry writer: the accounting's advisory lock, then this row
    -- (the accounting triggers take the same advisory lock; the reverse order deadlocks).
    PERFORM pg_advisory_xact_lock(hashtext('landrelease.accounting'));
    INSERT INTO maps_registrygeneration (id, value) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET value = maps_registrygeneration.value + 1;
END
$function$;
"""

FORGET_TILES = r"""
CREATE OR REPLACE FUNCTION maps_forget_touched_tiles() RETURNS trigger
LANGUAGE plpgsql AS $function$
BEGIN
    -- First: the accounting's advisory lock, then the generation row (see above).
    PERFORM maps_bump_registry_generation();
    -- Only the branch of TG_OP runs, so each transition table is named where it exists.
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM maps_cachedtile AS t USING old_rows AS o
        WHERE ST_Intersects(t.envelope, o.geometry);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        DELETE FROM maps_cachedtile AS t USING new_rows AS n
        WHERE ST_Intersects(t.envelope, n.geometry);
    END IF;
    RETURN NULL;
END
$function$;

CREATE OR REPLACE FUNCTION maps_forget_all_tiles() RETURNS trigger
LANGUAGE plpgsql AS $function$
BEGIN
    PERFORM maps_bump_registry_generation();
    DELETE FROM maps_cachedtile;
    RETURN NULL;
END
$function$;
"""

# 0002's versions, for a migration backwards.
BUMP_WITHOUT_LOCK = r"""
CREATE OR REPLACE FUNCTION maps_bump_registry_generation() RETURNS void
LANGUAGE plpgsql AS $function$
BEGIN
    INSERT INTO maps_registrygeneration (id, value) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET value = maps_registrygeneration.value + 1;
END
$function$;
"""


FORGET_ALL_TILES_0002 = r"""
CREATE OR REPLACE FUNCTION maps_forget_all_tiles() RETURNS trigger
LANGUAGE plpgsql AS $function$
BEGIN
    DELETE FROM maps_cachedtile;
    PERFORM maps_bump_registry_generation();
    RETURN NULL;
END
$function$;
"""


class Migration(migrations.Migration):
    dependencies = [("maps", "0002_invalidation_triggers")]

    operations = [
        migrations.RunSQL(
            [BUMP, FORGET_TILES], [BUMP_WITHOUT_LOCK, FORGET_TILES_0002, FORGET_ALL_TILES_0002]
        )
    ]
