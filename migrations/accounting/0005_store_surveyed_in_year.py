"""The store keeps the survey work of each year (family surveyed_in_year: the releases
cancelled or reduced in a calendar year, clustered and unioned), which the progress report read
from the registry on every request: its functions again (app.accounting.store_schema), and the
store rebuilt."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    from app.accounting.store_schema import install

    with schema_editor.connection.cursor() as cursor:
        install(cursor)
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SELECT accounting_rebuild_all()")


class Migration(migrations.Migration):
    dependencies = [
        ("accounting", "0004_lazy_unions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="part",
            name="family",
            field=models.CharField(
                choices=[
                    ("CHA", "Confirmed hazardous areas (with the land released in them by date)"),
                    ("SHA", "Suspected hazardous areas"),
                    ("cleared", "Cleared land, by completion date"),
                    ("cleared_in_year", "Land cleared in one year"),
                    ("cleared_in_year_by", "Land cleared in one year by one organisation"),
                    ("surveyed_in_year", "Land surveyed (cancelled or reduced) in one year"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="partpiece",
            name="family",
            field=models.CharField(
                choices=[
                    ("CHA", "Confirmed hazardous areas (with the land released in them by date)"),
                    ("SHA", "Suspected hazardous areas"),
                    ("cleared", "Cleared land, by completion date"),
                    ("cleared_in_year", "Land cleared in one year"),
                    ("cleared_in_year_by", "Land cleared in one year by one organisation"),
                    ("surveyed_in_year", "Land surveyed (cancelled or reduced) in one year"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="partseries",
            name="family",
            field=models.CharField(
                choices=[
                    ("CHA", "Confirmed hazardous areas (with the land released in them by date)"),
                    ("SHA", "Suspected hazardous areas"),
                    ("cleared", "Cleared land, by completion date"),
                    ("cleared_in_year", "Land cleared in one year"),
                    ("cleared_in_year_by", "Land cleared in one year by one organisation"),
                    ("surveyed_in_year", "Land surveyed (cancelled or reduced) in one year"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="unitarea",
            name="family",
            field=models.CharField(
                choices=[
                    ("CHA", "Confirmed hazardous areas (with the land released in them by date)"),
                    ("SHA", "Suspected hazardous areas"),
                    ("cleared", "Cleared land, by completion date"),
                    ("cleared_in_year", "Land cleared in one year"),
                    ("cleared_in_year_by", "Land cleared in one year by one organisation"),
                    ("surveyed_in_year", "Land surveyed (cancelled or reduced) in one year"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="unitseries",
            name="family",
            field=models.CharField(
                choices=[
                    ("CHA", "Confirmed hazardous areas (with the land released in them by date)"),
                    ("SHA", "Suspected hazardous areas"),
                    ("cleared", "Cleared land, by completion date"),
                    ("cleared_in_year", "Land cleared in one year"),
                    ("cleared_in_year_by", "Land cleared in one year by one organisation"),
                    ("surveyed_in_year", "Land surveyed (cancelled or reduced) in one year"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
