"""Fixtures of the record tests: API clients signed in as a given user (the analyst's is ``api``)
and a field coordinator of npa; ``planner`` is the shared one (tests/conftest.py)."""

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
