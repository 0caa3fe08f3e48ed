from datetime import date

import pytest
from shapely import Polygon, box, make_valid
from shapely.geometry import MultiPolygon

from app.accounting.exceptions import InvalidReportParameter, UnknownUnit
from app.accounting.selectors import release_report
from tests import factories

from .shapes import (
    HUONG_HOA_LAT,
    HUONG_HOA_LON,
    commune,
    district,
    ha,
    on_a_shared_commune_boundary,
    on_vinh_linh_gio_linh_boundary,
    square,
)

pytestmark = pytest.mark.django_db

AS_OF = date(2023, 12, 31)
LON, LAT = HUONG_HOA_LON, HUONG_HOA_LAT


def row_of(report, code):
    return next(row for row in report.rows if row.code == code)


def test_overlapping_releases_count_once():
    cha = square(LON, LAT, 0.01)
    first = square(LON - 0.004, LAT, 0.005)
    second = square(LON + 0.002, LAT, 0.005)
    factories.hazard(cha)
    factories.release(first)
    factories.release(second, org="mag")

    huong_hoa = row_of(release_report(as_of=AS_OF, by="district"), "465")

    expected = ha(cha.intersection(first.union(second)))
    assert huong_hoa.released_ha == pytest.approx(expected, rel=1e-4)
    assert huong_hoa.released_ha < ha(first) + ha(second)
    assert huong_hoa.cha_ha == pytest.approx(ha(cha), rel=1e-4)
    assert huong_hoa.released_pct == pytest.approx(expected / ha(cha) * 100, rel=1e-4)


def test_a_cha_crossing_a_district_boundary_is_split_between_the_districts():
    lon, lat = on_vinh_linh_gio_linh_boundary()
    cha = square(lon, lat, 0.01)
    cleared = square(lon, lat, 0.006)
    factories.hazard(cha)
    factories.release(cleared)

    report = release_report(as_of=AS_OF, by="district")

    for code in ("464", "466"):
        row = row_of(report, code)
        assert row.cha_ha == pytest.approx(ha(cha.intersection(district(code))), rel=1e-4)
        assert row.cleared_ha == pytest.approx(ha(cleared.intersection(district(code))), rel=1e-4)
        assert 0 < row.cha_ha < ha(cha)
    assert report.total.cha_ha == pytest.approx(ha(cha), rel=1e-4)
    assert sum(row.cha_ha for row in report.rows) == pytest.approx(ha(cha), rel=1e-4)


def test_holes_are_not_hazard_and_releasing_them_is_outside_cha():
    shell = square(LON, LAT, 0.01)
    hole = square(LON, LAT, 0.004)
    cha = Polygon(shell.exterior.coords, [hole.exterior.coords])
    factories.hazard(cha)
    factories.release(shell)

    report = release_report(as_of=AS_OF, by="district")

    assert row_of(report, "465").cha_ha == pytest.approx(ha(shell) - ha(hole), rel=1e-4)
    assert row_of(report, "465").released_ha == pytest.approx(ha(cha), rel=1e-4)
    assert report.total.cleared_outside_cha_ha == pytest.approx(ha(hole), rel=1e-4)


def test_every_part_of_a_multipolygon_counts():
    parts = MultiPolygon([square(LON, LAT, 0.004), square(LON + 0.02, LAT, 0.003)])
    factories.hazard(parts)
    factories.release(square(LON + 0.02, LAT, 0.01), method="reduced")

    huong_hoa = row_of(release_report(as_of=AS_OF, by="district"), "465")

    assert huong_hoa.cha_ha == pytest.approx(ha(parts), rel=1e-4)
    assert huong_hoa.reduced_ha == pytest.approx(ha(parts.geoms[1]), rel=1e-4)


