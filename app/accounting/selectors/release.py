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
from app.accounting.selectors.query import fetch_dicts
from app.accounting.selectors.ratios import percentage
from app.accounting.selectors.source import reads_store, store_forced_off
from app.accounting.selectors.units import check_unit_code, report_boundary_set
from app.accounts.language import in_english
from app.registry.models import Level
from app.registry.scopes import active_scope, scoped_reads

DENOMINATOR = "union of CHA polygons within each unit (SHA excluded)"

# The reference: computed from the registry on every call. It defines the figures; the store
# (read by _RELEASE_FROM_STORE_SQL below) keeps them.
# Per hazard part (see sql.HAZARD_PARTS_CTE) the releases that meet it are unioned locally and
# intersected with it, three times: cleared, cleared or reduced, any method. The method split
# then follows from differences of areas (reduced = (cleared or reduced) - cleared, ...), which
# applies the priority without any geometric difference. Parts are split between unit pieces
# only where they cross a piece boundary.
_CHA_RELEASES = sql.release_unions_meeting(
    "parts.geom", as_of="%(as_of)s", only_when="parts.kind = 'CHA'"
)
_RELEASE_SQL = f"""
WITH {sql.UNITS_CTE},
{sql.HAZARD_PARTS_CTE},
part_released AS MATERIALIZED (
    SELECT parts.part, parts.geom AS hazard,
           ST_Intersection(parts.geom, released.cleared) AS cleared,
           CASE WHEN released.reduced > 0
                THEN ST_Intersection(parts.geom, released.cleared_or_reduced) END
               AS only_if_reduced,
           CASE WHEN released.cancelled > 0
                THEN ST_Intersection(parts.geom, released.released) END AS only_if_cancelled
    FROM hazard_parts AS parts
    LEFT JOIN LATERAL ({_CHA_RELEASES}) AS released ON true
),
-- Most parts are released by one method only; then the nested unions are the same set and
-- the intersections above were skipped (NULL), so the cleared one stands in for them.
part_layers AS MATERIALIZED (
    SELECT part, hazard, cleared, cleared_or_reduced, released,
           {sql.hectares("hazard")} AS hazard_ha,
           {sql.hectares(sql.polygons_of("cleared"))} AS cleared_ha,
           {sql.hectares(sql.polygons_of("cleared_or_reduced"))} AS cleared_or_reduced_ha,
           {sql.hectares(sql.polygons_of("released"))} AS released_ha
    FROM (
        SELECT part, hazard, cleared,
               COALESCE(only_if_reduced, cleared) AS cleared_or_reduced,
               COALESCE(only_if_cancelled, only_if_reduced, cleared) AS released
        FROM part_released
    ) AS nested
),
province_pieces AS (
    SELECT pieces.* FROM pieces JOIN units ON units.id = pieces.unit_id
    WHERE units.level = 'province'
),
{
    sql.cleared_parts_ctes(
        where="completed_on <= %(as_of)s AND (%(only_cleared)s::bigint[] IS NULL"
        " OR id = ANY (%(only_cleared)s::bigint[]))",
        pieces="province_pieces",
    )
},
split AS (
    SELECT pieces.unit_id, pieces.kind, pieces.covered, pieces.piece, part_layers.*
    FROM hazard_part_pieces AS pieces
    JOIN part_layers USING (part)
),
hectares_by_unit AS (
    SELECT unit_id, kind,
           sum({sql.clipped_hectares("hazard", hectares_if_covered="hazard_ha")}) AS hazard_ha,
           sum({sql.clipped_hectares("cleared", hectares_if_covered="cleared_ha")})
               AS cleared_ha,
           sum({
    sql.clipped_hectares("cleared_or_reduced", hectares_if_covered="cleared_or_reduced_ha")
})
               AS cleared_or_reduced_ha,
           sum({sql.clipped_hectares("released", hectares_if_covered="released_ha")})
               AS released_ha
    FROM split
    GROUP BY unit_id, kind
    UNION ALL
    SELECT unit_id, 'cleared anywhere', sum({sql.CLEARED_HECTARES}),
           NULL, NULL, NULL
    FROM cleared_split
    GROUP BY unit_id
)
SELECT units.id, units.code, {sql.name_in_reader_language("units")} AS name, units.level,
       hectares_by_unit.kind,
       hectares_by_unit.hazard_ha, hectares_by_unit.cleared_ha,
       hectares_by_unit.cleared_or_reduced_ha, hectares_by_unit.released_ha
FROM units
LEFT JOIN hectares_by_unit ON hectares_by_unit.unit_id = units.id
ORDER BY units.code
"""


