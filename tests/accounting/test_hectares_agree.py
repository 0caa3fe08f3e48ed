"""The SQL hectare (app.accounting.sql.HECTARES) and the Python one (gis.areas) agree."""

import pytest
from django.db import connection
from shapely import Polygon
from shapely.geometry import MultiPolygon

from app.accounting.sql import hectares
from gis.areas import geodesic_area_ha

from .shapes import HUONG_HOA_LAT, HUONG_HOA_LON, district, square

pytestmark = pytest.mark.django_db

SHELL = square(HUONG_HOA_LON, HUONG_HOA_LAT, 0.02)
HOLE = square(HUONG_HOA_LON, HUONG_HOA_LAT, 0.01)


def sql_hectares(wkt: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {hectares('ST_GeomFromText(%s, 4326)')}", [wkt])
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    "geometry",
    [
        pytest.param(square(106.9, 17.0, 0.0005), id="one-hectare square"),
        pytest.param(SHELL, id="square"),
        pytest.param(Polygon(SHELL.exterior.coords, [HOLE.exterior.coords]), id="with a hole"),
        pytest.param(
            Polygon(SHELL.exterior.coords, [HOLE.exterior.coords[::-1]]), id="hole wound as shell"
        ),
        pytest.param(MultiPolygon([SHELL, square(107.1, 16.8, 0.03)]), id="multipolygon"),
        pytest.param(district("465"), id="Hướng Hóa district"),
    ],
)
def test_sql_and_geod_hectares_agree_within_a_hundredth_of_a_percent(geometry):
    assert sql_hectares(geometry.wkt) == pytest.approx(geodesic_area_ha(geometry), rel=1e-4)


def test_a_stored_district_measures_the_same_in_sql_and_geod():
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {hectares('geometry')} FROM registry_adminunit "
            "WHERE boundary_set = '2019' AND code = '464'"
        )
        stored_ha = cursor.fetchone()[0]

    assert stored_ha == pytest.approx(geodesic_area_ha(district("464")), rel=1e-4)
    assert stored_ha > 50_000  # Vĩnh Linh is about 620 km²; guards against square degrees
