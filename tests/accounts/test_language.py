"""The language of pages and API answers: the profile's choice, else Accept-Language, else
Vietnamese; anonymous visitors switch the sign-in page with Django's set_language."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from app.accounts import services
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_saving_a_language_on_the_profile_switches_the_pages(planner):
    browser = _signed_in(planner)

    response = browser.post(
        "/accounts/profile/language/", {"language": "vi", "next": "/accounts/profile/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    planner.profile.refresh_from_db()
    assert planner.profile.language == "vi"
    page = browser.get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="en")
    assert page["Content-Language"] == "vi"
    assert '<html lang="vi">' in page.content.decode()


def test_the_profile_language_beats_the_browsers(planner):
    services.set_language(user=planner, language="en")

    page = _signed_in(planner).get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="vi")

    assert page["Content-Language"] == "en"


def test_without_a_profile_language_the_browsers_applies(planner):
    page = _signed_in(planner).get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="vi")

    assert page["Content-Language"] == "vi"


@pytest.mark.vietnamese
def test_without_any_choice_the_site_speaks_vietnamese(anonymous_client):
    page = anonymous_client.get("/accounts/login/")

    assert page["Content-Language"] == "vi"


def test_the_empty_choice_goes_back_to_the_browsers_language(planner):
    services.set_language(user=planner, language="vi")
    browser = _signed_in(planner)

    browser.post("/accounts/profile/language/", {"language": ""})

    planner.profile.refresh_from_db()
    assert planner.profile.language == ""
    assert browser.get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"


def test_an_unknown_language_is_refused_and_nothing_changes(planner):
    services.set_language(user=planner, language="vi")

    _signed_in(planner).post("/accounts/profile/language/", {"language": "fr"})

    planner.profile.refresh_from_db()
    assert planner.profile.language == "vi"


def test_the_language_switch_does_not_redirect_off_site(planner):
    response = _signed_in(planner).post(
        "/accounts/profile/language/", {"language": "en", "next": "https://evil.example/"}
    )

    assert response["Location"] == "/accounts/profile/"


def test_an_anonymous_visitor_switches_the_sign_in_page_with_set_language(anonymous_client):
    response = anonymous_client.post(
        "/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}
    )

    assert response.status_code == 302
    page = anonymous_client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="vi")
    assert page["Content-Language"] == "en"


def test_the_language_chosen_on_the_profile_stays_on_the_sign_in_page_after_signing_out(planner):
    browser = _signed_in(planner)
    browser.post("/accounts/profile/language/", {"language": "en"})
    browser.post("/accounts/logout/")

    page = browser.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="vi")

    assert page["Content-Language"] == "en"


def test_a_token_request_answers_in_the_token_owners_language(planner):
    services.set_language(user=planner, language="vi")
    key = (
        APIClient()
        .post("/api/v1/auth/token/", {"username": "planner", "password": PASSWORD})
        .json()["token"]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = client.get("/api/v1/auth/me/", HTTP_ACCEPT_LANGUAGE="en")

    assert response["Content-Language"] == "vi"
    assert response.json()["active_language"] == "vi"
    assert response.json()["language"] == "vi"


def test_a_token_request_of_a_user_without_a_choice_follows_accept_language(planner):
    key = (
        APIClient()
        .post("/api/v1/auth/token/", {"username": "planner", "password": PASSWORD})
        .json()["token"]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = client.get("/api/v1/auth/me/", HTTP_ACCEPT_LANGUAGE="vi")

    assert response["Content-Language"] == "vi"
    assert response.json()["language"] == ""


def test_the_profiles_language_translates_the_page(planner):
    """Needs the compiled catalogue (make messages, part of make setup)."""
    browser = _signed_in(planner)

    services.set_language(user=planner, language="vi")
    in_vietnamese = browser.get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    services.set_language(user=planner, language="en")
    in_english = browser.get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()

    assert "Đăng xuất" in in_vietnamese and "Sign out" not in in_vietnamese
    assert "Sign out" in in_english and "Đăng xuất" not in in_english
