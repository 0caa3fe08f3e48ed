"""Year-by-year progress for the whole province: the table a mid-term review shows (issue 2, §4).

Per calendar year, computed from geometry in PostGIS and clipped to the province outline of the
boundary set (default 2019, the former Quảng Trị that the provincial plans of 2016-2025 cover;
``boundary_set=2025`` clips to the merged province instead):
- ``cleared_ha``: area of the union of *cleared* releases completed in the year (work done, CHA
  or not; land cleared again in a later year counts again there).
- ``released_ha``: CHA released by year end, as in the release report (union of CHAs ∩ union of
  every release completed by 31 December, all methods). Today's CHAs are the denominator in
  every year.
- ``surveyed_ha``: area of the union of releases with method *cancelled* or *reduced* (non-
  technical and technical survey) completed in the year, the survey work of the year as
  ``cleared_ha`` is the clearance work (CHA or not; land surveyed by both methods in one year
  counts once). ``surveyed_target_ha`` is the year's province target of metric surveyed_ha and
  ``pct_of_surveyed_target`` = surveyed_ha / surveyed_target_ha × 100, None as above.
- ``newly_released_ha``: growth of ``released_ha`` during the year, so a hectare released twice
  counts only in the year it was first released. Released CHA only grows, so it is never
  negative.
- ``target_ha`` / ``spot_tasks_target`` / ``items_destroyed_target``: the province targets for the
  year (AnnualTarget with no admin unit and no organisation), None where there is no row;
  ``pct_of_target`` = cleared_ha / target_ha × 100, None where the target is None or 0.
- ``villages_surveyed``: villages inside the province whose non-technical or technical survey was
  completed by year end; ``villages_surveyed_pct`` of all villages inside the province, None when
  there are none.
The ``total`` covers the period: sums of the yearly work, the state at the end of ``to_year``,
and a target only when every year of the period has one.
Values are unrounded; rounding happens only when rendered as JSON.
"""

from dataclasses import dataclass, replace
from datetime import date

from django.utils.translation import gettext

from app.accounting import sql
from app.accounting.exceptions import InvalidReportParameter
from app.accounting.selectors.periods import check_year
from app.accounting.selectors.query import fetch_dicts
from app.accounting.selectors.ratios import percentage, period_target
from app.accounting.selectors.source import reads_store
from app.accounting.selectors.units import province_boundary_set
from app.registry.models import AnnualTarget, Level, TargetMetric
from app.registry.scopes import scoped_reads

_PROVINCE_PARAMS = {"level": Level.PROVINCE, "unit_code": None, "only_hazards": None}