# The same rows from the accounting store (app.accounting.models): per unit, its CHA and SHA
# hectares (UnitArea) and the growth of its released land on each day up to as_of (UnitSeries),
# summed; the province's cleared land anywhere likewise.
_RELEASE_FROM_STORE_SQL = f"""
WITH {sql.REPORT_UNITS_CTE}
SELECT units.id, units.code, {sql.name_in_reader_language("units")} AS name, units.level,
       kinds.kind, kinds.hazard_ha, kinds.cleared_ha, kinds.cleared_or_reduced_ha,
       kinds.released_ha
FROM units
CROSS JOIN LATERAL (
    SELECT 'CHA' AS kind,
           (SELECT area.area_ha FROM accounting_unitarea AS area
            WHERE area.unit_id = units.id AND area.family = 'CHA') AS hazard_ha,
           sum(series.cleared_ha) AS cleared_ha,
           sum(series.cleared_or_reduced_ha) AS cleared_or_reduced_ha,
           sum(series.released_ha) AS released_ha
    FROM accounting_unitseries AS series
    WHERE series.unit_id = units.id AND series.family = 'CHA' AND series.day <= %(as_of)s
    UNION ALL
    SELECT 'SHA', area.area_ha, NULL, NULL, NULL
    FROM accounting_unitarea AS area
    WHERE area.unit_id = units.id AND area.family = 'SHA'
    UNION ALL
    SELECT 'cleared anywhere', sum(series.cleared_ha), NULL, NULL, NULL
    FROM accounting_unitseries AS series
    WHERE units.level = 'province' AND series.unit_id = units.id
      AND series.family = 'cleared' AND series.day <= %(as_of)s
) AS kinds
ORDER BY units.code
"""


# With pending work (include=submitted): the store's parts that pending records touch (a pending
# hazard of the part's kind, a pending release on a CHA part, a pending cleared release on a
# cleared part), with the hazards and cleared releases to recompute in their place: the parts'
# members and the pending records themselves. Read in the pending scope, where the registry's
# tables are its views, so "pending" is what this reader may count and is not yet approved.
_PENDING_CHANGES_SQL = """
WITH affected AS (
    SELECT part.id, part.family, part.members
    FROM accounting_part AS part
    WHERE (part.family IN ('CHA', 'SHA') AND EXISTS (
              SELECT FROM registry_hazardarea AS hazard
              WHERE hazard.status <> 'approved' AND hazard.kind = part.family
                AND ST_Intersects(hazard.geometry, part.geometry)))
       OR (part.family = 'CHA' AND EXISTS (
              SELECT FROM registry_releasearea AS release
              WHERE release.status <> 'approved'
                AND ST_Intersects(release.geometry, part.geometry)))
       OR (part.family = 'cleared' AND EXISTS (
              SELECT FROM registry_releasearea AS release
              WHERE release.status <> 'approved' AND release.method = 'cleared'
                AND ST_Intersects(release.geometry, part.geometry)))
)
SELECT
    (SELECT array_agg(id) FROM affected) AS affected_parts,
    (SELECT array_agg(DISTINCT member) FROM (
        SELECT unnest(members) AS member FROM affected WHERE family IN ('CHA', 'SHA')
        UNION ALL
        SELECT id FROM registry_hazardarea WHERE status <> 'approved'
    ) AS hazards) AS hazards,
    (SELECT array_agg(DISTINCT member) FROM (
        SELECT unnest(members) AS member FROM affected WHERE family = 'cleared'
        UNION ALL
        SELECT id FROM registry_releasearea WHERE status <> 'approved' AND method = 'cleared'
    ) AS cleared) AS cleared
"""

# What the affected parts add to the store's figures of each unit as of as_of, to be taken
# out: their hectares (CHA, SHA) and their released (or cleared) land by then.
_AFFECTED_FIGURES_SQL = f"""
WITH {sql.REPORT_UNITS_CTE}
SELECT pieces.unit_id AS id,
       CASE WHEN pieces.family = 'cleared' THEN 'cleared anywhere' ELSE pieces.family END
           AS kind,
       CASE WHEN pieces.family = 'cleared' THEN sum(latest.cleared_ha)
            ELSE sum(pieces.area_ha) END AS hazard_ha,
       sum(latest.cleared_ha) FILTER (WHERE pieces.family = 'CHA') AS cleared_ha,
       sum(latest.cleared_or_reduced_ha) FILTER (WHERE pieces.family = 'CHA')
           AS cleared_or_reduced_ha,
       sum(latest.released_ha) FILTER (WHERE pieces.family = 'CHA') AS released_ha
FROM accounting_partpiece AS pieces
LEFT JOIN LATERAL (
    SELECT series.cleared_ha, series.cleared_or_reduced_ha, series.released_ha
    FROM accounting_partseries AS series
    WHERE series.part_piece_id = pieces.id AND series.day <= %(as_of)s
    ORDER BY series.day DESC
    LIMIT 1
) AS latest ON true
WHERE pieces.part_id = ANY (%(affected_parts)s::bigint[])
  AND pieces.unit_id IN (SELECT id FROM units)
GROUP BY pieces.unit_id, pieces.family
"""

