"""Shared fixtures. Database tests run on a real PostGIS (the cluster `make test` starts).

``client`` is signed in as an analyst, who may read and write everything, so that tests of what
the site computes need not repeat the sign-in; what each role may do is tested in tests/accounts
with ``anonymous_client`` and users of each role.

Language: the site speaks Vietnamese unless asked otherwise, but the tests read its English
messages. So every test runs in English (``settings.LANGUAGE_CODE = "en"``, which a request
without ``Accept-Language`` falls back to, and English active for code called directly), unless
it is marked ``@pytest.mark.vietnamese``: then the site's own default, Vietnamese, applies.
A test of a language choice sends ``HTTP_ACCEPT_LANGUAGE`` or sets the profile's language.
"""

import pytest
from django.test import Client
from django.utils import translation


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the bundled admin boundaries once into the test database: every spatial statistic
    is computed against them, and they are read-only in tests."""
    from app.registry.services.admin_units import load_admin_units

    with django_db_blocker.unblock():
        load_admin_units()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Users are made in hundreds of tests (the permission matrix): hash their passwords with a
    cheap hasher, as Django's own test suite does. Production keeps PBKDF2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_unless_vietnamese(request, settings):
    """English for every test not marked ``vietnamese`` (see the module's docstring)."""
    if request.node.get_closest_marker("vietnamese"):
        settings.LANGUAGE_CODE = "vi"
        with translation.override("vi"):
            yield
        return
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def empty_process_cache():
    """Django's in-process cache (the dashboard's figures, app.dashboard.cache) starts empty:
    its keys hold the registry's generation, which a test's rolled-back writes give again to
    the next test with other records."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def analyst(db):
    from tests import factories

    return factories.user("analyst", username="analyst")


@pytest.fixture
def planner(db):
    from tests import factories

    return factories.user("planner", username="planner")


@pytest.fixture
def client(analyst):
    signed_in = Client()
    signed_in.force_login(analyst)
    return signed_in


@pytest.fixture
def anonymous_client():
    return Client()
