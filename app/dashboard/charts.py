"""The dashboard's charts as the JSON the page carries (``json_script``) for its static script
(app/dashboard/static/dashboard/dashboard.js), which draws them with Chart.js.

Figures are rounded as the statistics' JSON rounds them (hectares to 2 decimals, percentages to
1: app.accounting.report_json), so a tooltip shows what the CSV under the chart holds. The
reader's separators travel with them: the script writes every tick and tooltip with these, not
with the browser's locale, so a Vietnamese page reads 1.234,56 whatever the browser is set to.
"""

from django.utils.translation import gettext as _

from app.dashboard.selectors import Dashboard
from gis.numbers import NumberConvention


def _ha(value: float | None) -> float | None:
    return None if value is None else round(value, 2) + 0.0


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value, 1) + 0.0


def chart_data(board: Dashboard, *, convention: NumberConvention) -> dict:
    history = board.history
    years = [figures.year for figures in history]
    projection = board.projection
    projected_years = list(projection.years[1:]) if projection else []
    # The forecast's x axis: the recorded years, then the projected ones; each series is null
    # where it says nothing (the recorded line stops at the year, the projection starts there).
    forecast_years = years + projected_years
    recorded = [_ha(figures.remaining_ha) for figures in history] + [None] * len(projected_years)

    # Units without CHA have no bar to draw: 45 of the 78 communes of 2025 (the former Quảng
    # Bình) would fill the chart with empty rows. The table below still lists every unit.
    with_cha = units_with_cha(board)

    def projected(series: tuple[float, ...]) -> list[float | None]:
        return [None] * (len(years) - 1) + [_ha(value) for value in series]

    return {
        "numbers": {
            "decimal": convention.decimal_separator,
            "group": convention.group_separator,
        },
        "units": {"ha": _("ha"), "pct": "%"},
        "cleared": {
            "years": years,
            "series": {
                "cleared_ha": [_ha(figures.cleared_ha) for figures in history],
                "target_ha": [_ha(figures.target_ha) for figures in history],
            },
            "labels": {"cleared_ha": _("Cleared (ha)"), "target_ha": _("Target (ha)")},
        },
        "released": {
            "years": years,
            "series": {
                "released_pct": [_pct(figures.released_pct) for figures in history],
                "cleared_pct": [_pct(figures.cleared_pct) for figures in history],
            },
            "labels": {
                "released_pct": _("CHA released (%)"),
                "cleared_pct": _("CHA cleared (%)"),
            },
        },
        "units_chart": {
            "names": [row.name for row in with_cha],
            "series": {
                "released_ha": [_ha(row.released_ha) for row in with_cha],
                "remaining_ha": [_ha(row.remaining_ha) for row in with_cha],
            },
            "labels": {
                "released_ha": _("CHA released (ha)"),
                "remaining_ha": _("CHA remaining (ha)"),
            },
        },
        "work": {
            "years": years,
            "series": {
                "spot_tasks": [figures.spot_tasks for figures in history],
                "items_destroyed": [figures.items_destroyed for figures in history],
            },
            "labels": {"spot_tasks": _("Spot tasks"), "items_destroyed": _("Items destroyed")},
        },
        "forecast": {
            "years": forecast_years,
            "series": {
                "recorded_ha": recorded,
                "mean_ha": projected(projection.mean_ha) if projection else [],
                "low_ha": projected(projection.low_ha) if projection else [],
                "high_ha": projected(projection.high_ha) if projection else [],
            },
            "labels": {
                "recorded_ha": _("CHA remaining, recorded (ha)"),
                "mean_ha": _("Projection at the mean pace (ha)"),
                "low_ha": _("At the lowest pace (ha)"),
                "high_ha": _("At the highest pace (ha)"),
            },
        },
    }


def units_with_cha(board: Dashboard) -> list:
    """The units the released-and-remaining chart draws: those with CHA."""
    return [row for row in board.units if row.cha_ha > 0]