def test_methods_split_released_land_with_priority_cleared_reduced_cancelled():
    cha = square(LON, LAT, 0.01)
    cancelled = box(LON - 0.01, LAT - 0.01, LON + 0.01, LAT)
    reduced = box(LON - 0.01, LAT - 0.005, LON + 0.005, LAT + 0.01)
    cleared = box(LON - 0.002, LAT - 0.01, LON + 0.01, LAT + 0.002)
    factories.hazard(cha)
    factories.release(cancelled, method="cancelled", completed_on=date(2018, 1, 1))
    factories.release(reduced, method="reduced", completed_on=date(2019, 1, 1))
    factories.release(cleared, method="cleared", completed_on=date(2017, 1, 1))

    huong_hoa = row_of(release_report(as_of=AS_OF, by="district"), "465")

    assert huong_hoa.cleared_ha == pytest.approx(ha(cleared), rel=1e-4)
    assert huong_hoa.reduced_ha == pytest.approx(ha(reduced.difference(cleared)), rel=1e-4)
    expected_cancelled = ha(cancelled.difference(cleared.union(reduced)))
    assert huong_hoa.cancelled_ha == pytest.approx(expected_cancelled, rel=1e-4)
    assert huong_hoa.released_ha == pytest.approx(
        ha(cha.intersection(cancelled.union(reduced).union(cleared))), rel=1e-4
    )
    assert huong_hoa.released_ha == (
        huong_hoa.cleared_ha + huong_hoa.reduced_ha + huong_hoa.cancelled_ha
    )


def test_sha_is_reported_apart_and_never_in_the_denominator():
    cha = square(LON, LAT, 0.005)
    sha = square(LON + 0.02, LAT, 0.008)
    factories.hazard(cha)
    factories.hazard(sha, kind="SHA")
    factories.release(cha)

    report = release_report(as_of=AS_OF, by="district")

    assert row_of(report, "465").cha_ha == pytest.approx(ha(cha), rel=1e-4)
    assert row_of(report, "465").released_pct == pytest.approx(100, rel=1e-4)
    assert report.total.sha_ha == pytest.approx(ha(sha), rel=1e-4)


def test_clearance_outside_every_cha_is_reported_apart_and_only_clearance():
    cha = square(LON, LAT, 0.005)
    outside_cleared = square(LON + 0.03, LAT, 0.004)
    outside_cancelled = square(LON - 0.03, LAT, 0.004)
    factories.hazard(cha)
    factories.release(outside_cleared)
    factories.release(outside_cancelled, method="cancelled")

    report = release_report(as_of=AS_OF, by="district")

    assert report.total.cleared_outside_cha_ha == pytest.approx(ha(outside_cleared), rel=1e-4)
    assert report.total.released_ha == 0


def test_only_releases_completed_on_or_before_the_date_count():
    cha = square(LON, LAT, 0.01)
    on_the_day = square(LON - 0.005, LAT, 0.004)
    day_after = square(LON + 0.005, LAT, 0.004)
    factories.hazard(cha)
    factories.release(on_the_day, completed_on=date(2020, 6, 30))
    factories.release(day_after, completed_on=date(2020, 7, 1))

    huong_hoa = row_of(release_report(as_of=date(2020, 6, 30), by="district"), "465")

    assert huong_hoa.released_ha == pytest.approx(ha(on_the_day), rel=1e-4)
    assert huong_hoa.cha_ha == pytest.approx(ha(cha), rel=1e-4)


def test_an_empty_store_gives_zero_hectares_and_no_percentage():
    report = release_report(as_of=AS_OF, by="district")

    assert len(report.rows) == 10
    assert report.boundary_set == "2019"
    assert all(row.cha_ha == 0 and row.released_pct is None for row in report.rows)
    assert report.total.code == "45"
    assert report.total.released_pct is None


def test_a_unit_without_cha_has_no_percentage_while_others_do():
    factories.hazard(square(LON, LAT))

    report = release_report(as_of=AS_OF, by="district")

    assert row_of(report, "465").released_pct == 0
    assert row_of(report, "464").released_pct is None


