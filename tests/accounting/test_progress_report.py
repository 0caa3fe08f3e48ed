from datetime import date

import pytest
from django.utils import timezone

from app.accounting.exceptions import InvalidReportParameter
from app.accounting.selectors import progress_report
from app.accounting.selectors.source import computed_from_registry
from app.registry.scopes import ReadingScope, reading
from tests import factories

from .shapes import (
    HUONG_HOA_LAT,
    HUONG_HOA_LON,
    ha,
    in_the_former_province_outside_the_2025_outline,
    square,
)

pytestmark = pytest.mark.django_db

LON, LAT = HUONG_HOA_LON, HUONG_HOA_LAT


def row_of(report, year):
    return next(row for row in report.rows if row.year == year)


def test_a_hectare_released_twice_counts_in_the_year_it_was_first_released():
    cha = square(LON, LAT, 0.01)
    first = square(LON - 0.004, LAT, 0.005)
    again_and_more = square(LON, LAT, 0.005)
    factories.hazard(cha)
    factories.release(first, method="cancelled", completed_on=date(2019, 5, 1))
    factories.release(again_and_more, completed_on=date(2021, 5, 1))

    report = progress_report(from_year=2020, to_year=2021)

    assert row_of(report, 2020).newly_released_ha == 0
    assert row_of(report, 2020).released_ha == pytest.approx(ha(first), rel=1e-4)
    assert row_of(report, 2021).newly_released_ha == pytest.approx(
        ha(again_and_more.difference(first)), rel=1e-4
    )
    assert row_of(report, 2021).cleared_ha == pytest.approx(ha(again_and_more), rel=1e-4)
    assert row_of(report, 2021).released_pct == pytest.approx(
        ha(first.union(again_and_more)) / ha(cha) * 100, rel=1e-4
    )
    assert report.cha_ha == pytest.approx(ha(cha), rel=1e-4)
    assert report.total.newly_released_ha == pytest.approx(
        ha(again_and_more.difference(first)), rel=1e-4
    )


def test_a_report_narrowed_to_some_of_its_years_is_the_report_of_those_years():
    cha = square(LON, LAT, 0.01)
    factories.hazard(cha)
    factories.release(
        square(LON - 0.004, LAT, 0.005), method="cancelled", completed_on=date(2019, 5, 1)
    )
    factories.release(square(LON, LAT, 0.005), completed_on=date(2021, 5, 1))
    factories.release(square(LON + 0.004, LAT, 0.003), completed_on=date(2022, 5, 1))
    factories.target(year=2021, value=50)
    factories.target(year=2022, value=60)

    narrowed = progress_report(from_year=2016, to_year=2023).between(2021, 2022)
    direct = progress_report(from_year=2021, to_year=2022)

    assert (narrowed.from_year, narrowed.to_year) == (2021, 2022)
    assert [row.year for row in narrowed.rows] == [2021, 2022]
    for mine, theirs in zip(narrowed.rows, direct.rows, strict=True):
        assert vars(mine) == pytest.approx(vars(theirs))
    assert vars(narrowed.total) == pytest.approx(vars(direct.total))
    assert narrowed.total.target_ha == 110


def test_cleared_land_outside_cha_is_work_done_but_not_release():
    factories.hazard(square(LON, LAT, 0.005))
    outside = square(LON + 0.03, LAT, 0.005)
    factories.release(outside, completed_on=date(2022, 2, 1))

    row = progress_report(from_year=2022, to_year=2022).rows[0]

    assert row.cleared_ha == pytest.approx(ha(outside), rel=1e-4)
    assert row.newly_released_ha == 0
    assert row.released_pct == 0


