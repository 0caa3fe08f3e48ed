import json

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_the_schema_lists_every_list_and_its_parameters(client):
    response = client.get("/api/v1/schema/?format=json")

    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    for path in (
        "/api/v1/admin-units/",
        "/api/v1/hazards/",
        "/api/v1/releases/",
        "/api/v1/spot-tasks/",
        "/api/v1/villages/",
        "/api/v1/organisations/",
    ):
        assert "get" in paths[path], path
    release_parameters = {p["name"] for p in paths["/api/v1/releases/"]["get"]["parameters"]}
    assert release_parameters == {
        "organisation",
        "year",
        "method",
        "admin_unit",
        "boundary_set",
        "bbox",
        "include",
        "status",
        "deleted",
        "limit",
        "offset",
    }
    for path in ("/api/v1/hazards/", "/api/v1/spot-tasks/", "/api/v1/villages/"):
        names = {p["name"] for p in paths[path]["get"]["parameters"]}
        assert {"include", "status", "deleted"} <= names, path
    status = next(
        p for p in paths["/api/v1/hazards/"]["get"]["parameters"] if p["name"] == "status"
    )
    assert status["schema"]["enum"] == ["draft", "submitted", "approved", "rejected"]
    admin_unit_parameters = {p["name"] for p in paths["/api/v1/admin-units/"]["get"]["parameters"]}
    assert not {"include", "status"} & admin_unit_parameters
    hazard_parameters = {p["name"] for p in paths["/api/v1/hazards/"]["get"]["parameters"]}
    assert "kind" in hazard_parameters
    assert "method" not in hazard_parameters
    assert (
        "application/geo+json" in paths["/api/v1/releases/"]["get"]["responses"]["200"]["content"]
    )


def test_organisations_are_listed_by_slug(client):
    factories.organisation("renew", kind="ngo")
    factories.organisation("military", kind="military")

    response = client.get("/api/v1/organisations/")

    assert response.status_code == 200
    assert json.loads(response.content) == [
        {"slug": "military", "name": "MILITARY", "kind": "military"},
        {"slug": "renew", "name": "RENEW", "kind": "ngo"},
    ]
