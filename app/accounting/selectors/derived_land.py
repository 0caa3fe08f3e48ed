"""The land behind the release report, as geometry: the CHA not yet released (``remaining-cha``)
and the released land by method (``released-land``), as of a date, dissolved per admin unit.

The OGC collections (app.ogc) and the coverage rasters (app.rasters) read it; its hectares are
the release report's (app.accounting.selectors.release), because it cuts the same sets:
- the CHA is the union of CHA polygons, merged into parts that overlap nothing else, as the
  report and the store merge them (hazards that touch or overlap are one part);
- the released land of a part is the part ∩ the union of the releases completed on or before
  ``as_of`` that meet it, counted once however many releases cover a hectare;
- by method, with the report's priority cleared > reduced > cancelled: cleared = part ∩ union
  of cleared releases; reduced = part ∩ union of cleared or reduced releases, minus the cleared
  land; cancelled = the released land minus the cleared or reduced land. The three partition
  the released land, as the report's three figures add up to ``released_ha``;
- remaining CHA = the part minus its released land.
Parts are clipped to each unit they meet and collected per unit and method. Parts never touch
one another (they would be one part), so the collection is a valid MultiPolygon without another
union. Units and methods without land have no row.

Where it comes from follows the reports (app.accounting.selectors.source): in the approved
scope, the store's CHA parts and, for a part whose stored unions are as of a day on or before
``as_of`` (its ``last_day``), those unions; a part with releases after ``as_of`` unions its
releases up to ``as_of`` again from the registry. In any other scope (pending work, a past
registry) everything is computed from the registry the scope's views show.
"""

import datetime
from typing import Literal

from app.accounting import sql
from app.accounting.selectors.query import fetch_dicts
from app.accounting.selectors.source import reads_store

Land = Literal["remaining-cha", "released-land"]
LANDS: tuple[str, ...] = ("remaining-cha", "released-land")
# The methods of released-land's rows; "released" is the land released by any method.
RELEASED_METHODS: tuple[str, ...] = ("released", "cleared", "reduced", "cancelled")
REMAINING_METHOD = "remaining"

# The releases completed by as_of that meet a part, unioned: recomputed for a store part whose
# unions are of a later day, and for every part of the registry.
_RECOMPUTED = sql.release_unions_meeting(
    "part.geometry", as_of="%(dl_as_of)s", only_when="NOT source.stored"
)
_RELEASED = sql.release_unions_meeting("parts.geom", as_of="%(dl_as_of)s")

# Per CHA part of the store: its geometry and the unions of the releases meeting it by as_of.
# A part stores its unions as of its last_day: NULL cleared_or_reduced means no reduced release
# has met it (the union is the cleared one), NULL released no cancelled one (likewise).
_STORE_PARTS = f"""
dl_parts AS MATERIALIZED (
    SELECT part.id::text AS part, part.geometry AS hazard,
           CASE WHEN stored THEN part.cleared ELSE recomputed.cleared END AS cleared,
           CASE WHEN stored THEN coalesce(part.cleared_or_reduced, part.cleared)
                ELSE recomputed.cleared_or_reduced END AS cleared_or_reduced,
           CASE WHEN stored
                THEN coalesce(part.released, part.cleared_or_reduced, part.cleared)
                ELSE recomputed.released END AS released
    FROM accounting_part AS part
    CROSS JOIN LATERAL (
        SELECT part.last_day IS NULL OR part.last_day <= %(dl_as_of)s AS stored
    ) AS source
    LEFT JOIN LATERAL ({_RECOMPUTED}) AS recomputed ON true
    WHERE part.family = 'CHA'
)"""

# The same from the registry the scope shows: the reference's parts (sql.HAZARD_CLUSTERS_CTE),
# CHA only, and their releases' unions.
_REGISTRY_PARTS = f"""
{sql.HAZARD_CLUSTERS_CTE},
dl_parts AS MATERIALIZED (
    SELECT parts.part, parts.geom AS hazard, released.cleared, released.cleared_or_reduced,
           released.released
    FROM hazard_parts AS parts
    CROSS JOIN LATERAL ({_RELEASED}) AS released
    WHERE parts.kind = 'CHA'
)"""

