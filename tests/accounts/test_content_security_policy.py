"""Content-Security-Policy on every answer (app.accounts.headers): scripts and styles from the
site only; a Folium map page allows exactly the hashes of its own inline scripts, never
'unsafe-inline' for scripts. The slow test opens the maps, the upload page and the API docs in
headless Chromium and finds no violation."""

import base64
import hashlib
from html.parser import HTMLParser

import pytest
from shapely.geometry import box

from tests import chromium, factories

pytestmark = pytest.mark.django_db

STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class _InlineScripts(HTMLParser):
    """The text of every script without a src, as the HTML parser sees it."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        if tag == "script" and "src" not in dict(attrs):
            self._inside = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.scripts[-1] += data


def _directives(header: str) -> dict[str, list[str]]:
    return {
        name: sources
        for name, *sources in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.parametrize(
    "path", ["/accounts/profile/", "/records/hazards/", "/uploads/new/", "/api/v1/auth/me/"]
)
def test_pages_and_api_answers_get_the_strict_policy(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == STRICT


def test_the_sign_in_page_and_a_404_get_it_too(anonymous_client):
    assert anonymous_client.get("/accounts/login/")["Content-Security-Policy"] == STRICT
    assert anonymous_client.get("/no/such/page/")["Content-Security-Policy"] == STRICT


@pytest.mark.parametrize("path", ["/maps/coverage/?year=2023", "/maps/districts/464/?year=2023"])
def test_a_map_page_allows_the_hashes_of_its_own_inline_scripts_only(client, path):
    factories.hazard(box(107.0, 17.0, 107.01, 17.01))

    response = client.get(path)

    parser = _InlineScripts()
    parser.feed(response.content.decode())
    expected = {
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"
        for text in parser.scripts
    }
    directives = _directives(response["Content-Security-Policy"])
    assert len(parser.scripts) >= 3
    assert set(directives["script-src"]) == {"'self'"} | expected
    assert "'unsafe-inline'" in directives["style-src"]
    assert directives["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]


def test_the_api_docs_have_no_inline_script_or_style(client):
    page = client.get("/api/v1/docs/")
    script = client.get("/api/v1/docs/?script=")

    parser = _InlineScripts()
    parser.feed(page.content.decode())
    assert page["Content-Security-Policy"] == STRICT
    assert parser.scripts == []
    assert "<style" not in page.content.decode()
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_healthz_is_left_alone(client):
    assert "Content-Security-Policy" not in client.get("/healthz")


READY_MAP = "document.querySelectorAll('.leaflet-interactive').length > 0"
PAGES = [
    ("/maps/coverage/?year=2023", READY_MAP),
    ("/maps/districts/464/?year=2023", READY_MAP),
    ("/uploads/new/", "document.readyState === 'complete' && !!document.querySelector('form')"),
    ("/api/v1/docs/", "!!document.querySelector('.swagger-ui .info .title')"),
]


@pytest.mark.slow
@pytest.mark.skipif(chromium.CHROMIUM is None, reason="needs chromium (apt-get install chromium)")
def test_maps_upload_page_and_api_docs_work_in_chromium_without_a_violation(client):
    factories.hazard(box(107.0, 17.0, 107.01, 17.01))
    factories.release(box(107.0, 17.0, 107.005, 17.005))

    browser = chromium.Browser(chromium.served_by(client))
    try:
        visits = [browser.visit(path, ready=ready) for path, ready in PAGES]
    finally:
        browser.close()

    for visit in visits:
        assert visit.ready, visit
        assert visit.violations == [], visit
        assert visit.console_errors == [], visit
    # Every asset came from the site: the docs' Swagger UI and the maps' Leaflet.
    assert any("swagger-ui-bundle.js" in path for path in visits[3].requests)
    assert any("leaflet.js" in path for path in visits[0].requests)
