"""Sign-in back-off (app.accounts.throttle): per user name and address, growing from 1 s after
5 failures; a name under attack and a busy address slow down, never lock out. The sign-in page,
the admin's and the token endpoint alike. The throttle's clock is stopped (``clock``) and
failures are written with the moments a test needs: no test waits."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from app.accounts import throttle
from app.accounts.models import SignInFailure
from app.accounts.services import create_token
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

HOME = "198.51.100.2"
ATTACKER = "203.0.113.7"


class Clock:
    def __init__(self):
        self.moment = timezone.now()

    def __call__(self):
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    stopped = Clock()
    monkeypatch.setattr(throttle, "now", stopped)
    return stopped


def _fail(client, username: str = "planner", times: int = 1, address: str = ATTACKER):
    for _ in range(times):
        client.post(
            "/accounts/login/", {"username": username, "password": "wrong"}, REMOTE_ADDR=address
        )


def _sign_in(client, address: str = ATTACKER, username: str = "planner", password=PASSWORD):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _failures(clock, count: int, *, username=None, address=None, seconds_ago: float = 0):
    """``count`` failures written as if made ``seconds_ago``, by one name or one per number."""
    SignInFailure.objects.bulk_create(
        SignInFailure(
            username=username or f"guess-{number}",
            address=address or f"192.0.2.{number % 250 + 1}",
            at=clock.moment - timedelta(seconds=seconds_ago),
        )
        for number in range(count)
    )


def test_four_failures_of_a_name_from_an_address_cost_nothing(anonymous_client, planner, clock):
    _fail(anonymous_client, times=4)

    assert _sign_in(anonymous_client).status_code == 302


def test_after_five_failures_the_right_password_waits_a_second_then_signs_in(
    anonymous_client, planner, clock
):
    _fail(anonymous_client, times=5)

    page = _sign_in(anonymous_client)
    assert page.status_code == 200
    assert (
        "Too many failed sign-ins for this user name from your address: try again in 1 "
        "second." in page.content.decode()
    )
    assert anonymous_client.get("/accounts/profile/").status_code == 302

    clock.advance(1)

    assert _sign_in(anonymous_client).status_code == 302


def test_the_wait_doubles_with_each_further_failure(anonymous_client, planner, clock):
    _fail(anonymous_client, times=5)
    waits = []
    for _ in range(4):
        refusal_seconds = int(_token_request(password="wrong")["Retry-After"])
        waits.append(refusal_seconds)
        clock.advance(refusal_seconds)
        _fail(anonymous_client)

    assert waits == [1, 2, 4, 8]
    clock.advance(15.9)
    assert _sign_in(anonymous_client).status_code == 200
    clock.advance(0.1)
    assert _sign_in(anonymous_client).status_code == 302


def test_the_wait_stops_growing_at_ten_minutes(anonymous_client, planner, clock):
    _failures(clock, 40, username="planner", address=ATTACKER)

    response = _token_request()

    assert response.status_code == 429
    assert int(response["Retry-After"]) == 600
    assert "try again in 10 minutes" in response.json()["error"]


def test_the_right_password_from_a_new_address_signs_in_while_the_name_is_hammered_elsewhere(
    anonymous_client, planner, clock
):
    # 200 failures from 200 addresses, and one address deep in its back-off.
    _failures(clock, 200, username="planner")
    _failures(clock, 30, username="planner", address=ATTACKER)
    assert _sign_in(anonymous_client, address=ATTACKER).status_code == 200

    assert _sign_in(anonymous_client, address=HOME).status_code == 302


def test_a_name_under_attack_makes_each_address_wait_from_its_first_failure(
    anonymous_client, planner, clock
):
    _failures(clock, throttle.NAME_CEILING, username="planner")

    _fail(anonymous_client, address=HOME)

    assert _sign_in(anonymous_client, address=HOME).status_code == 200
    clock.advance(2)
    assert _sign_in(anonymous_client, address=HOME).status_code == 302


def test_below_the_name_ceiling_a_first_failure_costs_nothing(anonymous_client, planner, clock):
    _failures(clock, throttle.NAME_CEILING - 2, username="planner")

    _fail(anonymous_client, address=HOME)

    assert _sign_in(anonymous_client, address=HOME).status_code == 302


def test_an_address_below_its_ceiling_is_not_slowed_however_many_names_failed(
    anonymous_client, planner, clock, settings
):
    # A NAT: 99 of its users mistyped their passwords this hour.
    _failures(clock, settings.SIGNIN_ADDRESS_CEILING - 1, address=ATTACKER)

    assert _sign_in(anonymous_client, address=ATTACKER).status_code == 302


def test_an_address_past_its_ceiling_waits_between_attempts_and_only_it(
    anonymous_client, planner, coordinator, clock, settings
):
    _failures(clock, settings.SIGNIN_ADDRESS_CEILING, address=ATTACKER)

    page = _sign_in(anonymous_client, address=ATTACKER)
    assert "Too many failed sign-ins from your address: try again in 1 second." in (
        page.content.decode()
    )
    assert _sign_in(anonymous_client, address=HOME, username="coordinator").status_code == 302

    clock.advance(1)

    assert _sign_in(anonymous_client, address=ATTACKER).status_code == 302


def test_the_token_endpoint_answers_429_with_retry_after(anonymous_client, planner, clock):
    _fail(anonymous_client, times=5)

    response = _token_request()

    assert response.status_code == 429
    assert response["Retry-After"] == "1"
    assert response.json()["error"].startswith("Too many failed sign-ins for this user name")


def test_failed_token_requests_count_towards_the_page(anonymous_client, planner, clock):
    for _ in range(5):
        _token_request(password="wrong")

    assert _sign_in(anonymous_client).status_code == 200


def test_existing_tokens_keep_working_while_the_name_is_throttled(anonymous_client, planner, clock):
    key = create_token(user=planner, name="notebook").key
    _failures(clock, 300, username="planner", address=ATTACKER)
    assert _token_request().status_code == 429

    with_token = APIClient()
    with_token.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert with_token.get("/api/v1/auth/me/").status_code == 200


def test_a_successful_sign_in_clears_its_own_failures_not_an_attackers(
    anonymous_client, planner, clock
):
    _fail(anonymous_client, times=3, address=HOME)
    _fail(anonymous_client, times=7, address=ATTACKER)

    _sign_in(anonymous_client, address=HOME)

    assert list(SignInFailure.objects.values_list("address", flat=True).distinct()) == [ATTACKER]
    assert _sign_in(APIClient(), address=ATTACKER).status_code == 200


def test_refused_attempts_write_nothing_so_the_wait_ends_when_it_said(
    anonymous_client, planner, clock
):
    _fail(anonymous_client, times=5)
    _fail(anonymous_client, times=10)

    assert SignInFailure.objects.filter(username="planner").count() == 5


def test_a_user_name_that_does_not_exist_is_slowed_the_same_way(anonymous_client, clock):
    _fail(anonymous_client, username="nobody", times=5)

    page = _sign_in(anonymous_client, username="nobody", password="anything")

    assert "try again in 1 second" in page.content.decode()


def test_failures_older_than_an_hour_are_forgotten_and_pruned(anonymous_client, planner, clock):
    _failures(clock, 30, username="planner", address=ATTACKER, seconds_ago=3601)

    assert _sign_in(anonymous_client, address=ATTACKER).status_code == 302
    assert not SignInFailure.objects.exists()


def test_behind_a_proxy_the_configured_header_gives_the_address(
    anonymous_client, planner, settings, clock
):
    settings.CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
    for _ in range(5):
        anonymous_client.post(
            "/accounts/login/",
            {"username": "planner", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"10.9.9.9, {ATTACKER}",
        )

    assert set(SignInFailure.objects.values_list("address", flat=True)) == {ATTACKER}
    another_client = anonymous_client.post(
        "/accounts/login/",
        {"username": "planner", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR=HOME,
    )
    assert another_client.status_code == 302


def test_the_admin_sign_in_is_slowed_the_same_way(anonymous_client, clock):
    from tests import factories

    factories.user("administrator", username="quan-tri")
    for _ in range(5):
        anonymous_client.post("/admin/login/", {"username": "quan-tri", "password": "wrong"})

    page = anonymous_client.post(
        "/admin/login/?next=/admin/", {"username": "quan-tri", "password": PASSWORD}
    )

    assert page.status_code == 200
    assert "try again in 1 second" in page.content.decode()


def test_the_admin_sign_in_still_admits_staff_only(anonymous_client, planner):
    page = anonymous_client.post("/admin/login/", {"username": "planner", "password": PASSWORD})

    assert page.status_code == 200
    assert "staff account" in page.content.decode()


def _token_request(password: str = PASSWORD, address: str = ATTACKER):
    return APIClient().post(
        "/api/v1/auth/token/",
        {"username": "planner", "password": password},
        format="json",
        REMOTE_ADDR=address,
    )
