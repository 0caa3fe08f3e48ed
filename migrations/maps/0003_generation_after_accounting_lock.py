"""The generation bump takes the accounting store's advisory lock first (issue 9).

Every registry write bumps the one generation row (0002) and holds its row lock to commit; the
accounting store's triggers (branch h-core) serialise writers with
``pg_advisory_xact_lock(hashtext('landrelease.accounting'))``. A writer holding the row lock and
waiting for the advisory lock, beside one holding the advisory lock and waiting for the row,
deadlock. So every writer takes the advisory lock before the row lock: the bump takes it first
(re-entrant, a no-op when the accounting trigger of the same transaction already holds it).
"""

from django.db import migrations

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

# 0002's version, for a migration backwards.
BUMP_WITHOUT_LOCK = r"""
CREATE OR REPLACE FUNCTION maps_bump_registry_generation() RETURNS void
LANGUAGE plpgsql AS $function$
BEGIN
    INSERT INTO maps_registrygeneration (id, value) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET value = maps_registrygeneration.value + 1;
END
$function$;
"""


class Migration(migrations.Migration):
    dependencies = [("maps", "0002_invalidation_triggers")]

    operations = [migrations.RunSQL(BUMP, BUMP_WITHOUT_LOCK)]
