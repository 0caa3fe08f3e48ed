"""The nav bar of every page (app/templates/base.html): what the user may open, who they are,
sign-out and the language switch; nothing loaded from the internet."""

import re

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import permission_denied

from app.accounts.policy import NotAllowed
from tests import factories

pytestmark = pytest.mark.django_db


def _profile_page(user) -> str:
    browser = Client()
    browser.force_login(user)
    return browser.get("/accounts/profile/").content.decode()


def _nav(html: str) -> str:
    return re.search(r"<nav\b.*?</nav>", html, flags=re.S).group(0)


def test_an_analyst_gets_maps_uploads_review_and_profile(analyst):
    nav = _nav(_profile_page(analyst))

    for href in ('href="/maps/coverage/"', 'href="/uploads/"', 'href="/review/"'):
        assert href in nav, href
    assert 'href="/accounts/profile/"' in nav
    assert "analyst · Analyst (QTMAC)" in nav


def test_a_coordinator_gets_uploads_but_no_review(coordinator):
    nav = _nav(_profile_page(coordinator))

    assert 'href="/uploads/"' in nav
    assert 'href="/review/"' not in nav


def test_a_planner_gets_neither_uploads_nor_review(planner):
    nav = _nav(_profile_page(planner))

    assert 'href="/uploads/"' not in nav
    assert 'href="/review/"' not in nav
    assert 'href="/maps/coverage/"' in nav


def test_sign_out_is_a_post_form_with_csrf(planner):
    nav = _nav(_profile_page(planner))

    form = re.search(r'<form method="post" action="/accounts/logout/".*?</form>', nav, re.S)
    assert form is not None
    assert 'name="csrfmiddlewaretoken"' in form.group(0)


def test_the_language_switch_offers_both_languages(planner):
    nav = _nav(_profile_page(planner))

    assert 'action="/accounts/profile/language/"' in nav
    assert 'name="language" value="vi"' in nav and 'name="language" value="en"' in nav
    assert 'name="next" value="/accounts/profile/"' in nav


def test_the_page_loads_bootstrap_from_static_files_and_nothing_remote(db):
    html = _profile_page(factories.user("planner"))

    assert (
        '<link rel="stylesheet" href="/static/maps/vendor/bootstrap/css/bootstrap.min.css">' in html
    )
    assert re.findall(r"""(?:src|href|action)=["']((?:https?:)?//[^"']*)""", html) == []


def test_the_upload_pages_wear_the_site_chrome_and_keep_their_stylesheet(client):
    html = client.get("/uploads/").content.decode()

    assert 'action="/accounts/logout/"' in html
    assert "/static/uploads/uploads.css" in html
    assert "/static/maps/vendor/bootstrap/css/bootstrap.min.css" in html


def test_every_reader_gets_the_records_link(planner):
    assert 'href="/records/"' in _nav(_profile_page(planner))


def test_only_those_who_manage_users_get_the_admin_link(planner, analyst):
    administrator = factories.user("administrator")

    assert 'href="/admin/"' in _nav(_profile_page(administrator))
    assert 'href="/admin/"' not in _nav(_profile_page(analyst))
    assert 'href="/admin/"' not in _nav(_profile_page(planner))


def test_an_unknown_address_is_the_sites_404_page_with_the_nav(client):
    response = client.get("/no/such/page/")
    page = response.content.decode()

    assert response.status_code == 404
    assert 'action="/accounts/logout/"' in _nav(page)
    assert "There is nothing at /no/such/page/" in page
    assert "Resolver404" not in page


def test_a_permission_refusal_is_the_sites_403_page_with_the_nav_and_its_message(planner):
    request = RequestFactory().get("/somewhere/")
    request.user = planner

    response = permission_denied(request, NotAllowed("only analysts do this"))
    page = response.content.decode()

    assert response.status_code == 403
    assert 'action="/accounts/logout/"' in _nav(page)
    assert "only analysts do this" in page
