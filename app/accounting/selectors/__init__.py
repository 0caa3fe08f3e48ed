"""Accounting read functions: reports computed from geometry in PostGIS, unrounded."""

from app.accounting.selectors.release import ReleaseReport, ReleaseRow, ReleaseTotal, release_report

__all__ = ["ReleaseReport", "ReleaseRow", "ReleaseTotal", "release_report"]
