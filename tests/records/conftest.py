"""Fixtures of the record tests: API clients signed in as a given user (the analyst's is ``api``)
and a field coordinator of npa; ``planner`` is the shared one (tests/conftest.py)."""

import pytest

from tests import factories
from tests.factories import api_client


@pytest.fixture
def api(analyst):
    return api_client(analyst)


@pytest.fixture
def npa_coordinator(db):
    return factories.user("field_coordinator", org="npa", username="npa-coordinator")
