"""When the remaining CHA would be released at the recorded pace, per admin unit (issue 11, §2).

A projection from recorded work, not a plan. Every figure comes from release_report, so it
counts the same records, with the same denominator, as the release statistics:
- ``remaining_ha``: cha_ha − released_ha as of ``as_of`` (never below 0).
- The years counted are the last ``years`` complete calendar years before ``as_of``: the year of
  ``as_of`` counts only when ``as_of`` is its 31 December. A year's ``newly_released_ha`` is
  released_ha at its year end minus released_ha at the year end before (release_report at both
  days), so a hectare released twice counts once, in the year it was first released.
- ``pace_mean_ha`` is the mean of those yearly figures (hectares per year), ``pace_low_ha`` and
  ``pace_high_ha`` the smallest and the largest.
- The year the remaining CHA would be released at a pace: as_of's year + ceil(remaining / pace).
  None where it cannot be computed, and the row says why in ``reason``: ``no CHA`` (cha_ha is 0),
  ``nothing remains`` (remaining_ha rounds to 0.00), ``no release in the years counted`` (the mean
  pace is 0). With a mean above 0 the low pace alone may be 0 (a year without release): then only
  ``year_at_low_pace`` is None, since at that pace the CHA is never released.
The total is the province of the same boundary set, as in the release report.
Values are unrounded; rounding happens only when rendered as JSON.
"""

import math
from dataclasses import dataclass
from datetime import date

from app.accounting.selectors.release import ReleaseRow, release_report

DEFAULT_YEARS = 3
MAX_YEARS = 10

NO_CHA = "no CHA"
NOTHING_REMAINS = "nothing remains"
NO_RELEASE_IN_YEARS = "no release in the years counted"
REASONS = (NO_CHA, NOTHING_REMAINS, NO_RELEASE_IN_YEARS)

# Remaining CHA below this rounds to 0.00 ha in the JSON: nothing left to project.
_NOTHING_HA = 0.005


@dataclass(frozen=True)
class YearReleased:
    year: int
    newly_released_ha: float


@dataclass(frozen=True)
class ForecastRow:
    code: str
    name: str
    cha_ha: float
    released_ha: float
    remaining_ha: float
    released_by_year: tuple[YearReleased, ...]
    pace_mean_ha: float
    pace_low_ha: float
    pace_high_ha: float
    year_at_mean_pace: int | None
    year_at_low_pace: int | None
    year_at_high_pace: int | None
    reason: str | None


@dataclass(frozen=True)
class ForecastReport:
    as_of: date
    by: str
    boundary_set: str
    years: tuple[int, ...]
    rows: tuple[ForecastRow, ...]
    total: ForecastRow


def counted_years(*, as_of: date, years: int) -> tuple[int, ...]:
    """The ``years`` complete calendar years before ``as_of``, oldest first."""
    last = as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1
    return tuple(range(last - years + 1, last + 1))


def release_forecast(
    *, as_of: date, by: str, years: int = DEFAULT_YEARS, boundary_set: str | None = None
) -> ForecastReport:
    """The forecast per unit of level ``by`` (district | commune | province) in ``boundary_set``
    (defaults as release_report) as of ``as_of``, from the pace of the last ``years`` complete
    years. Raises InvalidReportParameter as release_report does. Reads in the active scope."""
    counted = counted_years(as_of=as_of, years=years)
    now = release_report(as_of=as_of, by=by, boundary_set=boundary_set)
    year_ends = [date(counted[0] - 1, 12, 31)] + [date(year, 12, 31) for year in counted]
    at_year_end = [
        now if day == as_of else release_report(as_of=day, by=by, boundary_set=now.boundary_set)
        for day in year_ends
    ]
    rows_at_year_end = [{row.code: row for row in report.rows} for report in at_year_end]

    def forecast_row(row: ReleaseRow, history: list[ReleaseRow]) -> ForecastRow:
        return _forecast_row(row, history=history, counted=counted, as_of=as_of)

    rows = tuple(
        forecast_row(row, [by_code[row.code] for by_code in rows_at_year_end]) for row in now.rows
    )
    total = forecast_row(now.total, [report.total for report in at_year_end])
    return ForecastReport(
        as_of=as_of, by=by, boundary_set=now.boundary_set, years=counted, rows=rows, total=total
    )


def _forecast_row(
    row: ReleaseRow, *, history: list[ReleaseRow], counted: tuple[int, ...], as_of: date
) -> ForecastRow:
    # Released CHA only grows; max() drops the float noise of differences of unions below 0.
    by_year = tuple(
        YearReleased(year=year, newly_released_ha=max(0.0, end.released_ha - before.released_ha))
        for year, before, end in zip(counted, history[:-1], history[1:], strict=True)
    )
    paces = [year.newly_released_ha for year in by_year]
    mean_ha = sum(paces) / len(paces)
    remaining_ha = max(0.0, row.cha_ha - row.released_ha)
    if row.cha_ha <= 0:
        reason = NO_CHA
    elif remaining_ha < _NOTHING_HA:
        reason = NOTHING_REMAINS
    elif mean_ha <= 0:
        reason = NO_RELEASE_IN_YEARS
    else:
        reason = None

    def year_at(pace_ha: float) -> int | None:
        if reason is not None or pace_ha <= 0:
            return None
        return as_of.year + math.ceil(remaining_ha / pace_ha)

    return ForecastRow(
        code=row.code,
        name=row.name,
        cha_ha=row.cha_ha,
        released_ha=row.released_ha,
        remaining_ha=remaining_ha,
        released_by_year=by_year,
        pace_mean_ha=mean_ha,
        pace_low_ha=min(paces),
        pace_high_ha=max(paces),
        year_at_mean_pace=year_at(mean_ha),
        year_at_low_pace=year_at(min(paces)),
        year_at_high_pace=year_at(max(paces)),
        reason=reason,
    )
