"""Which records the maps draw and for whom: approved by default, pending work with
include=submitted (labelled, with a link to switch back), no polygons for aggregates-only users
or the public summary."""

import html
from datetime import date

import pytest
from django.test import Client
from shapely import box

from tests import factories

from .factories import INSIDE_465, square

pytestmark = pytest.mark.django_db

LON, LAT = INSIDE_465
COVERAGE = "/maps/coverage/?year=2023"
PENDING_LABEL = "Includes submitted work not yet approved"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def half_approved_quarter_submitted():
    """A CHA square whose west half is released (approved) and north-east quarter submitted."""
    factories.hazard(square(LON, LAT, 0.01))
    factories.release(box(LON - 0.01, LAT - 0.01, LON, LAT + 0.01), completed_on=date(2023, 5, 1))
    factories.release(
        box(LON, LAT, LON + 0.01, LAT + 0.01), completed_on=date(2023, 6, 1), status="submitted"
    )


def signed_in(role: str, **profile) -> Client:
    client = Client()
    client.force_login(factories.user(role, **profile))
    return client


def test_the_province_map_counts_approved_records_by_default(
    client, readable, half_approved_quarter_submitted
):
    page = readable(client.get(COVERAGE).content)

    assert "50.0%" in page
    assert "75.0%" not in page
    assert "Approved records only" in page
    assert PENDING_LABEL not in page
    assert "include=submitted" in page


def test_with_include_submitted_the_map_counts_pending_work_and_says_so(
    client, readable, half_approved_quarter_submitted
):
    page = readable(client.get(f"{COVERAGE}&include=submitted").content)

    assert "75.0%" in page
    assert f"{PENDING_LABEL} (every organisation's)" in html.unescape(page)
    assert '<a href="/maps/coverage/?year=2023">Show approved records only</a>' in page
    # The links to the district maps keep the choice.
    assert "/maps/districts/465/?year=2023&amp;boundary_set=2019&amp;include=submitted" in page


def test_the_district_map_draws_submitted_releases_only_when_asked(
    client, readable, half_approved_quarter_submitted
):
    default = readable(client.get("/maps/districts/465/?year=2023").content)
    pending = readable(client.get("/maps/districts/465/?year=2023&include=submitted").content)

    assert PENDING_LABEL not in default
    assert PENDING_LABEL in pending
    # Its polygons are the tiles of the same scope (tests/maps/test_tiles.py).
    assert '.mvt?year=2023"' in default
    assert '.mvt?year=2023&include=submitted"' in pending


def test_a_coordinators_map_with_pending_work_is_labelled_as_their_organisations(readable):
    coordinator = signed_in("field_coordinator", org="npa")

    page = readable(coordinator.get(f"{COVERAGE}&include=submitted").content)

    assert f"{PENDING_LABEL} (your organisation's)" in html.unescape(page)


def test_a_planner_has_no_toggle_and_is_refused_pending_work(half_approved_quarter_submitted):
    planner = signed_in("planner")

    default = planner.get(COVERAGE)
    refused = planner.get(f"{COVERAGE}&include=submitted")

    assert b"include=submitted" not in default.content
    assert refused.status_code == 403
    assert b"include=submitted is for analysts and field coordinators" in refused.content


def test_an_unknown_include_is_a_400(client):
    response = client.get(f"{COVERAGE}&include=drafts")

    assert response.status_code == 400
    assert b"include must be submitted" in response.content


def test_an_aggregates_only_planner_gets_the_province_map_without_polygons(
    readable, half_approved_quarter_submitted
):
    planner = signed_in("planner", aggregates_only=True)

    response = planner.get(COVERAGE)

    assert response.status_code == 200
    page = readable(response.content)
    assert "50.0%" in page
    assert "Remaining CHA" not in page
    assert '"method": "cleared"' not in page
    assert "/maps/districts/" not in page


def test_an_aggregates_only_planner_is_refused_the_district_map_with_a_reason():
    planner = signed_in("planner", aggregates_only=True)

    response = planner.get("/maps/districts/465/?year=2023")

    assert response.status_code == 403
    assert b"aggregates only" in response.content


def test_without_the_public_summary_anonymous_visitors_are_sent_to_sign_in(anonymous_client):
    response = anonymous_client.get(COVERAGE)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_public_summary_shows_district_aggregates_without_polygons(
    anonymous_client, readable, settings, half_approved_quarter_submitted
):
    settings.PUBLIC_SUMMARY = True

    response = anonymous_client.get(COVERAGE)

    assert response.status_code == 200
    page = readable(response.content)
    assert "50.0%" in page
    assert "Remaining CHA" not in page
    assert '"method": "cleared"' not in page
    assert "/maps/districts/" not in page
    assert "include=submitted" not in page


@pytest.mark.parametrize("query", ["&boundary_set=2025", "&include=submitted"])
def test_the_public_summary_sends_communes_and_pending_work_to_sign_in(
    anonymous_client, settings, query
):
    settings.PUBLIC_SUMMARY = True

    response = anonymous_client.get(f"{COVERAGE}{query}")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
