"""PostGIS transforms to VN-2000 TM-3 (EPSG:9212, 9211) as pyproj does, within a centimetre."""

import pytest
from django.db import connection
from pyproj import Transformer

# Places in the merged province: Đông Hà, Khe Sanh, Đồng Hới.
PLACES = [(107.10, 16.82), (106.73, 16.62), (106.62, 17.47)]


@pytest.mark.django_db
@pytest.mark.parametrize("srid", [9211, 9212])
def test_postgis_and_pyproj_agree_on_vn2000_tm3(srid):
    to_vn2000 = Transformer.from_crs(4326, srid, always_xy=True)
    for lon, lat in PLACES:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ST_X(p), ST_Y(p) FROM ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), 4326),"
                " %s) AS p",
                [lon, lat, srid],
            )
            x, y = cursor.fetchone()
        expected_x, expected_y = to_vn2000.transform(lon, lat)
        assert abs(x - expected_x) < 0.01 and abs(y - expected_y) < 0.01, (lon, lat)
        # And not the WGS 84 numbers: VN-2000 is shifted by about 200 m here.
        plain = Transformer.from_crs(
            4326,
            f"+proj=tmerc +lon_0={'106' if srid == 9211 else '106.25'} +k=0.9999 "
            "+x_0=500000 +ellps=WGS84",
            always_xy=True,
        ).transform(lon, lat)
        assert abs(x - plain[0]) + abs(y - plain[1]) > 100
