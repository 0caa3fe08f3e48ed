"""Map layers as GeoJSON, built and simplified in PostGIS (issue 2, §6).

Display geometry only: the hectares on the maps come from the accounting selectors. Each layer is
unioned, simplified for the zoom it is shown at and written with few decimals in SQL, so a page
carries hundreds of kilobytes, not the full-resolution polygons. Every query reads the records of
the active reading scope, approved ones when none is active (app.registry.scopes.scoped_reads).
"""

from dataclasses import dataclass
from datetime import date

from app.accounting import sql as accounting_sql
from app.accounts.language import in_english
from app.registry.scopes import reads_connection, scoped_reads


@dataclass(frozen=True)
class Detail:
    """How finely a layer is drawn. tolerance_deg: ST_SimplifyPreserveTopology tolerance in
    degrees (0.001° ≈ 105 m east-west at 17° N); digits: decimals kept in the GeoJSON
    coordinates (4 ≈ 11 m, 5 ≈ 1 m)."""

    tolerance_deg: float
    digits: int


# A province fills the screen at about zoom 9 (≈ 280 m a pixel at 17° N): 50 m detail is finer
# than a pixel. A district at zoom 11–12 (≈ 35–70 m a pixel) gets 10 m.
PROVINCE_DETAIL = Detail(tolerance_deg=0.0005, digits=4)
# The merged 2025 province (Quảng Bình + Quảng Trị) is 2.7x larger and opens a zoom level out.
MERGED_PROVINCE_DETAIL = Detail(tolerance_deg=0.001, digits=4)
DISTRICT_DETAIL = Detail(tolerance_deg=0.0001, digits=5)

FeatureCollection = dict

_UNIT_OUTLINES_SQL = f"""
SELECT json_build_object(
    'type', 'FeatureCollection',
    'features', COALESCE(json_agg(json_build_object(
        'type', 'Feature',
        'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(geometry, %(tolerance)s),
                                 %(digits)s)::json,
        'properties', json_build_object(
            'code', code, 'name', {accounting_sql.name_in_reader_language("registry_adminunit")}
        )
    ) ORDER BY code), '[]'::json)
)
FROM registry_adminunit
WHERE boundary_set = %(boundary_set)s AND level = %(level)s
"""


def unit_outlines(*, boundary_set: str, level: str, detail: Detail) -> FeatureCollection:
    """The units of one boundary set and level, simplified; properties code and name (in the
    reader's language, as in the accounting reports)."""
    return _fetch_json(
        _UNIT_OUTLINES_SQL,
        {
            "boundary_set": boundary_set,
            "level": level,
            "tolerance": detail.tolerance_deg,
            "digits": detail.digits,
            "english": in_english(),
        },
    )


_UNIT_SQL = f"""
SELECT json_build_object(
    'type', 'Feature',
    'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(geometry, %(tolerance)s),
                             %(digits)s)::json,
    'properties', json_build_object(
        'code', code, 'name', {accounting_sql.name_in_reader_language("registry_adminunit")},
        'level', level, 'boundary_set', boundary_set
    )
)
FROM registry_adminunit
WHERE id = %(unit_id)s
"""


def unit_outline(*, unit_id: int, detail: Detail) -> dict:
    """One unit as a GeoJSON feature (code, name, level, boundary_set)."""
    return _fetch_json(
        _UNIT_SQL,
        {
            "unit_id": unit_id,
            "tolerance": detail.tolerance_deg,
            "digits": detail.digits,
            "english": in_english(),
        },
    )


# Releases take the method of highest evidence where they overlap (cleared > reduced >
# cancelled), as in the accounting; remaining CHA is CHA minus every release by the date. Each
# hazard (or release) is cut only by the releases its bounding box meets (GiST index), then the
# pieces are merged: on the demo data that is ~6x faster than differencing province-wide unions.
# With a unit, everything is clipped to it; without (unit_id NULL), the whole store is drawn.
_METHOD_RANK = "CASE {} WHEN 'cleared' THEN 3 WHEN 'reduced' THEN 2 ELSE 1 END"

