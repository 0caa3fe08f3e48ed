"""The reading scopes' views (app.registry.scope_views), made from the tables' columns now."""

from django.db import migrations

from app.registry.scope_views import SCHEMAS, create_scope_views


def forwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        create_scope_views(cursor)


def backwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for schema in SCHEMAS:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_history_trigger")]

    operations = [migrations.RunPython(forwards, backwards)]
