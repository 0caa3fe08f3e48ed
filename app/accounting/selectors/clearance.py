"""Clearance work done in one calendar year, per admin unit or per organisation (issue 2, §3).

Rules, computed from geometry in PostGIS:
- ``cleared_ha``: area of the union of releases with method *cleared* completed in the year,
  inside the unit; overlaps within the year count once, a polygon crossing a boundary is split
  between the units, and land cleared outside any CHA counts too (it is work done).
- ``spot_tasks`` / ``items_destroyed``: EOD spot tasks completed in the year whose location lies
  in the unit. A task exactly on a shared boundary is given to the unit with the lowest code, so
  it is counted once.
- ``target_ha``: the AnnualTarget (metric cleared_ha) for that year whose admin unit is the row's
  unit and whose organisation is null (all organisations); for ``by=organisation`` the target
  with that organisation and no admin unit; for the total the province target (no unit, no
  organisation). None where no such row exists.
- ``pct_of_target`` = cleared_ha / target_ha × 100, None where the target is None or 0.
- Everything is clipped to the province outline of the boundary set. By organisation, each
  organisation's clearance is its own union: land cleared by two organisations counts in both
  rows but once in the total, so rows may sum to more than the total.
Values are unrounded; rounding happens only when rendered as JSON.
"""

from dataclasses import dataclass

from django.utils.translation import gettext

from app.accounting import sql
from app.accounting.exceptions import InvalidReportParameter
from app.accounting.selectors.periods import check_year, year_bounds
from app.accounting.selectors.query import fetch_dicts
from app.accounting.selectors.ratios import percentage
from app.accounting.selectors.source import reads_store
from app.accounting.selectors.units import province_boundary_set, report_boundary_set
from app.accounts.language import in_english
from app.registry.models import AnnualTarget, Level, Organisation, TargetMetric
from app.registry.scopes import scoped_reads

BY_ORGANISATION = "organisation"
CLEARANCE_GROUPINGS = (Level.DISTRICT, Level.COMMUNE, BY_ORGANISATION)

_IN_YEAR = "completed_on BETWEEN %(start)s AND %(end)s"

# Hectares cleared in the year per unit (the province row is the total), and per organisation
# inside the province: each organisation's releases are unioned on their own.
_CLEARED_BY_UNIT_SQL = f"""
WITH {sql.UNITS_CTE},
{sql.cleared_parts_ctes(where=_IN_YEAR)}
SELECT units.id, units.code, {sql.name_in_reader_language("units")} AS name, units.level,
       cleared.ha
FROM units
LEFT JOIN (
    SELECT unit_id, sum({sql.CLEARED_HECTARES}) AS ha FROM cleared_split GROUP BY unit_id
) AS cleared ON cleared.unit_id = units.id
ORDER BY units.code
"""

_CLEARED_BY_ORGANISATION_SQL = f"""
WITH {sql.UNITS_CTE},
{sql.cleared_parts_ctes(where=_IN_YEAR, group="organisation_id")}
SELECT grp AS organisation_id, sum({sql.CLEARED_HECTARES}) AS ha
FROM cleared_split
GROUP BY grp
"""

# One row per unit a task falls in; DISTINCT ON keeps one unit per level for a task on a
# boundary (or on the seam of two subdivided pieces of the same unit).
_SPOT_TASKS_BY_UNIT_SQL = f"""
WITH {sql.UNITS_CTE},
task_units AS (
    SELECT DISTINCT ON (task.id, units.level)
           task.id, units.id AS unit_id, task.items_destroyed
    FROM registry_spottask AS task
    JOIN pieces ON ST_Intersects(pieces.geom, task.location)
    JOIN units ON units.id = pieces.unit_id
    WHERE task.completed_on BETWEEN %(start)s AND %(end)s
    ORDER BY task.id, units.level, units.code
)
SELECT unit_id AS key, count(*) AS spot_tasks, sum(items_destroyed) AS items_destroyed
FROM task_units GROUP BY unit_id
"""

