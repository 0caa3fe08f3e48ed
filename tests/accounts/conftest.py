"""Fixtures of the accounts tests: users of each role with a known password."""

import pytest

from tests import factories

PASSWORD = factories.PASSWORD


@pytest.fixture
def planner(db):
    return factories.user("planner", username="planner")


@pytest.fixture
def coordinator(db):
    return factories.user("field_coordinator", org="npa", username="coordinator")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """These tests check many passwords; PBKDF2's 1,000,000 rounds would take most of their
    time and tell nothing about the throttling. (The production hasher is Django's default.)"""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
