"""The forecast chart of the printed report (issue 11, §2 and §3): remaining CHA year by year as
recorded, then the projection at the mean pace and the range between the low and the high pace.

Framework-free like gis.report_maps: the app passes plain figures, the words in the reader's
language and the reader's number convention (every tick label goes through format_number). A
``Figure`` of its own, printed to PNG by Agg (gis.report_maps.figure_png), never pyplot's state.

A projection at a pace is a straight line from the remaining CHA on the as-of day down to 0 at
pace hectares a year; at a pace of 0 it stays level (never released), drawn to the chart's end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from gis.numbers import ENGLISH, NumberConvention, format_number

# The projection is drawn at most this many years past the as-of year: a pace of a few hectares
# a year would otherwise squeeze the recorded years into a sliver at the left.
MAX_PROJECTED_YEARS = 40

RECORDED_COLOUR = "#d7301f"
PROJECTION_COLOUR = "#08519c"
RANGE_COLOUR = "#9ecae1"


@dataclass(frozen=True)
class ForecastChartLabels:
    """The chart's words, in the reader's language (the app translates them)."""

    title: str
    recorded: str = "Remaining CHA (recorded)"
    mean_pace: str = "Projection at the mean pace"
    pace_range: str = "Between the low and the high pace"
    axis_ha: str = "Remaining CHA (ha)"
    axis_year: str = "Year"


def projected_remaining_ha(*, remaining_ha: float, pace_ha: float, years_after: float) -> float:
    """Remaining CHA ``years_after`` years past the as-of day at ``pace_ha`` hectares a year."""
    return max(0.0, remaining_ha - pace_ha * years_after)


def forecast_figure(
    *,
    recorded: Sequence[tuple[float, float]],
    start_year: float,
    remaining_ha: float,
    pace_mean_ha: float,
    pace_low_ha: float,
    pace_high_ha: float,
    labels: ForecastChartLabels,
    numbers: NumberConvention = ENGLISH,
) -> Figure:
    """The chart: ``recorded`` (year, remaining ha) points, then from (``start_year``,
    ``remaining_ha``) the line at ``pace_mean_ha`` and the band between ``pace_low_ha`` and
    ``pace_high_ha`` (hectares a year), drawn to the year the low pace reaches 0, at most
    MAX_PROJECTED_YEARS on."""
    slowest = pace_low_ha if pace_low_ha > 0 else pace_mean_ha
    span = MAX_PROJECTED_YEARS
    if slowest > 0:
        span = min(MAX_PROJECTED_YEARS, max(1.0, remaining_ha / slowest))
    steps = 60
    years = [start_year + span * step / steps for step in range(steps + 1)]

    def line(pace_ha: float) -> list[float]:
        return [
            projected_remaining_ha(
                remaining_ha=remaining_ha, pace_ha=pace_ha, years_after=year - start_year
            )
            for year in years
        ]

    figure = Figure(figsize=(7.0, 3.6), dpi=150, layout="constrained")
    axes = figure.add_subplot()
    if recorded:
        axes.plot(
            [year for year, _ha in recorded],
            [ha for _year, ha in recorded],
            marker="o",
            color=RECORDED_COLOUR,
            label=labels.recorded,
        )
    axes.fill_between(
        years, line(pace_low_ha), line(pace_high_ha), color=RANGE_COLOUR, label=labels.pace_range
    )
    axes.plot(
        years, line(pace_mean_ha), linestyle="--", color=PROJECTION_COLOUR, label=labels.mean_pace
    )
    axes.set_title(labels.title, fontsize=10)
    axes.set_xlabel(labels.axis_year, fontsize=8)
    axes.set_ylabel(labels.axis_ha, fontsize=8)
    axes.set_ylim(bottom=0)
    # Years are not figures: written plainly (2031, never 2.031); hectares in the reader's way.
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:.0f}"))
    axes.yaxis.set_major_formatter(
        FuncFormatter(lambda value, _pos: format_number(value, convention=numbers))
    )
    axes.tick_params(labelsize=7)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=7, loc="upper right")
    return figure