_SPOT_TASKS_BY_ORGANISATION_SQL = f"""
WITH {sql.UNITS_CTE},
{sql.spot_tasks_in_units("task.organisation_id, task.items_destroyed")}
SELECT organisation_id::text AS key, count(*) AS spot_tasks,
       sum(items_destroyed) AS items_destroyed
FROM in_province GROUP BY ROLLUP (organisation_id)
"""


# The same figures from the accounting store (app.accounting.models): the land cleared in the
# year per unit and per organisation (UnitArea), and the spot tasks per unit, year and
# organisation (UnitTasks).
_CLEARED_BY_UNIT_FROM_STORE_SQL = f"""
WITH {sql.REPORT_UNITS_CTE}
SELECT units.id, units.code, {sql.name_in_reader_language("units")} AS name, units.level,
       area.area_ha AS ha
FROM units
LEFT JOIN accounting_unitarea AS area
  ON area.unit_id = units.id AND area.family = 'cleared_in_year' AND area.year = %(year)s
ORDER BY units.code
"""

_CLEARED_BY_ORGANISATION_FROM_STORE_SQL = f"""
WITH {sql.REPORT_UNITS_CTE}
SELECT area.organisation_id::text AS organisation_id, area.area_ha AS ha
FROM units
JOIN accounting_unitarea AS area
  ON area.unit_id = units.id AND area.family = 'cleared_in_year_by' AND area.year = %(year)s
WHERE units.level = 'province'
"""

_SPOT_TASKS_BY_UNIT_FROM_STORE_SQL = f"""
WITH {sql.REPORT_UNITS_CTE}
SELECT tasks.unit_id AS key, sum(tasks.spot_tasks) AS spot_tasks,
       sum(tasks.items_destroyed) AS items_destroyed
FROM units
JOIN accounting_unittasks AS tasks ON tasks.unit_id = units.id AND tasks.year = %(year)s
GROUP BY tasks.unit_id
"""

_SPOT_TASKS_BY_ORGANISATION_FROM_STORE_SQL = f"""
WITH {sql.REPORT_UNITS_CTE}
SELECT tasks.organisation_id::text AS key, coalesce(sum(tasks.spot_tasks), 0) AS spot_tasks,
       sum(tasks.items_destroyed) AS items_destroyed
FROM units
JOIN accounting_unittasks AS tasks ON tasks.unit_id = units.id AND tasks.year = %(year)s
WHERE units.level = 'province'
GROUP BY ROLLUP (tasks.organisation_id)
"""


def _query(reference: str, from_store: str) -> str:
    return from_store if reads_store() else reference


@dataclass(frozen=True)
class ClearanceRow:
    code: str
    name: str
    cleared_ha: float
    target_ha: float | None
    pct_of_target: float | None
    spot_tasks: int
    items_destroyed: int


@dataclass(frozen=True)
class ClearanceReport:
    year: int
    by: str
    boundary_set: str
    rows: tuple[ClearanceRow, ...]
    total: ClearanceRow


# Its ORM reads (units, targets) see the same records as its SQL.
@scoped_reads()
def clearance_report(*, year: int, by: str, boundary_set: str | None = None) -> ClearanceReport:
    """Clearance in ``year`` per district (default set 2019), commune (default 2025) or
    organisation (clipped to the 2019 province by default), with a province total.

    Raises InvalidReportParameter naming ``year``, ``by`` or ``boundary_set``.
    """
    check_year(year, parameter="year")
    if by not in CLEARANCE_GROUPINGS:
        raise InvalidReportParameter(
            parameter="by",
            message=gettext("by must be one of %(values)s, not %(given)r")
            % {"values": ", ".join(CLEARANCE_GROUPINGS), "given": by},
        )
    start, end = year_bounds(year)
    if by == BY_ORGANISATION:
        chosen_set = province_boundary_set(boundary_set)
        rows, total = _by_organisation(year=year, boundary_set=chosen_set, start=start, end=end)
    else:
        chosen_set = report_boundary_set(by=by, boundary_set=boundary_set)
        rows, total = _by_unit(year=year, by=by, boundary_set=chosen_set, start=start, end=end)
    return ClearanceReport(year=year, by=by, boundary_set=chosen_set, rows=tuple(rows), total=total)


