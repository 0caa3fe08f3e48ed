"""Rate limits on the expensive endpoints (app.accounts.rate_limits): statistics, maps,
GeoJSON lists and new uploads, per user and per address, 429 with Retry-After. The counters'
clock is stopped; the limits are made small to keep the tests short."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from rest_framework.test import APIClient

from app.accounts import rate_limits
from app.accounts.models import RateCounter
from tests import factories

pytestmark = pytest.mark.django_db

HOME = "198.51.100.2"
OFFICE = "203.0.113.7"


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        moment = datetime(2026, 12, 5, 1, 0, 20, tzinfo=UTC)

        def __call__(self):
            return self.moment

        def advance(self, seconds: float) -> None:
            self.moment += timedelta(seconds=seconds)

    stopped = Clock()
    monkeypatch.setattr(rate_limits, "now", stopped)
    return stopped


@pytest.fixture
def limits(settings):
    settings.RATE_LIMIT_USER_PER_MINUTE = 3
    settings.RATE_LIMIT_ADDRESS_PER_MINUTE = 5
    return settings


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def _browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


STATS = "/api/v1/stats/clearance/?year=2023&by=district"
EXPENSIVE_API = [STATS, "/api/v1/stats/release/?as_of=2023-12-31", "/api/v1/admin-units/"]


@pytest.mark.parametrize("path", EXPENSIVE_API + ["/api/v1/hazards/", "/api/v1/villages/"])
def test_past_the_users_limit_the_api_answers_429_with_retry_after(analyst, limits, clock, path):
    api = _api(analyst)
    assert [api.get(path, REMOTE_ADDR=HOME).status_code for _ in range(3)] == [200] * 3

    refused = api.get(path, REMOTE_ADDR=HOME)

    assert refused.status_code == 429
    assert refused["Retry-After"] == "40"
    assert "throttled" in refused.json()["error"]


def test_the_limit_is_per_user_and_shared_by_the_expensive_endpoints(
    analyst, planner, limits, clock
):
    api = _api(analyst)
    for path in EXPENSIVE_API:
        api.get(path, REMOTE_ADDR=HOME)

    assert api.get("/api/v1/releases/", REMOTE_ADDR=HOME).status_code == 429
    assert _api(planner).get(STATS, REMOTE_ADDR=OFFICE).status_code == 200


def test_cheap_endpoints_are_not_counted(analyst, limits, clock):
    api = _api(analyst)
    for _ in range(10):
        assert api.get("/api/v1/auth/me/", REMOTE_ADDR=HOME).status_code == 200

    assert api.get(STATS, REMOTE_ADDR=HOME).status_code == 200


def test_the_next_minute_lets_the_user_in_again(analyst, limits, clock):
    api = _api(analyst)
    for _ in range(4):
        api.get(STATS, REMOTE_ADDR=HOME)
    assert api.get(STATS, REMOTE_ADDR=HOME).status_code == 429

    clock.advance(40)

    assert api.get(STATS, REMOTE_ADDR=HOME).status_code == 200
    assert RateCounter.objects.filter(key=f"user {analyst.pk}").count() == 1


def test_past_the_addresss_limit_every_user_there_waits_and_no_one_elsewhere(limits, clock):
    users = [factories.user("planner", username=f"planner-{n}") for n in range(3)]
    for user in users[:2]:
        for _ in range(2):
            assert _api(user).get(STATS, REMOTE_ADDR=OFFICE).status_code == 200
    assert _api(users[2]).get(STATS, REMOTE_ADDR=OFFICE).status_code == 200

    assert _api(users[2]).get(STATS, REMOTE_ADDR=OFFICE).status_code == 429
    assert _api(users[2]).get(STATS, REMOTE_ADDR=HOME).status_code == 200


def test_a_token_counts_against_its_user(analyst, limits, clock):
    from app.accounts.services import create_token

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {create_token(user=analyst).key}")
    for _ in range(3):
        api.get(STATS, REMOTE_ADDR=HOME)

    assert _api(analyst).get(STATS, REMOTE_ADDR=OFFICE).status_code == 429


def test_the_maps_are_limited_with_a_page_saying_when(analyst, limits, clock):
    browser = _browser(analyst)
    for _ in range(3):
        assert browser.get("/maps/districts/464/?year=2023").status_code == 200

    page = browser.get("/maps/coverage/?year=2023")

    assert page.status_code == 429
    assert page["Retry-After"] == "40"
    assert "try again in 40 s" in page.content.decode()


def test_new_uploads_are_limited_and_reading_them_is_not(limits, clock, settings, tmp_path):
    settings.UPLOAD_ROOT = tmp_path
    coordinator = factories.user("field_coordinator", org="npa", username="coordinator")
    api = _api(coordinator)
    for _ in range(3):
        sent = api.post("/api/v1/uploads/", {}, format="multipart", REMOTE_ADDR=HOME)
        assert sent.status_code == 400  # no file: refused, but counted

    assert api.post("/api/v1/uploads/", {}, format="multipart").status_code == 429
    assert api.get("/api/v1/uploads/").status_code == 200


def test_zero_turns_the_limits_off(analyst, settings, clock):
    settings.RATE_LIMIT_USER_PER_MINUTE = 0
    settings.RATE_LIMIT_ADDRESS_PER_MINUTE = 0
    api = _api(analyst)

    assert {api.get(STATS).status_code for _ in range(8)} == {200}
    assert not RateCounter.objects.exists()


def test_the_schema_says_which_endpoints_answer_429(client):
    paths = client.get("/api/v1/schema/?format=json").json()["paths"]

    limited = {
        (path, method)
        for path, operations in paths.items()
        for method, operation in operations.items()
        if "429" in operation.get("responses", {})
    }
    assert {
        ("/api/v1/stats/release/", "get"),
        ("/api/v1/stats/clearance/", "get"),
        ("/api/v1/stats/progress/", "get"),
        ("/api/v1/hazards/", "get"),
        ("/api/v1/admin-units/", "get"),
        ("/api/v1/uploads/", "post"),
    } <= limited
    assert ("/api/v1/uploads/", "get") not in limited


def test_ogc_items_pages_are_counted_apart_from_the_reports(analyst, limits, clock):
    """GDAL and QGIS read a layer 10 features a page: past the reports' limit, the pages go on
    until their own (RATE_LIMIT_FEATURES_*), and the reports stay refused."""
    limits.RATE_LIMIT_FEATURES_USER_PER_MINUTE = 6
    limits.RATE_LIMIT_FEATURES_ADDRESS_PER_MINUTE = 100
    api = _api(analyst)
    for _ in range(4):
        api.get(STATS, REMOTE_ADDR=HOME)
    assert api.get(STATS, REMOTE_ADDR=HOME).status_code == 429

    pages = [
        api.get("/ogc/collections/districts-2019/items?limit=1", REMOTE_ADDR=HOME).status_code
        for _ in range(7)
    ]

    assert pages == [200] * 6 + [429]
    assert api.get(STATS, REMOTE_ADDR=HOME).status_code == 429
