"""A live server for tests with real HTTP clients (urllib, GDAL), over committed rows.

pytest-django's ``live_server`` flushes every table after the test (``transactional_db``),
admin units included, which the session loads once for every other test (tests/conftest.py).
``live_site`` puts them back after the flush: its fixtures are set up in the order that makes
its own teardown run last. Import both fixtures into a test module (``from tests.live_site import
_admin_units_restored, live_site``)."""

import pytest
from pytest_django.live_server_helper import LiveServer


@pytest.fixture
def _admin_units_restored(django_db_blocker):
    yield
    from app.registry.services.admin_units import load_admin_units

    with django_db_blocker.unblock():
        load_admin_units()


@pytest.fixture
def live_site(_admin_units_restored, transactional_db):
    """The site on 127.0.0.1 at a free port: its base URL, without a trailing slash."""
    server = LiveServer("127.0.0.1:0")
    server._live_server_modified_settings.enable()
    try:
        yield server.url
    finally:
        server._live_server_modified_settings.disable()
        server.stop()
