"""Columns found however a desktop tool named them; values parsed the way field data arrives."""

import datetime as dt

import pandas as pd
import pytest

from gis.attributes import (
    ColumnLimit,
    LayerKind,
    column_limit_error,
    parse_date,
    read_attributes,
)
from gis.reading import ReadError


def releases(**columns) -> pd.DataFrame:
    base = {"reference": ["R-1"], "method": ["cleared"], "completed_on": ["2023-05-01"]}
    base.update(columns)
    return pd.DataFrame(base)


def test_columns_are_found_case_insensitively_and_by_their_shapefile_names():
    table = pd.DataFrame(
        {
            "REFERENCE": ["H-1"],
            "Hazard_Typ": ["cha"],
            "contaminat": ["Cluster munitions"],
            "recorded_o": ["20230105"],
        }
    )

    result = read_attributes(table, kind=LayerKind.HAZARD)

    assert result.columns == {
        "reference": "REFERENCE",
        "kind": "Hazard_Typ",
        "contamination": "contaminat",
        "recorded_on": "recorded_o",
        "notes": None,
    }
    assert result.rows[0].values == {
        "reference": "H-1",
        "kind": "CHA",
        "contamination": "cluster_munitions",
        "recorded_on": dt.date(2023, 1, 5),
        "notes": "",
    }
    assert result.rows[0].errors == ()


@pytest.mark.parametrize(
    ("written", "method"),
    [
        ("cancelled", "cancelled"),
        ("NTS", "cancelled"),
        ("Reduced", "reduced"),
        ("ts", "reduced"),
        ("CLEARED", "cleared"),
        ("Clearance", "cleared"),
    ],
)
def test_methods_accept_imas_words_and_survey_abbreviations(written, method):
    result = read_attributes(releases(method=[written]), kind=LayerKind.RELEASE)

    assert result.rows[0].values["method"] == method


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2023-04-03", dt.date(2023, 4, 3)),
        ("2023-04-03T00:00:00.000", dt.date(2023, 4, 3)),
        ("20230403", dt.date(2023, 4, 3)),
        ("03/04/2023", dt.date(2023, 4, 3)),
        ("3/4/2023", dt.date(2023, 4, 3)),
        ("03.04.2023", dt.date(2023, 4, 3)),
        (dt.date(2023, 4, 3), dt.date(2023, 4, 3)),
    ],
)
def test_dates_are_iso_dbf_or_day_first(written, day):
    assert parse_date(written) == day


def test_a_missing_required_column_is_an_error_on_every_feature_naming_the_column():
    table = pd.DataFrame({"reference": ["R-1", "R-2"], "method": ["cleared", "TS"]})

    result = read_attributes(table, kind=LayerKind.RELEASE)

    for row in result.rows:
        assert len(row.errors) == 1
        assert row.errors[0].startswith("no column for completed_on")
        assert "completed_on=COLUMN" in row.errors[0]


def test_bad_values_are_errors_on_their_feature_only():
    table = releases(
        reference=["R-1", "R-2", " "],
        method=["cleared", "demolished", "TS"],
        completed_on=["2023-05-01", "2023-05-02", "31/02/2023"],
    )

    result = read_attributes(table, kind=LayerKind.RELEASE)

    assert result.rows[0].errors == ()
    assert "'demolished' is not one of cancelled, reduced, cleared" in result.rows[1].errors[0]
    assert result.rows[2].errors[0] == "column 'reference' (reference) is empty"
    assert "'31/02/2023' is not a date" in result.rows[2].errors[1]


def test_the_database_rules_are_checked_per_feature():
    table = releases(
        method=["reduced"], started_on=["2023-06-01"], completed_on=["2023-05-01"], depth_cm=[30]
    )

    (row,) = read_attributes(table, kind=LayerKind.RELEASE).rows

    assert "started_on 2023-06-01 is after completed_on 2023-05-01" in row.errors
    assert any("depth_cm is given but the method is not cleared" in e for e in row.errors)


