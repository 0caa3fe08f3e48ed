"""Rough edges a new user met on the upload pages and in their messages (issue 8)."""

import datetime as dt
import re

import pytest

from app.uploads.models import Upload
from tests.uploads.files import release_frame, shapefile_zip

pytestmark = pytest.mark.django_db

# 20:40 UTC on 23 November is 03:40 on 24 November in Quảng Trị (UTC+7).
LATE_EVENING_UTC = dt.datetime(2026, 11, 23, 20, 40, tzinfo=dt.UTC)


def release_geojson(tmp_path):
    path = tmp_path / "releases.geojson"
    release_frame().to_file(path, driver="GeoJSON")
    return path


def test_the_form_preselects_no_kind_of_file(client):
    html = client.get("/uploads/new/").content.decode()

    select = re.search(r'<select id="id_kind" name="kind" required>(.*?)</select>', html, re.S)
    assert select is not None
    options = re.findall(r"<option[^>]*>", select.group(1))
    assert options[0] == '<option value="">'
    assert not any("selected" in option for option in options)
    assert "Choose what the file holds" in select.group(1)


def test_a_file_sent_without_its_kind_is_refused_naming_the_field(tmp_path, uploader, npa):
    response = uploader.post(release_geojson(tmp_path), organisation="npa")

    assert response.status_code == 400
    assert response.json()["parameter"] == "kind"
    assert Upload.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "shown"), [("vi", "03:40 24-11-2026"), ("en", "24 Nov 2026, 03:40")]
)
def test_the_upload_pages_header_says_when_it_was_sent_as_the_reader_writes_it(
    client, tmp_path, uploader, npa, language, shown
):
    upload_id = uploader.post(release_geojson(tmp_path), kind="release", organisation="npa").json()[
        "id"
    ]
    Upload.objects.filter(pk=upload_id).update(created_at=LATE_EVENING_UTC)

    html = client.get(f"/uploads/{upload_id}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert f'data-sent-at="{shown}"' in html
    assert "2026-11-23" not in html
    # The organisation by its name (the API's JSON gives the slug).
    assert 'data-organisation="Norwegian People&#x27;s Aid"' in html


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("vi", "đã lưu ngày 24-11-2026: không lưu lại lần nữa"),
        ("en", "committed on 24 Nov 2026: nothing was stored again"),
    ],
)
def test_a_duplicate_names_the_local_day_the_earlier_upload_was_committed(
    api, tmp_path, uploader, npa, language, sentence
):
    path = release_geojson(tmp_path)
    first = uploader.checked(path, kind="release", organisation="npa")
    uploader.commit(first["id"])
    Upload.objects.filter(pk=first["id"]).update(committed_at=LATE_EVENING_UTC)

    with path.open("rb") as handle:
        again = api.post(
            "/api/v1/uploads/",
            {"file": handle, "kind": "release", "organisation": "npa"},
            format="multipart",
            HTTP_ACCEPT_LANGUAGE=language,
        ).json()
    shown = api.get(f"/api/v1/uploads/{again['id']}/", HTTP_ACCEPT_LANGUAGE=language).json()

    assert again["status"] == "rejected"
    assert sentence in again["error"]
    assert sentence in shown["error"] and sentence in shown["report"]["error"]
    # The stored report keeps the day itself, for scripts.
    assert Upload.objects.get(pk=again["id"]).report["error_codes"][0]["params"]["day"] == {
        "day": "2026-11-24"
    }


def test_the_vietnamese_refusal_of_a_shapefile_without_prj_reads_naturally(
    api, tmp_path, uploader, npa
):
    archive = shapefile_zip(release_frame(crs="EPSG:32648"), tmp_path, drop=(".prj",))
    upload_id = uploader.checked(archive, kind="release", organisation="npa")["id"]

    error = api.get(f"/api/v1/uploads/{upload_id}/", HTTP_ACCEPT_LANGUAGE="vi").json()["error"]

    assert "có không có" not in error
    assert error.startswith("releases không có tệp .prj, nên không thể định vị tọa độ;")
