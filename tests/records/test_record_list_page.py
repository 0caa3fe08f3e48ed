"""/records/: a layer's records as far as the user may see them, filtered and paged, each row
linking to the record's page; deleted records for analysts, with a way to undo the deletion."""

import re

import pytest
from django.test import Client
from django.utils import timezone
from shapely import box

from app.records import listing
from app.registry.models import HazardArea, ReleaseArea
from gis.areas import geodesic_area_ha
from tests import factories

pytestmark = pytest.mark.django_db

SQUARE = box(107.0, 16.8, 107.01, 16.81)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def listed_ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    rows = re.search(
        r'<table class="table[^"]*record-list">.*?</table>', response.content.decode(), re.S
    )
    if rows is None:
        return set()
    return {int(n) for n in re.findall(r'<td><a href="/records/[a-z-]+/(\d+)/">', rows.group(0))}


@pytest.fixture
def releases() -> dict[str, int]:
    made = {
        "npa approved": factories.release(SQUARE, org="npa"),
        "mag approved": factories.release(SQUARE, org="mag"),
        "npa draft": factories.release(SQUARE, org="npa", status="draft"),
        "mag submitted": factories.release(SQUARE, org="mag", status="submitted"),
        "npa deleted": factories.release(SQUARE, org="npa"),
    }
    ReleaseArea.objects.filter(pk=made["npa deleted"].pk).update(deleted_at=timezone.now())
    return {name: release.pk for name, release in made.items()}


def ids(releases, *names) -> set[int]:
    return {releases[name] for name in names}


def test_an_analyst_lists_every_state_newest_first_each_row_linking_to_its_page(client, releases):
    response = client.get("/records/releases/")
    page = response.content.decode()

    assert listed_ids(response) == ids(
        releases, "npa approved", "mag approved", "npa draft", "mag submitted"
    )
    assert f'href="/records/releases/{releases["npa draft"]}/"' in page
    positions = [page.index(f'/records/releases/{pk}/"') for pk in sorted(listed_ids(response))]
    assert positions == sorted(positions, reverse=True)


def test_a_coordinator_sees_the_approved_records_and_their_own_organisations(releases):
    coordinator = factories.user("field_coordinator", org="npa")

    assert listed_ids(signed_in(coordinator).get("/records/releases/")) == ids(
        releases, "npa approved", "mag approved", "npa draft"
    )


def test_a_planner_sees_approved_records_and_is_refused_another_state(releases):
    planner = signed_in(factories.user("planner"))

    assert listed_ids(planner.get("/records/releases/")) == ids(
        releases, "npa approved", "mag approved"
    )
    refused = planner.get("/records/releases/?status=submitted")
    assert refused.status_code == 403
    assert "status=submitted is for analysts and field coordinators" in refused.content.decode()


def test_the_state_filter_lists_one_review_state(client, releases):
    assert listed_ids(client.get("/records/releases/?status=submitted")) == ids(
        releases, "mag submitted"
    )


def test_the_organisation_filter_and_the_reference_search_narrow_the_list(client, releases):
    assert listed_ids(client.get("/records/releases/?organisation=mag")) == ids(
        releases, "mag approved", "mag submitted"
    )
    reference = ReleaseArea.objects.get(pk=releases["npa draft"]).reference
    assert listed_ids(client.get(f"/records/releases/?q={reference.lower()}")) == ids(
        releases, "npa draft"
    )


def test_an_unknown_organisation_is_a_400_page_that_names_it(client, releases):
    response = client.get("/records/releases/?organisation=nobody")

    assert response.status_code == 400
    assert "organisation: no organisation with slug nobody" in response.content.decode()


def test_an_analyst_lists_the_deleted_records_with_a_button_that_undoes_the_deletion(
    client, releases
):
    response = client.get("/records/releases/?deleted=1")
    deleted = releases["npa deleted"]

    assert listed_ids(response) == {deleted}
    form = re.search(
        rf'<form method="post" action="/records/releases/{deleted}/undelete/".*?</form>',
        response.content.decode(),
        re.S,
    )
    assert form is not None and 'name="csrfmiddlewaretoken"' in form.group(0)

    client.post(f"/records/releases/{deleted}/undelete/", {"reason": ""})

    assert ReleaseArea.objects.get(pk=deleted).deleted_at is None
    assert listed_ids(client.get("/records/releases/?deleted=1")) == set()


def test_the_deleted_records_are_for_analysts_only(releases):
    coordinator = signed_in(factories.user("field_coordinator", org="npa"))

    response = coordinator.get("/records/releases/?deleted=1")

    assert response.status_code == 403
    assert "Deleted records only" not in coordinator.get("/records/releases/").content.decode()


def test_aggregates_only_users_get_villages_and_reference_data_but_no_exact_positions(releases):
    limited = signed_in(factories.user("planner", aggregates_only=True))

    assert limited.get("/records/").url == "/records/villages/"
    for layer in ("hazards", "releases", "spot-tasks"):
        response = limited.get(f"/records/{layer}/")
        assert response.status_code == 403, layer
        assert "aggregates only" in response.content.decode()
    for layer in ("villages", "targets", "admin-units"):
        assert limited.get(f"/records/{layer}/").status_code == 200, layer
    assert 'href="/records/hazards/"' not in limited.get("/records/villages/").content.decode()


def test_the_records_link_opens_the_first_layer(client):
    assert client.get("/records/").url == "/records/hazards/"


def test_a_long_list_is_paged_and_the_pages_keep_the_filters(client):
    for _ in range(listing.PAGE_SIZE + 1):
        factories.hazard(SQUARE, org="mag")
    factories.hazard(SQUARE, org="npa")

    first = client.get("/records/hazards/?organisation=mag")
    second = client.get("/records/hazards/?organisation=mag&page=2")

    assert len(listed_ids(first)) == listing.PAGE_SIZE
    assert len(listed_ids(second)) == 1
    assert 'href="?organisation=mag&amp;page=2"' in first.content.decode()
    assert f"{listing.PAGE_SIZE + 1} records" in first.content.decode()


def test_hazards_show_their_geodesic_hectares(client):
    hazard = factories.hazard(SQUARE)
    expected = geodesic_area_ha(SQUARE)

    page = client.get("/records/hazards/").content.decode()
    row = re.search(rf'/records/hazards/{hazard.pk}/".*?</tr>', page, re.S).group(0)
    assert f"{expected:.2f}" in row
    assert HazardArea.objects.count() == 1


def test_villages_and_admin_units_are_found_by_code_or_name(client):
    factories.village(107.0, 16.8, name="Làng Vây")
    factories.village(107.0, 16.8, name="Thôn Khác")

    page = client.get("/records/villages/?q=vây").content.decode()
    assert "Làng Vây" in page and "Thôn Khác" not in page
    units = client.get("/records/admin-units/?q=Vinh Linh").content.decode()
    assert "464" in units


def test_an_unknown_layer_is_a_404_page(client):
    response = client.get("/records/mines/")

    assert response.status_code == 404
    assert "no layer mines" in response.content.decode()
