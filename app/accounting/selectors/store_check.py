"""The accounting store held against the reference: every report both ways, figure by figure,
and the derived land (remaining CHA, released land by method) unit by unit.

``manage.py check_accounting`` runs it; the store's tests run it after random writes. A figure
differs when the store's and the reference's values are further apart than 0.0001 ha or 10⁻⁶
of the reference's value, whichever is larger (counts must be equal).
"""

from dataclasses import dataclass, fields
from datetime import date
from functools import partial

from django.db.models import Max, Min

from app.accounting.selectors.clearance import BY_ORGANISATION, clearance_report
from app.accounting.selectors.derived_land import LANDS, derived_land
from app.accounting.selectors.progress import progress_report
from app.accounting.selectors.release import release_report
from app.accounting.selectors.source import computed_from_registry
from app.registry.models import BoundarySet, Level, ReleaseArea
from app.registry.scopes import APPROVED, ReadingScope, reading

# Every organisation's submitted work with the approved records.
WITH_SUBMITTED = ReadingScope(include_submitted=True)
ABSOLUTE_TOLERANCE_HA = 0.0001
RELATIVE_TOLERANCE = 1e-6
# The derived land is geometry cut two ways (the store's running unions against one union of
# every release, then differences of them), where GEOS's own noise reaches a few square metres:
# 5.5 m² in a commune of 530 ha of the demo. A stale union is tens of hectares (issue 10).
LAND_ABSOLUTE_TOLERANCE_HA = 0.001
LAND_RELATIVE_TOLERANCE = 1e-5

RELEASE_GROUPINGS = (
    (Level.DISTRICT, BoundarySet.LEGACY_2019),
    (Level.COMMUNE, BoundarySet.REFORM_2025),
    (Level.PROVINCE, BoundarySet.LEGACY_2019),
    (Level.PROVINCE, BoundarySet.REFORM_2025),
)
CLEARANCE_GROUPINGS = (
    (Level.DISTRICT, BoundarySet.LEGACY_2019),
    (Level.COMMUNE, BoundarySet.REFORM_2025),
    (BY_ORGANISATION, BoundarySet.LEGACY_2019),
    (BY_ORGANISATION, BoundarySet.REFORM_2025),
)


@dataclass(frozen=True)
class Difference:
    report: str
    row: str
    figure: str
    store: float | None
    reference: float | None

    def __str__(self) -> str:
        return (
            f"{self.report} | {self.row} | {self.figure}: store {self.store!r}, "
            f"reference {self.reference!r}"
        )


def checked_days() -> list[date]:
    """The as-of days the release report is checked at: each year end from the year before the
    first release to the last release's year, and the last release's day."""
    span = ReleaseArea.objects.approved().aggregate(
        first=Min("completed_on"), last=Max("completed_on")
    )
    first, last = span["first"], span["last"]
    if first is None:
        return [date.today()]
    days = [date(year, 12, 31) for year in range(first.year - 1, last.year + 1)]
    return sorted({*days, last})


def store_differences(*, days: list[date] | None = None) -> list[Difference]:
    """Every figure of every report on which the store and the reference disagree (approved
    records; with pending work, the release reports, which recompute only what it touches)."""
    days = days if days is not None else checked_days()
    differences = _approved_differences(days)
    for by, boundary_set in RELEASE_GROUPINGS:
        for day in days:
            differences += _compare(
                f"release by {by} ({boundary_set}) as of {day}, with submitted work",
                partial(release_report, as_of=day, by=by, boundary_set=boundary_set),
                scope=WITH_SUBMITTED,
            )
    return differences


