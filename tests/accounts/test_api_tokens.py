"""API tokens: made with a user name and password, listed and revoked by their owner, sent as
``Authorization: Token <key>``; a revoked token opens nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from app.accounts.models import ApiToken, token_digest
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _token(username: str, name: str = "notebook") -> dict:
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": username, "password": PASSWORD, "name": name},
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def _with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_is_made_from_a_user_name_and_password_and_stored_as_its_digest(planner):
    made = _token("planner")

    assert set(made) == {"token", "id", "name", "prefix", "created_at", "last_used_at"} | {
        "expires_at"
    }
    assert made["name"] == "notebook"
    assert made["token"].startswith(made["prefix"])
    stored = ApiToken.objects.get(pk=made["id"])
    assert stored.user == planner
    assert stored.digest == token_digest(made["token"])
    assert made["token"] not in {stored.digest, stored.prefix, stored.name}


def test_a_form_post_without_a_name_makes_a_token_too(planner):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "planner", "password": PASSWORD}
    )

    assert response.status_code == 201
    assert response.json()["name"] == "API token"


def test_a_wrong_password_is_a_400_that_makes_no_token(planner):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "planner", "password": "wrong"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["parameter"] == "password"
    assert not ApiToken.objects.exists()


def test_a_missing_user_name_is_a_400_that_names_it():
    response = APIClient().post("/api/v1/auth/token/", {"password": "x"}, format="json")

    assert response.status_code == 400
    assert response.json()["parameter"] == "username"


def test_a_token_opens_a_data_endpoint_and_records_its_use(planner):
    made = _token("planner")

    response = _with(made["token"]).get("/api/v1/organisations/")

    assert response.status_code == 200
    assert ApiToken.objects.get(pk=made["id"]).last_used_at is not None


def test_a_tokens_use_is_written_at_most_once_a_minute(planner):
    made = _token("planner")
    client = _with(made["token"])
    token = ApiToken.objects.filter(pk=made["id"])
    seconds_ago = timezone.now() - timedelta(seconds=30)
    token.update(last_used_at=seconds_ago)

    client.get("/api/v1/organisations/")
    kept = token.get().last_used_at
    token.update(last_used_at=seconds_ago - timedelta(minutes=2))
    client.get("/api/v1/organisations/")

    assert kept == seconds_ago
    assert token.get().last_used_at > seconds_ago


def test_without_a_token_a_data_endpoint_is_a_401():
    response = APIClient().get("/api/v1/organisations/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="landrelease", Token'


def test_the_owner_lists_their_own_active_tokens_only(planner, coordinator):
    first = _token("planner", "first")
    second = _token("planner", "second")
    _token("coordinator", "someone else's")

    listed = _with(first["token"]).get("/api/v1/auth/tokens/").json()

    assert [token["id"] for token in listed] == [second["id"], first["id"]]
    assert "token" not in listed[0]
    assert listed[0]["prefix"] == second["prefix"]


def test_a_revoked_token_gets_a_401(planner):
    kept = _token("planner", "kept")
    revoked = _token("planner", "revoked")

    response = _with(kept["token"]).delete(f"/api/v1/auth/tokens/{revoked['id']}/")

    assert response.status_code == 204
    assert _with(revoked["token"]).get("/api/v1/organisations/").status_code == 401
    assert [t["id"] for t in _with(kept["token"]).get("/api/v1/auth/tokens/").json()] == [
        kept["id"]
    ]


def test_another_users_token_cannot_be_revoked_and_is_not_found(planner, coordinator):
    mine = _token("planner")
    theirs = _token("coordinator")

    response = _with(mine["token"]).delete(f"/api/v1/auth/tokens/{theirs['id']}/")

    assert response.status_code == 404
    assert _with(theirs["token"]).get("/api/v1/organisations/").status_code == 200


def test_an_inactive_users_token_gets_a_401(planner):
    made = _token("planner")
    planner.is_active = False
    planner.save()

    assert _with(made["token"]).get("/api/v1/organisations/").status_code == 401


def test_a_user_without_a_role_gets_a_token_but_no_data(db):
    from django.contrib.auth.models import User

    User.objects.create_user("no-role", password=PASSWORD)
    made = _token("no-role")

    assert _with(made["token"]).get("/api/v1/organisations/").status_code == 403
    assert _with(made["token"]).get("/api/v1/auth/me/").json()["roles"] == []


def test_the_schema_documents_the_auth_endpoints(client):
    paths = client.get("/api/v1/schema/?format=json").json()["paths"]

    assert "post" in paths["/api/v1/auth/token/"]
    assert "get" in paths["/api/v1/auth/tokens/"]
    assert "delete" in paths["/api/v1/auth/tokens/{token_id}/"]
    assert "get" in paths["/api/v1/auth/me/"]


def test_signed_in_by_session_a_revoke_needs_the_csrf_token(planner):
    made = _token("planner")
    browser = APIClient(enforce_csrf_checks=True)
    browser.login(username="planner", password=PASSWORD)

    response = browser.delete(f"/api/v1/auth/tokens/{made['id']}/")

    assert response.status_code == 403
    assert ApiToken.objects.get(pk=made["id"]).revoked_at is None
