"""The export's reading: one SELECT through a server-side cursor, in batches, in the scope."""

import pytest
from django.db import connection
from shapely import box

from app.api.selectors import layers
from app.api.selectors.features import FeatureFilters
from app.exports.responses import EXPORT_EPSG_CODES
from app.exports.selectors import NotExportable, feature_source
from app.registry.scopes import APPROVED, ReadingScope, reading
from tests import factories

pytestmark = pytest.mark.django_db


def squares(count: int, *, org: str = "npa", status: str = "approved"):
    return [
        factories.release(
            box(107 + i / 100, 16.8, 107.005 + i / 100, 16.805), org=org, status=status
        )
        for i in range(count)
    ]


def test_the_rows_come_in_batches_from_a_named_cursor():
    made = squares(5)

    with (
        reading(APPROVED),
        feature_source(
            layers.RELEASES, filters=FeatureFilters(), srid=4326, batch_size=2
        ) as source,
    ):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_cursors WHERE NOT is_holdable")
            (open_cursors,) = cursor.fetchone()
        sizes = [len(batch) for batch in source.batches]
        ids = [f.name for f in source.fields]

    assert open_cursors == 1
    assert sizes == [2, 2, 1]
    assert ids[0] == "id" and "area_ha" in ids
    assert source.geometry_type == "MultiPolygon"
    assert len(made) == 5


def test_the_fields_carry_their_types():
    squares(1)

    with (
        reading(APPROVED),
        feature_source(layers.RELEASES, filters=FeatureFilters(), srid=4326) as source,
    ):
        types = {f.name: f.type for f in source.fields}
        batch = next(source.batches)

    assert types == {
        "id": "integer",
        "reference": "text",
        "method": "text",
        "organisation": "text",
        "started_on": "date",
        "completed_on": "date",
        "depth_cm": "integer",
        "status": "text",
        "area_ha": "real",
    }
    assert isinstance(batch.columns["area_ha"][0], float)


def test_the_source_reads_the_active_scope_only():
    (approved,) = squares(1)
    squares(1, org="mag", status="submitted")
    (ours,) = squares(1, org="npa", status="submitted")
    npa = factories.organisation("npa")

    scope = ReadingScope(include_submitted=True, submitted_by=frozenset({npa.pk}))
    with (
        reading(scope),
        feature_source(layers.RELEASES, filters=FeatureFilters(), srid=4326) as source,
    ):
        ids = {i for batch in source.batches for i in batch.columns["id"]}

    assert ids == {approved.pk, ours.pk}


@pytest.mark.parametrize("filters", [FeatureFilters(status="draft"), FeatureFilters(deleted=True)])
def test_the_review_state_filters_are_refused(filters):
    with pytest.raises(NotExportable), feature_source(layers.RELEASES, filters=filters, srid=4326):
        pass


def test_every_export_system_is_in_spatial_ref_sys():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT srid FROM spatial_ref_sys WHERE srid = ANY(%s)", [list(EXPORT_EPSG_CODES)]
        )
        found = {srid for (srid,) in cursor.fetchall()}

    assert found == set(EXPORT_EPSG_CODES)


def test_vn2000_tm3_shifts_the_datum_as_postgis_own_vn2000_rows_do():
    """EPSG:9212's row (migrations/registry/0006) carries the TOWGS84 of PostGIS' own row for
    EPSG:3405 (VN-2000 / UTM 48N), and a point goes where pyproj sends it."""
    import pyproj

    with connection.cursor() as cursor:
        cursor.execute("SELECT srid, proj4text FROM spatial_ref_sys WHERE srid IN (3405, 9212)")
        towgs84 = {srid: text.split("+towgs84=")[1].split()[0] for srid, text in cursor.fetchall()}
        cursor.execute(
            "SELECT ST_X(p), ST_Y(p) FROM ST_Transform("
            "ST_SetSRID(ST_MakePoint(106.73, 16.63), 4326), 9212) AS p"
        )
        x, y = cursor.fetchone()

    assert towgs84[9212] == towgs84[3405]
    expected = pyproj.Transformer.from_crs(4326, 9212, always_xy=True).transform(106.73, 16.63)
    assert (x, y) == pytest.approx(expected, abs=0.01)


def test_a_polygon_layer_without_area_gets_its_geodesic_hectares():
    import dataclasses

    from tests.exports.conftest import oracle_ha

    square = box(107.0, 16.8, 107.01, 16.81)
    factories.release(square)
    without_area = dataclasses.replace(
        layers.RELEASES,
        properties=tuple(p for p in layers.RELEASES.properties if p[0] != "area_ha"),
    )

    with (
        reading(APPROVED),
        feature_source(without_area, filters=FeatureFilters(), srid=4326) as source,
    ):
        (batch,) = list(source.batches)

    assert [f.name for f in source.fields][-1] == "area_ha"
    assert batch.columns["area_ha"] == [pytest.approx(round(oracle_ha(square), 2))]
