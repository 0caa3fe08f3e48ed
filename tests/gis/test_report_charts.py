"""The report's forecast chart (gis.report_charts): the projection at a pace, and hectares on
its axis in the reader's convention."""

import pytest

from gis.numbers import VIETNAMESE
from gis.report_charts import ForecastChartLabels, forecast_figure, projected_remaining_ha
from gis.report_maps import figure_png


@pytest.mark.parametrize(
    ("pace_ha", "years_after", "remaining"),
    [(1000.0, 2, 8000.0), (1000.0, 12, 0.0), (0.0, 30, 10000.0)],
)
def test_the_projection_falls_by_the_pace_each_year_and_stops_at_0(pace_ha, years_after, remaining):
    assert projected_remaining_ha(
        remaining_ha=10000.0, pace_ha=pace_ha, years_after=years_after
    ) == pytest.approx(remaining)


def test_the_chart_writes_hectares_in_the_readers_convention_and_years_plainly():
    figure = forecast_figure(
        recorded=[(2021, 14000.0), (2022, 12500.0), (2023, 10000.0)],
        start_year=2023,
        remaining_ha=10000.0,
        pace_mean_ha=2000.0,
        pace_low_ha=1500.0,
        pace_high_ha=2500.0,
        labels=ForecastChartLabels(title="Remaining CHA"),
        numbers=VIETNAMESE,
    )
    figure.canvas.draw()
    axes = figure.axes[0]

    assert "10.000" in [label.get_text() for label in axes.get_yticklabels()]
    assert all("." not in label.get_text() for label in axes.get_xticklabels())
    assert [text.get_text() for text in axes.get_legend().get_texts()] == [
        "Remaining CHA (recorded)",
        "Between the low and the high pace",
        "Projection at the mean pace",
    ]
    assert figure_png(figure).startswith(b"\x89PNG")
