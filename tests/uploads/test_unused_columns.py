"""The check report lists the file's columns that no field uses: they are not stored.

Before, a column the mapping did not use (a team name, a misspelt date column) vanished without
a word; a coordinator could not tell that its values were dropped.
"""

import pytest
from django.template.loader import render_to_string

from tests.uploads.files import release_frame

pytestmark = pytest.mark.django_db


def test_the_columns_no_field_uses_are_listed_in_the_report(tmp_path, uploader, npa):
    frame = release_frame()
    frame["team"] = ["MAG-1", "MAG-2", "MAG-3"]
    frame["ngay_bat_dau"] = ["2023-04-01", "2023-05-01", "2023-06-01"]
    path = tmp_path / "releases.geojson"
    frame.to_file(path)

    upload = uploader.checked(path, kind="release", organisation="npa")

    assert upload["status"] == "ready"
    assert upload["report"]["unused_columns"] == ["team", "ngay_bat_dau"]


def test_a_column_mapped_to_a_field_or_filling_a_default_is_not_listed(tmp_path, uploader, npa):
    frame = release_frame()
    frame["ngay_bat_dau"] = ["2023-04-01", "2023-05-01", None]
    frame["team"] = ["MAG-1", "MAG-2", "MAG-3"]
    path = tmp_path / "releases.geojson"
    frame.to_file(path)

    upload = uploader.checked(
        path,
        kind="release",
        organisation="npa",
        mapping="started_on=ngay_bat_dau",
        defaults="method=cleared",
    )

    assert upload["status"] == "ready", upload["report"]
    assert upload["report"]["unused_columns"] == ["team"]


def test_a_file_whose_every_column_is_used_lists_none(tmp_path, uploader, npa):
    path = tmp_path / "releases.geojson"
    release_frame().to_file(path)

    upload = uploader.checked(path, kind="release", organisation="npa")

    assert upload["report"]["unused_columns"] == []


def test_the_review_report_shows_the_columns_not_stored():
    report = {
        "file": "releases.geojson",
        "mapping": {"reference": "ref"},
        "rejected": [],
        "repaired": [],
        "unused_columns": ["team", "ngay_bat_dau"],
    }

    html = render_to_string("review/_report.html", {"report": report})

    assert "Columns not stored" in html
    assert "team" in html and "ngay_bat_dau" in html
