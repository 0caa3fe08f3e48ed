"""Release of the Confirmed Hazardous Area as of a date, per admin unit (issue 2, §3).

Rules, all computed from geometry in PostGIS:
- ``cha_ha``: area of the union of CHA polygons inside the unit. Today's CHAs are the
  denominator whatever ``as_of`` is (``as_of`` filters releases only), so a time series of
  ``released_pct`` keeps one denominator. SHAs are never in it: they are ``sha_ha`` in the total.
- ``released_ha``: area of (CHA union ∩ union of every release completed on or before ``as_of``)
  inside the unit; a hectare covered by several releases counts once.
- The released land is split by method with priority cleared > reduced > cancelled: cleared land
  is CHA ∩ cleared; reduced land is CHA ∩ reduced minus cleared; cancelled land is CHA ∩
  cancelled minus both. ``released_ha`` is the sum of the three, so the identity
  cleared + reduced + cancelled = released holds exactly.
- ``cleared_outside_cha_ha`` (total only): land with method *cleared* completed by ``as_of`` that
  lies outside every CHA (clearance before construction, clearance in SHAs). Cancelled and
  reduced land outside CHAs is not counted there: releasing land that was never confirmed
  hazardous says nothing about clearance.
- A polygon crossing a unit boundary is split between the units by intersection.
- ``released_pct`` = released_ha / cha_ha × 100, and None where cha_ha is 0 (no CHA in the unit):
  a share of nothing is unknown, not 0 % or 100 %.
- The total is the province of the same boundary set (not the sum of the rows: land outside every
  unit of the level but inside the province outline still counts there).
Values are unrounded floats; rounding happens only when rendered as JSON.
"""

from dataclasses import dataclass
from datetime import date

from app.accounting import sql
from app.accounting.selectors.units import (
    check_unit_code,
    fetch_dicts,
    report_boundary_set,
)
from app.registry.models import Level

DENOMINATOR = "union of CHA polygons within each unit (SHA excluded)"

_RELEASE_SQL = f"""
WITH {sql.UNITS_CTE},
cha AS (
    SELECT {sql.union_of("geometry")} AS g FROM registry_hazardarea WHERE kind = 'CHA'
),
sha AS (
    SELECT {sql.union_of("geometry")} AS g FROM registry_hazardarea WHERE kind = 'SHA'
),
released AS (
    SELECT {sql.union_of("geometry", where="method = 'cleared'")} AS cleared,
           {sql.union_of("geometry", where="method = 'reduced'")} AS reduced,
           {sql.union_of("geometry", where="method = 'cancelled'")} AS cancelled
    FROM registry_releasearea
    WHERE completed_on <= %(as_of)s
),
layers AS (
    SELECT 'cha' AS layer, cha.g FROM cha
    UNION ALL SELECT 'sha', sha.g FROM sha
    UNION ALL SELECT 'cleared', ST_Intersection(cha.g, r.cleared) FROM cha, released r
    UNION ALL SELECT 'reduced', ST_Difference(ST_Intersection(cha.g, r.reduced), r.cleared)
        FROM cha, released r
    UNION ALL SELECT 'cancelled',
        ST_Difference(ST_Intersection(cha.g, r.cancelled), ST_Union(r.cleared, r.reduced))
        FROM cha, released r
    UNION ALL SELECT 'cleared_outside_cha', ST_Difference(r.cleared, cha.g) FROM cha, released r
),
{sql.LAYER_AREAS_SELECT}
"""


@dataclass(frozen=True)
class ReleaseRow:
    code: str
    name: str
    cha_ha: float
    released_ha: float
    cleared_ha: float
    reduced_ha: float
    cancelled_ha: float
    released_pct: float | None


@dataclass(frozen=True)
class ReleaseTotal(ReleaseRow):
    sha_ha: float
    cleared_outside_cha_ha: float


@dataclass(frozen=True)
class ReleaseReport:
    as_of: date
    by: str
    boundary_set: str
    rows: tuple[ReleaseRow, ...]
    total: ReleaseTotal


def release_report(
    *, as_of: date, by: str, boundary_set: str | None = None, unit_code: str | None = None
) -> ReleaseReport:
    """Release of CHA as of ``as_of`` (inclusive) per unit of level ``by`` (district | commune |
    province) in ``boundary_set`` (default 2019 for districts, 2025 for communes).

    ``unit_code`` restricts the rows to that one unit (the total stays the province). Raises
    InvalidReportParameter for a level/set pair without units, UnknownUnit for an unknown code.
    """
    chosen_set = report_boundary_set(by=by, boundary_set=boundary_set)
    check_unit_code(unit_code=unit_code, by=by, boundary_set=chosen_set)
    records = fetch_dicts(
        _RELEASE_SQL,
        {"boundary_set": chosen_set, "level": by, "unit_code": unit_code, "as_of": as_of},
    )
    hectares_by_unit: dict[int, dict[str, float]] = {}
    units: dict[int, dict] = {}
    for record in records:
        units.setdefault(record["id"], record)
        layer_ha = hectares_by_unit.setdefault(record["id"], {})
        if record["layer"] is not None:
            layer_ha[record["layer"]] = record["ha"]
    rows = []
    total = None
    for unit_id, unit in units.items():
        layer_ha = hectares_by_unit[unit_id]
        row = _release_row(unit, layer_ha)
        if unit["level"] == by:
            rows.append(row)
        if unit["level"] == Level.PROVINCE:
            total = ReleaseTotal(
                **vars(row),
                sha_ha=layer_ha.get("sha", 0.0),
                cleared_outside_cha_ha=layer_ha.get("cleared_outside_cha", 0.0),
            )
    return ReleaseReport(as_of=as_of, by=by, boundary_set=chosen_set, rows=tuple(rows), total=total)


def _release_row(unit: dict, layer_ha: dict[str, float]) -> ReleaseRow:
    cha_ha = layer_ha.get("cha", 0.0)
    cleared_ha = layer_ha.get("cleared", 0.0)
    reduced_ha = layer_ha.get("reduced", 0.0)
    cancelled_ha = layer_ha.get("cancelled", 0.0)
    released_ha = cleared_ha + reduced_ha + cancelled_ha
    return ReleaseRow(
        code=unit["code"],
        name=unit["name"],
        cha_ha=cha_ha,
        released_ha=released_ha,
        cleared_ha=cleared_ha,
        reduced_ha=reduced_ha,
        cancelled_ha=cancelled_ha,
        released_pct=released_ha / cha_ha * 100 if cha_ha > 0 else None,
    )
