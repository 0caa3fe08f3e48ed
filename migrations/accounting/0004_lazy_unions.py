"""The store's functions again (app.accounting.store_schema), and the store rebuilt: a part
recomputed from a day after its first release kept a cleared-or-reduced (or released) union of
its earlier releases while none of them was reduced (cancelled), which the series ignore but the
derived land (remaining CHA, released land, the coverage rasters) read as the part's land."""

from django.db import migrations


def forwards(apps, schema_editor):
    from app.accounting.store_schema import install

    with schema_editor.connection.cursor() as cursor:
        install(cursor)
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SELECT accounting_rebuild_all()")


class Migration(migrations.Migration):
    dependencies = [("accounting", "0003_store_upkeep_again")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
