"""The record page's edit form offers only the organisations the user may give the record: any
to an analyst, the record's own to a field coordinator (the service refuses the others)."""

import re

import pytest
from django.test import Client
from shapely import box

from tests import factories

pytestmark = pytest.mark.django_db

SQUARE = box(107.0, 16.8, 107.01, 16.81)


def organisation_choices(page: str) -> list[str]:
    select = re.search(r'<select[^>]*name="organisation".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


@pytest.fixture
def npa_draft():
    factories.organisation("mag")
    return factories.release(SQUARE, org="npa", status="draft")


def test_a_coordinator_is_offered_only_their_records_organisation(npa_draft):
    coordinator = Client()
    coordinator.force_login(factories.user("field_coordinator", org="npa"))

    page = coordinator.get(f"/records/releases/{npa_draft.pk}/").content.decode()

    assert organisation_choices(page) == ["npa"]


def test_an_analyst_is_offered_every_organisation(client, npa_draft):
    page = client.get(f"/records/releases/{npa_draft.pk}/").content.decode()

    assert organisation_choices(page) == ["mag", "npa"]


def test_a_coordinator_is_not_offered_to_take_a_villages_organisation_away(db):
    village = factories.village(107.0, 16.8, status="draft")
    village.organisation = factories.organisation("npa")
    village.save()
    coordinator = Client()
    coordinator.force_login(factories.user("field_coordinator", org="npa"))

    page = coordinator.get(f"/records/villages/{village.pk}/").content.decode()

    assert organisation_choices(page) == ["npa"]


def test_the_service_still_refuses_a_coordinators_move_to_another_organisation(npa_draft):
    coordinator = Client()
    coordinator.force_login(factories.user("field_coordinator", org="npa"))

    coordinator.post(f"/records/releases/{npa_draft.pk}/edit/", {"organisation": "mag"})

    npa_draft.refresh_from_db()
    assert npa_draft.organisation.slug == "npa"
