"""EPSG:9212 (VN-2000 / TM-3 106°15', the system of Quảng Trị's government maps) into PostGIS'
spatial_ref_sys, which the exports' ST_Transform needs: PostGIS 3.3 ships an EPSG list older
than the code (2021), so ``crs=EPSG:9212`` would fail with "Cannot find SRID".

The definition is pyproj's, with the datum shift to WGS 84 written as TOWGS84 from EPSG:6960
("VN-2000 to WGS 84 (2)", the transformation PostGIS' own rows for 3405 and 4756 carry), so that
a PostGIS whose PROJ lacks the code still shifts the datum rather than dropping it. PROJ finds
the code itself first (auth_name, auth_srid). Nothing is written when a row is there already
(a later PostGIS, or app/ogc's migration adding the same row: ON CONFLICT DO NOTHING).
"""

import warnings

import pyproj
from django.db import migrations
from pyproj.crs import CoordinateOperation

SRID = 9212
DATUM_SHIFT_EPSG = 6960


def towgs84(operation: CoordinateOperation) -> list[float]:
    """The 7 parameters in PROJ's +towgs84 order and sign (position vector). EPSG:6960 is a
    coordinate-frame rotation: the same rotations with the opposite sign."""
    values = [parameter.value for parameter in operation.params]
    if "Coordinate Frame" in operation.method_name:
        values[3:6] = [-value for value in values[3:6]]
    return values


def definitions() -> tuple[str, str]:
    """(srtext, proj4text) of EPSG:9212 with its TOWGS84."""
    shift = ",".join(
        str(value) for value in towgs84(CoordinateOperation.from_epsg(DATUM_SHIFT_EPSG))
    )
    wkt = pyproj.CRS.from_epsg(SRID).to_wkt("WKT1_GDAL")
    datum_id = 'AUTHORITY["EPSG","6756"]]'
    if datum_id not in wkt:
        raise RuntimeError(f"EPSG:{SRID}'s datum is not Vietnam 2000 (EPSG:6756) in this pyproj")
    srtext = wkt.replace(datum_id, f"TOWGS84[{shift}],{datum_id}", 1)
    with warnings.catch_warnings():
        # "You will likely lose important projection information": the PROJ string is only the
        # fallback for a PostGIS whose PROJ cannot read srtext, as spatial_ref_sys has it.
        warnings.simplefilter("ignore", UserWarning)
        proj4text = pyproj.CRS.from_wkt(srtext).to_proj4()
    return srtext, proj4text


def insert_srid(apps, schema_editor):
    srtext, proj4text = definitions()
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text)"
            " VALUES (%s, 'EPSG', %s, %s, %s) ON CONFLICT (srid) DO NOTHING",
            [SRID, SRID, srtext, proj4text],
        )


class Migration(migrations.Migration):
    dependencies = []

    # Kept on reversal: another migration (app/ogc's) or PostGIS itself may rely on the row.
    operations = [migrations.RunPython(insert_srid, migrations.RunPython.noop)]
