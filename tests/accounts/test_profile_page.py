"""The profile page: who the user is, their language, and their API tokens (made there, the
key shown once; listed; revoked)."""

import re

import pytest
from django.test import Client

from app.accounts.models import ApiToken, token_digest
from tests import factories
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_the_profile_shows_name_role_organisation_and_limits(db):
    user = factories.user(
        "planner", username="linh", first_name="Nguyễn", last_name="Linh", aggregates_only=True
    )

    html = _signed_in(user).get("/accounts/profile/").content.decode()

    assert "Nguyễn Linh" in html
    assert "Planner" in html
    assert "aggregates only" in html


def test_a_coordinator_sees_their_organisation(coordinator):
    html = _signed_in(coordinator).get("/accounts/profile/").content.decode()

    assert "Field coordinator" in html
    assert "(npa)" in html


def test_a_new_token_shows_its_key_once(planner):
    browser = _signed_in(planner)

    page = browser.post("/accounts/profile/tokens/", {"name": "notebook"})

    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    key = re.search(r'id="new-token-key">([^<]+)<', page.content.decode()).group(1)
    token = ApiToken.objects.get(user=planner)
    assert token.digest == token_digest(key)
    again = browser.get("/accounts/profile/").content.decode()
    assert key not in again
    assert "notebook" in again and f"{token.prefix}…" in again


def test_a_token_made_on_the_page_opens_the_api(planner):
    page = _signed_in(planner).post("/accounts/profile/tokens/", {"name": "script"})
    key = re.search(r'id="new-token-key">([^<]+)<', page.content.decode()).group(1)

    response = Client().get("/api/v1/organisations/", HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 200


def test_a_token_revoked_on_the_page_stops_working(planner):
    browser = _signed_in(planner)
    page = browser.post("/accounts/profile/tokens/", {"name": "old"})
    key = re.search(r'id="new-token-key">([^<]+)<', page.content.decode()).group(1)
    token = ApiToken.objects.get(user=planner)

    response = browser.post(f"/accounts/profile/tokens/{token.pk}/revoke/", follow=True)

    assert "is revoked" in response.content.decode()
    assert f"<code>{token.prefix}…</code>" not in response.content.decode()
    assert (
        Client().get("/api/v1/organisations/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    )


def test_another_users_token_cannot_be_revoked_on_the_page(planner, coordinator):
    _signed_in(coordinator).post("/accounts/profile/tokens/", {"name": "theirs"})
    theirs = ApiToken.objects.get(user=coordinator)

    response = _signed_in(planner).post(f"/accounts/profile/tokens/{theirs.pk}/revoke/")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_a_token_name_too_long_is_refused_with_a_message(planner):
    page = _signed_in(planner).post("/accounts/profile/tokens/", {"name": "x" * 81})

    assert page.status_code == 400
    assert "at most 80 characters" in page.content.decode()
    assert not ApiToken.objects.exists()


def test_every_form_of_the_profile_carries_a_csrf_token_and_needs_it(planner):
    html = _signed_in(planner).get("/accounts/profile/").content.decode()
    forms = re.findall(r"<form\b.*?</form>", html, flags=re.S)
    assert len(forms) >= 3
    assert all('name="csrfmiddlewaretoken"' in form for form in forms)

    browser = Client(enforce_csrf_checks=True)
    browser.login(username="planner", password=PASSWORD)
    assert browser.post("/accounts/profile/tokens/", {"name": "x"}).status_code == 403
    assert browser.post("/accounts/profile/language/", {"language": "en"}).status_code == 403
    assert browser.post("/accounts/logout/").status_code == 403
