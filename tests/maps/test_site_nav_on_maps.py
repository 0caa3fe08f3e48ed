"""The map pages wear the site's nav bar (app/templates/_nav.html) like every other page: across
the top, above the map, with the links the user's role allows, sign-out and the language switch;
its stylesheet from the app's static files. The refusals of a map are the site's styled pages."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from shapely import box

from app.maps import selectors
from app.registry.models import BoundarySet
from tests import factories

pytestmark = pytest.mark.django_db

SQUARE = box(107.0, 16.8, 107.01, 16.81)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def nav_of(page: str) -> str:
    header = re.search(r'<div class="map-page-header">.*?</nav>', page, re.S)
    assert header is not None, "no nav bar at the top of the map"
    return header.group(0)


def test_an_analysts_province_map_carries_the_whole_nav_bar(client):
    nav = nav_of(client.get("/maps/coverage/?year=2023").content.decode())

    for href in ("/maps/coverage/", "/uploads/", "/review/", "/records/", "/accounts/profile/"):
        assert f'href="{href}"' in nav, href
    assert 'action="/accounts/logout/"' in nav and 'name="csrfmiddlewaretoken"' in nav
    assert 'name="language" value="vi"' in nav and 'name="language" value="en"' in nav
    assert 'name="next" value="/maps/coverage/?year=2023"' in nav


def test_a_planners_map_nav_has_neither_uploads_nor_review():
    nav = nav_of(signed_in(factories.user("planner")).get("/maps/coverage/").content.decode())

    assert 'href="/uploads/"' not in nav and 'href="/review/"' not in nav
    assert 'href="/records/"' in nav


def test_the_district_map_carries_the_nav_bar_too(client):
    factories.hazard(SQUARE)

    page = client.get("/maps/districts/464/?year=2023").content.decode()

    assert 'action="/accounts/logout/"' in nav_of(page)
    assert page.index('<div class="map-page-header">') < page.index('<div class="folium-map"')


def test_the_nav_bars_stylesheet_comes_from_the_apps_static_files(client):
    page = client.get("/maps/coverage/?year=2023").content.decode()

    assert '<link rel="stylesheet" href="/static/accounts/site.css">' in page
    assert finders.find("accounts/site.css") is not None
    assert re.findall(r"""(?:src|href|action)=["']((?:https?:)?//[^"']*)""", nav_of(page)) == []


def test_the_nav_bar_adds_only_a_few_kilobytes_to_the_map(client):
    served = client.get("/maps/coverage/?year=2023").content
    bare = selectors.coverage_map_html(
        year=2023, boundary_set=BoundarySet.LEGACY_2019, asset_base_url="/static/maps/vendor/"
    ).encode()

    assert 0 < len(served) - len(bare) < 8_000


def test_the_public_summary_map_has_the_nav_bar_without_a_user(anonymous_client, settings):
    settings.PUBLIC_SUMMARY = True

    nav = nav_of(anonymous_client.get("/maps/coverage/?year=2023").content.decode())

    assert 'action="/accounts/logout/"' not in nav
    assert 'action="/i18n/setlang/"' in nav


def test_an_aggregates_only_users_district_map_refusal_is_a_site_page_with_the_nav():
    limited = signed_in(factories.user("planner", aggregates_only=True))

    response = limited.get("/maps/districts/464/?year=2023")
    page = response.content.decode()

    assert response.status_code == 403
    assert '<nav class="navbar' in page and 'action="/accounts/logout/"' in page
    assert "/static/maps/vendor/bootstrap/css/bootstrap.min.css" in page
    assert "a district map draws exact hazard and release polygons" in page


def test_a_bad_year_is_a_site_page_with_the_nav(client):
    response = client.get("/maps/coverage/?year=1800")

    assert response.status_code == 400
    assert '<nav class="navbar' in response.content.decode()
    assert "year must be a year between" in response.content.decode()


def test_an_unknown_district_is_the_sites_404_page_saying_so(client):
    response = client.get("/maps/districts/999/")

    assert response.status_code == 404
    assert '<nav class="navbar' in response.content.decode()
    assert "No district or commune with code &#x27;999&#x27;" in response.content.decode()
