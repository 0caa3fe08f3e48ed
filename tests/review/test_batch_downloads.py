"""The review page's download buttons: the batch's file as it was sent, and the organisation's
records with the work under review as feature exports."""

import html
import re

import pytest

pytestmark = pytest.mark.django_db

HREF = re.compile(r'<a [^>]*href="([^"]+)"[^>]*data-format')


def test_the_batch_page_links_the_file_as_sent_and_the_waiting_records(client, batch):
    page = client.get(f"/review/{batch['id']}/")

    assert page.status_code == 200
    hrefs = [html.unescape(href) for href in HREF.findall(page.content.decode())]
    assert f"/api/v1/uploads/{batch['id']}/original/" in hrefs
    assert "/api/v1/releases/?include=submitted&organisation=npa&format=gpkg" in hrefs
    original = client.get(f"/api/v1/uploads/{batch['id']}/original/")
    assert original.status_code == 200
