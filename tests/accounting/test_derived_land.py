"""The derived land (remaining CHA, released land by method) as of a date, dissolved per unit:
its geometry against shapes cut with shapely and measured with pyproj.Geod, its hectares
against the release report's, and the records each reading scope lets it see."""

from datetime import date

import pytest
import shapely.wkb
from django.utils import timezone
from shapely.geometry import box

from app.accounting.selectors import release_report
from app.accounting.selectors.derived_land import derived_land, derived_land_sql
from app.accounting.selectors.query import fetch_dicts
from app.accounting.selectors.source import computed_from_registry
from app.registry.scopes import ReadingScope, reading
from tests import factories

from .shapes import HUONG_HOA_LAT, HUONG_HOA_LON, ha, on_vinh_linh_gio_linh_boundary, square

pytestmark = pytest.mark.django_db

LON, LAT = HUONG_HOA_LON, HUONG_HOA_LAT
CHA_A = square(LON, LAT, 0.02)
CHA_B = square(LON + 0.05, LAT, 0.01)
CLEARED = square(LON - 0.01, LAT - 0.01, 0.006)
# Overlaps the cleared land: only what the clearance left counts as reduced.
REDUCED = square(LON - 0.004, LAT - 0.01, 0.006)
# Reaches past the CHA's east edge: only its part inside the CHA is released.
CANCELLED = square(LON + 0.018, LAT + 0.01, 0.005)
CLEARED_LATER = square(LON + 0.05, LAT, 0.004)


@pytest.fixture
def released_three_ways():
    factories.hazard(CHA_A)
    factories.hazard(CHA_B)
    factories.release(CLEARED, method="cleared", completed_on=date(2022, 3, 1))
    factories.release(REDUCED, method="reduced", completed_on=date(2022, 6, 1))
    factories.release(CANCELLED, method="cancelled", completed_on=date(2023, 5, 1))
    factories.release(CLEARED_LATER, method="cleared", completed_on=date(2024, 2, 1))


def expected_land(as_of: date) -> dict[str, object]:
    """The land by method as of ``as_of``, cut with shapely from the fixture's shapes."""
    cha = CHA_A.union(CHA_B)
    releases = [
        (CLEARED, "cleared", date(2022, 3, 1)),
        (REDUCED, "reduced", date(2022, 6, 1)),
        (CANCELLED, "cancelled", date(2023, 5, 1)),
        (CLEARED_LATER, "cleared", date(2024, 2, 1)),
    ]
    done = [(shape, method) for shape, method, day in releases if day <= as_of]
    empty = box(0, 0, 0, 0).buffer(0)
    cleared = shapely.union_all([s for s, m in done if m == "cleared"] or [empty])
    cleared_or_reduced = shapely.union_all([s for s, m in done if m != "cancelled"] or [empty])
    released = shapely.union_all([s for s, _m in done] or [empty])
    return {
        "released": cha.intersection(released),
        "cleared": cha.intersection(cleared),
        "reduced": cha.intersection(cleared_or_reduced).difference(cleared),
        "cancelled": cha.intersection(released).difference(cleared_or_reduced),
        "remaining": cha.difference(released),
    }


def rows_of(land: str, *, as_of: date, level: str = "district", boundary_set: str = "2019"):
    return derived_land(land=land, as_of=as_of, boundary_set=boundary_set, level=level)


def by_method(rows: list[dict], unit_code: str) -> dict[str, dict]:
    return {row["method"]: row for row in rows if row["unit_code"] == unit_code}


def geometry_of(row: dict):
    return shapely.wkb.loads(row["geometry"], hex=True)


