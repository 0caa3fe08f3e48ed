"""EPSG:9212, VN-2000 / TM-3 106-15 (the TM-3 zone of Quảng Trị), which PostGIS 3.3's
spatial_ref_sys lacks; the OGC items are served in it (app.ogc.crs).

The datum shift is EPSG:6960, "VN-2000 to WGS 84 (2)", the one PROJ chooses (so that pyproj and
PostGIS agree to the millimetre): PROJ states it in the coordinate-frame convention, towgs84 in
the position-vector one, hence the rotations' signs; PostGIS' own EPSG:3405 (VN-2000 / UTM 48N)
carries the same seven parameters.
"""

from django.db import migrations

TOWGS84 = "-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278"

PROJ4 = (
    "+proj=tmerc +lat_0=0 +lon_0=106.25 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 "
    f"+towgs84={TOWGS84} +units=m +no_defs"
)

# pyproj's WKT1_GDAL of EPSG:9212 with the TOWGS84 above added to its datum.
WKT = (
    'PROJCS["VN-2000 / TM-3 106-15",GEOGCS["VN-2000",DATUM["Vietnam_2000",'
    'SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
    f'TOWGS84[{TOWGS84}],AUTHORITY["EPSG","6756"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AUTHORITY["EPSG","4756"]],PROJECTION["Transverse_Mercator"],'
    'PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",106.25],'
    'PARAMETER["scale_factor",0.9999],PARAMETER["false_easting",500000],'
    'PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],'
    'AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","9212"]]'
)


class Migration(migrations.Migration):
    dependencies = []

    operations = [
        migrations.RunSQL(
            sql=[
                (
                    "INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text) "
                    "VALUES (9212, 'EPSG', 9212, %s, %s) ON CONFLICT (srid) DO NOTHING",
                    [WKT, PROJ4],
                )
            ],
            # A later PostGIS may ship the row itself: it is left in place.
            reverse_sql=migrations.RunSQL.noop,
        )
    ]
