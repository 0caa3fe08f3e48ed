"""Shared fixtures. Database tests run on a real PostGIS (the cluster `make test` starts)."""

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the bundled admin boundaries once into the test database: every spatial statistic
    is computed against them, and they are read-only in tests."""
    from app.registry.services.admin_units import load_admin_units

    with django_db_blocker.unblock():
        load_admin_units()
