"""The store's functions and triggers again (app.accounting.store_schema): an UPDATE that
changes no spot task no longer recounts every spot task, the parts a write touches are found
through the parts' spatial index, a TRUNCATE of the registry rebuilds the store, and the rebuild
deletes instead of truncating."""

from django.db import migrations


def forwards(apps, schema_editor):
    from app.accounting.store_schema import install

    with schema_editor.connection.cursor() as cursor:
        install(cursor)


class Migration(migrations.Migration):
    dependencies = [("accounting", "0002_store_upkeep")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
