from datetime import date

import pytest

from app.accounting.exceptions import InvalidReportParameter
from app.accounting.selectors import clearance_report
from tests import factories

from .shapes import (
    HUONG_HOA_LAT,
    HUONG_HOA_LON,
    district,
    ha,
    on_vinh_linh_gio_linh_boundary,
    square,
)

pytestmark = pytest.mark.django_db

LON, LAT = HUONG_HOA_LON, HUONG_HOA_LAT


def row_of(report, code):
    return next(row for row in report.rows if row.code == code)


def test_clearance_in_the_year_counts_overlaps_once_and_land_outside_cha_too():
    first = square(LON, LAT, 0.005)
    second = square(LON + 0.004, LAT, 0.005)
    factories.release(first, completed_on=date(2023, 1, 1))
    factories.release(second, completed_on=date(2023, 12, 31), org="mag")
    factories.release(square(LON - 0.03, LAT), completed_on=date(2022, 12, 31))
    factories.release(square(LON + 0.03, LAT), method="reduced", completed_on=date(2023, 5, 1))

    report = clearance_report(year=2023, by="district")

    expected = ha(first.union(second))
    assert row_of(report, "465").cleared_ha == pytest.approx(expected, rel=1e-4)
    assert report.total.cleared_ha == pytest.approx(expected, rel=1e-4)
    assert report.year == 2023
    assert report.boundary_set == "2019"


def test_clearance_across_a_district_boundary_is_split():
    lon, lat = on_vinh_linh_gio_linh_boundary()
    cleared = square(lon, lat, 0.008)
    factories.release(cleared)

    report = clearance_report(year=2023, by="district")

    for code in ("464", "466"):
        expected = ha(cleared.intersection(district(code)))
        assert row_of(report, code).cleared_ha == pytest.approx(expected, rel=1e-4)
        assert 0 < expected < ha(cleared)


def test_targets_give_pct_of_target_and_none_without_a_target():
    cleared = square(LON, LAT, 0.005)
    factories.release(cleared)
    factories.target(year=2023, value=200, district="465")
    factories.target(year=2023, value=0, district="464")
    factories.target(year=2023, value=1000)
    factories.target(year=2022, value=5, district="466")

    report = clearance_report(year=2023, by="district")

    huong_hoa = row_of(report, "465")
    assert huong_hoa.target_ha == 200
    assert huong_hoa.pct_of_target == pytest.approx(ha(cleared) / 200 * 100, rel=1e-4)
    assert row_of(report, "464").target_ha == 0
    assert row_of(report, "464").pct_of_target is None
    assert row_of(report, "466").target_ha is None
    assert row_of(report, "466").pct_of_target is None
    assert report.total.target_ha == 1000
    assert report.total.pct_of_target == pytest.approx(ha(cleared) / 1000 * 100, rel=1e-4)


def test_spot_tasks_are_counted_in_the_unit_they_lie_in_and_year():
    factories.spot_task(LON, LAT, completed_on=date(2023, 3, 1), items_destroyed=4)
    factories.spot_task(LON, LAT + 0.01, completed_on=date(2023, 4, 1), items_destroyed=0)
    factories.spot_task(LON, LAT, completed_on=date(2024, 1, 1), items_destroyed=9)
    vinh_linh = district("464").representative_point()
    factories.spot_task(vinh_linh.x, vinh_linh.y, completed_on=date(2023, 5, 1), items_destroyed=3)

    report = clearance_report(year=2023, by="district")

    assert (row_of(report, "465").spot_tasks, row_of(report, "465").items_destroyed) == (2, 4)
    assert (row_of(report, "464").spot_tasks, row_of(report, "464").items_destroyed) == (1, 3)
    assert (report.total.spot_tasks, report.total.items_destroyed) == (3, 7)


def test_by_organisation_each_has_its_union_and_its_target():
    npa = square(LON, LAT, 0.005)
    mag = square(LON + 0.004, LAT, 0.005)
    factories.release(npa, org="npa")
    factories.release(mag, org="mag")
    factories.target(year=2023, value=100, org="mag")
    factories.spot_task(LON, LAT, completed_on=date(2023, 3, 1), items_destroyed=2, org="mag")

    report = clearance_report(year=2023, by="organisation")

    assert [row.code for row in report.rows] == ["mag", "npa"]
    assert row_of(report, "npa").cleared_ha == pytest.approx(ha(npa), rel=1e-4)
    assert row_of(report, "mag").cleared_ha == pytest.approx(ha(mag), rel=1e-4)
    assert row_of(report, "mag").pct_of_target == pytest.approx(ha(mag), rel=1e-4)
    assert row_of(report, "npa").pct_of_target is None
    assert row_of(report, "mag").spot_tasks == 1
    assert report.total.cleared_ha == pytest.approx(ha(npa.union(mag)), rel=1e-4)
    assert report.total.items_destroyed == 2


def test_an_empty_year_gives_zeros():
    report = clearance_report(year=2016, by="commune")

    assert len(report.rows) == 78
    assert report.total.cleared_ha == 0
    assert report.total.spot_tasks == 0
    assert report.total.pct_of_target is None


@pytest.mark.parametrize(
    ("arguments", "parameter"),
    [
        ({"year": 1800, "by": "district"}, "year"),
        ({"year": 2023, "by": "village"}, "by"),
        ({"year": 2023, "by": "district", "boundary_set": "2025"}, "boundary_set"),
        ({"year": 2023, "by": "organisation", "boundary_set": "1999"}, "boundary_set"),
    ],
)
def test_bad_parameters_are_refused_by_name(arguments, parameter):
    with pytest.raises(InvalidReportParameter) as refused:
        clearance_report(**arguments)
    assert refused.value.parameter == parameter
