"""Reports as JSON-ready dicts: the one rendering the API and ``manage.py stats`` share.

This is the only place values are rounded: hectares to 2 decimals, percentages to 1. Field
names say which is which (``*_ha``, ``*_pct``, ``pct_of_*``); counts stay integers.
"""

from dataclasses import fields
from functools import singledispatch

from django.utils.translation import gettext

from app.accounting.selectors import (
    ClearanceReport,
    ForecastReport,
    ProgressReport,
    ReleaseReport,
)
from app.accounting.selectors.release import DENOMINATOR
from app.registry.scopes import ReadingScope


def _rounded(name: str, value):
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if name.endswith("_ha"):
        # + 0.0 turns the -0.0 that rounding tiny negative noise gives into 0.0.
        return round(value, 2) + 0.0
    if name.endswith("_pct") or name.startswith("pct_"):
        return round(value, 1) + 0.0
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _record(item) -> dict:
    return {field.name: _rounded(field.name, getattr(item, field.name)) for field in fields(item)}


def scoped_report_json(report, scope: ReadingScope) -> dict:
    """A report's JSON and, as ``scope``, which records it counted (ReadingScope.describe): the
    API and ``manage.py stats`` print this, so pending work in the figures is never unlabelled.
    The selectors name units in the reader's language (app.accounting.sql)."""
    return {**report_json(report), "scope": scope.describe()}


@singledispatch
def report_json(report) -> dict:
    """The JSON dict of a report (issue 2, §4 shapes), rounded for display."""
    raise TypeError(f"no JSON rendering for {type(report).__name__}")


@report_json.register
def _(report: ReleaseReport) -> dict:
    return {
        "as_of": report.as_of.isoformat(),
        "by": report.by,
        "boundary_set": report.boundary_set,
        "denominator": DENOMINATOR,
        "rows": [_record(row) for row in report.rows],
        "total": _record(report.total),
    }


@report_json.register
def _(report: ClearanceReport) -> dict:
    return {
        "year": report.year,
        "by": report.by,
        "boundary_set": report.boundary_set,
        "rows": [_record(row) for row in report.rows],
        "total": _record(report.total),
    }


@report_json.register
def _(report: ProgressReport) -> dict:
    return {
        "from": report.from_year,
        "to": report.to_year,
        "boundary_set": report.boundary_set,
        "cha_ha": _rounded("cha_ha", report.cha_ha),
        "villages": report.villages,
        "rows": [_record(row) for row in report.rows],
        "total": _record(report.total),
    }


def forecast_method(report: ForecastReport) -> str:
    """The method in plain words, in the reader's language, for the JSON and for the pages that
    show the forecast."""
    return gettext(
        "A projection from recorded work, not a plan. Remaining CHA is the CHA not released as of "
        "%(as_of)s. The pace is the CHA newly released in each of the complete years "
        "%(first)s–%(last)s (released CHA at the year end minus at the year end before); the mean, "
        "lowest and highest of those years are shown. The year the remaining CHA would be released "
        "at a pace is %(year)s plus the remaining hectares divided by that pace, rounded up."
    ) % {
        "as_of": report.as_of.isoformat(),
        "first": report.years[0],
        "last": report.years[-1],
        "year": report.as_of.year,
    }


def _forecast_record(row) -> dict:
    return {
        **{name: value for name, value in _record(row).items() if name != "released_by_year"},
        "released_by_year": [_record(year) for year in row.released_by_year],
    }


@report_json.register
def _(report: ForecastReport) -> dict:
    return {
        "as_of": report.as_of.isoformat(),
        "by": report.by,
        "boundary_set": report.boundary_set,
        "years": list(report.years),
        "method": forecast_method(report),
        "denominator": DENOMINATOR,
        "rows": [_forecast_record(row) for row in report.rows],
        "total": _forecast_record(report.total),
    }
