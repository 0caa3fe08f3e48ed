"""The figures of the annual and the period report (issue 11, §3), read once and rendered three
ways (app.reports.document lays them out; the page, the PDF and the Word file print that).

Composed from the accounting selectors, so the report counts what the statistics endpoints count,
with the same rules and denominators (no SQL of its own):
- plan against result per year: progress_report for the period (province, 2019 outline);
- clearance per district (2019) and per organisation: clearance_report of each year; for a
  period the yearly rows summed, with a target only when every year of the period has one (as
  progress_report's total), and % of target recomputed from the sums;
- release of CHA by method per district and for the province, and per 2025 commune for the map:
  release_report as of ``as_of``;
- the forecast per province and per district: release_forecast as of ``as_of``;
- the outlines of the two static maps: app.maps.layers, the geometry the folium maps draw.

``as_of`` is the period's last 31 December, or the day the registry is read as when that comes
first (a report of the current year counts the releases recorded to date, and says so).

Call it inside ``reading(scope)``: every read sees the records of the reader's scope.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from app.accounting.selectors import (
    ClearanceReport,
    ClearanceRow,
    ForecastReport,
    ProgressReport,
    ReleaseReport,
    clearance_report,
    progress_report,
    release_forecast,
    release_report,
)
from app.accounting.selectors.clearance import BY_ORGANISATION
from app.accounting.selectors.periods import FIRST_YEAR
from app.accounting.selectors.ratios import percentage, period_target
from app.maps import layers
from app.maps.selectors import MAP_DETAIL, data_note
from app.registry.models import BoundarySet, Level
from app.registry.scopes import ReadingScope, active_scope

# How many years of recorded remaining CHA the forecast chart shows before the projection.
HISTORY_YEARS = 10


@dataclass(frozen=True)
class ClearanceTable:
    """Clearance per unit or organisation over the report's years, with the province total."""

    by: str
    rows: tuple[ClearanceRow, ...]
    total: ClearanceRow


@dataclass(frozen=True)
class ReportContent:
    from_year: int
    to_year: int
    # The day the release and the forecast count to (see the module docstring).
    as_of: date
    # The moment the figures were read, in the site's time zone.
    taken_at: datetime
    scope: ReadingScope
    progress: ProgressReport
    clearance_by_district: ClearanceTable
    clearance_by_organisation: ClearanceTable
    release_by_district: ReleaseReport
    release_by_commune: ReleaseReport
    forecast_by_province: ForecastReport
    forecast_by_district: ForecastReport
    # Remaining CHA (cha − released) at the end of each of the ten years to as_of's, from
    # progress_report: the recorded part of the forecast chart.
    remaining_by_year: tuple[tuple[int, float], ...]
    district_outlines: dict
    commune_outlines: dict
    # The warning the maps carry while the registry holds the synthetic demo data.
    data_note: str | None

    @property
    def is_annual(self) -> bool:
        return self.from_year == self.to_year


def report_as_of(*, to_year: int, scope: ReadingScope, today: date) -> date:
    """The period's last 31 December, or the day the registry is read as if that is earlier."""
    read_as = timezone.localtime(scope.as_recorded).date() if scope.as_recorded else today
    return min(date(to_year, 12, 31), read_as)


def report_content(*, from_year: int, to_year: int) -> ReportContent:
    """Every figure of the report for ``from_year``–``to_year`` (one year: the annual report),
    read in the active reading scope. Raises InvalidReportParameter for years out of range, as
    the selectors do."""
    scope = active_scope() or ReadingScope()
    taken_at = timezone.localtime()
    as_of = report_as_of(to_year=to_year, scope=scope, today=taken_at.date())
    years = range(from_year, to_year + 1)
    # One reading for the report's years and the chart's ten years before as_of (whose year is
    # never after to_year).
    progress = progress_report(
        from_year=max(FIRST_YEAR, min(from_year, as_of.year - HISTORY_YEARS + 1)),
        to_year=to_year,
    )
    by_district = [clearance_report(year=year, by=Level.DISTRICT) for year in years]
    by_organisation = [clearance_report(year=year, by=BY_ORGANISATION) for year in years]
    return ReportContent(
        from_year=from_year,
        to_year=to_year,
        as_of=as_of,
        taken_at=taken_at,
        scope=scope,
        progress=progress.between(from_year, to_year),
        clearance_by_district=clearance_over_years(by_district),
        clearance_by_organisation=clearance_over_years(by_organisation),
        release_by_district=release_report(as_of=as_of, by=Level.DISTRICT),
        release_by_commune=release_report(
            as_of=as_of, by=Level.COMMUNE, boundary_set=BoundarySet.REFORM_2025
        ),
        forecast_by_province=release_forecast(as_of=as_of, by=Level.PROVINCE),
        forecast_by_district=release_forecast(as_of=as_of, by=Level.DISTRICT),
        remaining_by_year=tuple(
            (row.year, max(0.0, progress.cha_ha - row.released_ha))
            for row in progress.rows
            if row.year <= as_of.year
        ),
        district_outlines=layers.unit_outlines(
            boundary_set=BoundarySet.LEGACY_2019,
            level=Level.DISTRICT,
            detail=MAP_DETAIL[BoundarySet.LEGACY_2019],
        ),
        commune_outlines=layers.unit_outlines(
            boundary_set=BoundarySet.REFORM_2025,
            level=Level.COMMUNE,
            detail=MAP_DETAIL[BoundarySet.REFORM_2025],
        ),
        data_note=data_note(),
    )


def clearance_over_years(reports: Sequence[ClearanceReport]) -> ClearanceTable:
    """One year's rows as they are; several years' rows summed per code (the rows of every year
    name the same units or organisations)."""
    if len(reports) == 1:
        (report,) = reports
        return ClearanceTable(by=report.by, rows=report.rows, total=report.total)
    codes = [row.code for row in reports[-1].rows]
    rows = tuple(
        _summed([row for report in reports for row in report.rows if row.code == code])
        for code in codes
    )
    return ClearanceTable(
        by=reports[-1].by, rows=rows, total=_summed([report.total for report in reports])
    )


def _summed(rows: Sequence[ClearanceRow]) -> ClearanceRow:
    cleared_ha = sum(row.cleared_ha for row in rows)
    target_ha = period_target(row.target_ha for row in rows)
    return ClearanceRow(
        code=rows[-1].code,
        name=rows[-1].name,
        cleared_ha=cleared_ha,
        target_ha=target_ha,
        pct_of_target=percentage(cleared_ha, target_ha),
        spot_tasks=sum(row.spot_tasks for row in rows),
        items_destroyed=sum(row.items_destroyed for row in rows),
    )
