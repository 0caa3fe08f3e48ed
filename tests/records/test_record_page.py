"""/records/<layer>/<id>/: the record's attributes, state, map and history, and the forms that
edit, delete, undo and restore, each for those who may."""

import re

import pytest
from django.test import Client

from app.records import services
from app.registry.models import RecordVersion, ReleaseArea
from tests import factories
from tests.accounting.shapes import HUONG_HOA_LAT, HUONG_HOA_LON, square

pytestmark = pytest.mark.django_db

LON, LAT = HUONG_HOA_LON, HUONG_HOA_LAT


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_shows_the_record_its_map_and_its_history_with_restore_buttons(client, analyst):
    release = factories.release(square(LON, LAT))
    services.change_record(
        layer="releases",
        record_id=release.pk,
        user=analyst,
        changes={"depth_cm": 20},
        reason="depth from the completion report",
    )

    response = client.get(f"/records/releases/{release.pk}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert release.reference in page
    assert 'id="record-map"' in page
    assert "depth from the completion report" in page
    assert "30 → 20" in page
    # Two reasons asked for: the delete form and the restore form of the one past version.
    assert page.count('name="reason" class="form-control" required') == 2
    assert f"/records/releases/{release.pk}/history/" in page
    assert f'action="/records/releases/{release.pk}/edit/"' in page


def test_the_page_loads_its_map_from_the_site_only(client):
    release = factories.release(square(LON, LAT))

    page = client.get(f"/records/releases/{release.pk}/").content.decode()

    sources = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', page)
    assert "/static/maps/vendor/leaflet/leaflet.js" in sources
    assert all(source.startswith("/static/") for source in sources), sources


def test_the_edit_form_saves_and_says_so(client):
    release = factories.release(square(LON, LAT))

    response = client.post(
        f"/records/releases/{release.pk}/edit/",
        {
            "reference": release.reference,
            "method": "cleared",
            "organisation": "npa",
            "started_on": "2023-01-01",
            "completed_on": "2023-06-20",
            "depth_cm": "30",
            "reason": "date from the report",
        },
        follow=True,
    )

    assert response.status_code == 200
    release.refresh_from_db()
    assert release.completed_on.isoformat() == "2023-06-20"
    assert "date from the report" in response.content.decode()


def test_a_refused_edit_says_what_to_fix_on_the_page(client):
    release = factories.release(square(LON, LAT))

    response = client.post(
        f"/records/releases/{release.pk}/edit/",
        {"started_on": "2024-01-01", "reason": "x"},
        follow=True,
    )

    assert "started_on: " in response.content.decode()
    release.refresh_from_db()
    assert release.started_on.isoformat() == "2023-01-01"


def test_delete_undo_and_restore_through_the_page(client):
    release = factories.release(square(LON, LAT))

    client.post(f"/records/releases/{release.pk}/delete/", {"reason": "duplicate"})
    assert ReleaseArea.objects.get(pk=release.pk).deleted_at is not None
    client.post(f"/records/releases/{release.pk}/undelete/", {"reason": ""})
    assert ReleaseArea.objects.get(pk=release.pk).deleted_at is None
    client.post(f"/records/releases/{release.pk}/edit/", {"depth_cm": "10", "reason": "x"})
    assert ReleaseArea.objects.get(pk=release.pk).depth_cm == 10
    created = RecordVersion.objects.of("registry_releasearea", release.pk).order_by("id").first()

    client.post(f"/records/releases/{release.pk}/history/{created.pk}/restore/", {"reason": "undo"})

    assert ReleaseArea.objects.get(pk=release.pk).depth_cm == 30


def test_a_coordinator_sees_their_approved_record_without_forms_and_no_other_draft():
    coordinator = factories.user("field_coordinator", org="npa")
    own = factories.release(square(LON, LAT), org="npa")
    theirs = factories.release(square(LON, LAT), org="mag", status="draft")
    client = signed_in(coordinator)

    page = client.get(f"/records/releases/{own.pk}/").content.decode()
    assert "/edit/" not in page and "/restore/" not in page and "/delete/" not in page
    assert client.get(f"/records/releases/{theirs.pk}/").status_code == 404
    assert client.post(f"/records/releases/{own.pk}/edit/", {"depth_cm": "1"}).status_code == 403


def test_a_coordinator_edits_their_own_draft_on_the_page():
    coordinator = factories.user("field_coordinator", org="npa")
    draft = factories.release(square(LON, LAT), org="npa", status="draft")
    client = signed_in(coordinator)

    assert (
        f"/records/releases/{draft.pk}/edit/"
        in client.get(f"/records/releases/{draft.pk}/").content.decode()
    )
    client.post(f"/records/releases/{draft.pk}/edit/", {"depth_cm": "25"})
    draft.refresh_from_db()
    assert (draft.depth_cm, draft.status) == (25, "draft")


def test_an_aggregates_only_planner_gets_a_refusal_page_for_a_release():
    planner = factories.user("planner", aggregates_only=True)
    release = factories.release(square(LON, LAT))

    response = signed_in(planner).get(f"/records/releases/{release.pk}/")

    assert response.status_code == 403


def test_a_target_page_has_no_map(client):
    target = factories.target(year=2024, value=100)

    page = client.get(f"/records/targets/{target.pk}/").content.decode()

    assert "2024 cleared_ha" in page
    assert 'id="record-map"' not in page


def test_an_unknown_record_is_a_404_page(client):
    assert client.get("/records/releases/999999/").status_code == 404
    assert client.get("/records/minefields/1/").status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(anonymous_client):
    release = factories.release(square(LON, LAT))

    response = anonymous_client.get(f"/records/releases/{release.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
