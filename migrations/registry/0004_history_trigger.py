"""The history trigger of app.registry.models.history: one version per change of a record."""

from django.db import migrations

from app.registry.models.history import VERSIONED_TABLES

FUNCTION = r"""
CREATE OR REPLACE FUNCTION registry_record_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    geometry_column text := nullif(TG_ARGV[0], '');
    moment timestamptz := now();
    old_data jsonb;
    new_data jsonb;
    row_id bigint;
    row_geometry geometry;
    chosen text := nullif(current_setting('landrelease.action', true), '');
BEGIN
    IF TG_OP <> 'INSERT' THEN
        old_data := to_jsonb(OLD);
        row_id := OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_data := to_jsonb(NEW);
        row_id := NEW.id;
        -- An UPDATE that changes nothing (a reload of the same boundaries) is no new version.
        IF TG_OP = 'UPDATE' AND new_data = old_data THEN
            RETURN NULL;
        END IF;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        UPDATE registry_recordversion SET valid_to = moment
        WHERE table_name = TG_TABLE_NAME AND record_id = row_id AND valid_to IS NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        -- The last state, kept with who removed it; closed at once, so no moment holds it.
        new_data := old_data;
        chosen := 'removed';
    END IF;
    IF geometry_column IS NOT NULL THEN
        IF TG_OP = 'DELETE' THEN
            EXECUTE format('SELECT ($1).%I', geometry_column) INTO row_geometry USING OLD;
        ELSE
            EXECUTE format('SELECT ($1).%I', geometry_column) INTO row_geometry USING NEW;
        END IF;
        new_data := new_data - geometry_column;
        old_data := old_data - geometry_column;
    END IF;
    IF chosen IS NULL THEN
        IF TG_OP = 'INSERT' THEN
            chosen := 'created';
        ELSIF (new_data ->> 'deleted_at') IS DISTINCT FROM (old_data ->> 'deleted_at') THEN
            chosen := CASE WHEN new_data ->> 'deleted_at' IS NULL THEN 'undeleted' ELSE 'deleted' END;
        ELSIF (new_data ->> 'status') IS DISTINCT FROM (old_data ->> 'status') THEN
            chosen := CASE new_data ->> 'status'
                WHEN 'approved' THEN 'approved'
                WHEN 'rejected' THEN 'rejected'
                WHEN 'draft' THEN 'returned'
                ELSE 'submitted' END;
        ELSE
            chosen := 'changed';
        END IF;
    END IF;
    INSERT INTO registry_recordversion
        (table_name, record_id, action, data, geometry, valid_from, valid_to,
         changed_by_id, upload_id, reason)
    VALUES
        (TG_TABLE_NAME, row_id, chosen, new_data, row_geometry, moment,
         CASE WHEN TG_OP = 'DELETE' THEN moment END,
         nullif(current_setting('landrelease.user_id', true), '')::integer,
         nullif(current_setting('landrelease.upload_id', true), '')::bigint,
         coalesce(current_setting('landrelease.reason', true), ''));
    RETURN NULL;
END
$$;
"""


def _forwards():
    statements = [FUNCTION]
    for table, geometry_column in VERSIONED_TABLES.items():
        statements.append(
            f"CREATE TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION registry_record_version('{geometry_column or ''}')"
        )
        # What is already stored becomes each record's first version.
        geometry = f"t.{geometry_column}" if geometry_column else "NULL"
        data = f"to_jsonb(t) - '{geometry_column}'" if geometry_column else "to_jsonb(t)"
        statements.append(
            "INSERT INTO registry_recordversion "
            "(table_name, record_id, action, data, geometry, valid_from, reason) "
            f"SELECT '{table}', t.id, 'created', {data}, {geometry}, now(), "
            f"'stored before the history began' FROM {table} AS t"
        )
    return statements


def _backwards():
    statements = [f"DROP TRIGGER IF EXISTS {table}_version ON {table}" for table in VERSIONED_TABLES]
    statements.append("DROP FUNCTION IF EXISTS registry_record_version()")
    return statements


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_review_state_and_history")]

    operations = [migrations.RunSQL(sql=_forwards(), reverse_sql=_backwards())]
