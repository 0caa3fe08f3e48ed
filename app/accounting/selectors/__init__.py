"""Accounting read functions: reports computed from geometry in PostGIS, unrounded."""

from app.accounting.selectors.clearance import ClearanceReport, ClearanceRow, clearance_report
from app.accounting.selectors.forecast import ForecastReport, ForecastRow, release_forecast
from app.accounting.selectors.progress import (
    ProgressReport,
    ProgressRow,
    ProgressTotal,
    progress_report,
)
from app.accounting.selectors.release import (
    ReleaseReport,
    ReleaseRow,
    ReleaseTotal,
    release_report,
)

__all__ = [
    "ClearanceReport",
    "ClearanceRow",
    "ForecastReport",
    "ForecastRow",
    "ProgressReport",
    "ProgressRow",
    "ProgressTotal",
    "ReleaseReport",
    "ReleaseRow",
    "ReleaseTotal",
    "clearance_report",
    "progress_report",
    "release_forecast",
    "release_report",
]
