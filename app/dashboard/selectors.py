"""The dashboard's figures (issue 11, §1): the statistics' own selectors (progress_report,
clearance_report, release_report, release_forecast) composed for one year and one boundary set,
in the active reading scope. Nothing here measures land: every figure is one the statistics
endpoints answer for the same parameters, so the page and the CSV/XLSX under its charts agree.

- Year cards: the progress report's row of the year (province of the boundary set), and the
  release report as of the year's 31 December for % of CHA released and % cleared (cleared_ha of
  the CHA / cha_ha). Change: the figure minus the same figure of the year before.
- Period cards: the plan period holding the year (app.dashboard.plan_periods) from its first
  year to the chosen one, against the whole period's target (the sum of its years' targets, or
  none when a year has none: a partial sum would inflate the share). Sums of work grow by the
  year's work (change since the end of the year before); states (% released, % cleared,
  villages) are the year end's, with their change since the period began.
- A missing or zero target is None (app.accounting.selectors.ratios.percentage), never 0 %.
"""

from dataclasses import dataclass
from datetime import date

from app.accounting.selectors import (
    ClearanceRow,
    ForecastReport,
    ProgressReport,
    ProgressRow,
    clearance_report,
    progress_report,
    release_forecast,
    release_report,
)
from app.accounting.selectors.clearance import BY_ORGANISATION
from app.accounting.selectors.periods import FIRST_YEAR
from app.accounting.selectors.ratios import percentage, period_target
from app.dashboard.plan_periods import PlanPeriod, periods_covering, plan_period_of
from app.maps.selectors import MAP_LEVEL, data_years
from app.registry.models import AnnualTarget, Level
from app.registry.scopes import scoped_reads

# How far past the chosen year the forecast chart draws a projection at most: a pace near zero
# would otherwise stretch the axis over centuries.
FORECAST_HORIZON_YEARS = 40


@dataclass(frozen=True)
class Indicator:
    """One card: ``figure`` in ``kind`` ("ha", "count" or "pct"), against ``target`` (None: no
    target), the change since the end of ``change_since`` (None: nothing to compare with)."""

    key: str
    kind: str
    figure: float
    target: float | None
    pct_of_target: float | None
    change: float | None
    change_since: int
    share_pct: float | None = None
    """A share beside a count (villages surveyed: of all villages in the province)."""


@dataclass(frozen=True)
class UnitRow:
    """A district (2019) or 2025 commune in the year: its clearance and its CHA at year end."""

    code: str
    name: str
    cleared_ha: float
    target_ha: float | None
    pct_of_target: float | None
    spot_tasks: int
    items_destroyed: int
    cha_ha: float
    released_ha: float
    released_pct: float | None
    remaining_ha: float


@dataclass(frozen=True)
class YearFigures:
    """The province in one year, for the charts."""

    year: int
    cleared_ha: float
    target_ha: float | None
    released_pct: float | None
    cleared_pct: float | None
    spot_tasks: int
    items_destroyed: int
    remaining_ha: float


@dataclass(frozen=True)
class Projection:
    """Remaining CHA projected from the year's end at the mean, lowest and highest pace."""

    years: tuple[int, ...]
    mean_ha: tuple[float, ...]
    low_ha: tuple[float, ...]
    high_ha: tuple[float, ...]


@dataclass(frozen=True)
class Dashboard:
    year: int
    boundary_set: str
    years: tuple[int, ...]
    """The years the selector offers."""
    period: PlanPeriod
    target_periods: tuple[PlanPeriod, ...]
    """The plan periods the recorded targets cover."""
    year_indicators: tuple[Indicator, ...]
    period_indicators: tuple[Indicator, ...]
    history: tuple[YearFigures, ...]
    units: tuple[UnitRow, ...]
    organisations: tuple[ClearanceRow, ...]
    forecast: ForecastReport
    projection: Projection | None

    @property
    def level(self) -> str:
        """The level of the units: district (2019) or commune (2025)."""
        return MAP_LEVEL[self.boundary_set]

    @property
    def first_year(self) -> int:
        """The first year of the charts (and of the progress statistics they download)."""
        return self.history[0].year