_RELEASE_LAYERS_SQL = f"""
WITH area AS (
    SELECT geometry AS g FROM registry_adminunit WHERE id = %(unit_id)s
),
remaining AS MATERIALIZED (
    SELECT ST_Difference(
        h.geometry,
        (SELECT {accounting_sql.union_of("r.geometry")}
         FROM registry_releasearea r
         WHERE r.completed_on <= %(as_of)s AND ST_Intersects(r.geometry, h.geometry))
    ) AS g
    FROM registry_hazardarea h
    WHERE h.kind = 'CHA'
      AND (%(unit_id)s::bigint IS NULL
           OR EXISTS (SELECT 1 FROM area WHERE ST_Intersects(area.g, h.geometry)))
),
ranked AS MATERIALIZED (
    SELECT mine.method, ST_Difference(
        mine.geometry,
        (SELECT {accounting_sql.union_of("r.geometry")}
         FROM registry_releasearea r
         WHERE r.completed_on <= %(as_of)s
           AND {_METHOD_RANK.format("r.method")} > {_METHOD_RANK.format("mine.method")}
           AND ST_Intersects(r.geometry, mine.geometry))
    ) AS g
    FROM registry_releasearea mine
    WHERE mine.completed_on <= %(as_of)s
      AND (%(unit_id)s::bigint IS NULL
           OR EXISTS (SELECT 1 FROM area WHERE ST_Intersects(area.g, mine.geometry)))
),
-- Overlay results are valid already; materialised above so each difference runs once.
layers AS (
    SELECT 'remaining_cha' AS layer, ST_Union(g) AS g FROM remaining
    UNION ALL SELECT method, ST_Union(g) FROM ranked GROUP BY method
),
clipped AS (
    SELECT layer,
           {
    accounting_sql.polygons_of(
        "CASE WHEN %(unit_id)s::bigint IS NULL THEN g "
        "ELSE ST_Intersection(g, (SELECT area.g FROM area)) END"
    )
} AS g
    FROM layers
    WHERE g IS NOT NULL
),
-- Parts smaller than a tolerance-sided square (slivers where a release edge runs along a
-- hazard edge) are below a pixel at the zoom the map opens at: dropped from the drawing only.
parts AS (
    SELECT layer, (ST_Dump(ST_SimplifyPreserveTopology(g, %(tolerance)s))).geom AS g
    FROM clipped
    WHERE NOT ST_IsEmpty(g)
)
SELECT layer, ST_AsGeoJSON(ST_Collect(g), %(digits)s)::json
FROM parts
WHERE ST_Area(g) >= %(tolerance)s * %(tolerance)s
GROUP BY layer
"""


@dataclass(frozen=True)
class ReleaseLayers:
    """remaining_cha: one feature; released: one feature per method present, property method."""

    remaining_cha: FeatureCollection
    released: FeatureCollection


def release_layers(*, as_of: date, unit_id: int | None, detail: Detail) -> ReleaseLayers:
    """Remaining CHA and released land by method as of ``as_of`` (inclusive), inside the unit
    ``unit_id`` or, with None, everywhere."""
    with scoped_reads(), reads_connection().cursor() as cursor:
        cursor.execute(
            _RELEASE_LAYERS_SQL,
            {
                "as_of": as_of,
                "unit_id": unit_id,
                "tolerance": detail.tolerance_deg,
                "digits": detail.digits,
            },
        )
        geometry_by_layer = dict(cursor.fetchall())
    remaining = geometry_by_layer.pop("remaining_cha", None)
    return ReleaseLayers(
        remaining_cha=_collection(
            [{"type": "Feature", "geometry": remaining, "properties": {}}] if remaining else []
        ),
        released=_collection(
            [
                {"type": "Feature", "geometry": geometry, "properties": {"method": method}}
                for method in ("cancelled", "reduced", "cleared")
                if (geometry := geometry_by_layer.get(method))
            ]
        ),
    )


# A village's status at a date is the furthest survey completed by then.
_VILLAGES_SQL = f"""
SELECT json_build_object(
    'type', 'FeatureCollection',
    'features', COALESCE(json_agg(json_build_object(
        'type', 'Feature',
        'geometry', ST_AsGeoJSON(v.location, 5)::json,
        'properties', json_build_object(
            'code', v.code,
            'name', {accounting_sql.name_in_reader_language("v")},
            'survey_status', CASE
                WHEN v.ts_completed_on <= %(as_of)s THEN 'ts'
                WHEN v.nts_completed_on <= %(as_of)s THEN 'nts'
                ELSE 'none' END
        )
    ) ORDER BY v.code), '[]'::json)
)
FROM registry_village v
JOIN registry_adminunit u ON u.id = %(unit_id)s AND ST_Covers(u.geometry, v.location)
"""


def village_points(*, as_of: date, unit_id: int) -> FeatureCollection:
    """Villages inside the unit with their survey status (none | nts | ts) on ``as_of``."""
    return _fetch_json(_VILLAGES_SQL, {"as_of": as_of, "unit_id": unit_id, "english": in_english()})


def _collection(features: list[dict]) -> FeatureCollection:
    return {"type": "FeatureCollection", "features": features}


def _fetch_json(query: str, params: dict):
    with scoped_reads(), reads_connection().cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()[0]