@pytest.mark.parametrize(
    "as_of",
    [
        # Before the cancelled and the later clearance: the parts' stored unions are as of a
        # later day, so the store's path unions the releases up to as_of again.
        date(2022, 12, 31),
        date(2023, 6, 30),
        # After every release: the stored unions.
        date(2024, 12, 31),
    ],
)
@pytest.mark.parametrize("from_store", [True, False])
def test_the_land_by_method_is_the_cha_cut_by_the_releases_up_to_as_of(
    released_three_ways, as_of, from_store
):
    expected = expected_land(as_of)

    if from_store:
        released = by_method(rows_of("released-land", as_of=as_of), "465")
        remaining = by_method(rows_of("remaining-cha", as_of=as_of), "465")
    else:
        with computed_from_registry():
            released = by_method(rows_of("released-land", as_of=as_of), "465")
            remaining = by_method(rows_of("remaining-cha", as_of=as_of), "465")

    got = {**released, **remaining}
    for method, shape in expected.items():
        if shape.is_empty:
            assert method not in got
            continue
        row = got[method]
        geometry = geometry_of(row)
        assert geometry.geom_type == "MultiPolygon"
        assert geometry.is_valid
        assert ha(geometry) == pytest.approx(ha(shape), rel=1e-6), method
        assert row["area_ha"] == pytest.approx(ha(shape), rel=1e-6), method
        assert geometry.symmetric_difference(shape).area < 1e-10
        assert row["id"] == f"465/{method}"
        assert row["unit_name"] == "Hướng Hóa"
        assert (row["boundary_set"], row["level"], row["as_of"]) == ("2019", "district", as_of)


def test_the_geometry_is_srid_4326():
    factories.hazard(CHA_A)
    query, params = derived_land_sql(
        land="remaining-cha", as_of=date(2024, 1, 1), boundary_set="2019", level="district"
    )

    (row,) = fetch_dicts(f"SELECT ST_SRID(geometry) AS srid FROM ({query}) AS f", params)

    assert row["srid"] == 4326


def test_land_crossing_a_boundary_is_split_between_the_units_and_sums_to_the_report():
    lon, lat = on_vinh_linh_gio_linh_boundary()
    factories.hazard(square(lon, lat, 0.01))
    factories.hazard(CHA_A)
    factories.release(square(lon + 0.004, lat, 0.006), completed_on=date(2023, 1, 1))
    factories.release(
        square(lon - 0.004, lat - 0.004, 0.004), method="reduced", completed_on=date(2023, 2, 1)
    )
    factories.release(CLEARED, method="cancelled", completed_on=date(2023, 3, 1))
    as_of = date(2023, 12, 31)

    for level, boundary_set in [("district", "2019"), ("commune", "2025"), ("province", "2019")]:
        report = release_report(as_of=as_of, by=level, boundary_set=boundary_set)
        released = rows_of("released-land", as_of=as_of, level=level, boundary_set=boundary_set)
        remaining = rows_of("remaining-cha", as_of=as_of, level=level, boundary_set=boundary_set)
        for row in report.rows:
            land = {**by_method(released, row.code), **by_method(remaining, row.code)}
            figures = {
                "released": row.released_ha,
                "cleared": row.cleared_ha,
                "reduced": row.reduced_ha,
                "cancelled": row.cancelled_ha,
                "remaining": row.cha_ha - row.released_ha,
            }
            for method, report_ha in figures.items():
                derived_ha = land[method]["area_ha"] if method in land else 0.0
                assert derived_ha == pytest.approx(report_ha, rel=1e-4, abs=1e-6), (
                    level,
                    row.code,
                    method,
                )
    district_rows = {row["unit_code"] for row in rows_of("remaining-cha", as_of=as_of)}
    assert {"464", "466", "465"} <= district_rows


def test_a_unit_without_cha_has_no_row_and_an_unknown_land_is_refused():
    factories.hazard(CHA_A)

    assert {row["unit_code"] for row in rows_of("remaining-cha", as_of=date(2024, 1, 1))} == {"465"}
    assert rows_of("released-land", as_of=date(2024, 1, 1)) == []
    with pytest.raises(ValueError, match="remaining-cha, released-land"):
        derived_land_sql(land="cleared", as_of=date(2024, 1, 1), boundary_set="2019", level="x")


NPA_SUBMITTED = square(LON + 0.01, LAT - 0.01, 0.004)
MAG_SUBMITTED = square(LON - 0.01, LAT + 0.01, 0.003)
MAG_SUBMITTED_CHA = square(LON + 0.05, LAT + 0.05, 0.005)
# Deleted records, inside CHA_A apart from the rest (and a CHA of their own): no scope counts them.
DELETED_APPROVED = square(LON + 0.01, LAT + 0.01, 0.003)
DELETED_NPA_SUBMITTED = square(LON, LAT + 0.015, 0.002)
DELETED_CHA = square(LON - 0.05, LAT, 0.005)


