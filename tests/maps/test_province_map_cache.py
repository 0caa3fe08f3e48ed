"""The province map's cache (app.maps.page_cache): a second load is a lookup, a write to the
registry makes the next load build again, and readers who see different things never share an
entry."""

import pytest
from django.test import Client

from app.maps.models import CachedProvinceMap
from tests import factories

from .factories import INSIDE_465, square

pytestmark = pytest.mark.django_db

LON, LAT = INSIDE_465
COVERAGE = "/maps/coverage/?year=2023"


def signed_in(role: str, **profile) -> Client:
    client = Client()
    client.force_login(factories.user(role, **profile))
    return client


def test_a_second_load_is_served_from_the_cache(client):
    first = client.get(COVERAGE).content
    CachedProvinceMap.objects.update(html="cached page")

    assert b"/tiles/remaining-cha/" in first
    assert client.get(COVERAGE).content == b"cached page"


def test_a_write_to_the_registry_builds_the_page_again(client):
    client.get(COVERAGE)
    CachedProvinceMap.objects.update(html="cached page")

    factories.hazard(square(LON, LAT, 0.01))

    assert client.get(COVERAGE).content != b"cached page"


def test_the_readers_nav_bar_is_never_shared(client):
    planner = factories.user("planner", username="someone-else")
    other = Client()
    other.force_login(planner)

    mine = client.get(COVERAGE).content.decode()
    theirs = other.get(COVERAGE).content.decode()

    assert "someone-else" in theirs and "someone-else" not in mine


def test_readers_with_different_visibility_never_share_an_entry(client):
    aggregates_only = signed_in("planner", aggregates_only=True)
    coordinator = signed_in("field_coordinator", org="npa")

    client.get(COVERAGE)
    client.get(f"{COVERAGE}&include=submitted")
    aggregates_only.get(COVERAGE)
    coordinator.get(f"{COVERAGE}&include=submitted")

    entries = set(CachedProvinceMap.objects.values_list("scope", "polygons", "variant"))
    assert len(entries) == 4
    aggregates_page = aggregates_only.get(COVERAGE).content
    assert b"/tiles/" not in aggregates_page
    assert b"/tiles/remaining-cha/" in client.get(COVERAGE).content
