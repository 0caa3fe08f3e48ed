"""What the OGC collections add to a layer, exported the same way: the derived land as the
relation the layer names (``source``), and properties joined from another relation
(``joined``), as ``feature_page`` takes them."""

import datetime as dt

import pytest
from shapely import box

from app.accounting.selectors.derived_land import derived_land_sql
from app.api.selectors import layers
from app.api.selectors.features import FeatureFilters, JoinedProperties
from app.exports.responses import export_response
from app.registry.scopes import APPROVED
from tests import factories
from tests.api.places import square_inside_district
from tests.exports.conftest import oracle_ha, read_export

pytestmark = pytest.mark.django_db


def test_the_remaining_cha_exports_per_unit_with_its_hectares(analyst, tmp_path):
    cha = square_inside_district("465")
    released = box(*cha.bounds[:2], cha.centroid.x, cha.centroid.y)  # its south-west quarter
    factories.hazard(cha, kind="CHA")
    factories.release(released, completed_on=dt.date(2023, 6, 1))
    as_of = dt.date(2024, 1, 1)

    response = export_response(
        layer=layers.DERIVED_LAND,
        filters=FeatureFilters(),
        fmt="gpkg",
        scope=APPROVED,
        user=analyst,
        collection="remaining-cha",
        source=lambda: derived_land_sql(
            land="remaining-cha", as_of=as_of, boundary_set="2019", level="district"
        ),
    )

    export = read_export(response, "gpkg", tmp_path)
    assert export.filename.startswith("remaining-cha-")
    (row,) = export.rows
    assert row["id"] == "465/remaining"
    assert oracle_ha(row["geometry"]) == pytest.approx(
        oracle_ha(cha.difference(released)), rel=1e-6
    )
    assert row["area_ha"] == pytest.approx(oracle_ha(cha.difference(released)), abs=0.01)


def test_joined_properties_come_with_the_layers_own(analyst, tmp_path):
    release = factories.release(box(107.0, 16.8, 107.01, 16.81))
    joined = JoinedProperties(
        join="LEFT JOIN (SELECT %(joined_id)s::bigint AS id, 'Hướng Hóa'::text AS note) j"
        " ON j.id = f.id",
        properties=(("note", "j.note"),),
        params={"joined_id": release.pk},
    )

    response = export_response(
        layer=layers.RELEASES,
        filters=FeatureFilters(),
        fmt="csv",
        scope=APPROVED,
        user=analyst,
        joined=joined,
    )

    (row,) = read_export(response, "csv", tmp_path).rows
    assert row["note"] == "Hướng Hóa"
    assert row["reference"] == release.reference


def test_the_metadata_writes_a_date_interval_as_ogc_does():
    from app.api.selectors.features import DateInterval
    from app.exports.responses import describe_filters

    filters = FeatureFilters(organisation="npa", datetime=DateInterval(dt.date(2024, 1, 1), None))

    assert describe_filters(filters) == "organisation=npa, datetime=2024-01-01/.."