_FIGURES = ("hazard_ha", "cleared_ha", "cleared_or_reduced_ha", "released_ha")


def _release_records(params: dict) -> list[dict]:
    """The report's rows (unit × kind) from the store, from the reference, or, with pending
    work, from the store with the parts that work touches recomputed by the reference."""
    scope = active_scope()
    if reads_store():
        return fetch_dicts(_RELEASE_FROM_STORE_SQL, params)
    if scope is None or not scope.include_submitted or store_forced_off():
        return fetch_dicts(_RELEASE_SQL, {**params, "only_hazards": None, "only_cleared": None})
    (changes,) = fetch_dicts(_PENDING_CHANGES_SQL, {})
    stored = fetch_dicts(_RELEASE_FROM_STORE_SQL, params)
    if not changes["hazards"] and not changes["cleared"]:
        return stored
    taken_out = fetch_dicts(
        _AFFECTED_FIGURES_SQL, {**params, "affected_parts": changes["affected_parts"] or []}
    )
    put_back = fetch_dicts(
        _RELEASE_SQL,
        {
            **params,
            "only_hazards": changes["hazards"] or [],
            "only_cleared": changes["cleared"] or [],
        },
    )
    return _combined(stored, minus=taken_out, plus=put_back)


def _combined(stored: list[dict], *, minus: list[dict], plus: list[dict]) -> list[dict]:
    """Rows of ``stored`` with each (unit, kind)'s figures less ``minus``'s and plus ``plus``'s
    (kinds a unit did not have in the store are added)."""
    rows = {(row["id"], row["kind"]): dict(row) for row in stored}
    units = {row["id"]: row for row in stored}
    for sign, changes in ((-1.0, minus), (1.0, plus)):
        for change in changes:
            if change["kind"] is None:
                continue
            key = (change["id"], change["kind"])
            if key not in rows:
                rows[key] = {**units[change["id"]], "kind": change["kind"]}
                rows[key].update(dict.fromkeys(_FIGURES))
            row = rows[key]
            for figure in _FIGURES:
                if change.get(figure) is not None:
                    row[figure] = (row[figure] or 0.0) + sign * change[figure]
    return sorted(rows.values(), key=lambda row: row["code"])


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


# Its ORM reads (the unit checks) see the same records as its SQL.
@scoped_reads()
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
    records = _release_records(
        {
            "boundary_set": chosen_set,
            "level": by,
            "unit_code": unit_code,
            "as_of": as_of,
            "english": in_english(),
        },
    )
    units: dict[int, dict] = {}
    kinds: dict[int, dict[str, dict]] = {}
    for record in records:
        units.setdefault(record["id"], record)
        if record["kind"] is not None:
            kinds.setdefault(record["id"], {})[record["kind"]] = record
    rows = []
    total = None
    for unit_id, unit in units.items():
        unit_kinds = kinds.get(unit_id, {})
        row = _release_row(unit, unit_kinds.get("CHA", {}))
        if unit["level"] == by:
            rows.append(row)
        if unit["level"] == Level.PROVINCE:
            cleared_anywhere_ha = unit_kinds.get("cleared anywhere", {}).get("hazard_ha") or 0.0
            total = ReleaseTotal(
                **vars(row),
                sha_ha=unit_kinds.get("SHA", {}).get("hazard_ha") or 0.0,
                # Cleared land minus its part inside CHAs; max() drops float noise below 0.
                cleared_outside_cha_ha=max(0.0, cleared_anywhere_ha - row.cleared_ha),
            )
    return ReleaseReport(as_of=as_of, by=by, boundary_set=chosen_set, rows=tuple(rows), total=total)


def _release_row(unit: dict, cha: dict) -> ReleaseRow:
    cha_ha = cha.get("hazard_ha") or 0.0
    cleared_ha = cha.get("cleared_ha") or 0.0
    cleared_or_reduced_ha = cha.get("cleared_or_reduced_ha") or 0.0
    released_ha = cha.get("released_ha") or 0.0
    # Priority cleared > reduced > cancelled by differences of nested areas; float noise from
    # intersecting nested unions could make a difference a hair below 0.
    reduced_ha = max(0.0, cleared_or_reduced_ha - cleared_ha)
    cancelled_ha = max(0.0, released_ha - cleared_or_reduced_ha)
    released_ha = cleared_ha + reduced_ha + cancelled_ha
    return ReleaseRow(
        code=unit["code"],
        name=unit["name"],
        cha_ha=cha_ha,
        released_ha=released_ha,
        cleared_ha=cleared_ha,
        reduced_ha=reduced_ha,
        cancelled_ha=cancelled_ha,
        released_pct=percentage(released_ha, cha_ha),
    )
