"""Reports as tables for CSV and Excel: headers in the reader's language, the figures of the
JSON (rounded there, once: app.accounting.report_json), and what they cover.

A table is its columns, its rows (the total last) and its ``about`` lines: the report and its
parameters, the denominator of each percentage, which records were counted (approved, or with
submitted work and whose), who downloaded it and when. app.accounting.report_files writes it.
Called inside the request, so ``gettext`` speaks the reader's language (the profile's, else the
browser's), as the pages do.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import singledispatch

from django.utils.translation import gettext as _

from app.accounting.report_json import report_json
from app.accounting.selectors import (
    ClearanceReport,
    ForecastReport,
    ProgressReport,
    ReleaseReport,
)
from app.registry.scopes import ReadingScope


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str
    """"text", "count", "ha" (hectares, 2 decimals) or "pct" (percentage, 1 decimal)."""


@dataclass(frozen=True)
class ReportTable:
    name: str
    """The file name's stem: ASCII, the report and its parameters."""
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]
    """One tuple per unit or year in the columns' order, the total last; None: no value."""
    about: tuple[tuple[str, str], ...]
    """(label, value) lines: the report, its parameters, denominators, scope, who, when."""
    sheet_names: tuple[str, str]
    """The Excel file's two sheets: the figures, then the about lines."""


def _kind(key: str) -> str:
    # The JSON's naming rule (report_json._rounded): *_ha hectares, *_pct and pct_* percentages.
    if key.endswith("_ha"):
        return "ha"
    if key.endswith("_pct") or key.startswith("pct_"):
        return "pct"
    if key in ("code", "name"):
        return "text"
    return "count"


def _headers() -> dict[str, str]:
    return {
        "code": _("Code"),
        "name": _("Name"),
        "year": _("Year"),
        "cha_ha": _("Confirmed hazardous area, CHA (ha)"),
        "released_ha": _("CHA released (ha)"),
        "cleared_ha": _("Cleared (ha)"),
        "reduced_ha": _("of which reduced (ha)"),
        "cancelled_ha": _("of which cancelled (ha)"),
        "released_pct": _("Released %"),
        "sha_ha": _("Suspected hazardous area, SHA (ha)"),
        "cleared_outside_cha_ha": _("Cleared outside every CHA (ha)"),
        "target_ha": _("Target (ha)"),
        # xgettext:no-python-format
        "pct_of_target": _("% of target"),
        "spot_tasks": _("Spot tasks"),
        "spot_tasks_target": _("Spot tasks target"),
        "items_destroyed": _("Items destroyed"),
        "items_destroyed_target": _("Items destroyed target"),
        "newly_released_ha": _("CHA newly released in the year (ha)"),
        "surveyed_ha": _("Surveyed: cancelled or reduced (ha)"),
        "surveyed_target_ha": _("Survey target (ha)"),
        # xgettext:no-python-format
        "pct_of_surveyed_target": _("% of survey target"),
        "villages_surveyed": _("Villages surveyed"),
        "villages_surveyed_pct": _("Villages surveyed %"),
    }


def _columns(keys: list[str], *, overrides: dict[str, str] | None = None) -> tuple[Column, ...]:
    headers = {**_headers(), **(overrides or {})}
    return tuple(Column(key, headers[key], _kind(key)) for key in keys)


def _rows(body: dict, keys: list[str], *, total_key: str) -> tuple[tuple, ...]:
    rows = [tuple(row.get(key) for key in keys) for row in body["rows"]]
    total = {**body["total"], total_key: _("Total")}
    return (*rows, tuple(total.get(key) for key in keys))


def _grouping(by: str) -> str:
    return {
        "province": _("the province"),
        "district": _("district"),
        "commune": _("commune"),
        "organisation": _("organisation"),
    }.get(by, by)


def _scope_lines(scope: ReadingScope) -> list[tuple[str, str]]:
    described = scope.describe()
    if described.get("as_recorded"):
        records = _("approved records, as the registry stood at the end of %(day)s") % {
            "day": described["as_recorded"]
        }
    elif described["includes_submitted"]:
        whose = described.get("submitted_by")
        records = _("approved records and submitted work not yet approved, of %(whose)s") % {
            "whose": ", ".join(whose) if whose is not None else _("every organisation")
        }
    else:
        records = _("approved records only")
    return [(_("Records counted"), records)]


def _sheet_names() -> tuple[str, str]:
    return _("Figures"), _("About these figures")


def _reader_lines(*, reader: str, generated_at: datetime) -> list[tuple[str, str]]:
    return [
        (_("Areas"), _("geodesic hectares on the WGS 84 ellipsoid, computed in PostGIS")),
        (_("Downloaded by"), reader),
        (_("Made at"), generated_at.isoformat(timespec="seconds")),
    ]


@singledispatch
def report_table(report, scope: ReadingScope, *, reader: str, generated_at: datetime):
    """The table of ``report`` as counted in ``scope``, for ``reader`` at ``generated_at``."""
    raise TypeError(f"no table for {type(report).__name__}")


@report_table.register
def _release_table(report: ReleaseReport, scope, *, reader, generated_at) -> ReportTable:
    body = report_json(report)
    keys = ["code", "name", "cha_ha", "released_ha", "cleared_ha", "reduced_ha"]
    keys += ["cancelled_ha", "released_pct", "sha_ha", "cleared_outside_cha_ha"]
    title = _("Release of confirmed hazardous areas as of %(day)s") % {"day": body["as_of"]}
    return ReportTable(
        name=f"landrelease-release-{body['as_of']}-{body['by']}-{body['boundary_set']}",
        title=title,
        columns=_columns(keys, overrides={"cleared_ha": _("of which cleared (ha)")}),
        rows=_rows(body, keys, total_key="name"),
        about=(
            (_("Report"), title),
            (_("As of"), body["as_of"]),
            (
                _("Rows"),
                _("one per %(by)s, then the province total") % {"by": _grouping(body["by"])},
            ),
            (_("Boundary set"), body["boundary_set"]),
            (
                # xgettext:no-python-format
                _("Released % is of"),
                _(
                    "the union of the CHA polygons within each unit (SHA excluded); SHA and land "
                    "cleared outside every CHA are on the total row only"
                ),
            ),
            *_scope_lines(scope),
            *_reader_lines(reader=reader, generated_at=generated_at),
        ),
        sheet_names=_sheet_names(),
    )


