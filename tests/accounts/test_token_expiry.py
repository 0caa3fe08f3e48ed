"""API tokens with a life: the site's default (API_TOKEN_DAYS, 0 = never), or the days chosen
when the token is made on the profile page or with POST /api/v1/auth/token/; an expired token
is a 401 that says so."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from app.accounts.models import ApiToken
from app.accounts.services import create_token
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _obtain(**extra):
    return APIClient().post(
        "/api/v1/auth/token/",
        {"username": "planner", "password": PASSWORD, **extra},
        format="json",
    )


def _signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_by_default_a_token_never_expires(planner):
    made = _obtain().json()

    assert made["expires_at"] is None
    assert ApiToken.objects.get(pk=made["id"]).expires_at is None


def test_the_sites_default_sets_the_expiry(planner, settings):
    settings.API_TOKEN_DAYS = 30

    made = _obtain().json()

    expires_at = ApiToken.objects.get(pk=made["id"]).expires_at
    assert (
        timedelta(days=30) - timedelta(minutes=1)
        < expires_at - timezone.now()
        <= timedelta(days=30)
    )


def test_the_days_chosen_through_the_api_override_the_default(planner, settings):
    settings.API_TOKEN_DAYS = 30

    never = _obtain(expires_in_days=0).json()
    week = _obtain(expires_in_days=7).json()

    assert never["expires_at"] is None
    stored = ApiToken.objects.get(pk=week["id"])
    assert timedelta(days=6, hours=23) < stored.expires_at - stored.created_at <= timedelta(days=7)


@pytest.mark.parametrize("days", [-1, 3651, "soon"])
def test_days_out_of_range_are_a_400_naming_the_field(planner, days):
    response = _obtain(expires_in_days=days)

    assert response.status_code == 400
    assert response.json()["parameter"] == "expires_in_days"
    assert not ApiToken.objects.exists()


def test_an_expired_token_is_a_401_saying_it_expired(planner):
    key = create_token(user=planner, name="old", expires_in_days=1).key
    assert _with(key).get("/api/v1/auth/me/").status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = _with(key).get("/api/v1/auth/me/")

    assert response.status_code == 401
    assert "this token expired at" in response.json()["error"]


def test_a_token_before_its_expiry_opens_the_api(planner):
    key = create_token(user=planner, expires_in_days=1).key
    ApiToken.objects.update(expires_at=timezone.now() + timedelta(seconds=5))

    assert _with(key).get("/api/v1/auth/me/").status_code == 200


def test_the_profile_page_makes_a_token_with_the_days_chosen(planner):
    _signed_in(planner).post("/accounts/profile/tokens/", {"name": "n", "expires_in_days": "90"})

    token = ApiToken.objects.get()
    assert timedelta(days=89) < token.expires_at - token.created_at <= timedelta(days=90)


def test_the_profile_page_offers_the_sites_default(planner, settings):
    settings.API_TOKEN_DAYS = 45

    html = _signed_in(planner).get("/accounts/profile/").content.decode()

    assert 'name="expires_in_days"' in html
    assert 'value="45"' in html


def test_the_profile_page_shows_each_tokens_expiry(planner):
    create_token(user=planner, name="forever", expires_in_days=0)
    create_token(user=planner, name="stale", expires_in_days=1)
    ApiToken.objects.filter(name="stale").update(expires_at=timezone.now() - timedelta(days=1))

    html = _signed_in(planner).get("/accounts/profile/").content.decode()

    cells = [cell.strip() for cell in html.split('class="token-expiry">')[1:]]
    assert cells[0].startswith('<span class="text-danger">expired ')
    assert cells[1].startswith("never<")


def test_the_profile_page_refuses_days_out_of_range_with_a_message(planner):
    page = _signed_in(planner).post(
        "/accounts/profile/tokens/", {"name": "n", "expires_in_days": "-3"}
    )

    assert page.status_code == 400
    assert "greater than or equal to 0" in page.content.decode()
    assert not ApiToken.objects.exists()
