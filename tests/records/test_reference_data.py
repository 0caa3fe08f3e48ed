"""Analysts manage targets, organisations and admin units; every change of a target or an
admin unit is in its history, through the same records API. Nobody else writes them."""

import pytest
from shapely.geometry import mapping, shape

from app.registry.models import AdminUnit, AnnualTarget, Organisation
from tests import factories
from tests.factories import api_client

pytestmark = pytest.mark.django_db


def test_an_analyst_adds_changes_and_deletes_a_target_and_its_history_says_so(api):
    created = api.post(
        "/api/v1/targets/",
        {
            "year": 2024,
            "metric": "cleared_ha",
            "value": "850.5",
            "admin_unit": "465",
            "reason": "plan 2024",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    target_id = created.json()["id"]
    assert created.json()["properties"]["admin_unit"] == "465"

    listed = api.get("/api/v1/targets/?year=2024").json()["results"]
    assert [(t["id"], t["admin_unit"], t["value"]) for t in listed] == [(target_id, "465", 850.5)]

    changed = api.patch(
        f"/api/v1/targets/{target_id}/", {"value": 900, "reason": "revised plan"}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["properties"]["value"] == 900

    assert api.delete(f"/api/v1/targets/{target_id}/?reason=dropped").status_code == 200
    assert api.get("/api/v1/targets/?year=2024").json()["results"] == []

    versions = api.get(f"/api/v1/records/targets/{target_id}/history/").json()["versions"]
    assert [(v["action"], v["reason"]) for v in versions] == [
        ("created", "plan 2024"),
        ("changed", "revised plan"),
        ("deleted", "dropped"),
    ]
    assert versions[1]["changes"] == [{"field": "value", "old": 850.5, "new": 900.0}]
    assert versions[0]["geometry"] is None


def test_a_second_target_for_the_same_year_metric_and_unit_is_refused(api):
    factories.target(year=2024, value=100, district="465")

    response = api.post(
        "/api/v1/targets/",
        {"year": 2024, "metric": "cleared_ha", "value": 5, "admin_unit": "465"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["parameter"] == "year"
    assert AnnualTarget.objects.count() == 1


@pytest.mark.parametrize(
    ("values", "parameter"),
    [
        ({"metric": "cleared_ha", "value": 5}, "year"),
        ({"year": 2024, "metric": "cleared_ha", "value": -1}, "value"),
        ({"year": 1900, "metric": "cleared_ha", "value": 1}, "year"),
        ({"year": 2024, "metric": "hope", "value": 1}, "metric"),
        ({"year": 2024, "metric": "cleared_ha", "value": 1, "admin_unit": "999"}, "admin_unit"),
    ],
)
def test_a_target_the_rules_refuse_is_a_400_naming_the_field(api, values, parameter):
    response = api.post("/api/v1/targets/", values, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["parameter"] == parameter


def test_a_coordinator_or_planner_writes_no_target(npa_coordinator, planner):
    target = factories.target(year=2024, value=100)
    for user in (npa_coordinator, planner):
        client = api_client(user)
        assert client.get("/api/v1/targets/").status_code == 200
        posted = client.post(
            "/api/v1/targets/", {"year": 2025, "metric": "cleared_ha", "value": 1}, format="json"
        )
        assert posted.status_code == 403
        assert "analysts" in posted.json()["error"]
        assert (
            client.patch(f"/api/v1/targets/{target.pk}/", {"value": 1}, format="json").status_code
            == 403
        )


def test_an_analyst_adds_and_renames_an_organisation(api):
    created = api.post(
        "/api/v1/organisations/",
        {"slug": "renew", "name": "Project RENEW", "kind": "ngo"},
        format="json",
    )
    assert created.status_code == 201, created.content

    renamed = api.patch(
        "/api/v1/organisations/renew/", {"name": "Project RENEW Quảng Trị"}, format="json"
    )

    assert renamed.json() == {"slug": "renew", "name": "Project RENEW Quảng Trị", "kind": "ngo"}
    assert {"slug": "renew", "name": "Project RENEW Quảng Trị", "kind": "ngo"} in api.get(
        "/api/v1/organisations/"
    ).json()


def test_an_organisation_slug_is_unique_and_its_kind_one_of_the_list(api):
    factories.organisation("npa")
    duplicate = api.post(
        "/api/v1/organisations/", {"slug": "npa", "name": "N", "kind": "ngo"}, format="json"
    )
    assert duplicate.status_code == 400
    assert duplicate.json()["parameter"] == "slug"
    wrong_kind = api.patch("/api/v1/organisations/npa/", {"kind": "club"}, format="json")
    assert wrong_kind.json()["parameter"] == "kind"
    assert (
        api.patch("/api/v1/organisations/nobody/", {"name": "x"}, format="json").status_code == 404
    )


def test_only_analysts_add_organisations(planner):
    response = api_client(planner).post(
        "/api/v1/organisations/", {"slug": "x", "name": "X", "kind": "ngo"}, format="json"
    )

    assert response.status_code == 403
    assert not Organisation.objects.filter(slug="x").exists()


def test_an_analyst_corrects_an_admin_unit_and_its_history_keeps_the_old_outline(api):
    unit = AdminUnit.objects.get(boundary_set="2019", code="465")
    outline = shape(api.get(f"/api/v1/admin-units/{unit.pk}/").json()["geometry"])
    smaller = outline.buffer(-0.001)

    response = api.patch(
        f"/api/v1/admin-units/{unit.pk}/",
        {"name_en": "Huong Hoa district", "geometry": mapping(smaller), "reason": "survey"},
        format="json",
    )

    assert response.status_code == 200, response.content
    versions = api.get(f"/api/v1/records/admin-units/{unit.pk}/history/").json()["versions"]
    assert versions[-1]["changes"][0]["field"] == "name_en"
    assert versions[-1]["geometry"]["changed"] is True
    assert versions[-1]["geometry"]["hectares_after"] < versions[-1]["geometry"]["hectares_before"]


def test_an_admin_unit_is_not_deleted_and_its_code_is_not_edited(api):
    unit = AdminUnit.objects.get(boundary_set="2019", code="465")

    deleted = api.delete(f"/api/v1/records/admin-units/{unit.pk}/?reason=x")
    assert deleted.status_code == 400
    assert "valid_to" in deleted.json()["error"]
    assert (
        api.patch(f"/api/v1/admin-units/{unit.pk}/", {"code": "1"}, format="json").json()[
            "parameter"
        ]
        == "code"
    )
    ordered = api.patch(
        f"/api/v1/admin-units/{unit.pk}/",
        {"valid_from": "2020-01-01", "valid_to": "2019-01-01"},
        format="json",
    )
    assert ordered.json()["parameter"] == "valid_to"


def test_a_coordinator_does_not_change_an_admin_unit(npa_coordinator):
    unit = AdminUnit.objects.get(boundary_set="2019", code="465")

    response = api_client(npa_coordinator).patch(
        f"/api/v1/admin-units/{unit.pk}/", {"name_en": "x"}, format="json"
    )

    assert response.status_code == 403