# Each part clipped to each unit it meets (whole when the unit covers it, the common case),
# with the layers of the land asked for. ``{layers}`` is a LATERAL subquery over ``clipped``
# (the part in the unit) and the part's unions, giving (method, geom) rows.
_DERIVED_SQL = """
WITH dl_units AS (
    SELECT id, code, name_vi, geometry
    FROM registry_adminunit
    WHERE boundary_set = %(dl_boundary_set)s AND level = %(dl_level)s
),
{parts},
dl_clipped AS MATERIALIZED (
    SELECT units.id AS unit_id, parts.cleared, parts.cleared_or_reduced, parts.released,
           CASE WHEN ST_CoveredBy(parts.hazard, units.geometry) THEN parts.hazard
                ELSE {clip} END AS clipped
    FROM dl_parts AS parts
    JOIN dl_units AS units ON ST_Intersects(parts.hazard, units.geometry)
),
dl_layers AS (
    SELECT dl_clipped.unit_id, layers.method, layers.geom
    FROM dl_clipped
    CROSS JOIN LATERAL ({layers}) AS layers
),
dl_dissolved AS (
    SELECT unit_id, method,
           ST_Multi(ST_CollectionExtract(ST_Collect(geom), 3)) AS geom
    FROM dl_layers
    WHERE NOT ST_IsEmpty(geom)
    GROUP BY unit_id, method
)
SELECT units.code || '/' || dissolved.method AS id,
       units.code AS unit_code,
       units.name_vi AS unit_name,
       %(dl_boundary_set)s::text AS boundary_set,
       %(dl_level)s::text AS level,
       dissolved.method,
       %(dl_as_of)s::date AS as_of,
       {hectares} AS area_ha,
       ST_SetSRID(dissolved.geom, 4326)::geometry(MultiPolygon, 4326) AS geometry
FROM dl_dissolved AS dissolved
JOIN dl_units AS units ON units.id = dissolved.unit_id
WHERE NOT ST_IsEmpty(dissolved.geom)
"""

# Land released by each method. The nested unions are often the same set (a part met by one
# method only: NULL in the store, equal in the registry's unions); then the intersection is not
# repeated and the difference is empty.
_RELEASED_LAYERS = f"""
    SELECT method, {sql.polygons_of("geom")} AS geom
    FROM (
        SELECT coalesce(ST_Intersection(clipped, cleared), {sql.EMPTY}) AS cleared_layer,
               cleared_or_reduced IS NULL
                   OR cleared_or_reduced IS NOT DISTINCT FROM cleared AS none_reduced,
               released IS NULL
                   OR released IS NOT DISTINCT FROM cleared_or_reduced AS none_cancelled
    ) AS first
    CROSS JOIN LATERAL (
        SELECT CASE WHEN none_reduced THEN cleared_layer
                    ELSE ST_Intersection(clipped, cleared_or_reduced) END
                   AS cleared_or_reduced_layer
    ) AS second
    CROSS JOIN LATERAL (
        SELECT CASE WHEN none_cancelled THEN cleared_or_reduced_layer
                    ELSE ST_Intersection(clipped, released) END AS released_layer
    ) AS third
    CROSS JOIN LATERAL (VALUES
        ('released', released_layer),
        ('cleared', cleared_layer),
        ('reduced', CASE WHEN none_reduced THEN {sql.EMPTY}
                         ELSE ST_Difference(cleared_or_reduced_layer, cleared_layer) END),
        ('cancelled', CASE WHEN none_cancelled THEN {sql.EMPTY}
                           ELSE ST_Difference(released_layer, cleared_or_reduced_layer) END)
    ) AS split (method, geom)
"""

_UNRELEASED = "CASE WHEN released IS NULL THEN clipped ELSE ST_Difference(clipped, released) END"
_REMAINING_LAYERS = f"""
    SELECT '{REMAINING_METHOD}'::text AS method, {sql.polygons_of(_UNRELEASED)} AS geom
"""


def derived_land_sql(
    *, land: str, as_of: datetime.date, boundary_set: str, level: str
) -> tuple[str, dict]:
    """A SELECT of ``land`` (``remaining-cha`` | ``released-land``) as of ``as_of`` (inclusive),
    dissolved per unit of ``level`` in ``boundary_set``, and its parameters (all ``dl_``).

    Build it inside the ``reading(scope)`` that runs it: it reads the store in the approved
    scope and the registry's views in any other. Usable as ``FROM (<sql>) AS f``. Columns:
    ``id`` ('<unit code>/<method>', stable), ``unit_code``, ``unit_name`` (Vietnamese),
    ``boundary_set``, ``level``, ``method`` ('remaining'; or 'released' (any method), 'cleared',
    'reduced', 'cancelled'), ``as_of``, ``area_ha`` (geodesic hectares, sql.hectares) and
    ``geometry`` (MultiPolygon, SRID 4326). One row per unit and method with land; none where
    there is none. Raises ValueError for an unknown ``land``.
    """
    if land not in LANDS:
        raise ValueError(f"unknown land {land!r}: choose one of {', '.join(LANDS)}")
    layers = _RELEASED_LAYERS if land == "released-land" else _REMAINING_LAYERS
    query = _DERIVED_SQL.format(
        parts=_STORE_PARTS if reads_store() else _REGISTRY_PARTS,
        clip=sql.polygons_of("ST_Intersection(parts.hazard, units.geometry)"),
        layers=layers,
        hectares=sql.hectares("dissolved.geom"),
    )
    # only_hazards: the reference's parts of every hazard (sql.HAZARD_CLUSTERS_CTE).
    params = {
        "dl_as_of": as_of,
        "dl_boundary_set": boundary_set,
        "dl_level": level,
        "only_hazards": None,
    }
    return query, params


def derived_land(*, land: str, as_of: datetime.date, boundary_set: str, level: str) -> list[dict]:
    """The rows of ``derived_land_sql``, read in the active scope (approved when none is)."""
    query, params = derived_land_sql(land=land, as_of=as_of, boundary_set=boundary_set, level=level)
    return fetch_dicts(f"SELECT * FROM ({query}) AS land ORDER BY id", params)
