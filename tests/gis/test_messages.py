"""Report sentences as English strings that keep their code and parameters."""

import json
import pickle
import string

import pytest

from gis.messages import TEMPLATES, Text, as_coded, render


def test_a_text_is_its_english_sentence():
    text = Text("vertex_gap", km="7.3")

    assert text == "vertices 7.3 km apart (more than 5 km): check for a stray vertex"
    assert isinstance(text, str)
    assert json.dumps([text]) == json.dumps([str(text)])


def test_a_nested_text_is_coded_with_its_inner_sentence():
    inner = Text("same_geometry", feature=3)
    outer = Text("feature_warning", feature=7, reference="NPA-7", warning=inner)

    assert outer == "feature 7 (NPA-7): same geometry as feature 3"
    assert as_coded(outer) == {
        "code": "feature_warning",
        "params": {
            "feature": 7,
            "reference": "NPA-7",
            "warning": {"code": "same_geometry", "params": {"feature": 3}},
        },
    }
    assert as_coded("a plain sentence") is None


def test_parameters_that_are_not_json_are_kept_as_the_text_they_print_as():
    import datetime as dt

    text = Text("date_in_future", field="completed_on", date=dt.date(2031, 1, 2))

    assert as_coded(text)["params"]["date"] == "2031-01-02"


def test_render_makes_the_sentence_again_through_a_translation():
    coded = as_coded(
        Text("feature_warning", feature=7, reference=None, warning=Text("few_vertices", count=2))
    )
    shouting = {
        TEMPLATES["feature_warning"]: "FEATURE {feature} ({reference}): {warning}",
        TEMPLATES["few_vertices"]: "ONLY {count} VERTICES",
    }

    assert render(coded) == "feature 7 (None): a ring has only 2 distinct vertices"
    assert render(coded, shouting.get) == "FEATURE 7 (None): ONLY 2 VERTICES"


def test_a_text_survives_pickling():
    text = Text("outside_area", km="12.5")

    copy = pickle.loads(pickle.dumps(text))

    assert copy == text and copy.code == "outside_area" and copy.params == {"km": "12.5"}


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_every_template_fills_from_its_own_fields(code):
    fields = {name for _t, name, _s, _c in string.Formatter().parse(TEMPLATES[code]) if name}

    assert Text(code, **{name: "x" for name in fields})
