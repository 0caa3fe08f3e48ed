"""GET /api/v1/auth/me/: who the caller is and what the policy lets them do."""

import pytest
from rest_framework.test import APIClient

from tests import factories

pytestmark = pytest.mark.django_db

FLAGS = (
    "can_view_data",
    "sees_polygons",
    "sees_all_records",
    "can_review",
    "can_upload",
    "can_change_any_record",
    "can_manage_reference_data",
    "can_manage_users",
)


def _me(user) -> dict:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/v1/auth/me/")
    assert response.status_code == 200
    return response.json()


def _granted(me: dict) -> set[str]:
    return {flag for flag in FLAGS if me[flag]}


def test_a_coordinator_is_told_their_organisation_and_that_they_upload(coordinator):
    me = _me(coordinator)

    assert me["username"] == "coordinator"
    assert me["roles"] == ["field_coordinator"]
    assert me["organisation"] == "npa"
    assert me["aggregates_only"] is False
    assert _granted(me) == {"can_view_data", "sees_polygons", "can_upload"}


def test_an_analyst_may_do_everything_but_manage_users(analyst):
    assert _granted(_me(analyst)) == set(FLAGS) - {"can_manage_users"}


def test_an_aggregates_only_planner_sees_no_polygons(db):
    me = _me(factories.user("planner", aggregates_only=True))

    assert me["aggregates_only"] is True
    assert _granted(me) == {"can_view_data"}


def test_an_administrator_manages_users_and_reads_approved_data_only(db):
    assert _granted(_me(factories.user("administrator"))) == {
        "can_view_data",
        "sees_polygons",
        "can_manage_users",
    }


def test_an_anonymous_caller_is_a_401():
    assert APIClient().get("/api/v1/auth/me/").status_code == 401
