"""Figures in the reader's convention: gis.numbers, and the report sentences that carry them."""

import datetime as dt
import pickle

import pytest

from gis.messages import Day, Number, Text, as_coded, render
from gis.numbers import ENGLISH, VIETNAMESE, NumberConvention, format_number


@pytest.mark.parametrize(
    ("value", "decimals", "english", "vietnamese"),
    [
        (8758, 0, "8,758", "8.758"),
        (48898.4321, 2, "48,898.43", "48.898,43"),
        (10.95, 2, "10.95", "10,95"),
        (1234567.891, 1, "1,234,567.9", "1.234.567,9"),
        (324.5, 1, "324.5", "324,5"),
        (999.996, 2, "1,000.00", "1.000,00"),
        (0, 0, "0", "0"),
        (-1234.5, 1, "-1,234.5", "-1.234,5"),
    ],
)
def test_a_figure_is_written_in_each_readers_convention(value, decimals, english, vietnamese):
    assert format_number(value, decimals=decimals) == english
    assert format_number(value, decimals=decimals, convention=ENGLISH) == english
    assert format_number(value, decimals=decimals, convention=VIETNAMESE) == vietnamese


def test_a_figure_that_rounds_to_nothing_has_no_minus_sign():
    assert format_number(-0.001, decimals=2, convention=VIETNAMESE) == "0,00"
    assert format_number(-0.4) == "0"


def test_any_separators_can_be_given():
    swiss = NumberConvention(decimal_separator=".", group_separator="'")

    assert format_number(61947.25, decimals=1, convention=swiss) == "61'947.2"


def test_a_sentences_figures_are_stored_as_numbers_and_written_for_each_reader():
    text = Text("vertex_gap", km=Number(7.2563, 1))

    assert text == "vertices 7.3 km apart (more than 5 km): check for a stray vertex"
    assert as_coded(text) == {
        "code": "vertex_gap",
        "params": {"km": {"number": 7.2563, "decimals": 1}},
    }
    assert render(as_coded(text), numbers=VIETNAMESE) == (
        "vertices 7,3 km apart (more than 5 km): check for a stray vertex"
    )


def test_thousands_and_percentages_in_a_nested_sentence():
    text = Text(
        "feature_warning",
        feature=3,
        reference="NPA-3",
        warning=Text(
            "repaired",
            reason="Self-intersection",
            before=Number(1234.56789, 4),
            after=Number(1236.0, 4),
            change=Number(0.11602, 3, percent=True),
        ),
    )

    assert "area 1,234.5679 ha -> 1,236.0000 ha (0.116%)" in text
    assert "area 1.234,5679 ha -> 1.236,0000 ha (0,116%)" in render(
        as_coded(text), numbers=VIETNAMESE
    )


def test_a_day_is_written_by_the_readers_date_format():
    text = Text("duplicate_upload", id=1042, day=Day(dt.date(2026, 11, 24)))

    assert text == (
        "This file is a duplicate of upload 1042, committed on 2026-11-24: nothing was stored "
        "again."
    )
    assert as_coded(text)["params"] == {"id": 1042, "day": {"day": "2026-11-24"}}
    assert "committed on 24/11/2026" in render(
        as_coded(text), write_day=lambda day: f"{day:%d/%m/%Y}"
    )


def test_counts_and_codes_given_as_plain_integers_print_as_they_are():
    assert Text("crs_code_declared", code=9212) == "declared EPSG code (EPSG:9212)"
    assert render(as_coded(Text("same_geometry", feature=1042)), numbers=VIETNAMESE) == (
        "same geometry as feature 1042"
    )


def test_a_text_with_figures_survives_pickling():
    text = Text("outside_area", km=Number(1234.5, 1))

    copy = pickle.loads(pickle.dumps(text))

    assert copy == text == "outside the operating area, 1,234.5 km from it"
    assert as_coded(copy) == as_coded(text)
