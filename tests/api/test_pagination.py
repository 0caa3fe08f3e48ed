"""Pages follow OGC API Features: limit/offset, numberMatched, and next/prev links."""

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from tests import factories
from tests.api.conftest import ids
from tests.api.places import square_inside_district

pytestmark = pytest.mark.django_db


def link(body: dict, rel: str) -> str | None:
    return next((item["href"] for item in body["links"] if item["rel"] == rel), None)


def relative(href: str) -> str:
    parts = urlsplit(href)
    return f"{parts.path}?{parts.query}"


@pytest.fixture
def five_releases():
    square = square_inside_district("464")
    return [factories.release(square).id for _ in range(5)]


def test_limit_and_offset_select_a_page_in_id_order(fetch, five_releases):
    body = fetch("/api/v1/releases/?limit=2&offset=1")

    assert ids(body) == sorted(five_releases)[1:3]
    assert body["numberMatched"] == 5
    assert body["numberReturned"] == 2


def test_next_links_walk_every_feature_once(fetch, five_releases):
    seen = []
    url = "/api/v1/releases/?limit=2"
    while url:
        body = fetch(url)
        seen += ids(body)
        url = relative(link(body, "next")) if link(body, "next") else None

    assert seen == sorted(five_releases)


def test_links_keep_the_filters_and_point_both_ways(fetch, five_releases):
    body = fetch("/api/v1/releases/?method=cleared&limit=2&offset=2")

    next_query = parse_qs(urlsplit(link(body, "next")).query)
    prev_query = parse_qs(urlsplit(link(body, "prev")).query)
    assert next_query == {"method": ["cleared"], "limit": ["2"], "offset": ["4"]}
    assert prev_query == {"method": ["cleared"], "limit": ["2"], "offset": ["0"]}
    assert all(item["type"] == "application/geo+json" for item in body["links"])


def test_the_first_page_has_no_prev_and_the_last_no_next(fetch, five_releases):
    first = fetch("/api/v1/releases/?limit=2")
    last = fetch("/api/v1/releases/?limit=2&offset=4")

    assert link(first, "prev") is None
    assert link(last, "next") is None
    assert ids(last) == [max(five_releases)]


def test_the_default_page_is_a_thousand_features(fetch, five_releases):
    body = fetch("/api/v1/releases/")

    assert parse_qs(urlsplit(link(body, "self")).query) == {"limit": ["1000"], "offset": ["0"]}
    assert body["numberReturned"] == 5


def test_an_offset_past_the_end_is_an_empty_page_that_still_counts(fetch, five_releases):
    body = fetch("/api/v1/releases/?offset=10")

    assert body["features"] == []
    assert body["numberMatched"] == 5
    assert body["numberReturned"] == 0


def test_number_matched_counts_the_filtered_features(fetch, five_releases):
    factories.release(square_inside_district("464"), completed_on=date(2019, 1, 2))

    body = fetch("/api/v1/releases/?year=2019&limit=1")

    assert body["numberMatched"] == 1