def _by_unit(*, year, by, boundary_set, start, end) -> tuple[list[ClearanceRow], ClearanceRow]:
    params = {
        "boundary_set": boundary_set,
        "level": by,
        "unit_code": None,
        "year": year,
        "start": start,
        "end": end,
        "english": in_english(),
    }
    areas = fetch_dicts(_query(_CLEARED_BY_UNIT_SQL, _CLEARED_BY_UNIT_FROM_STORE_SQL), params)
    tasks = {
        record["key"]: record
        for record in fetch_dicts(
            _query(_SPOT_TASKS_BY_UNIT_SQL, _SPOT_TASKS_BY_UNIT_FROM_STORE_SQL), params
        )
    }
    targets = _cleared_ha_targets(year).filter(organisation__isnull=True)
    target_by_unit = {t.admin_unit_id: float(t.value) for t in targets}
    rows, total = [], None
    for record in areas:
        unit_id = record["id"]
        is_province = record["level"] == Level.PROVINCE
        row = _clearance_row(
            code=record["code"],
            name=record["name"],
            cleared_ha=record["ha"] or 0.0,
            target_ha=target_by_unit.get(None if is_province else unit_id),
            tasks=tasks.get(unit_id),
        )
        if record["level"] == by:
            rows.append(row)
        if is_province:
            total = row
    return rows, total


def _by_organisation(*, year, boundary_set, start, end) -> tuple[list[ClearanceRow], ClearanceRow]:
    params = {
        "boundary_set": boundary_set,
        "level": Level.PROVINCE,
        "unit_code": None,
        "year": year,
        "start": start,
        "end": end,
        "english": in_english(),
    }
    cleared_ha = {
        record["organisation_id"]: record["ha"] or 0.0
        for record in fetch_dicts(
            _query(_CLEARED_BY_ORGANISATION_SQL, _CLEARED_BY_ORGANISATION_FROM_STORE_SQL), params
        )
    }
    province = next(
        record
        for record in fetch_dicts(
            _query(_CLEARED_BY_UNIT_SQL, _CLEARED_BY_UNIT_FROM_STORE_SQL), params
        )
        if record["level"] == Level.PROVINCE
    )
    # ROLLUP's grand-total row has a NULL key: it is the province total.
    tasks = {
        record["key"]: record
        for record in fetch_dicts(
            _query(_SPOT_TASKS_BY_ORGANISATION_SQL, _SPOT_TASKS_BY_ORGANISATION_FROM_STORE_SQL),
            params,
        )
    }
    target_by_organisation = {
        t.organisation_id: float(t.value)
        for t in _cleared_ha_targets(year).filter(admin_unit__isnull=True)
    }
    rows = [
        _clearance_row(
            code=organisation.slug,
            name=organisation.name,
            cleared_ha=cleared_ha.get(str(organisation.id), 0.0),
            target_ha=target_by_organisation.get(organisation.id),
            tasks=tasks.get(str(organisation.id)),
        )
        for organisation in Organisation.objects.order_by("slug")
    ]
    total = _clearance_row(
        code=province["code"],
        name=province["name"],
        cleared_ha=province["ha"] or 0.0,
        target_ha=target_by_organisation.get(None),
        tasks=tasks.get(None),
    )
    return rows, total


def _cleared_ha_targets(year: int):
    return AnnualTarget.objects.filter(year=year, metric=TargetMetric.CLEARED_HA)


def _clearance_row(*, code, name, cleared_ha, target_ha, tasks) -> ClearanceRow:
    return ClearanceRow(
        code=code,
        name=name,
        cleared_ha=cleared_ha,
        target_ha=target_ha,
        pct_of_target=percentage(cleared_ha, target_ha),
        spot_tasks=tasks["spot_tasks"] if tasks else 0,
        items_destroyed=int(tasks["items_destroyed"] or 0) if tasks else 0,
    )
