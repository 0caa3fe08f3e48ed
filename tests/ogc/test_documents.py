"""The documents around the items: landing page, conformance, OpenAPI definition, collections
with their extents in the reader's scope, queryables; JSON for clients, HTML for browsers."""

import json
from contextlib import contextmanager
from datetime import date

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance
from shapely import box

from app.accounts.services import create_token
from tests import factories

pytestmark = pytest.mark.django_db

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def get(client, url: str, **headers) -> dict:
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def rels(body: dict) -> dict[str, dict]:
    return {link["rel"]: link for link in body["links"]}


def test_the_landing_page_links_what_the_standard_asks_for(client):
    links = rels(get(client, "/ogc/"))

    assert links["self"]["type"] == "application/json"
    assert links["alternate"]["type"] == "text/html"
    assert links["service-desc"]["href"].endswith("/ogc/api")
    assert links["service-desc"]["type"].startswith("application/vnd.oai.openapi+json")
    assert links["conformance"]["href"].endswith("/ogc/conformance")
    assert links["data"]["href"].endswith("/ogc/collections")


def test_conformance_names_core_geojson_html_openapi_and_crs(client):
    classes = get(client, "/ogc/conformance")["conformsTo"]

    for name in ("1.0/conf/core", "1.0/conf/geojson", "1.0/conf/html", "1.0/conf/oas30"):
        assert f"http://www.opengis.net/spec/ogcapi-features-1/{name}" in classes
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in classes


def test_a_collection_states_its_extent_in_the_readers_scope(client):
    square = box(106.90, 16.70, 106.91, 16.71)
    factories.release(square, completed_on=date(2019, 3, 1))
    factories.release(box(107.00, 16.80, 107.01, 16.81), completed_on=date(2023, 9, 30))
    factories.release(box(107.20, 16.90, 107.21, 16.91), status="submitted")

    collection = get(client, "/ogc/collections/releases")

    assert collection["itemType"] == "feature"
    assert collection["storageCrs"] == "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    assert "http://www.opengis.net/def/crs/EPSG/0/9212" in collection["crs"]
    assert collection["extent"]["spatial"]["bbox"] == [
        pytest.approx([106.90, 16.70, 107.01, 16.81])
    ]
    assert collection["extent"]["temporal"]["interval"] == [
        ["2019-03-01T00:00:00Z", "2023-09-30T23:59:59Z"]
    ]
    with_pending = get(client, "/ogc/collections/releases?include=submitted")
    assert with_pending["extent"]["spatial"]["bbox"][0][2] == pytest.approx(107.21)
    items = [link["type"] for link in collection["links"] if link["rel"] == "items"]
    assert items == ["application/geo+json", "text/html"]
    assert rels(collection)["http://www.opengis.net/def/rel/ogc/1.0/queryables"]


def test_collections_list_each_one_with_its_links(client):
    body = get(client, "/ogc/collections")

    assert [c["id"] for c in body["collections"]] == [
        "hazards",
        "releases",
        "spot-tasks",
        "villages",
        "districts-2019",
        "communes-2025",
        "remaining-cha",
        "released-land",
    ]
    districts = body["collections"][4]
    assert "temporal" not in districts["extent"]
    west, south, east, north = districts["extent"]["spatial"]["bbox"][0]
    assert 106 < west < east < 108 and 16 < south < north < 18


def test_queryables_are_a_json_schema_of_the_collections_filters(client):
    response = client.get("/ogc/collections/releases/queryables")

    assert response["Content-Type"] == "application/schema+json"
    schema = json.loads(response.content)
    assert schema["type"] == "object"
    assert set(schema["properties"]) == {
        "organisation",
        "method",
        "status",
        "admin_unit",
        "datetime",
    }
    assert schema["properties"]["method"]["enum"] == ["cancelled", "reduced", "cleared"]


def test_a_browser_gets_html_and_a_client_json(client):
    for path in ("/ogc/", "/ogc/conformance", "/ogc/collections", "/ogc/collections/hazards"):
        page = client.get(path, HTTP_ACCEPT=BROWSER)
        assert page["Content-Type"].startswith("text/html"), path
        # The site's strict policy: no inline script or style on these pages.
        assert "'unsafe-inline'" not in page["Content-Security-Policy"]
        text = page.content.decode()
        assert "<script>" not in text and "style=" not in text and "<style" not in text
        assert client.get(path, HTTP_ACCEPT="*/*")["Content-Type"] == "application/json"
        assert client.get(path, HTTP_ACCEPT=BROWSER + ",")["Content-Type"].startswith("text/")


def test_f_chooses_the_format_and_an_unknown_one_is_a_400(client):
    assert client.get("/ogc/collections?f=html")["Content-Type"].startswith("text/html")
    assert client.get("/ogc/collections?f=json", HTTP_ACCEPT=BROWSER)["Content-Type"] == (
        "application/json"
    )
    response = client.get("/ogc/collections?f=xml")
    assert response.status_code == 400
    assert "json, html" in json.loads(response.content)["description"]


def test_the_api_definition_is_openapi_3_with_every_collections_items(client):
    response = client.get("/ogc/api")

    assert response["Content-Type"] == "application/vnd.oai.openapi+json;version=3.0"
    definition = json.loads(response.content)
    assert definition["openapi"].startswith("3.0")
    for collection in ("hazards", "releases", "spot-tasks", "villages", "districts-2019"):
        assert f"/ogc/collections/{collection}/items" in definition["paths"]
    assert "/ogc/collections/releases/items/{featureId}" in definition["paths"]
    assert client.get("/ogc/api?f=html")["Content-Type"].startswith("text/html")


@contextmanager
def in_test_transaction():
    """Django's own handler in this thread, inside the test's transaction (as in
    tests/api/test_openapi_conformance.py). Entered after the last request of Django's test
    client, which connects the signal handlers again when it is done."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.slow
def test_requests_generated_from_the_definition_get_no_server_error(client, settings):
    settings.RATE_LIMIT_USER_PER_MINUTE = 0
    settings.RATE_LIMIT_ADDRESS_PER_MINUTE = 0
    factories.release(box(106.90, 16.70, 106.91, 16.71))
    factories.hazard(box(106.90, 16.70, 106.91, 16.71))
    token = create_token(user=factories.user("field_coordinator", org="npa")).key
    schema = schemathesis.openapi.from_dict(json.loads(client.get("/ogc/api").content))
    schema.app = get_wsgi_application()
    headers = {"Authorization": f"Token {token}", "Accept-Encoding": "identity"}
    failures = []
    with in_test_transaction():
        _exercise(schema, headers, failures)
    assert not failures, "\n\n".join(failures)


def _exercise(schema, headers: dict, failures: list) -> None:
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @hypothesis.settings(
                max_examples=5,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
                report_multiple_bugs=False,
            )
            @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
            def check(case):
                with transaction.atomic():
                    case.call_and_validate(
                        headers=headers, checks=[not_a_server_error, status_code_conformance]
                    )

            try:
                check()
            except hypothesis.errors.Unsatisfiable:
                continue
            except (Exception, BaseExceptionGroup) as failure:
                failures.append(f"{operation.label} ({mode.value}): {failure}")