# Released CHA at each year end, per hazard part (see sql.HAZARD_PARTS_CTE): a part's released
# land changes only in the years a release touching it was completed, so it is computed at those
# "change years" only (the local union of every release touching it completed by then), and a
# year's figure takes each part's latest change year. Clearance per year is clustered and
# unioned per year. Both are clipped to the province pieces only where a part crosses a piece.
_RELEASED_BY_YEAR_SQL = f"""
WITH {sql.UNITS_CTE},
{sql.HAZARD_PARTS_CTE},
change_years AS (
    SELECT DISTINCT parts.part,
           GREATEST(extract(year FROM release.completed_on)::int, %(from_year)s::int - 1) AS year
    FROM hazard_parts AS parts
    JOIN registry_releasearea AS release
      ON release.completed_on <= %(end)s AND ST_Intersects(release.geometry, parts.geom)
    WHERE parts.kind = 'CHA'
),
part_released AS MATERIALIZED (
    SELECT change_years.part, change_years.year, released.geom AS released,
           {sql.hectares(sql.polygons_of("released.geom"))} AS released_ha
    FROM change_years
    JOIN hazard_parts AS parts USING (part)
    CROSS JOIN LATERAL (
        SELECT ST_Intersection(parts.geom, {sql.local_union_of("release.geometry")}) AS geom
        FROM registry_releasearea AS release
        WHERE release.completed_on <= make_date(change_years.year, 12, 31)
          AND ST_Intersects(release.geometry, parts.geom)
    ) AS released
),
released_by_change AS MATERIALIZED (
    SELECT part_released.part, part_released.year,
           sum({sql.clipped_hectares("released", hectares_if_covered="released_ha")}) AS ha
    FROM part_released JOIN hazard_part_pieces AS pieces USING (part)
    GROUP BY part_released.part, part_released.year
),
{
    sql.cleared_parts_ctes(
        where="completed_on BETWEEN %(start)s AND %(end)s",
        group="extract(year FROM completed_on)::int",
    )
},
{
    sql.cleared_parts_ctes(
        where="completed_on BETWEEN %(start)s AND %(end)s",
        group="extract(year FROM completed_on)::int",
        methods=sql.SURVEY_METHODS,
        name="surveyed",
    )
}
SELECT 'cha' AS layer,
       sum({sql.clipped_hectares("parts.geom", hectares_if_covered=sql.hectares("parts.geom"))})
           AS ha
FROM hazard_part_pieces AS pieces JOIN hazard_parts AS parts USING (part)
WHERE parts.kind = 'CHA'
UNION ALL
SELECT 'released:' || years.year, sum(latest.ha)
FROM generate_series(%(from_year)s::int - 1, %(to_year)s::int) AS years(year)
CROSS JOIN LATERAL (
    SELECT DISTINCT ON (part) part, ha
    FROM released_by_change
    WHERE released_by_change.year <= years.year
    ORDER BY part, year DESC
) AS latest
GROUP BY years.year
UNION ALL
SELECT 'cleared:' || grp, sum({sql.CLEARED_HECTARES})
FROM cleared_split
GROUP BY grp
UNION ALL
SELECT 'surveyed:' || grp, sum({sql.CLEARED_HECTARES})
FROM surveyed_split
GROUP BY grp
"""

_SPOT_TASKS_BY_YEAR_SQL = f"""
WITH {sql.UNITS_CTE},
{sql.spot_tasks_in_units("task.completed_on, task.items_destroyed")}
SELECT extract(year FROM completed_on)::int AS year, count(*) AS spot_tasks,
       sum(items_destroyed) AS items_destroyed
FROM in_province GROUP BY 1
"""

_VILLAGES_SURVEYED_SQL = f"""
WITH {sql.UNITS_CTE},
in_province AS (
    SELECT DISTINCT ON (village.id) village.nts_completed_on, village.ts_completed_on
    FROM registry_village AS village
    JOIN pieces ON ST_Intersects(pieces.geom, village.location)
)
SELECT years.year,
       (SELECT count(*) FROM in_province) AS villages,
       (SELECT count(*) FROM in_province
        WHERE nts_completed_on <= make_date(years.year, 12, 31)
           OR ts_completed_on <= make_date(years.year, 12, 31)) AS surveyed
FROM generate_series(%(from_year)s::int, %(to_year)s::int) AS years(year)
"""


# The same figures from the accounting store (app.accounting.models): the province's CHA and
# yearly clearance and survey (UnitArea), its released land summed up to each year end
# (UnitSeries), its spot tasks per year (UnitTasks) and the villages located in it (PointUnit).
_PROVINCE = """
province AS (
    SELECT id FROM registry_adminunit
    WHERE boundary_set = %(boundary_set)s AND level = 'province'
)"""

_RELEASED_BY_YEAR_FROM_STORE_SQL = f"""
WITH {_PROVINCE}
SELECT 'cha' AS layer, sum(area.area_ha) AS ha
FROM accounting_unitarea AS area
WHERE area.unit_id IN (SELECT id FROM province) AND area.family = 'CHA'
UNION ALL
SELECT 'released:' || years.year,
       (SELECT sum(series.released_ha)
        FROM accounting_unitseries AS series
        WHERE series.unit_id IN (SELECT id FROM province) AND series.family = 'CHA'
          AND series.day <= make_date(years.year, 12, 31))
FROM generate_series(%(from_year)s::int - 1, %(to_year)s::int) AS years (year)
UNION ALL
SELECT 'cleared:' || area.year, sum(area.area_ha)
FROM accounting_unitarea AS area
WHERE area.unit_id IN (SELECT id FROM province) AND area.family = 'cleared_in_year'
  AND area.year BETWEEN %(from_year)s AND %(to_year)s
GROUP BY area.year
UNION ALL
SELECT 'surveyed:' || area.year, sum(area.area_ha)
FROM accounting_unitarea AS area
WHERE area.unit_id IN (SELECT id FROM province) AND area.family = 'surveyed_in_year'
  AND area.year BETWEEN %(from_year)s AND %(to_year)s
GROUP BY area.year
"""