def test_targets_spot_tasks_and_villages_per_year():
    cleared = square(LON, LAT, 0.005)
    factories.release(cleared, completed_on=date(2021, 7, 1))
    factories.target(year=2021, value=50)
    factories.target(year=2021, value=10, metric="spot_tasks")
    factories.target(year=2021, value=80, district="465")
    factories.spot_task(LON, LAT, completed_on=date(2021, 1, 1), items_destroyed=5)
    factories.spot_task(LON, LAT, completed_on=date(2022, 1, 1), items_destroyed=7)
    factories.village(LON, LAT, nts_completed_on=date(2021, 12, 31))
    factories.village(LON, LAT + 0.01, nts_completed_on=date(2022, 1, 1))
    factories.village(LON, LAT - 0.01)
    factories.village(100.0, 10.0, nts_completed_on=date(2020, 1, 1))  # outside the province

    report = progress_report(from_year=2021, to_year=2022)

    first, second = report.rows
    assert first.target_ha == 50
    assert first.pct_of_target == pytest.approx(ha(cleared) / 50 * 100, rel=1e-4)
    assert first.spot_tasks_target == 10
    assert first.items_destroyed_target is None
    assert (first.spot_tasks, first.items_destroyed) == (1, 5)
    assert (first.villages_surveyed, second.villages_surveyed) == (1, 2)
    assert report.villages == 3
    assert second.villages_surveyed_pct == pytest.approx(200 / 3)
    assert second.target_ha is None
    assert second.pct_of_target is None
    assert report.total.target_ha is None
    assert (report.total.spot_tasks, report.total.items_destroyed) == (2, 12)


def test_an_empty_period_has_zeros_and_no_percentages():
    report = progress_report(from_year=2016, to_year=2025)

    assert [row.year for row in report.rows] == list(range(2016, 2026))
    assert report.boundary_set == "2019"
    assert all(
        row.released_pct is None and row.villages_surveyed_pct is None for row in report.rows
    )
    assert report.total.cleared_ha == 0


def test_the_2025_outline_leaves_out_land_of_the_former_province_it_does_not_cover():
    lon, lat = in_the_former_province_outside_the_2025_outline()
    hazard = square(lon, lat, 0.0005)
    factories.hazard(hazard)

    former = progress_report(from_year=2023, to_year=2023)
    merged = progress_report(from_year=2023, to_year=2023, boundary_set="2025")

    assert former.cha_ha == pytest.approx(ha(hazard), rel=1e-4)
    assert merged.cha_ha == 0


@pytest.mark.parametrize(
    ("arguments", "parameter"),
    [
        ({"from_year": 2020, "to_year": 2019}, "to"),
        ({"from_year": 20, "to_year": 2019}, "from"),
        ({"from_year": 2019, "to_year": 2019, "boundary_set": "2000"}, "boundary_set"),
    ],
)
def test_bad_parameters_are_refused_by_name(arguments, parameter):
    with pytest.raises(InvalidReportParameter) as refused:
        progress_report(**arguments)
    assert refused.value.parameter == parameter


def test_overlapping_hazards_and_releases_count_once_a_year():
    first = square(LON, LAT, 0.006)
    second = square(LON + 0.008, LAT, 0.006)
    factories.hazard(first)
    factories.hazard(second)
    early = square(LON + 0.004, LAT, 0.003)
    late = square(LON + 0.004, LAT, 0.006)
    factories.release(early, method="reduced", completed_on=date(2017, 3, 1))
    factories.release(late, completed_on=date(2018, 3, 1))

    report = progress_report(from_year=2017, to_year=2018)

    union = first.union(second)
    assert report.cha_ha == pytest.approx(ha(union), rel=1e-4)
    assert row_of(report, 2017).newly_released_ha == pytest.approx(ha(early), rel=1e-4)
    assert row_of(report, 2018).newly_released_ha == pytest.approx(
        ha(late.difference(early)), rel=1e-4
    )
    assert row_of(report, 2018).released_ha == pytest.approx(ha(late), rel=1e-4)


