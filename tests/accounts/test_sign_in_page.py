"""The sign-in page: a form with CSRF, a redirect to the page asked for, sign-out by POST."""

import pytest
from django.test import Client

from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_an_anonymous_page_request_goes_to_the_sign_in_page(anonymous_client):
    response = anonymous_client.get("/uploads/?page=2")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/uploads/%3Fpage%3D2"


def test_the_sign_in_page_is_a_form_with_csrf(anonymous_client):
    page = anonymous_client.get("/accounts/login/?next=/uploads/")

    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="username"' in html and 'name="password"' in html
    assert 'name="next" value="/uploads/"' in html
    assert 'action="/i18n/setlang/"' in html


def test_signing_in_goes_to_the_page_asked_for(anonymous_client, planner):
    response = anonymous_client.post(
        "/accounts/login/",
        {"username": "planner", "password": PASSWORD, "next": "/maps/coverage/?year=2023"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/maps/coverage/?year=2023"
    assert anonymous_client.get("/accounts/profile/").status_code == 200


def test_signing_in_without_next_goes_to_the_province_map(anonymous_client, planner):
    response = anonymous_client.post(
        "/accounts/login/", {"username": "planner", "password": PASSWORD}, follow=False
    )

    assert response["Location"] == "/"


def test_a_wrong_password_shows_the_form_again_with_an_error(anonymous_client, planner):
    page = anonymous_client.post(
        "/accounts/login/", {"username": "planner", "password": "not-the-password"}
    )

    assert page.status_code == 200
    assert "enter a correct username and password" in page.content.decode()
    assert anonymous_client.get("/accounts/profile/").status_code == 302


def test_an_inactive_user_cannot_sign_in(anonymous_client, planner):
    planner.is_active = False
    planner.save()

    page = anonymous_client.post("/accounts/login/", {"username": "planner", "password": PASSWORD})

    assert page.status_code == 200
    assert anonymous_client.get("/accounts/profile/").status_code == 302


def test_the_sign_in_form_refuses_a_post_without_csrf_token(planner):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post("/accounts/login/", {"username": "planner", "password": PASSWORD})

    assert response.status_code == 403


def test_signing_out_is_a_post_and_ends_the_session(client):
    assert client.get("/accounts/logout/").status_code == 405

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.get("/accounts/profile/").status_code == 302
