"""The review pages in the reader's language: what happened to each record, how each column was
found, the words of the map's tooltips, and the districts by their English names in English."""

import json
import re

import pytest

from app.registry.models import AdminUnit
from app.uploads.models import Upload

pytestmark = pytest.mark.django_db


def map_labels(html: str) -> dict:
    found = re.search(
        r'<script id="review-map-labels" type="application/json">(.*?)</script>', html
    )
    return json.loads(found[1])


def map_data(html: str) -> dict:
    found = re.search(r'<script id="review-map-data" type="application/json">(.*?)</script>', html)
    return json.loads(found[1])


@pytest.mark.vietnamese
def test_a_batch_page_says_in_vietnamese_what_happened_and_how_columns_were_found(client, batch):
    html = " ".join(client.get(f"/review/{batch['id']}/").content.decode().split())

    # Each record's last change by its name, not the code of the history ("created").
    assert html.count('<td class="small">đã lưu (tạo mới) · coordinator-npa</td>') == 3
    assert "created ·" not in html
    # The report's columns, found by their names.
    assert "<td><code>reference</code></td><td>reference</td><td>tên</td>" in html
    labels = map_labels(html)
    assert labels["methods"]["cleared"] == "Đã rà phá"
    assert labels["kinds"]["CHA"] == "Khu vực xác nhận có nguy hiểm"


def test_the_queue_and_the_batch_map_name_districts_in_english_for_an_english_reader(client, batch):
    units = AdminUnit.objects.filter(boundary_set="2019", level="district")
    # Vietnamese name -> English name, for the districts whose names differ (Vĩnh Linh, ...).
    districts = {vi: en for vi, en in units.values_list("name_vi", "name_en") if vi != en}
    stored = [unit["name"] for unit in Upload.objects.get(pk=batch["id"]).report["districts_2019"]]

    queue = client.get("/review/").content.decode()
    html = client.get(f"/review/{batch['id']}/").content.decode()

    renamed = [name for name in stored if name in districts]
    assert renamed, "the batch should lie in a district whose English name differs"
    assert all(districts[name] in queue and name not in queue for name in renamed)
    on_map = {f["properties"]["name"] for f in map_data(html)["districts"]["features"]}
    assert on_map and not on_map & set(districts)


@pytest.mark.vietnamese
def test_the_queue_names_districts_in_vietnamese_by_default(client, batch):
    queue = client.get("/review/").content.decode()

    summary = client.get(f"/api/v1/uploads/{batch['id']}/").json()["report"]["districts_2019"]
    assert summary and all(unit["name"] in queue for unit in summary)
