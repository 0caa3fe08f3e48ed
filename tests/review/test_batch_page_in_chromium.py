"""The review page's batch map (Leaflet and review/batch_map.js from the app's static files,
its data in a json_script block) runs under the strict Content-Security-Policy in headless
Chromium (tests/chromium.py)."""

import pytest

from tests import chromium

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow,
    pytest.mark.skipif(
        chromium.CHROMIUM is None, reason="needs chromium (apt-get install chromium)"
    ),
]


def test_the_batch_map_draws_with_no_violation(client, batch):
    browser = chromium.Browser(chromium.served_by(client))
    try:
        visit = browser.visit(
            f"/review/{batch['id']}/",
            # preferCanvas: the batch is drawn on a canvas; the legend comes last.
            ready="!!document.querySelector('#review-map canvas') "
            "&& !!document.querySelector('.review-legend')",
        )
    finally:
        browser.close()

    assert visit.ready, visit
    assert visit.violations == [], visit
    assert visit.console_errors == [], visit
