"""The reports, computed by app.accounting from the full demo's geometry, look like the public
record the demo is calibrated to (data/demo/README.md). One test: the full load takes seconds
and the test transaction rolls it back, so nothing leaks into other tests' database."""

import datetime as dt

import pytest

from app.accounting.selectors import progress_report, release_report
from app.demo.services import load_demo

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_reports_on_the_full_demo_match_the_public_record():
    summary = load_demo()
    assert summary.chas == 1_270
    assert summary.villages == 800

    period = progress_report(from_year=2021, to_year=2023, boundary_set="2019")
    # Public record 2021–2023: 18,568 ha cleared, 124% of plan, 76,873 items, 86% of villages.
    assert 16_000 <= period.total.cleared_ha <= 21_000
    assert 115 <= period.total.pct_of_target <= 135
    assert 74_000 <= period.total.items_destroyed <= 80_000
    assert 84 <= period.total.villages_surveyed_pct <= 88
    assert 59_000 <= period.cha_ha <= 64_000
    for row in period.rows:
        assert row.spot_tasks >= 5_000
        assert row.items_destroyed >= 20_000

    end_2023 = release_report(as_of=dt.date(2023, 12, 31), by="district").total
    # About 30% of CHA area cleared by the end of 2023; about 60% released by any method.
    assert 25 <= 100 * end_2023.cleared_ha / end_2023.cha_ha <= 35
    assert 50 <= end_2023.released_pct <= 70
    assert end_2023.cleared_outside_cha_ha > 0
    assert end_2023.sha_ha > 0
    assert end_2023.cleared_ha + end_2023.reduced_ha + end_2023.cancelled_ha == pytest.approx(
        end_2023.released_ha, rel=1e-6
    )

    early = progress_report(from_year=2016, to_year=2020, boundary_set="2019")
    # The 2016–2020 plan asked about 1,000 ha a year.
    for row in early.rows:
        assert 800 <= row.cleared_ha <= 1_500