def test_surveyed_land_is_the_union_of_the_years_cancelled_and_reduced_releases():
    cancelled = square(LON, LAT, 0.004)
    # Half over the cancelled land (counts once), half beside it.
    reduced = square(LON + 0.004, LAT, 0.004)
    factories.release(cancelled, method="cancelled", completed_on=date(2022, 3, 1))
    factories.release(reduced, method="reduced", completed_on=date(2022, 9, 1))
    # Cleared land is clearance work, not survey; another year's survey counts in its year.
    factories.release(square(LON - 0.02, LAT, 0.003), completed_on=date(2022, 5, 1))
    next_year = square(LON, LAT + 0.02, 0.002)
    factories.release(next_year, method="cancelled", completed_on=date(2023, 2, 1))
    factories.target(year=2022, value=200, metric="surveyed_ha")

    report = progress_report(from_year=2022, to_year=2023)

    first, second = report.rows
    assert first.surveyed_ha == pytest.approx(ha(cancelled.union(reduced)), rel=1e-4)
    assert first.surveyed_target_ha == 200
    assert first.pct_of_surveyed_target == pytest.approx(
        ha(cancelled.union(reduced)) / 200 * 100, rel=1e-4
    )
    assert second.surveyed_ha == pytest.approx(ha(next_year), rel=1e-4)
    # No target in 2023: no percentage, and no period target either.
    assert (second.surveyed_target_ha, second.pct_of_surveyed_target) == (None, None)
    assert report.total.surveyed_ha == pytest.approx(
        ha(cancelled.union(reduced)) + ha(next_year), rel=1e-4
    )
    assert report.total.surveyed_target_ha is None


def test_surveyed_land_is_clipped_to_the_province():
    lon, lat = in_the_former_province_outside_the_2025_outline()
    inside_2019 = square(lon, lat, 0.0005)
    factories.release(inside_2019, method="reduced", completed_on=date(2021, 3, 1))

    in_2019 = progress_report(from_year=2021, to_year=2021).rows[0]
    in_2025 = progress_report(from_year=2021, to_year=2021, boundary_set="2025").rows[0]

    assert in_2019.surveyed_ha == pytest.approx(ha(inside_2019), rel=1e-4)
    assert in_2025.surveyed_ha == pytest.approx(0, abs=1e-6)


def test_surveyed_land_counts_approved_work_and_with_pending_work_what_the_reader_may_see():
    approved = square(LON, LAT, 0.003)
    npa_pending = square(LON + 0.02, LAT, 0.003)
    mag_pending = square(LON - 0.02, LAT, 0.002)
    factories.release(approved, method="cancelled", completed_on=date(2023, 3, 1), org="npa")
    factories.release(
        npa_pending, method="reduced", completed_on=date(2023, 4, 1), org="npa", status="submitted"
    )
    factories.release(
        mag_pending,
        method="cancelled",
        completed_on=date(2023, 5, 1),
        org="mag",
        status="submitted",
    )
    # A draft is nobody's figure yet.
    factories.release(
        square(LON, LAT + 0.02, 0.002),
        method="reduced",
        completed_on=date(2023, 6, 1),
        org="npa",
        status="draft",
    )
    # Deleted survey releases, approved and submitted: nobody's figure any more.
    for deleted in (
        factories.release(
            square(LON + 0.01, LAT + 0.02, 0.002), method="cancelled", completed_on=date(2023, 7, 1)
        ),
        factories.release(
            square(LON - 0.01, LAT - 0.02, 0.002),
            method="reduced",
            completed_on=date(2023, 8, 1),
            org="npa",
            status="submitted",
        ),
    ):
        type(deleted).objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
    npa = factories.organisation("npa")

    def surveyed_ha(scope: ReadingScope) -> float:
        with reading(scope):
            return progress_report(from_year=2023, to_year=2023).rows[0].surveyed_ha

    assert progress_report(from_year=2023, to_year=2023).rows[0].surveyed_ha == pytest.approx(
        ha(approved), rel=1e-4
    )
    with computed_from_registry():
        assert surveyed_ha(ReadingScope()) == pytest.approx(ha(approved), rel=1e-4)
    own = ReadingScope(include_submitted=True, submitted_by=frozenset({npa.id}))
    assert surveyed_ha(own) == pytest.approx(ha(approved) + ha(npa_pending), rel=1e-4)
    everyone = surveyed_ha(ReadingScope(include_submitted=True))
    assert everyone == pytest.approx(ha(approved) + ha(npa_pending) + ha(mag_pending), rel=1e-4)
