"""The printable report in headless Chromium, offline: its stylesheet and its PNG pictures
(data: URIs) load under the site's strict Content-Security-Policy, with no console error and no
request for anything but 127.0.0.1 (tests/chromium.py)."""

from urllib.parse import urlsplit

import pytest

from tests import chromium

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow,
    pytest.mark.skipif(
        chromium.CHROMIUM is None, reason="needs chromium (apt-get install chromium)"
    ),
]

# The forecast chart and the two maps, each decoded to a picture of some width.
PICTURES_DRAWN = """(function () {
  var pictures = Array.from(document.querySelectorAll('.report figure img'));
  return document.readyState === 'complete' && pictures.length === 3
    && pictures.every(function (img) { return img.complete && img.naturalWidth > 100; });
})()"""
STYLED = "getComputedStyle(document.querySelector('.report-table td:nth-child(2)')).textAlign"


def test_the_report_page_loads_offline_with_its_pictures_and_no_policy_violation(
    client, recorded_work
):
    browser = chromium.Browser(chromium.served_by(client))
    try:
        visit = browser.visit("/reports/annual/2023/?lang=en", ready=PICTURES_DRAWN)
        alignment = browser._evaluate(STYLED)
    finally:
        browser.close()

    assert visit.ready, visit
    assert alignment == "right"
    assert visit.console_errors == [], visit
    assert visit.violations == [], visit
    assert {urlsplit(url).hostname for url in visit.browser_requests} <= {"127.0.0.1", None}, visit