@report_table.register
def _clearance_table(report: ClearanceReport, scope, *, reader, generated_at) -> ReportTable:
    body = report_json(report)
    keys = ["code", "name", "cleared_ha", "target_ha", "pct_of_target", "spot_tasks"]
    keys += ["items_destroyed"]
    title = _("Clearance in %(year)s") % {"year": body["year"]}
    return ReportTable(
        name=f"landrelease-clearance-{body['year']}-{body['by']}-{body['boundary_set']}",
        title=title,
        columns=_columns(keys),
        rows=_rows(body, keys, total_key="name"),
        about=(
            (_("Report"), title),
            (
                _("Rows"),
                _("one per %(by)s, then the province total") % {"by": _grouping(body["by"])},
            ),
            (_("Boundary set"), body["boundary_set"]),
            (
                # xgettext:no-python-format
                _("% of target is of"),
                _("the year's target in hectares of the row (empty where there is none)"),
            ),
            *_scope_lines(scope),
            *_reader_lines(reader=reader, generated_at=generated_at),
        ),
        sheet_names=_sheet_names(),
    )


@report_table.register
def _progress_table(report: ProgressReport, scope, *, reader, generated_at) -> ReportTable:
    body = report_json(report)
    keys = ["year", "cleared_ha", "target_ha", "pct_of_target", "surveyed_ha"]
    keys += ["surveyed_target_ha", "pct_of_surveyed_target", "newly_released_ha"]
    keys += ["released_ha", "released_pct", "spot_tasks", "spot_tasks_target"]
    keys += ["items_destroyed", "items_destroyed_target", "villages_surveyed"]
    keys += ["villages_surveyed_pct"]
    title = _("Progress from %(first)s to %(last)s") % {"first": body["from"], "last": body["to"]}
    columns = _columns(keys, overrides={"released_ha": _("CHA released by the year's end (ha)")})
    return ReportTable(
        name=f"landrelease-progress-{body['from']}-{body['to']}-{body['boundary_set']}",
        title=title,
        columns=(Column("year", _("Year"), "text"), *columns[1:]),
        rows=_rows(body, keys, total_key="year"),
        about=(
            (_("Report"), title),
            (_("Rows"), _("one per year, then the period's total")),
            (_("Boundary set"), body["boundary_set"]),
            (
                # xgettext:no-python-format
                _("Released % is of"),
                _("today's CHA in the province: %(ha).2f ha") % {"ha": body["cha_ha"]},
            ),
            (
                # xgettext:no-python-format
                _("Villages surveyed % is of"),
                _("the villages in the province: %(count)s") % {"count": body["villages"]},
            ),
            *_scope_lines(scope),
            *_reader_lines(reader=reader, generated_at=generated_at),
        ),
        sheet_names=_sheet_names(),
    )


@report_table.register
def _forecast_table(report: ForecastReport, scope, *, reader, generated_at) -> ReportTable:
    body = report_json(report)
    # The JSON's released_by_year list becomes one column per counted year.
    for row in (*body["rows"], body["total"]):
        for counted in row["released_by_year"]:
            row[f"newly_released_{counted['year']}_ha"] = counted["newly_released_ha"]
    year_keys = [f"newly_released_{year}_ha" for year in body["years"]]
    keys = ["code", "name", "cha_ha", "released_ha", "remaining_ha", *year_keys]
    keys += ["pace_mean_ha", "pace_low_ha", "pace_high_ha", "year_at_mean_pace"]
    keys += ["year_at_low_pace", "year_at_high_pace", "reason"]
    headers = {
        "remaining_ha": _("CHA remaining (ha)"),
        "pace_mean_ha": _("Mean pace (ha a year)"),
        "pace_low_ha": _("Lowest pace (ha a year)"),
        "pace_high_ha": _("Highest pace (ha a year)"),
        "year_at_mean_pace": _("Released by, at the mean pace"),
        "year_at_low_pace": _("Released by, at the lowest pace"),
        "year_at_high_pace": _("Released by, at the highest pace"),
        "reason": _("Why no year"),
        **{
            f"newly_released_{year}_ha": _("CHA newly released in %(year)s (ha)") % {"year": year}
            for year in body["years"]
        },
    }
    columns = _columns(keys, overrides=headers)
    title = _("Forecast of the release of CHA as of %(day)s") % {"day": body["as_of"]}
    return ReportTable(
        name=f"landrelease-forecast-{body['as_of']}-{body['by']}-{body['boundary_set']}",
        title=title,
        columns=(*columns[:-1], Column("reason", headers["reason"], "text")),
        rows=_rows(body, keys, total_key="name"),
        about=(
            (_("Report"), title),
            (_("As of"), body["as_of"]),
            (
                _("Rows"),
                _("one per %(by)s, then the province total") % {"by": _grouping(body["by"])},
            ),
            (_("Boundary set"), body["boundary_set"]),
            (_("Method"), body["method"]),
            *_scope_lines(scope),
            *_reader_lines(reader=reader, generated_at=generated_at),
        ),
        sheet_names=_sheet_names(),
    )
