"""The limits an upload's values are checked against come from the model fields they land in."""

from app.registry.services.imports import column_limits
from gis.attributes import FIELDS, ColumnLimit, LayerKind


def test_every_field_of_every_kind_has_the_limits_of_its_column():
    for kind in LayerKind:
        assert set(column_limits(kind)) == {spec.name for spec in FIELDS[kind]}


def test_a_release_is_bounded_by_its_columns():
    limits = column_limits(LayerKind.RELEASE)

    assert limits["reference"] == ColumnLimit(max_length=60)
    assert limits["method"] == ColumnLimit(
        max_length=10, choices=("cancelled", "reduced", "cleared")
    )
    # PositiveSmallIntegerField: a PostgreSQL smallint, 0 and up.
    assert limits["depth_cm"] == ColumnLimit(min_value=0, max_value=32767)
    assert limits["completed_on"] == ColumnLimit()


def test_a_spot_task_village_and_hazard_are_bounded_by_theirs():
    assert column_limits(LayerKind.SPOT_TASK)["items_destroyed"] == ColumnLimit(
        min_value=0, max_value=2147483647
    )
    assert column_limits(LayerKind.VILLAGE)["code"] == ColumnLimit(max_length=30)
    assert column_limits(LayerKind.VILLAGE)["name_vi"] == ColumnLimit(max_length=120)
    hazard = column_limits(LayerKind.HAZARD)
    assert hazard["kind"].choices == ("SHA", "CHA")
    assert hazard["notes"] == ColumnLimit()
