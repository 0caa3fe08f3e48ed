"""The accounting store's functions and triggers (app.accounting.store_schema), and the store
built from what the registry already holds."""

from django.db import migrations


def forwards(apps, schema_editor):
    from app.accounting.store_schema import install

    with schema_editor.connection.cursor() as cursor:
        install(cursor)
        cursor.execute("SELECT accounting_rebuild_all()")


def backwards(apps, schema_editor):
    from app.accounting.store_schema import uninstall

    with schema_editor.connection.cursor() as cursor:
        uninstall(cursor)


class Migration(migrations.Migration):
    dependencies = [("accounting", "0001_store")]

    operations = [migrations.RunPython(forwards, backwards)]
