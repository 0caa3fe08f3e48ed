"""Who may change a record: analysts any; a field coordinator only their own organisation's
drafts; planners and administrators none. A record one may not see is a 404, one seen but not
changeable a 403 that says why. Aggregates-only users see no exact hazard or release polygon."""

import pytest

from tests import factories
from tests.accounting.shapes import HUONG_HOA_LAT, HUONG_HOA_LON, square
from tests.factories import api_client

pytestmark = pytest.mark.django_db

LON, LAT = HUONG_HOA_LON, HUONG_HOA_LAT


def patch_notes(client, hazard, notes="corrected"):
    return client.patch(
        f"/api/v1/records/hazards/{hazard.pk}/", {"notes": notes, "reason": "fix"}, format="json"
    )


def test_a_coordinator_corrects_their_own_draft_and_it_stays_a_draft(npa_coordinator):
    draft = factories.hazard(square(LON, LAT), status="draft", org="npa")

    response = patch_notes(api_client(npa_coordinator), draft)

    assert response.status_code == 200, response.content
    assert response.json()["properties"]["status"] == "draft"
    draft.refresh_from_db()
    assert draft.notes == "corrected"


def test_a_coordinator_cannot_change_their_own_approved_record(npa_coordinator):
    approved = factories.hazard(square(LON, LAT), status="approved", org="npa")

    response = patch_notes(api_client(npa_coordinator), approved)

    assert response.status_code == 403
    assert "drafts only" in response.json()["error"]
    approved.refresh_from_db()
    assert approved.notes == ""


def test_another_organisations_draft_does_not_exist_for_a_coordinator(npa_coordinator):
    theirs = factories.hazard(square(LON, LAT), status="draft", org="mag")
    client = api_client(npa_coordinator)

    assert patch_notes(client, theirs).status_code == 404
    assert client.get(f"/api/v1/records/hazards/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/v1/records/hazards/{theirs.pk}/history/").status_code == 404


def test_another_organisations_approved_record_is_visible_but_not_changeable(npa_coordinator):
    theirs = factories.hazard(square(LON, LAT), status="approved", org="mag")
    client = api_client(npa_coordinator)

    assert client.get(f"/api/v1/records/hazards/{theirs.pk}/").status_code == 200
    assert patch_notes(client, theirs).status_code == 403


def test_a_coordinator_cannot_move_their_draft_to_another_organisation(npa_coordinator):
    draft = factories.hazard(square(LON, LAT), status="draft", org="npa")
    factories.organisation("mag")

    response = api_client(npa_coordinator).patch(
        f"/api/v1/records/hazards/{draft.pk}/", {"organisation": "mag"}, format="json"
    )

    assert response.status_code == 403
    assert "organisation" in response.json()["error"]


def test_a_coordinator_deletes_their_own_draft_but_only_an_analyst_undoes_it(npa_coordinator, api):
    draft = factories.hazard(square(LON, LAT), status="draft", org="npa")
    client = api_client(npa_coordinator)

    assert client.delete(f"/api/v1/records/hazards/{draft.pk}/?reason=wrong").status_code == 200
    assert client.post(f"/api/v1/records/hazards/{draft.pk}/undelete/").status_code == 403
    assert api.post(f"/api/v1/records/hazards/{draft.pk}/undelete/").status_code == 200


def test_a_coordinator_cannot_restore_a_version(npa_coordinator, api):
    draft = factories.hazard(square(LON, LAT), status="draft", org="npa")
    client = api_client(npa_coordinator)
    patch_notes(client, draft)
    first = client.get(f"/api/v1/records/hazards/{draft.pk}/history/").json()["versions"][0]

    response = client.post(
        f"/api/v1/records/hazards/{draft.pk}/history/{first['id']}/restore/?reason=undo"
    )

    assert response.status_code == 403
    assert "analysts" in response.json()["error"]


@pytest.mark.parametrize("role", ["planner", "administrator"])
def test_planners_and_administrators_change_nothing(role):
    approved = factories.hazard(square(LON, LAT))
    client = api_client(factories.user(role))

    assert client.get(f"/api/v1/records/hazards/{approved.pk}/").status_code == 200
    assert patch_notes(client, approved).status_code == 403
    assert client.delete(f"/api/v1/records/hazards/{approved.pk}/?reason=x").status_code == 403


def test_a_planner_does_not_see_drafts(planner):
    draft = factories.hazard(square(LON, LAT), status="submitted")

    assert api_client(planner).get(f"/api/v1/records/hazards/{draft.pk}/").status_code == 404


def test_an_aggregates_only_planner_sees_no_hazard_or_release_polygon_but_admin_units(db):
    planner = factories.user("planner", aggregates_only=True)
    client = api_client(planner)
    hazard = factories.hazard(square(LON, LAT))
    release = factories.release(square(LON, LAT))
    from app.registry.models import AdminUnit

    unit = AdminUnit.objects.get(boundary_set="2019", code="465")

    for path in (f"hazards/{hazard.pk}/", f"releases/{release.pk}/history/"):
        response = client.get(f"/api/v1/records/{path}")
        assert response.status_code == 403
        assert "aggregates only" in response.json()["error"]
    assert client.get(f"/api/v1/records/admin-units/{unit.pk}/").status_code == 200


def test_an_anonymous_caller_is_asked_to_sign_in(anonymous_client):
    hazard = factories.hazard(square(LON, LAT))

    response = anonymous_client.get(f"/api/v1/records/hazards/{hazard.pk}/")

    assert response.status_code == 401