def _approved_differences(days: list[date]) -> list[Difference]:
    years = sorted({day.year for day in days if day.year >= 2000})
    differences: list[Difference] = []
    for by, boundary_set in RELEASE_GROUPINGS:
        for day in days:
            differences += _compare(
                f"release by {by} ({boundary_set}) as of {day}",
                partial(release_report, as_of=day, by=by, boundary_set=boundary_set),
            )
    for by, boundary_set in CLEARANCE_GROUPINGS:
        for year in years:
            differences += _compare(
                f"clearance by {by} ({boundary_set}) in {year}",
                partial(clearance_report, year=year, by=by, boundary_set=boundary_set),
            )
    differences += _derived_land_differences(days)
    if years:
        for boundary_set in BoundarySet.values:
            differences += _compare(
                f"progress {years[0]}-{years[-1]} ({boundary_set})",
                partial(
                    progress_report,
                    from_year=years[0],
                    to_year=years[-1],
                    boundary_set=boundary_set,
                ),
            )
    return differences


def _derived_land_differences(days: list[date]) -> list[Difference]:
    """The land itself (remaining CHA, released land by method), which reads the store's parts
    and their unions where the reports read its series: per 2025 commune, the unit that cuts the
    parts finest, each (commune, method)'s hectares both ways."""
    differences: list[Difference] = []
    for day in days:
        for land in LANDS:
            compute = partial(
                derived_land,
                land=land,
                as_of=day,
                boundary_set=BoundarySet.REFORM_2025,
                level=Level.COMMUNE,
            )
            with reading(APPROVED):
                from_store = {row["id"]: row["area_ha"] for row in compute()}
                with computed_from_registry():
                    reference = {row["id"]: row["area_ha"] for row in compute()}
            for key in sorted(from_store.keys() | reference.keys()):
                store_ha, reference_ha = from_store.get(key, 0.0), reference.get(key, 0.0)
                tolerance = max(LAND_ABSOLUTE_TOLERANCE_HA, LAND_RELATIVE_TOLERANCE * reference_ha)
                if abs(store_ha - reference_ha) > tolerance:
                    differences.append(
                        Difference(f"{land} as of {day}", key, "area_ha", store_ha, reference_ha)
                    )
    return differences


def _compare(name: str, compute, *, scope: ReadingScope = APPROVED) -> list[Difference]:
    with reading(scope):
        from_store = compute()
        with computed_from_registry():
            reference = compute()
    return list(_report_differences(name, from_store, reference))


def _report_differences(name, from_store, reference):
    store_rows = {_row_key(row): row for row in from_store.rows}
    reference_rows = {_row_key(row): row for row in reference.rows}
    for key in sorted(store_rows.keys() | reference_rows.keys(), key=str):
        yield from _row_differences(name, str(key), store_rows.get(key), reference_rows.get(key))
    yield from _row_differences(name, "total", from_store.total, reference.total)
    for figure in ("cha_ha", "villages"):
        if hasattr(reference, figure):
            yield from _figure_difference(
                name, "report", figure, getattr(from_store, figure), getattr(reference, figure)
            )


def _row_key(row):
    return getattr(row, "code", None) or getattr(row, "year", None)


def _row_differences(name, key, store_row, reference_row):
    if store_row is None or reference_row is None:
        yield Difference(
            name,
            key,
            "row",
            None if store_row is None else 1.0,
            None if reference_row is None else 1.0,
        )
        return
    for field in fields(reference_row):
        yield from _figure_difference(
            name,
            key,
            field.name,
            getattr(store_row, field.name),
            getattr(reference_row, field.name),
        )


def _figure_difference(name, key, figure, store_value, reference_value):
    if isinstance(reference_value, str) or reference_value is None or store_value is None:
        if store_value != reference_value:
            yield Difference(name, key, figure, store_value, reference_value)
        return
    if isinstance(reference_value, int) and not isinstance(reference_value, bool):
        if store_value != reference_value:
            yield Difference(name, key, figure, store_value, reference_value)
        return
    tolerance = max(ABSOLUTE_TOLERANCE_HA, RELATIVE_TOLERANCE * abs(reference_value))
    if figure.endswith("_pct"):
        # A percentage follows its hectares; its own tolerance is the relative one, in points.
        tolerance = max(RELATIVE_TOLERANCE * 100, RELATIVE_TOLERANCE * abs(reference_value))
    if abs(store_value - reference_value) > tolerance:
        yield Difference(name, key, figure, store_value, reference_value)