def test_an_explicit_mapping_overrides_the_names():
    table = pd.DataFrame(
        {"reference": ["old"], "ma_nv": ["ST-1"], "ngay_xong": ["01/02/2024"], "so_vat": ["4"]}
    )

    result = read_attributes(
        table,
        kind=LayerKind.SPOT_TASK,
        mapping={"reference": "MA_NV", "completed_on": "ngay_xong", "items_destroyed": "so_vat"},
    )

    assert result.found_by["reference"] == "mapping"
    assert result.rows[0].values == {
        "reference": "ST-1",
        "completed_on": dt.date(2024, 2, 1),
        "items_destroyed": 4,
    }


@pytest.mark.parametrize(
    ("mapping", "named"),
    [({"completed_on": "ngay"}, "ngay"), ({"colour": "reference"}, "colour")],
)
def test_a_mapping_to_nothing_is_a_clear_error(mapping, named):
    with pytest.raises(ReadError) as refused:
        read_attributes(releases(), kind=LayerKind.RELEASE, mapping=mapping)

    assert refused.value.code == "mapping_invalid"
    assert named in refused.value.message


def test_items_destroyed_must_be_a_whole_number_not_below_zero():
    table = pd.DataFrame(
        {
            "reference": ["A", "B", "C"],
            "completed_on": ["2024-01-01"] * 3,
            "items_destroyed": [2.0, -1, 1.5],
        }
    )

    rows = read_attributes(table, kind=LayerKind.SPOT_TASK).rows

    assert rows[0].values["items_destroyed"] == 2
    assert rows[1].errors and rows[2].errors


def test_village_names_keep_their_vietnamese_letters():
    table = pd.DataFrame({"code": ["V1"], "ten_thon": ["Thôn Cồn Tiên"], "name_en": ["Con Tien"]})

    (row,) = read_attributes(table, kind=LayerKind.VILLAGE).rows

    assert row.values["name_vi"] == "Thôn Cồn Tiên"
    assert row.values["nts_completed_on"] is None
    assert row.errors == ()


def test_a_value_its_column_cannot_hold_is_an_error_naming_the_field_and_the_limit():
    table = releases(
        reference=["R-1", "R-2", "R-3", "R-4"],
        method=["cleared"] * 4,
        completed_on=["2023-05-01"] * 4,
        depth_cm=[30, 40000, -5, 32767],
    )
    limits = {"depth_cm": ColumnLimit(min_value=0, max_value=32767)}

    rows = read_attributes(table, kind=LayerKind.RELEASE, limits=limits).rows

    assert [row.values["depth_cm"] for row in rows] == [30, None, None, 32767]
    assert rows[1].errors == (
        "column 'depth_cm' (depth_cm): 40000 is more than 32,767, the most it can store",
    )
    # A negative depth is not a count before it is out of range.
    assert "not a whole number" in rows[2].errors[0]
    assert rows[0].errors == rows[3].errors == ()


def test_a_text_longer_than_its_column_is_named_by_its_start_not_copied_whole():
    table = releases(reference=["R" * 100_000])

    (row,) = read_attributes(
        table, kind=LayerKind.RELEASE, limits={"reference": ColumnLimit(max_length=60)}
    ).rows

    (error,) = row.errors
    assert error.startswith("column 'reference' (reference): is 100,000 characters long ('RRRR")
    assert error.endswith("at most 60 can be stored")
    assert len(error) < 200
    assert row.values["reference"] is None


@pytest.mark.parametrize(
    ("value", "limit", "expected"),
    [
        ("bad\x00byte", ColumnLimit(), "contains a NUL character, which cannot be stored"),
        ("ABC", ColumnLimit(choices=("SHA", "CHA")), "'ABC' is not one of SHA, CHA"),
        (12345.5, ColumnLimit(max_digits=5, decimal_places=2), "more than 3 digits"),
        (-3, ColumnLimit(min_value=0), "-3 is less than 0, the least it can store"),
        (60, ColumnLimit(max_length=3, max_value=100), None),
        ("abc", ColumnLimit(max_length=3), None),
    ],
)
def test_column_limits(value, limit, expected):
    error = column_limit_error(value, limit)

    if expected is None:
        assert error is None
    else:
        assert expected in error
