"""A batch's file as its sender uploaded it (GET /api/v1/uploads/<id>/original/ and the link on
the upload's page): a field coordinator their own organisation's, an analyst any; another
organisation's batch is not found, as a missing one; planners and aggregates-only users get no
file (it has exact positions); never cached."""

import urllib.parse

import pytest
from django.test import Client

from app.registry.models import Organisation
from app.uploads.services import create_upload
from tests import factories

pytestmark = pytest.mark.django_db

CONTENT = b'{"type": "FeatureCollection", "features": []}'
VIETNAMESE_NAME = "Giải phóng đất Hướng Hóa 2024.geojson"


@pytest.fixture
def batches(upload_root):
    for slug in ("npa", "mag"):
        Organisation.objects.get_or_create(slug=slug, defaults={"name": slug.upper()})
    npa = create_upload(
        organisation_slug="npa",
        kind="release",
        filename=VIETNAMESE_NAME,
        chunks=[CONTENT],
        size_bytes=len(CONTENT),
    )
    mag_content = CONTENT.replace(b"[]", b"[ ]")
    mag = create_upload(
        organisation_slug="mag",
        kind="release",
        filename='mag "report".geojson',
        chunks=[mag_content],
        size_bytes=len(mag_content),
    )
    return npa, mag


def _signed_in(role: str, **profile) -> Client:
    client = Client()
    client.force_login(factories.user(role, **profile))
    return client


def _url(upload) -> str:
    return f"/api/v1/uploads/{upload.pk}/original/"


def test_a_coordinator_downloads_their_organisations_batch_as_it_was_sent(batches):
    npa, _mag = batches

    response = _signed_in("field_coordinator", org="npa").get(_url(npa))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert urllib.parse.unquote(disposition.split("''", 1)[1]) == VIETNAMESE_NAME
    assert "no-store" in response["Cache-Control"]


def test_another_organisations_batch_is_not_found_like_a_missing_one(batches):
    _npa, mag = batches
    coordinator = _signed_in("field_coordinator", org="npa")

    theirs = coordinator.get(_url(mag))
    missing = coordinator.get("/api/v1/uploads/999999/original/")

    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["error"] == f"id: no upload {mag.pk}"
    assert "Content-Disposition" not in theirs


def test_an_analyst_downloads_any_batch_with_a_safe_file_name(batches):
    _npa, mag = batches

    response = _signed_in("analyst").get(_url(mag))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mag \\"report\\".geojson"'


def test_a_planner_gets_no_file(batches):
    npa, _mag = batches

    response = _signed_in("planner").get(_url(npa))

    assert response.status_code == 403
    assert "Content-Disposition" not in response


def test_an_aggregates_only_coordinator_gets_no_file(batches):
    npa, _mag = batches

    response = _signed_in("field_coordinator", org="npa", aggregates_only=True).get(_url(npa))

    assert response.status_code == 403
    assert "exact positions" in response.json()["error"]


def test_a_duplicates_file_is_its_twins(batches, upload_root):
    npa, _mag = batches
    npa.status = "committed"
    npa.save()
    duplicate = create_upload(
        organisation_slug="npa",
        kind="release",
        filename="again.geojson",
        chunks=[CONTENT],
        size_bytes=len(CONTENT),
    )
    assert duplicate.duplicate_of_id == npa.pk and not duplicate.stored_name

    response = _signed_in("field_coordinator", org="npa").get(_url(duplicate))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Disposition"] == 'attachment; filename="again.geojson"'


def test_a_file_gone_from_the_upload_folder_is_a_404_that_says_so(batches):
    npa, _mag = batches
    npa.original_path.unlink()

    response = _signed_in("analyst").get(_url(npa))

    assert response.status_code == 404
    assert response.json()["error"] == f"id: the file of upload {npa.pk} is no longer kept"


def test_the_upload_page_links_to_the_file_for_those_who_may_have_it(batches):
    npa, _mag = batches
    link = f'href="{_url(npa)}"'

    own = _signed_in("field_coordinator", org="npa").get(f"/uploads/{npa.pk}/")
    aggregates = _signed_in("field_coordinator", org="npa", aggregates_only=True).get(
        f"/uploads/{npa.pk}/"
    )

    assert own.status_code == 200
    assert link in own.content.decode()
    assert VIETNAMESE_NAME in own.content.decode()
    assert aggregates.status_code == 200
    assert link not in aggregates.content.decode()