def year_end(year: int) -> date:
    return date(year, 12, 31)


# Its ORM reads (years, targets) see the same records as the selectors' SQL.
@scoped_reads()
def dashboard(*, year: int, boundary_set: str) -> Dashboard:
    """The dashboard of ``year`` for the units of ``boundary_set`` (2019: districts; 2025:
    communes), read in the active reading scope."""
    level = MAP_LEVEL[boundary_set]
    period = plan_period_of(year)
    recorded_years = data_years()
    # The year before the chosen one and before its period, for the changes; never before the
    # first year a report covers (the year 1975 has no year before to compare with).
    first_year = max(FIRST_YEAR, min(recorded_years[0], period.first_year - 1, year - 1))
    progress = progress_report(
        from_year=first_year, to_year=max(year, period.last_year), boundary_set=boundary_set
    )
    rows = {row.year: row for row in progress.rows}
    released_at = {
        each: release_report(as_of=year_end(each), by=Level.PROVINCE, boundary_set=boundary_set)
        for each in range(first_year, year + 1)
    }
    cleared_pct = {
        each: percentage(report.total.cleared_ha, report.total.cha_ha)
        for each, report in released_at.items()
    }
    history = tuple(
        YearFigures(
            year=each,
            cleared_ha=rows[each].cleared_ha,
            target_ha=rows[each].target_ha,
            released_pct=rows[each].released_pct,
            cleared_pct=cleared_pct[each],
            spot_tasks=rows[each].spot_tasks,
            items_destroyed=rows[each].items_destroyed,
            remaining_ha=max(0.0, progress.cha_ha - rows[each].released_ha),
        )
        for each in range(first_year, year + 1)
    )
    forecast = release_forecast(as_of=year_end(year), by=Level.PROVINCE, boundary_set=boundary_set)
    return Dashboard(
        year=year,
        boundary_set=boundary_set,
        years=tuple(sorted({*recorded_years, year})),
        period=period,
        target_periods=periods_covering(
            AnnualTarget.objects.values_list("year", flat=True).distinct()
        ),
        year_indicators=_year_indicators(
            rows[year], rows.get(year - 1), cleared_pct=cleared_pct, year=year
        ),
        period_indicators=_period_indicators(
            progress, period=period, year=year, cleared_pct=cleared_pct
        ),
        history=history,
        units=_unit_rows(year=year, level=level, boundary_set=boundary_set),
        organisations=clearance_report(
            year=year, by=BY_ORGANISATION, boundary_set=boundary_set
        ).rows,
        forecast=forecast,
        projection=_projection(forecast, year=year),
    )


def _year_indicators(
    row: ProgressRow, before: ProgressRow | None, *, cleared_pct: dict, year: int
) -> tuple[Indicator, ...]:
    def previous(field: str):
        return None if before is None else getattr(before, field)

    def card(key, kind, figure, target, previous, share_pct=None) -> Indicator:
        return Indicator(
            key=key,
            kind=kind,
            figure=figure,
            target=target,
            pct_of_target=percentage(figure, target),
            change=None if previous is None or figure is None else figure - previous,
            change_since=year - 1,
            share_pct=share_pct,
        )

    return (
        card("cleared_ha", "ha", row.cleared_ha, row.target_ha, previous("cleared_ha")),
        card("spot_tasks", "count", row.spot_tasks, row.spot_tasks_target, previous("spot_tasks")),
        card(
            "items_destroyed",
            "count",
            row.items_destroyed,
            row.items_destroyed_target,
            previous("items_destroyed"),
        ),
        card("surveyed_ha", "ha", row.surveyed_ha, row.surveyed_target_ha, previous("surveyed_ha")),
        card("released_pct", "pct", row.released_pct, None, previous("released_pct")),
        card("cleared_pct", "pct", cleared_pct[year], None, cleared_pct.get(year - 1)),
        card(
            "villages_surveyed",
            "count",
            row.villages_surveyed,
            None,
            previous("villages_surveyed"),
            share_pct=row.villages_surveyed_pct,
        ),
    )


