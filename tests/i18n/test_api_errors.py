"""An API refusal says what to fix in the language asked for; the parameter keeps its name."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.vietnamese]


def test_a_bad_bbox_is_explained_in_vietnamese_by_default(client):
    response = client.get("/api/v1/releases/?bbox=106,16,107")

    assert response.status_code == 400
    assert response.json() == {
        "error": "bbox: hãy nhập 4 số cách nhau bằng dấu phẩy minlon,minlat,maxlon,maxlat; "
        "đã nhận 3",
        "parameter": "bbox",
    }


def test_a_bad_bbox_is_explained_in_english_when_asked(client):
    response = client.get("/api/v1/releases/?bbox=106,16,107", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {
        "error": "bbox: give 4 comma-separated numbers minlon,minlat,maxlon,maxlat; got 3",
        "parameter": "bbox",
    }


def test_a_statistics_refusal_is_translated_with_its_values(client):
    vietnamese = client.get("/api/v1/stats/progress/?from=2020&to=2016").json()
    english = client.get("/api/v1/stats/progress/?from=2020&to=2016", HTTP_ACCEPT_LANGUAGE="en")

    assert vietnamese["error"] == "to: to (2016) không được trước from (2020)"
    assert english.json()["error"] == "to: to (2016) must not be before from (2020)"
    assert vietnamese["parameter"] == english.json()["parameter"] == "to"


def test_a_choice_refusal_names_the_choices_in_either_language(client):
    vietnamese = client.get("/api/v1/releases/?method=burnt").json()["error"]
    english = client.get("/api/v1/releases/?method=burnt", HTTP_ACCEPT_LANGUAGE="en").json()

    assert vietnamese == "method: 'burnt' không thuộc cancelled, reduced, cleared"
    assert english["error"] == "method: 'burnt' is not one of cancelled, reduced, cleared"
