"""An address with 20 failed sign-ins in 10 minutes, whatever the user names, is refused
until the oldest of them is 10 minutes old; other addresses are not."""

from datetime import timedelta

import pytest
from django.utils import timezone

from app.accounts.models import SignInFailure
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"


def _spray(client, count: int, address: str = ATTACKER):
    for number in range(count):
        client.post(
            "/accounts/login/",
            {"username": f"guess-{number}", "password": "wrong"},
            REMOTE_ADDR=address,
        )


def _sign_in(client, address: str = ATTACKER):
    return client.post(
        "/accounts/login/", {"username": "planner", "password": PASSWORD}, REMOTE_ADDR=address
    )


def test_nineteen_failures_from_an_address_are_not_limited(anonymous_client, planner):
    _spray(anonymous_client, 19)

    assert _sign_in(anonymous_client).status_code == 302


def test_twenty_failures_across_user_names_limit_the_address(anonymous_client, planner):
    _spray(anonymous_client, 20)

    page = _sign_in(anonymous_client)

    assert page.status_code == 200
    assert "Too many failed sign-ins from your address" in page.content.decode()


def test_another_address_is_not_limited(anonymous_client, planner):
    _spray(anonymous_client, 20)

    assert _sign_in(anonymous_client, address="198.51.100.2").status_code == 302


def test_the_limit_lifts_when_the_failures_are_10_minutes_old(anonymous_client, planner):
    _spray(anonymous_client, 20)
    SignInFailure.objects.update(at=timezone.now() - timedelta(minutes=11))

    assert _sign_in(anonymous_client).status_code == 302


def test_the_token_endpoint_is_limited_too(anonymous_client, planner):
    _spray(anonymous_client, 20)

    response = anonymous_client.post(
        "/api/v1/auth/token/",
        {"username": "planner", "password": PASSWORD},
        REMOTE_ADDR=ATTACKER,
    )

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    assert response.json()["error"].startswith("Too many failed sign-ins from your address")


def test_behind_a_proxy_the_configured_header_gives_the_address(
    anonymous_client, planner, settings
):
    settings.CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
    for number in range(20):
        anonymous_client.post(
            "/accounts/login/",
            {"username": f"guess-{number}", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"10.9.9.9, {ATTACKER}",
        )

    assert set(SignInFailure.objects.values_list("address", flat=True)) == {ATTACKER}
    another_client = anonymous_client.post(
        "/accounts/login/",
        {"username": "planner", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )
    assert another_client.status_code == 302


def test_failures_older_than_any_window_are_pruned(anonymous_client):
    _spray(anonymous_client, 3)
    SignInFailure.objects.update(at=timezone.now() - timedelta(minutes=31))

    _spray(anonymous_client, 1)

    assert SignInFailure.objects.count() == 1
