"""With DEBUG=0 and production settings, gunicorn alone serves the pages and every file they load.

Whitenoise serves the static files that collectstatic wrote under hashed names, compressed; the
pages must link to exactly those names. Headless Chromium loads each page as an analyst behind
a TLS proxy (X-Forwarded-Proto: https) and the test lists every request that failed: before
issue 8 the maps lost Leaflet and the API docs Swagger UI with DEBUG=0.

The server is another process, so the analyst and their session are committed to the test
database for this module and removed after.
"""

import secrets
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client, override_settings

from tests import factories, live_site
from tests.deploy import chromium
from tests.devtools import executable

ROOT = live_site.ROOT
PATIENCE_S = live_site.PATIENCE_S

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
needs_chromium = pytest.mark.skipif(
    executable() is None,
    reason="chromium is not installed (`make system-packages` installs it with chromium-driver)",
)

# Leaflet loaded and drew the units: SVG paths in its overlay pane.
LEAFLET_SHAPES = (
    "typeof L === 'object' ? document.querySelectorAll('.leaflet-overlay-pane path').length : -1"
)
# Chart.js loaded and the dashboard's script made its charts.
CHART_INSTANCES = "typeof Chart === 'function' ? Object.keys(Chart.instances).length : -1"
# Swagger UI loaded and rendered the schema it fetched: one block per operation.
SWAGGER_OPERATIONS = (
    "typeof SwaggerUIBundle === 'function' ? document.querySelectorAll('.opblock').length : -1"
)


# What the TLS-terminating proxy adds (deploy/nginx.conf), so the HTTPS redirect stays on.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


@dataclass(frozen=True)
class Site:
    base_url: str
    cookies: dict[str, str]


@pytest.fixture(scope="module")
def production_site(django_db_setup, django_db_blocker, tmp_path_factory):
    secret_key = secrets.token_urlsafe(50)
    env = _production_env(secret_key=secret_key, static_root=tmp_path_factory.mktemp("static"))
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert collected.returncode == 0, collected.stderr
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    with django_db_blocker.unblock(), live_site.gunicorn(env, log) as base_url:
        analyst = factories.user("analyst", username="chromium-analyst")
        # The session must be signed with the server's key.
        with override_settings(SECRET_KEY=secret_key):
            browser_client = Client()
            browser_client.force_login(analyst)
        session_key = browser_client.cookies[settings.SESSION_COOKIE_NAME].value
        try:
            yield Site(base_url=base_url, cookies={settings.SESSION_COOKIE_NAME: session_key})
        finally:
            Session.objects.filter(session_key=session_key).delete()
            analyst.delete()


@pytest.fixture(scope="module")
def browser():
    with chromium.Chromium() as running:
        yield running


def _production_env(*, secret_key: str, static_root: Path) -> dict[str, str]:
    return live_site.server_environment(
        DEBUG="0",
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        STATIC_ROOT=str(static_root),
        GUNICORN_WORKERS="1",
    )


def _load(browser, site: Site, path: str, probe: str) -> chromium.PageLoad:
    return browser.load(
        site.base_url + path, cookies=site.cookies, headers=PROXY_HEADERS, probe=probe
    )


def _outside(site: Site, page: chromium.PageLoad) -> list[str]:
    """Requests to anything but the site (inline data: images are no request to anyone)."""
    return [url for url in page.requested if not url.startswith((site.base_url + "/", "data:"))]


@needs_chromium
def test_the_province_map_loads_leaflet_and_draws_every_district(production_site, browser):
    page = _load(browser, production_site, "/maps/coverage/?year=2023", LEAFLET_SHAPES)

    assert page.status == 200
    assert page.failed == []
    assert page.errors == []
    assert _outside(production_site, page) == []
    assert any("/static/maps/vendor/leaflet/leaflet." in url for url in page.requested)
    # The former province's 10 districts, each a shape (more when a district has several parts).
    assert page.probe >= 10


@needs_chromium
def test_a_district_map_loads_leaflet_and_draws_its_outline(production_site, browser):
    page = _load(browser, production_site, "/maps/districts/464/?year=2023", LEAFLET_SHAPES)

    assert page.status == 200
    assert (page.failed, page.errors, _outside(production_site, page)) == ([], [], [])
    assert page.probe >= 1


@needs_chromium
def test_the_dashboard_loads_chart_js_under_its_hashed_name_and_draws_every_chart(
    production_site, browser
):
    page = _load(browser, production_site, "/dashboard/?year=2023", CHART_INSTANCES)

    assert page.status == 200
    assert (page.failed, page.errors, _outside(production_site, page)) == ([], [], [])
    assert any("/static/maps/vendor/chart.js/chart.umd." in url for url in page.requested)
    assert page.probe == 5


@needs_chromium
def test_the_api_docs_load_swagger_ui_and_render_the_schema(production_site, browser):
    page = _load(browser, production_site, "/api/v1/docs/", SWAGGER_OPERATIONS)

    assert page.status == 200
    assert (page.failed, page.errors, _outside(production_site, page)) == ([], [], [])
    assert production_site.base_url + "/api/v1/schema/" in page.requested
    assert page.probe > 10


@needs_chromium
def test_the_sign_in_page_loads_its_stylesheets(production_site, browser):
    page = browser.load(production_site.base_url + "/accounts/login/", headers=PROXY_HEADERS)

    assert page.status == 200
    assert (page.failed, page.errors, _outside(production_site, page)) == ([], [], [])
    assert any("/static/accounts/site." in url for url in page.requested)


def test_static_files_have_hashed_names_are_compressed_and_cached_for_good(production_site):
    page = _page_text(production_site, "/maps/coverage/?year=2023")
    start = page.index("/static/maps/vendor/leaflet/leaflet.")
    leaflet_url = page[start : page.index('"', start)]
    assert leaflet_url.endswith(".js") and leaflet_url != "/static/maps/vendor/leaflet/leaflet.js"

    request = urllib.request.Request(
        production_site.base_url + leaflet_url,
        headers={**PROXY_HEADERS, "Accept-Encoding": "gzip"},
    )
    with urllib.request.urlopen(request, timeout=PATIENCE_S) as response:
        assert response.status == 200
        assert response.headers["Content-Encoding"] == "gzip"
        assert "immutable" in response.headers["Cache-Control"]
        assert "max-age=315360000" in response.headers["Cache-Control"]


def _page_text(site: Site, path: str) -> str:
    request = urllib.request.Request(
        site.base_url + path,
        headers={
            **PROXY_HEADERS,
            "Cookie": "; ".join(f"{name}={value}" for name, value in site.cookies.items()),
        },
    )
    with urllib.request.urlopen(request, timeout=PATIENCE_S) as response:
        assert response.status == 200
        return response.read().decode("utf-8")
