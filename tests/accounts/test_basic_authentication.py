"""HTTP Basic authentication on the API (app.accounts.basic_authentication): what QGIS and GDAL
send. Every Basic request is a sign-in through the sign-in page's back-off, so failures on one
count on the other; a token keeps working beside it. Real clients (urllib, GDAL's ogrinfo)
against a live server in tests/accounts/test_basic_authentication_live.py."""

import base64

import pytest
from rest_framework.test import APIClient

from app.accounts.models import SignInFailure
from app.accounts.services import create_token
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
CHALLENGE = 'Basic realm="landrelease", Token'


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def _get(username: str, password: str, url: str = "/api/v1/auth/me/", **extra):
    return APIClient().get(
        url, HTTP_AUTHORIZATION=_basic(username, password), REMOTE_ADDR=ATTACKER, **extra
    )


def test_the_right_password_opens_the_api_as_that_user(planner):
    response = _get("planner", PASSWORD)

    assert response.status_code == 200, response.content
    assert response.json()["username"] == "planner"


def test_a_wrong_password_is_a_401_with_the_basic_challenge(planner):
    response = _get("planner", "wrong")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == CHALLENGE
    assert "do not match" in response.json()["error"]


def test_an_unknown_user_is_refused_like_a_wrong_password(planner):
    response = _get("nobody", PASSWORD)

    assert response.status_code == 401
    assert response.json() == _get("planner", "wrong").json()


def test_an_inactive_user_is_refused_with_the_right_password(planner):
    planner.is_active = False
    planner.save()

    assert _get("planner", PASSWORD).status_code == 401


def test_a_request_without_credentials_is_challenged_for_basic_and_token():
    response = APIClient().get("/api/v1/releases/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == CHALLENGE


def test_the_sites_own_scripts_are_not_challenged_for_basic():
    """A page's fetch() whose session ended: a Basic challenge would pop the browser's dialog."""
    response = APIClient().get("/api/v1/uploads/1/", HTTP_SEC_FETCH_MODE="cors")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_failures_over_basic_throttle_the_sign_in_page_and_back(anonymous_client, planner):
    for _ in range(5):
        assert _get("planner", "wrong").status_code == 401

    locked = _get("planner", PASSWORD)
    page = anonymous_client.post(
        "/accounts/login/", {"username": "planner", "password": PASSWORD}, REMOTE_ADDR=ATTACKER
    )

    assert locked.status_code == 429
    assert int(locked["Retry-After"]) >= 1
    assert "Too many failed sign-ins" in locked.json()["error"]
    assert "Too many failed sign-ins" in page.content.decode()


def test_failures_on_the_sign_in_page_throttle_basic(planner):
    page = APIClient()
    for _ in range(5):
        page.post(
            "/accounts/login/", {"username": "planner", "password": "wrong"}, REMOTE_ADDR=ATTACKER
        )

    right = _get("planner", PASSWORD)
    wrong = _get("planner", "wrong")

    assert right.status_code == wrong.status_code == 429
    # The refusal is the same whatever the password: it tells nothing of it.
    assert right.json() == wrong.json()
    assert SignInFailure.objects.filter(username="planner").count() == 5


def test_the_right_password_clears_the_failures_from_that_address(planner):
    for _ in range(3):
        _get("planner", "wrong")

    assert _get("planner", PASSWORD).status_code == 200
    assert not SignInFailure.objects.filter(username="planner", address=ATTACKER).exists()


def test_a_token_still_opens_the_api_beside_basic(planner):
    key = create_token(user=planner, name="script").key

    response = APIClient().get("/api/v1/auth/me/", HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 200
    assert response.json()["username"] == "planner"


def test_basic_needs_no_csrf_token_for_a_write(planner):
    response = APIClient(enforce_csrf_checks=True).post(
        "/api/v1/auth/tokens/",
        {},
        HTTP_AUTHORIZATION=_basic("planner", PASSWORD),
    )

    # No CSRF refusal (403): the endpoint's own answer, a method it does not take.
    assert response.status_code == 405


def test_basic_turned_off_is_refused_saying_to_use_a_token(settings, planner):
    settings.API_BASIC_AUTH = False

    response = _get("planner", PASSWORD)

    assert response.status_code == 401
    assert "token" in response.json()["error"]
    assert response["WWW-Authenticate"] == "Token"
    assert not SignInFailure.objects.exists()


def test_basic_over_plain_http_is_refused_where_https_is_required(settings, planner):
    settings.API_BASIC_AUTH_HTTPS_ONLY = True

    response = _get("planner", PASSWORD)

    assert response.status_code == 401
    assert "HTTPS" in response.json()["error"]


def test_basic_behind_a_proxy_that_says_https_is_accepted(settings, planner):
    settings.API_BASIC_AUTH_HTTPS_ONLY = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    response = _get("planner", PASSWORD, HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200


def test_the_openapi_schema_lists_the_basic_scheme(client):
    schema = client.get("/api/v1/schema/?format=json").json()

    assert schema["components"]["securitySchemes"]["basicAuth"] == {
        "type": "http",
        "scheme": "basic",
        "description": schema["components"]["securitySchemes"]["basicAuth"]["description"],
    }
    assert {"basicAuth": []} in schema["paths"]["/api/v1/releases/"]["get"]["security"]


def test_verified_credentials_spare_the_password_hash_but_not_the_throttle(monkeypatch, planner):
    from app.accounts import basic_authentication

    hashed = []
    real = basic_authentication.authenticate
    monkeypatch.setattr(
        basic_authentication,
        "authenticate",
        lambda *args, **kwargs: hashed.append(1) or real(*args, **kwargs),
    )

    assert _get("planner", PASSWORD).status_code == 200
    assert _get("planner", PASSWORD).status_code == 200
    assert len(hashed) == 1
    for _ in range(5):
        _get("planner", "wrong")
    # Remembered or not, the right password waits like any other while the address must.
    assert _get("planner", PASSWORD).status_code == 429


def test_a_new_password_forgets_the_old_one_at_once(planner):
    assert _get("planner", PASSWORD).status_code == 200
    planner.set_password("another-password-2")
    planner.save()

    assert _get("planner", PASSWORD).status_code == 401
    assert _get("planner", "another-password-2").status_code == 200


def test_a_deactivated_user_is_refused_though_remembered(planner):
    assert _get("planner", PASSWORD).status_code == 200
    planner.is_active = False
    planner.save()

    assert _get("planner", PASSWORD).status_code == 401
