"""A user name is locked for 15 minutes after 5 failed passwords within 15 minutes, on the
sign-in page and the token endpoint alike. Time is moved by dating failures in the past."""

from datetime import timedelta

import pytest
from django.utils import timezone

from app.accounts.models import SignInFailure
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _fail(client, username: str, times: int, **extra):
    for _ in range(times):
        client.post("/accounts/login/", {"username": username, "password": "wrong"}, **extra)


def _sign_in(client, username: str, password: str = PASSWORD, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def _age_failures(minutes: int, **which):
    SignInFailure.objects.filter(**which).update(at=timezone.now() - timedelta(minutes=minutes))


def test_four_failures_do_not_lock(anonymous_client, planner):
    _fail(anonymous_client, "planner", 4)

    assert _sign_in(anonymous_client, "planner").status_code == 302


def test_after_five_failures_even_the_right_password_is_refused_with_when_to_retry(
    anonymous_client, planner
):
    _fail(anonymous_client, "planner", 5)

    page = _sign_in(anonymous_client, "planner")

    assert page.status_code == 200
    html = page.content.decode()
    retry_at = timezone.localtime(SignInFailure.objects.latest("at").at + timedelta(minutes=15))
    assert "locked until " + retry_at.strftime("%H:%M") in html
    assert "(15 min)" in html
    assert anonymous_client.get("/accounts/profile/").status_code == 302


def test_the_lockout_ends_15_minutes_after_the_fifth_failure(anonymous_client, planner):
    _fail(anonymous_client, "planner", 5)
    _age_failures(14)
    assert _sign_in(anonymous_client, "planner").status_code == 200

    _age_failures(16)

    assert _sign_in(anonymous_client, "planner").status_code == 302


def test_five_failures_spread_over_more_than_15_minutes_do_not_lock(anonymous_client, planner):
    _fail(anonymous_client, "planner", 2)
    _age_failures(20)
    _fail(anonymous_client, "planner", 3)

    assert _sign_in(anonymous_client, "planner").status_code == 302


def test_refused_attempts_during_a_lockout_do_not_prolong_it(anonymous_client, planner):
    _fail(anonymous_client, "planner", 5)
    _fail(anonymous_client, "planner", 10)

    assert SignInFailure.objects.filter(username="planner").count() == 5


def test_a_successful_sign_in_clears_the_failures_of_the_user_name(anonymous_client, planner):
    _fail(anonymous_client, "planner", 4)

    _sign_in(anonymous_client, "planner")

    assert not SignInFailure.objects.filter(username="planner").exists()


def test_the_lockout_of_one_user_name_leaves_others_alone(anonymous_client, planner, coordinator):
    _fail(anonymous_client, "planner", 5)

    assert _sign_in(anonymous_client, "coordinator").status_code == 302


def test_a_user_name_that_does_not_exist_is_locked_the_same_way(anonymous_client):
    _fail(anonymous_client, "nobody", 5)

    page = _sign_in(anonymous_client, "nobody", "anything")

    assert "locked until" in page.content.decode()


def test_the_token_endpoint_answers_429_with_retry_after_when_locked(anonymous_client, planner):
    _fail(anonymous_client, "planner", 5)

    response = anonymous_client.post(
        "/api/v1/auth/token/",
        {"username": "planner", "password": PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == 429
    assert 14 * 60 < int(response["Retry-After"]) <= 15 * 60
    assert "locked until" in response.json()["error"]


def test_failed_token_requests_count_towards_the_page_lockout(anonymous_client, planner):
    for _ in range(5):
        anonymous_client.post(
            "/api/v1/auth/token/",
            {"username": "planner", "password": "wrong"},
            content_type="application/json",
        )

    assert "locked until" in _sign_in(anonymous_client, "planner").content.decode()


def test_the_admin_sign_in_is_locked_the_same_way(anonymous_client, db):
    from tests import factories

    factories.user("administrator", username="quan-tri")
    for _ in range(5):
        anonymous_client.post("/admin/login/", {"username": "quan-tri", "password": "wrong"})

    page = anonymous_client.post(
        "/admin/login/?next=/admin/", {"username": "quan-tri", "password": PASSWORD}
    )

    assert page.status_code == 200
    assert "locked until" in page.content.decode()


def test_the_admin_sign_in_still_admits_staff_only(anonymous_client, planner):
    page = anonymous_client.post("/admin/login/", {"username": "planner", "password": PASSWORD})

    assert page.status_code == 200
    assert "staff account" in page.content.decode()
