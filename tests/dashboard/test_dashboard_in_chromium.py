"""The dashboard in headless Chromium (tests/chromium.py), offline: Chart.js, served from the
site's static files, draws every chart (a canvas each, a Chart instance each), with no console
error, no Content-Security-Policy violation and no request for anything but 127.0.0.1; the
charts' ticks are written in the reader's convention; a click on a column header sorts the
table by that column's raw numbers."""

from datetime import date
from urllib.parse import urlsplit

import pytest

from tests import chromium, factories
from tests.accounting.shapes import HUONG_HOA_LAT, HUONG_HOA_LON, square

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow,
    pytest.mark.skipif(
        chromium.CHROMIUM is None, reason="needs chromium (apt-get install chromium)"
    ),
]

LON, LAT = HUONG_HOA_LON, HUONG_HOA_LAT
CHARTS = ("chart-cleared", "chart-released", "chart-work", "chart-forecast", "chart-units")
DRAWN = (
    "document.readyState === 'complete' && typeof Chart === 'function' && "
    f"Object.keys(Chart.instances).length === {len(CHARTS)}"
)
# The units table's "cleared (ha)" column, top to bottom, as the raw numbers it sorts by.
CLEARED_COLUMN = (
    "Array.from(document.querySelectorAll('table[data-table=units] tbody tr'))"
    ".map(row => Number(row.cells[2].dataset.sort))"
)


@pytest.fixture
def work():
    factories.hazard(square(LON, LAT, 0.01))
    for year, half_side in ((2021, 0.002), (2022, 0.003), (2023, 0.004)):
        factories.release(
            square(LON - 0.005 + (year - 2021) * 0.005, LAT, half_side),
            completed_on=date(year, 5, 1),
        )
    # Another district clears less, so sorting has something to do.
    factories.release(square(107.05, 16.85, 0.001), completed_on=date(2023, 5, 1))
    factories.spot_task(LON, LAT, completed_on=date(2023, 3, 1), items_destroyed=1234)
    factories.target(year=2023, value=1500)


@pytest.mark.parametrize(("language", "thousands"), [("vi", "1.000"), ("en", "1,000")])
def test_the_dashboard_draws_its_charts_offline_and_sorts_a_table(
    client, analyst, work, language, thousands
):
    analyst.profile.language = language
    analyst.profile.save()
    browser = chromium.Browser(chromium.served_by(client))
    try:
        visit = browser.visit("/dashboard/?year=2023", ready=DRAWN)
        canvases = browser._evaluate(
            "Array.from(document.querySelectorAll('canvas')).map(c => c.id)"
        )
        drawn = browser._evaluate("Object.values(Chart.instances).map(chart => chart.canvas.id)")
        # The work chart's items axis (items destroyed: 1,234 in 2023, a tick at 1,000) in the
        # reader's marks.
        items_ticks = browser._evaluate(
            "Chart.getChart('chart-work').scales.items.ticks.map(tick => tick.label)"
        )
        before = browser._evaluate(CLEARED_COLUMN)
        browser._evaluate(
            "document.querySelector('table[data-table=units] th:nth-child(3) button').click()"
        )
        descending = browser._evaluate(CLEARED_COLUMN)
        browser._evaluate(
            "document.querySelector('table[data-table=units] th:nth-child(3) button').click()"
        )
        ascending = browser._evaluate(CLEARED_COLUMN)
    finally:
        browser.close()

    assert visit.ready, visit
    assert sorted(canvases) == sorted(CHARTS)
    assert sorted(drawn) == sorted(CHARTS)
    assert visit.console_errors == [], visit
    assert visit.violations == [], visit
    # Bootstrap's select arrow is a data: image, no request to anyone.
    remote = [url for url in visit.browser_requests if not url.startswith("data:")]
    assert {urlsplit(url).hostname for url in remote} == {"127.0.0.1"}, visit
    assert any("/static/maps/vendor/chart.js/chart.umd.js" in path for path in visit.requests)
    assert any(thousands in label for label in items_ticks), items_ticks
    assert before != descending
    assert descending == sorted(before, reverse=True)
    assert ascending == sorted(before)
