"""Fixtures of the record tests: API clients signed in per role, and a clock for the history."""

import pytest
from rest_framework.test import APIClient

from tests import factories


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def api(analyst):
    return api_client(analyst)


@pytest.fixture
def npa_coordinator(db):
    return factories.user("field_coordinator", org="npa", username="npa-coordinator")


@pytest.fixture
def planner(db):
    return factories.user("planner", username="planner")
