"""The upload pages: a list, a form that posts to the API, and a page per upload that reads it."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

from app.registry.models import Organisation
from app.uploads.models import Upload
from app.uploads.page_texts import upload_page_texts

pytestmark = pytest.mark.django_db

PAGE_SCRIPTS = ("uploads/upload_form.js", "uploads/upload_status.js")


def _organisation(slug: str = "mag", name: str = "Mines Advisory Group") -> Organisation:
    found, _created = Organisation.objects.get_or_create(
        slug=slug, defaults={"name": name, "kind": "ngo"}
    )
    return found


def _upload(**fields) -> Upload:
    values = {
        "organisation": _organisation(),
        "kind": "release",
        "filename": "giai_phong_2024.zip",
        "sha256": "0" * 64,
        "size_bytes": 2048,
    } | fields
    return Upload.objects.create(**values)


def _remote_urls(html: str) -> list[str]:
    return re.findall(r"""(?:src|href|action)=["']((?:https?:)?//[^"']*)""", html)


def test_the_form_offers_every_kind_and_the_registered_organisations(client):
    _organisation("mag", "Mines Advisory Group")
    _organisation("renew", "Project RENEW")

    page = client.get("/uploads/new/")

    assert page.status_code == 200
    html = page.content.decode()
    assert 'action="/api/v1/uploads/"' in html
    assert 'enctype="multipart/form-data"' in html
    for name in ("file", "kind", "organisation", "crs", "layer", "encoding", "mapping", "defaults"):
        assert f'name="{name}"' in html, name
    for kind in ("hazard", "release", "spot-task", "village"):
        assert f'<option value="{kind}">' in html, kind
    assert '<option value="mag">Mines Advisory Group (mag)</option>' in html
    assert '<option value="renew">Project RENEW (renew)</option>' in html
    assert "9212 (VN-2000 TM-3 Quảng Trị" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<script src="/static/uploads/upload_form.js">' in html


def test_the_form_says_when_no_organisation_is_registered(client):
    html = client.get("/uploads/new/").content.decode()

    assert "No organisation is registered yet" in html


def test_the_upload_page_polls_the_api_for_that_upload(client):
    upload = _upload()

    page = client.get(f"/uploads/{upload.pk}/")

    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-api-url="/api/v1/uploads/{upload.pk}/"' in html
    assert '<script src="/static/uploads/upload_status.js">' in html
    assert 'role="progressbar"' in html
    assert "data-commit" in html and "data-revert" in html
    # The re-send form needs the file chosen again: a page cannot keep a file.
    assert re.search(r'<input type="file"[^>]*name="file"[^>]*required', html)
    for choice in ("crs", "layer", "encoding"):
        assert f'<select id="id_{choice}" name="{choice}">' in html, choice
    for carried in ("kind", "organisation", "mapping", "defaults", "on_conflict"):
        assert f'<input type="hidden" name="{carried}">' in html, carried


def test_an_unknown_upload_is_a_404_page_that_says_so(client):
    upload = _upload()

    page = client.get(f"/uploads/{upload.pk + 1}/")

    assert page.status_code == 404
    assert f"Upload {upload.pk + 1} not found" in page.content.decode()


def test_the_list_shows_uploads_newest_first_with_their_figures(client):
    older = _upload(filename="vung_nguy_hiem.gpkg", kind="hazard")
    newer = _upload(
        organisation=_organisation("renew", "Project RENEW"),
        filename="clearance_2024.zip",
        sha256="1" * 64,
        status="committed",
        report={"features_read": 12, "accepted": 11, "total_ha": 1234.5},
    )

    page = client.get("/uploads/")

    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("clearance_2024.zip") < html.index("vung_nguy_hiem.gpkg")
    assert "Project RENEW" in html and "Mines Advisory Group" in html
    assert "11 of 12" in html
    assert "1,234.50" in html
    assert 'class="status status-committed"' in html
    assert f'href="/uploads/{newer.pk}/"' in html and f'href="/uploads/{older.pk}/"' in html


@pytest.mark.parametrize("path", ["/uploads/", "/uploads/new/", "upload"])
def test_no_page_loads_anything_from_the_internet(client, path):
    if path == "upload":
        path = f"/uploads/{_upload().pk}/"

    html = client.get(path).content.decode()

    assert _remote_urls(html) == []
    assert "/static/uploads/uploads.css" in html


@pytest.mark.parametrize("name", [*PAGE_SCRIPTS, "uploads/uploads.css"])
def test_the_scripts_and_stylesheet_are_served_from_static_files(name):
    found = finders.find(name)

    assert found is not None, name
    text = Path(found).read_text(encoding="utf-8")
    assert _remote_urls(text) == []
    assert re.findall(r"https?://", text) == []
    assert staticfiles_storage.url(name) == f"/static/{name}"


def test_the_scripts_send_the_csrf_token_with_every_post():
    for name in PAGE_SCRIPTS:
        text = Path(finders.find(name)).read_text(encoding="utf-8")
        assert '"X-CSRFToken": csrfToken(' in text, name


def test_a_committed_upload_links_the_dashboard_and_the_statistics_as_csv_and_excel(client):
    upload = _upload()
    html = client.get(f"/uploads/{upload.pk}/").content.decode()
    script = Path(finders.find("uploads/upload_status.js")).read_text(encoding="utf-8")
    texts = upload_page_texts()

    assert 'data-dashboard-url="/dashboard/"' in html
    assert "root.dataset.dashboardUrl" in script
    assert "&format=csv" in script and "&format=xlsx" in script
    assert texts["dashboard_in_year"] == "Dashboard of %(year)s"
    assert not any("JSON" in texts[key] for key in ("release_stats", "clearance_stats"))
