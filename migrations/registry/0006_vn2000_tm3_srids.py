"""VN-2000 in the provincial TM-3 zones of the merged Quảng Trị, which PostGIS 3.3's
spatial_ref_sys lacks: EPSG:9212 (TM-3 106°15′, the old Quảng Trị, what its government maps use)
and EPSG:9211 (TM-3 106°00′, the old Quảng Bình). Exports and the OGC service answer in them.

``auth_name`` EPSG lets PostGIS 3 ask PROJ for the CRS by its code, so ST_Transform picks the
same VN-2000 to WGS 84 transformation as pyproj; the TOWGS84 of proj4text (that of EPSG:3405,
VN-2000 / UTM 48N, already in the table) is only the fallback of a PROJ without its database.
"""

from django.db import migrations

TOWGS84 = "-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278"


def _srtext(srid: int, name: str, central_meridian: str) -> str:
    return (
        f'PROJCS["{name}",GEOGCS["VN-2000",DATUM["Vietnam_2000",SPHEROID["WGS 84",6378137,'
        f'298.257223563,AUTHORITY["EPSG","7030"]],TOWGS84[{TOWGS84}],AUTHORITY["EPSG","6756"]],'
        'PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,'
        'AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4756"]],PROJECTION["Transverse_Mercator"],'
        f'PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",{central_meridian}],'
        'PARAMETER["scale_factor",0.9999],PARAMETER["false_easting",500000],'
        'PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],'
        f'AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","{srid}"]]'
    )


def _proj4(central_meridian: str) -> str:
    return (
        f"+proj=tmerc +lat_0=0 +lon_0={central_meridian} +k=0.9999 +x_0=500000 +y_0=0 "
        f"+ellps=WGS84 +towgs84={TOWGS84} +units=m +no_defs"
    )


SRIDS = (
    (9211, "VN-2000 / TM-3 106-00", "106"),
    (9212, "VN-2000 / TM-3 106-15", "106.25"),
)

INSERT = """
INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text)
VALUES (%s, 'EPSG', %s, %s, %s)
ON CONFLICT (srid) DO NOTHING
"""


def forwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for srid, name, meridian in SRIDS:
            cursor.execute(INSERT, [srid, srid, _srtext(srid, name, meridian), _proj4(meridian)])


def backwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM spatial_ref_sys WHERE srid = ANY(%s)", [[srid for srid, *_ in SRIDS]]
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_scope_views")]

    operations = [migrations.RunPython(forwards, backwards)]