_SPOT_TASKS_BY_YEAR_FROM_STORE_SQL = f"""
WITH {_PROVINCE}
SELECT tasks.year, sum(tasks.spot_tasks) AS spot_tasks,
       sum(tasks.items_destroyed) AS items_destroyed
FROM accounting_unittasks AS tasks
WHERE tasks.unit_id IN (SELECT id FROM province)
  AND tasks.year BETWEEN %(from_year)s AND %(to_year)s
GROUP BY tasks.year
"""

_VILLAGES_SURVEYED_FROM_STORE_SQL = f"""
WITH {_PROVINCE},
in_province AS (
    SELECT village.nts_completed_on, village.ts_completed_on
    FROM accounting_pointunit AS located
    JOIN registry_village AS village ON village.id = located.record_id
    WHERE located.table_name = 'registry_village'
      AND located.unit_id IN (SELECT id FROM province)
)
SELECT years.year,
       (SELECT count(*) FROM in_province) AS villages,
       (SELECT count(*) FROM in_province
        WHERE nts_completed_on <= make_date(years.year, 12, 31)
           OR ts_completed_on <= make_date(years.year, 12, 31)) AS surveyed
FROM generate_series(%(from_year)s::int, %(to_year)s::int) AS years(year)
"""


@dataclass(frozen=True)
class ProgressRow:
    year: int
    cleared_ha: float
    target_ha: float | None
    pct_of_target: float | None
    surveyed_ha: float
    surveyed_target_ha: float | None
    pct_of_surveyed_target: float | None
    newly_released_ha: float
    released_ha: float
    released_pct: float | None
    spot_tasks: int
    spot_tasks_target: float | None
    items_destroyed: int
    items_destroyed_target: float | None
    villages_surveyed: int
    villages_surveyed_pct: float | None


@dataclass(frozen=True)
class ProgressTotal:
    cleared_ha: float
    target_ha: float | None
    pct_of_target: float | None
    surveyed_ha: float
    surveyed_target_ha: float | None
    pct_of_surveyed_target: float | None
    newly_released_ha: float
    released_ha: float
    released_pct: float | None
    spot_tasks: int
    items_destroyed: int
    villages_surveyed: int
    villages_surveyed_pct: float | None


@dataclass(frozen=True)
class ProgressReport:
    from_year: int
    to_year: int
    boundary_set: str
    cha_ha: float
    villages: int
    rows: tuple[ProgressRow, ...]
    total: ProgressTotal

    def between(self, from_year: int, to_year: int) -> "ProgressReport":
        """The same report narrowed to ``from_year``–``to_year`` (within its own years), with
        the total of those years: one reading serves a table and a longer chart."""
        rows = tuple(row for row in self.rows if from_year <= row.year <= to_year)
        return replace(
            self, from_year=from_year, to_year=to_year, rows=rows, total=_period_total(rows)
        )