def _period_indicators(
    progress: ProgressReport, *, period: PlanPeriod, year: int, cleared_pct: dict
) -> tuple[Indicator, ...]:
    in_period = [row for row in progress.rows if row.year in period.years]
    to_date = [row for row in in_period if row.year <= year]
    before_period = period.first_year - 1
    by_year = {row.year: row for row in progress.rows}
    start = by_year.get(before_period)

    def work(key, kind, figure_of, target_of) -> Indicator:
        target = period_target(target_of(row) for row in in_period)
        figure = sum(figure_of(row) for row in to_date)
        return Indicator(
            key=key,
            kind=kind,
            figure=figure,
            target=target,
            pct_of_target=percentage(figure, target),
            # The period's figure grew by the year's work since the end of the year before.
            change=figure_of(by_year[year]),
            change_since=year - 1,
        )

    def state(key, figure, at_start, share_pct=None) -> Indicator:
        return Indicator(
            key=key,
            kind="count" if key == "villages_surveyed" else "pct",
            figure=figure,
            target=None,
            pct_of_target=None,
            change=None if figure is None or at_start is None else figure - at_start,
            change_since=before_period,
            share_pct=share_pct,
        )

    now = by_year[year]
    return (
        work("cleared_ha", "ha", lambda r: r.cleared_ha, lambda r: r.target_ha),
        work("spot_tasks", "count", lambda r: r.spot_tasks, lambda r: r.spot_tasks_target),
        work(
            "items_destroyed",
            "count",
            lambda r: r.items_destroyed,
            lambda r: r.items_destroyed_target,
        ),
        work("surveyed_ha", "ha", lambda r: r.surveyed_ha, lambda r: r.surveyed_target_ha),
        state("released_pct", now.released_pct, start and start.released_pct),
        state("cleared_pct", cleared_pct[year], cleared_pct.get(before_period)),
        state(
            "villages_surveyed",
            now.villages_surveyed,
            start and start.villages_surveyed,
            share_pct=now.villages_surveyed_pct,
        ),
    )


def _unit_rows(*, year: int, level: str, boundary_set: str) -> tuple[UnitRow, ...]:
    released = release_report(as_of=year_end(year), by=level, boundary_set=boundary_set)
    cleared = {
        row.code: row
        for row in clearance_report(year=year, by=level, boundary_set=boundary_set).rows
    }
    rows = []
    for unit in released.rows:
        clearance = cleared[unit.code]
        rows.append(
            UnitRow(
                code=unit.code,
                name=unit.name,
                cleared_ha=clearance.cleared_ha,
                target_ha=clearance.target_ha,
                pct_of_target=clearance.pct_of_target,
                spot_tasks=clearance.spot_tasks,
                items_destroyed=clearance.items_destroyed,
                cha_ha=unit.cha_ha,
                released_ha=unit.released_ha,
                released_pct=unit.released_pct,
                remaining_ha=max(0.0, unit.cha_ha - unit.released_ha),
            )
        )
    return tuple(rows)


def _projection(forecast: ForecastReport, *, year: int) -> Projection | None:
    """The province's remaining CHA from the year's end on, at each pace, to the year the
    slowest pace releases it (at most FORECAST_HORIZON_YEARS on); None without a pace."""
    total = forecast.total
    if total.year_at_mean_pace is None:
        return None
    last = max(
        year
        for year in (total.year_at_low_pace, total.year_at_mean_pace, total.year_at_high_pace)
        if year is not None
    )
    years = tuple(range(year, min(last, year + FORECAST_HORIZON_YEARS) + 1))

    def at(pace_ha: float) -> tuple[float, ...]:
        return tuple(max(0.0, total.remaining_ha - pace_ha * (each - year)) for each in years)

    return Projection(
        years=years,
        mean_ha=at(total.pace_mean_ha),
        low_ha=at(total.pace_low_ha),
        high_ha=at(total.pace_high_ha),
    )
