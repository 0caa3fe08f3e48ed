"""The review page draws the batch's polygons (its map's data is in the page): never stored by
a browser or proxy (app.accounts.headers)."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_batch_page_and_its_map_data_are_not_stored(client, batch):
    response = client.get(f"/review/{batch['id']}/")

    assert response.status_code == 200
    assert 'id="review-map-data"' in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_the_review_queue_of_figures_needs_no_such_header(client, batch):
    assert "no-store" not in client.get("/review/").get("Cache-Control", "")