def test_communes_use_the_2025_set_and_unit_code_keeps_one_row():
    factories.hazard(square(LON, LAT))

    communes = release_report(as_of=AS_OF, by="commune")
    one = release_report(as_of=AS_OF, by="district", unit_code="465")

    assert communes.boundary_set == "2025"
    assert len(communes.rows) == 78
    assert sum(row.cha_ha for row in communes.rows) == pytest.approx(ha(square(LON, LAT)), rel=1e-4)
    assert [row.code for row in one.rows] == ["465"]


def test_districts_in_the_2025_set_are_refused():
    with pytest.raises(InvalidReportParameter) as refused:
        release_report(as_of=AS_OF, by="district", boundary_set="2025")
    assert refused.value.parameter == "boundary_set"


def test_an_unknown_level_is_refused():
    with pytest.raises(InvalidReportParameter) as refused:
        release_report(as_of=AS_OF, by="village")
    assert refused.value.parameter == "by"


def test_an_unknown_unit_code_is_refused():
    with pytest.raises(UnknownUnit):
        release_report(as_of=AS_OF, by="district", unit_code="999")


def test_overlapping_hazards_count_once_in_the_denominator():
    first = square(LON, LAT, 0.006)
    second = square(LON + 0.008, LAT + 0.002, 0.006)
    third_touching_nothing = square(LON - 0.03, LAT, 0.002)
    for cha in (first, second, third_touching_nothing):
        factories.hazard(cha)
    release = square(LON + 0.004, LAT, 0.004)
    factories.release(release)

    huong_hoa = row_of(release_report(as_of=AS_OF, by="district"), "465")

    union = first.union(second).union(third_touching_nothing)
    assert huong_hoa.cha_ha == pytest.approx(ha(union), rel=1e-4)
    assert huong_hoa.released_ha == pytest.approx(ha(release), rel=1e-4)


def test_one_release_over_two_separate_hazards_counts_in_each():
    left = square(LON - 0.006, LAT, 0.004)
    right = square(LON + 0.006, LAT, 0.004)
    factories.hazard(left)
    factories.hazard(right)
    release = box(LON - 0.008, LAT - 0.01, LON + 0.008, LAT + 0.01)
    factories.release(release, method="reduced")

    report = release_report(as_of=AS_OF, by="district")

    expected = ha(release.intersection(left.union(right)))
    assert row_of(report, "465").reduced_ha == pytest.approx(expected, rel=1e-4)
    assert report.total.cleared_outside_cha_ha == 0


def test_an_invalid_stored_polygon_is_measured_as_made_valid_instead_of_failing():
    bow_tie = Polygon(
        [
            (LON - 0.01, LAT - 0.01),
            (LON + 0.01, LAT + 0.01),
            (LON + 0.01, LAT - 0.01),
            (LON - 0.01, LAT + 0.01),
        ]
    )
    assert not bow_tie.is_valid
    factories.hazard(bow_tie)
    factories.release(square(LON, LAT, 0.01))

    huong_hoa = row_of(release_report(as_of=AS_OF, by="district"), "465")

    assert huong_hoa.cha_ha == pytest.approx(ha(make_valid(bow_tie)), rel=1e-4)
    assert huong_hoa.released_pct == pytest.approx(100, rel=1e-4)


def test_a_cha_crossing_a_commune_boundary_is_split_between_the_communes():
    code, other_code, lon, lat = on_a_shared_commune_boundary()
    cha = square(lon, lat, 0.004)
    factories.hazard(cha)

    report = release_report(as_of=AS_OF, by="commune")

    for each in (code, other_code):
        expected = ha(cha.intersection(commune(each)))
        assert row_of(report, each).cha_ha == pytest.approx(expected, rel=1e-4)
        assert 0 < expected < ha(cha)


def test_by_province_gives_the_province_as_its_one_row():
    factories.hazard(square(LON, LAT))

    report = release_report(as_of=AS_OF, by="province")

    assert [row.code for row in report.rows] == ["45"]
    assert report.rows[0].cha_ha == pytest.approx(ha(square(LON, LAT)), rel=1e-4)
