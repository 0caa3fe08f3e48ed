import json
import re

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
        "format",
        "crs",
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


def test_the_schema_states_the_geojson_shapes_bbox_format_and_required_reasons(client):
    schema = json.loads(client.get("/api/v1/schema/?format=json").content)
    paths, components = schema["paths"], schema["components"]["schemas"]

    releases = paths["/api/v1/releases/"]["get"]
    collection = releases["responses"]["200"]["content"]["application/geo+json"]["schema"]
    assert collection == {"$ref": "#/components/schemas/GeoJSONFeatureCollection"}
    assert set(components["GeoJSONFeatureCollection"]["required"]) == {
        "type",
        "numberMatched",
        "numberReturned",
        "links",
        "features",
    }
    bbox = next(p for p in releases["parameters"] if p["name"] == "bbox")
    assert re.fullmatch(bbox["schema"]["pattern"], "106.9,16.6,107.2,16.9")
    assert not re.fullmatch(bbox["schema"]["pattern"], "106.9,16.6,107.2")
    record = paths["/api/v1/records/{layer}/{record_id}/"]
    assert list(record["get"]["responses"]["200"]["content"]) == ["application/geo+json"]
    delete_reason = next(p for p in record["delete"]["parameters"] if p["name"] == "reason")
    assert delete_reason["required"] is True
    reject = paths["/api/v1/uploads/{upload_id}/reject/"]["post"]["requestBody"]["content"]
    assert components["ReasonRequest"]["required"] == ["reason"]
    assert reject["application/json"]["schema"] == {"$ref": "#/components/schemas/ReasonRequest"}
    review = paths["/api/v1/records/{layer}/{record_id}/review/"]["post"]["requestBody"]
    refusals = [
        option
        for option in review["content"]["application/json"]["schema"]["oneOf"]
        if "reject" in option["properties"]["decision"]["enum"]
    ]
    assert refusals[0]["required"] == ["decision", "reason"]
    for code in ("400", "401", "403", "404", "409"):
        assert code in paths["/api/v1/uploads/{upload_id}/reject/"]["post"]["responses"], code


def test_organisations_are_listed_by_slug(client):
    factories.organisation("renew", kind="ngo")
    factories.organisation("military", kind="military")

    response = client.get("/api/v1/organisations/")

    assert response.status_code == 200
    assert json.loads(response.content) == [
        {"slug": "military", "name": "MILITARY", "kind": "military"},
        {"slug": "renew", "name": "RENEW", "kind": "ngo"},
    ]