@pytest.fixture
def two_organisations_pending():
    factories.hazard(CHA_A, org="npa")
    factories.hazard(MAG_SUBMITTED_CHA, org="mag", status="submitted")
    factories.release(CLEARED, completed_on=date(2023, 3, 1), org="npa")
    factories.release(NPA_SUBMITTED, completed_on=date(2023, 4, 1), org="npa", status="submitted")
    factories.release(MAG_SUBMITTED, completed_on=date(2023, 5, 1), org="mag", status="submitted")
    deleted = [
        factories.release(DELETED_APPROVED, completed_on=date(2023, 6, 1), org="npa"),
        factories.release(
            DELETED_NPA_SUBMITTED, completed_on=date(2023, 7, 1), org="npa", status="submitted"
        ),
        factories.hazard(DELETED_CHA, org="npa"),
    ]
    for record in deleted:
        type(record).objects.filter(pk=record.pk).update(deleted_at=timezone.now())


def released_and_remaining_ha(as_of=date(2023, 12, 31)) -> tuple[float, float]:
    released = by_method(rows_of("released-land", as_of=as_of), "465")
    remaining = by_method(rows_of("remaining-cha", as_of=as_of), "465")
    return released["released"]["area_ha"], remaining["remaining"]["area_ha"]


def test_the_approved_scope_leaves_out_submitted_releases_and_hazards(two_organisations_pending):
    released_ha, remaining_ha = released_and_remaining_ha()

    province_remaining = rows_of("remaining-cha", as_of=date(2023, 12, 31), level="province")

    assert released_ha == pytest.approx(ha(CLEARED), rel=1e-6)
    assert remaining_ha == pytest.approx(ha(CHA_A) - ha(CLEARED), rel=1e-6)
    assert province_remaining[0]["area_ha"] == pytest.approx(remaining_ha, rel=1e-9)


def test_a_coordinators_pending_scope_adds_their_own_submitted_work_only(
    two_organisations_pending,
):
    npa = factories.organisation("npa")
    with reading(ReadingScope(include_submitted=True, submitted_by=frozenset({npa.id}))):
        released_ha, remaining_ha = released_and_remaining_ha()
        province_remaining = rows_of("remaining-cha", as_of=date(2023, 12, 31), level="province")

    assert released_ha == pytest.approx(ha(CLEARED) + ha(NPA_SUBMITTED), rel=1e-6)
    assert remaining_ha == pytest.approx(ha(CHA_A) - ha(CLEARED) - ha(NPA_SUBMITTED), rel=1e-6)
    # Not the other organisation's submitted CHA.
    assert province_remaining[0]["area_ha"] == pytest.approx(remaining_ha, rel=1e-9)


def test_everyones_pending_scope_adds_every_organisations_submitted_work(
    two_organisations_pending,
):
    with reading(ReadingScope(include_submitted=True)):
        released_ha, remaining_ha = released_and_remaining_ha()
        province_remaining = rows_of("remaining-cha", as_of=date(2023, 12, 31), level="province")

    everything = ha(CLEARED) + ha(NPA_SUBMITTED) + ha(MAG_SUBMITTED)
    assert released_ha == pytest.approx(everything, rel=1e-6)
    # Another organisation's submitted CHA (in Hướng Hóa too) counts as well.
    assert remaining_ha == pytest.approx(ha(CHA_A) - everything + ha(MAG_SUBMITTED_CHA), rel=1e-6)
    assert province_remaining[0]["area_ha"] == pytest.approx(remaining_ha, rel=1e-9)


def test_a_store_part_recomputed_before_its_last_release_counts_approved_releases_only(
    two_organisations_pending,
):
    """A release approved after as_of makes the store's unions too late for as_of, so the part's
    releases are unioned again from the registry: as the approved scope shows it, without either
    organisation's submitted releases."""
    from app.accounting.models import Part

    factories.release(square(LON, LAT, 0.001), completed_on=date(2024, 2, 1), org="npa")
    assert date(2024, 2, 1) in set(
        Part.objects.filter(family="CHA").values_list("last_day", flat=True)
    )

    released_ha, remaining_ha = released_and_remaining_ha(as_of=date(2023, 12, 31))
    with computed_from_registry():
        reference = released_and_remaining_ha(as_of=date(2023, 12, 31))

    assert released_ha == pytest.approx(ha(CLEARED), rel=1e-6)
    assert remaining_ha == pytest.approx(ha(CHA_A) - ha(CLEARED), rel=1e-6)
    assert (released_ha, remaining_ha) == pytest.approx(reference, rel=1e-9)