# Its ORM reads (units, targets) see the same records as its SQL.
@scoped_reads()
def progress_report(
    *, from_year: int, to_year: int, boundary_set: str | None = None
) -> ProgressReport:
    """One row per year from ``from_year`` to ``to_year`` (inclusive) for the province of
    ``boundary_set`` (default 2019). Raises InvalidReportParameter naming ``from``, ``to`` or
    ``boundary_set``."""
    check_year(from_year, parameter="from")
    check_year(to_year, parameter="to")
    if to_year < from_year:
        raise InvalidReportParameter(
            parameter="to",
            message=gettext("to (%(to)s) must not be before from (%(from)s)")
            % {"to": to_year, "from": from_year},
        )
    chosen_set = province_boundary_set(boundary_set)
    params = {
        **_PROVINCE_PARAMS,
        "boundary_set": chosen_set,
        "from_year": from_year,
        "to_year": to_year,
        "start": date(from_year, 1, 1),
        "end": date(to_year, 12, 31),
    }
    store = reads_store()
    areas = {
        record["layer"]: record["ha"] or 0.0
        for record in fetch_dicts(
            _RELEASED_BY_YEAR_FROM_STORE_SQL if store else _RELEASED_BY_YEAR_SQL, params
        )
        if record["layer"] is not None
    }
    tasks = {
        record["year"]: record
        for record in fetch_dicts(
            _SPOT_TASKS_BY_YEAR_FROM_STORE_SQL if store else _SPOT_TASKS_BY_YEAR_SQL, params
        )
    }
    villages = {
        record["year"]: record
        for record in fetch_dicts(
            _VILLAGES_SURVEYED_FROM_STORE_SQL if store else _VILLAGES_SURVEYED_SQL, params
        )
    }
    targets = _province_targets(from_year=from_year, to_year=to_year)
    cha_ha = areas.get("cha", 0.0)
    villages_total = villages[from_year]["villages"]

    rows = []
    for year in range(from_year, to_year + 1):
        released_ha = areas.get(f"released:{year}", 0.0)
        released_before_ha = areas.get(f"released:{year - 1}", 0.0)
        cleared_ha = areas.get(f"cleared:{year}", 0.0)
        target_ha = targets.get((year, TargetMetric.CLEARED_HA))
        surveyed_ha = areas.get(f"surveyed:{year}", 0.0)
        surveyed_target_ha = targets.get((year, TargetMetric.SURVEYED_HA))
        year_tasks = tasks.get(year)
        surveyed = villages[year]["surveyed"]
        rows.append(
            ProgressRow(
                year=year,
                cleared_ha=cleared_ha,
                target_ha=target_ha,
                pct_of_target=percentage(cleared_ha, target_ha),
                surveyed_ha=surveyed_ha,
                surveyed_target_ha=surveyed_target_ha,
                pct_of_surveyed_target=percentage(surveyed_ha, surveyed_target_ha),
                # Released CHA only grows; max() drops float noise between two sums.
                newly_released_ha=max(0.0, released_ha - released_before_ha),
                released_ha=released_ha,
                released_pct=percentage(released_ha, cha_ha),
                spot_tasks=year_tasks["spot_tasks"] if year_tasks else 0,
                spot_tasks_target=targets.get((year, TargetMetric.SPOT_TASKS)),
                items_destroyed=int(year_tasks["items_destroyed"] or 0) if year_tasks else 0,
                items_destroyed_target=targets.get((year, TargetMetric.ITEMS_DESTROYED)),
                villages_surveyed=surveyed,
                villages_surveyed_pct=percentage(surveyed, villages_total),
            )
        )
    return ProgressReport(
        from_year=from_year,
        to_year=to_year,
        boundary_set=chosen_set,
        cha_ha=cha_ha,
        villages=villages_total,
        rows=tuple(rows),
        total=_period_total(rows),
    )


def _province_targets(*, from_year: int, to_year: int) -> dict[tuple[int, str], float]:
    targets = AnnualTarget.objects.filter(
        year__gte=from_year,
        year__lte=to_year,
        admin_unit__isnull=True,
        organisation__isnull=True,
    )
    return {(target.year, target.metric): float(target.value) for target in targets}


def _period_total(rows: list[ProgressRow]) -> ProgressTotal:
    cleared_ha = sum(row.cleared_ha for row in rows)
    target_ha = period_target([row.target_ha for row in rows])
    surveyed_ha = sum(row.surveyed_ha for row in rows)
    surveyed_target_ha = period_target([row.surveyed_target_ha for row in rows])
    last = rows[-1]
    return ProgressTotal(
        cleared_ha=cleared_ha,
        target_ha=target_ha,
        pct_of_target=percentage(cleared_ha, target_ha),
        surveyed_ha=surveyed_ha,
        surveyed_target_ha=surveyed_target_ha,
        pct_of_surveyed_target=percentage(surveyed_ha, surveyed_target_ha),
        newly_released_ha=sum(row.newly_released_ha for row in rows),
        released_ha=last.released_ha,
        released_pct=last.released_pct,
        spot_tasks=sum(row.spot_tasks for row in rows),
        items_destroyed=sum(row.items_destroyed for row in rows),
        villages_surveyed=last.villages_surveyed,
        villages_surveyed_pct=last.villages_surveyed_pct,
    )
