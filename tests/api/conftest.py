import json

import pytest


@pytest.fixture
def fetch(client):
    """GET a GeoJSON list, assert it succeeded as GeoJSON, return the parsed body."""

    def get(url: str) -> dict:
        response = client.get(url)
        assert response.status_code == 200, response.content
        assert response["Content-Type"] == "application/geo+json"
        return json.loads(response.content)

    return get


def ids(body: dict) -> list[int]:
    return [feature["id"] for feature in body["features"]]
