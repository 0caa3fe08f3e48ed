"""The SQL every accounting selector shares: one hectare, one way to cut layers by admin unit.

Selectors run these as SQL (through query.fetch_dicts, on the reading's connection, a replica's
or the primary's) because the unions, intersections and differences they need are set-based
PostGIS work that the ORM cannot express.
"""

# The one SQL hectare: geodesic area on the WGS 84 ellipsoid (use_spheroid = true). Its Python
# twin is gis.areas.geodesic_area_ha; tests/accounting/test_hectares_agree.py holds them together.
HECTARES = "ST_Area(({})::geography, true) / 10000"

# Absent layers (no release yet, no SHA at all) are an empty polygon rather than NULL, so that
# ST_Difference and ST_Intersection keep returning geometry instead of swallowing the row.
EMPTY = "'SRID=4326;POLYGON EMPTY'::geometry"

# Vertices per piece when unit boundaries are cut with ST_Subdivide. Small pieces keep every
# intersection cheap and let bounding boxes discard most pairs; the pieces tile the unit exactly,
# so areas summed over them equal areas over the whole unit.
SUBDIVIDE_MAX_VERTICES = 256


def hectares(expression: str) -> str:
    """SQL for the geodesic hectares of a geometry expression."""
    return HECTARES.format(expression)


def polygons_of(expression: str) -> str:
    """Keep only the polygonal part of an overlay result: an intersection can add the lines and
    points where two shapes merely touch, which have no area but upset the geography cast."""
    return f"ST_CollectionExtract({expression}, 3)"


def valid(expression: str) -> str:
    """The geometry, or a valid version of it for the measurement only (the stored row is left as
    it is), so that one bad polygon cannot fail a whole report with a GEOS TopologyException."""
    return (
        f"CASE WHEN ST_IsValid({expression}) THEN {expression} ELSE ST_MakeValid({expression}) END"
    )


def union_of(expression: str, *, where: str = "true") -> str:
    """Aggregate union of the rows matching ``where``, never NULL, of valid geometry, robust to
    dense overlaps (see local_union_of)."""
    return f"COALESCE({local_union_of(expression, where=where)}, {EMPTY})"


def local_union_of(expression: str, *, where: str = "true") -> str:
    """Aggregate union for small groups (one cluster, one hazard's releases); NULL when no row
    matches. ST_UnaryUnion(ST_Collect()) is used because it was measured faster than the ST_Union
    aggregate on such groups; through ``accounting_union`` (app.accounting.store_schema), which
    redoes it on a fixed-precision grid when GEOS fails or returns an invalid union, as it did
    on dense overlapping releases ("nested shells", issue 9)."""
    return f"accounting_union(ST_Collect({valid(expression)}) FILTER (WHERE {where}))"


def release_unions_meeting(part: str, *, as_of: str, only_when: str = "true") -> str:
    """A SELECT, for a LATERAL join, of the unions of the releases completed by ``as_of`` (a
    parameter placeholder) that meet the geometry ``part``: ``cleared``, ``cleared_or_reduced``
    and ``released`` (any method), with how many were ``reduced`` and ``cancelled``. NULL unions
    where none meets it. It reads ``registry_releasearea`` as the active reading scope shows it
    (app.registry.scopes): the reports and the derived land count the same releases."""
    return f"""
        SELECT {local_union_of("release.geometry", where="release.method = 'cleared'")}
                   AS cleared,
               {local_union_of("release.geometry", where="release.method <> 'cancelled'")}
                   AS cleared_or_reduced,
               {local_union_of("release.geometry")} AS released,
               count(*) FILTER (WHERE release.method = 'reduced') AS reduced,
               count(*) FILTER (WHERE release.method = 'cancelled') AS cancelled
        FROM registry_releasearea AS release
        WHERE {only_when}
          AND release.completed_on <= {as_of}
          AND ST_Intersects(release.geometry, {part})"""


def clipped_hectares(geometry: str, *, hectares_if_covered: str) -> str:
    """Hectares of ``geometry`` inside the row's unit ``piece``: its precomputed hectares when the
    whole part lies in the piece (the common case, ``covered``), else the area of the
    intersection. Needs ``covered`` and ``piece`` columns in scope."""
    clipped = hectares(polygons_of(f"ST_Intersection({geometry}, piece)"))
    return f"CASE WHEN covered THEN {hectares_if_covered} ELSE {clipped} END"


def name_in_reader_language(table: str) -> str:
    """The name of ``table``'s admin unit or village as the reader reads it: its English name
    when the query's ``english`` parameter is true (app.accounts.language.in_english) and it has
    one, its Vietnamese name otherwise. The reports and the maps name places by this."""
    return (
        f"CASE WHEN %(english)s AND {table}.name_en <> '' THEN {table}.name_en"
        f" ELSE {table}.name_vi END"
    )


# Units of one boundary set at one level, optionally one code, and always the province of that
# set, whose figures are the report's total. Parameters: boundary_set, level, unit_code.
REPORT_UNITS_CTE = """
units AS (
    SELECT id, code, name_vi, name_en, level, geometry
    FROM registry_adminunit
    WHERE boundary_set = %(boundary_set)s
      AND ((level = %(level)s AND (%(unit_code)s::text IS NULL OR code = %(unit_code)s))
           OR level = 'province')
)"""

# The same units cut into ST_Subdivide pieces, which the reference computations clip by.
UNITS_CTE = f"""
{REPORT_UNITS_CTE},
pieces AS MATERIALIZED (
    SELECT row_number() OVER () AS piece_id, unit_id, geom
    FROM (
        SELECT id AS unit_id, ST_Subdivide(geometry, {SUBDIVIDE_MAX_VERTICES}) AS geom FROM units
    ) AS cut
)"""

# Hazards merged into parts that overlap nothing else: a cluster of hazards that touch or
# overlap (ST_ClusterDBSCAN at distance 0) is unioned on its own, which is far cheaper than one
# union of every hazard, and overlapping hazards still count once. Each part is paired with the
# unit pieces it meets through the GiST index on the hazards; ``covered`` says the part lies
# wholly in the piece, so its own hectares can be used without an intersection. The text key
# ``part`` keeps every join on one column, which the planner hashes. Parameter
# ``only_hazards``: NULL for every hazard, or the ids of the hazards to count (the parts that
# pending work changes, recomputed beside the accounting store's figures).
# HAZARD_CLUSTERS_CTE is the parts alone (``hazard_parts``: part, kind, geom), without units.
HAZARD_CLUSTERS_CTE = f"""
hazard_clusters AS MATERIALIZED (
    SELECT id, kind,
           kind || ':' || ST_ClusterDBSCAN(geometry, 0, 1) OVER (PARTITION BY kind) AS part
    FROM registry_hazardarea
    WHERE %(only_hazards)s::bigint[] IS NULL OR id = ANY (%(only_hazards)s::bigint[])
),
hazard_parts AS MATERIALIZED (
    SELECT clusters.part, min(clusters.kind) AS kind,
           {local_union_of("hazard.geometry")} AS geom
    FROM hazard_clusters AS clusters
    JOIN registry_hazardarea AS hazard USING (id)
    GROUP BY clusters.part
)"""

HAZARD_PARTS_CTE = f"""
{HAZARD_CLUSTERS_CTE},
hazard_part_pieces AS MATERIALIZED (
    SELECT found.part, parts.kind, pieces.unit_id, pieces.geom AS piece,
           ST_CoveredBy(parts.geom, pieces.geom) AS covered
    FROM (
        SELECT DISTINCT pieces.piece_id, clusters.part
        FROM pieces
        JOIN registry_hazardarea AS hazard ON ST_Intersects(hazard.geometry, pieces.geom)
        JOIN hazard_clusters AS clusters ON clusters.id = hazard.id
    ) AS found
    JOIN pieces USING (piece_id)
    JOIN hazard_parts AS parts USING (part)
)"""


# The methods of survey work (non-technical and technical survey): the progress report's
# surveyed land, computed by the reference (cleared_parts_ctes) and kept by the store's family
# surveyed_in_year (app.accounting.store_schema).
SURVEY_METHODS = ("cancelled", "reduced")


def methods_list(methods: tuple[str, ...]) -> str:
    """``methods`` as an SQL list for ``IN (...)``: ``'cancelled', 'reduced'``."""
    return ", ".join(f"'{method}'" for method in methods)


def cleared_parts_ctes(
    *,
    where: str,
    group: str = "'all'",
    pieces: str = "pieces",
    methods: tuple[str, ...] = ("cleared",),
    name: str = "cleared",
) -> str:
    """CTEs ``cleared_clusters``, ``cleared_parts`` and ``cleared_split`` for the cleared land of
    the releases matching ``where`` (SQL on registry_releasearea columns), unioned separately per
    ``group`` (an expression such as the completion year or the organisation; one group by
    default) and split between the unit pieces of the ``pieces`` CTE.

    ``cleared_split`` has one row per (part, piece) with ``grp``, ``unit_id``, ``geom``, ``piece``
    and ``covered``; sum ``clipped_hectares("geom", hectares_if_covered=hectares("geom"))`` over
    it. Overlapping releases of one group are one part, so they count once, as with hazards.

    ``methods`` and ``name``: the same for the releases of other methods, in CTEs named
    ``{name}_clusters``, ``{name}_parts`` and ``{name}_split`` (the progress report's surveyed
    land: cancelled or reduced, ``name="surveyed"``), so both can stand in one WITH clause.
    """
    chosen_methods = methods_list(methods)
    return f"""
{name}_clusters AS MATERIALIZED (
    SELECT id, ({group})::text AS grp,
           ST_ClusterDBSCAN(geometry, 0, 1) OVER (PARTITION BY ({group})::text) AS cluster
    FROM registry_releasearea
    WHERE method IN ({chosen_methods}) AND ({where})
),
{name}_parts AS MATERIALIZED (
    SELECT clusters.grp || ':' || clusters.cluster AS part, min(clusters.grp) AS grp,
           {local_union_of("release.geometry")} AS geom
    FROM {name}_clusters AS clusters
    JOIN registry_releasearea AS release USING (id)
    GROUP BY clusters.grp, clusters.cluster
),
{name}_split AS MATERIALIZED (
    SELECT found.part, parts.grp, chosen.unit_id, parts.geom, chosen.geom AS piece,
           ST_CoveredBy(parts.geom, chosen.geom) AS covered
    FROM (
        SELECT DISTINCT chosen.piece_id, clusters.grp || ':' || clusters.cluster AS part
        FROM {pieces} AS chosen
        JOIN registry_releasearea AS release ON ST_Intersects(release.geometry, chosen.geom)
        JOIN {name}_clusters AS clusters ON clusters.id = release.id
    ) AS found
    JOIN {pieces} AS chosen USING (piece_id)
    JOIN {name}_parts AS parts USING (part)
)"""


CLEARED_HECTARES = clipped_hectares("geom", hectares_if_covered=hectares("geom"))


def spot_tasks_in_units(columns: str) -> str:
    """CTE ``in_province``: the spot tasks completed between %(start)s and %(end)s that lie in
    any unit of UNITS_CTE (each task once, however many pieces its point touches), with
    ``columns`` of ``registry_spottask AS task``. Follows UNITS_CTE in a WITH clause."""
    return f"""in_province AS (
    SELECT DISTINCT ON (task.id) task.id, {columns}
    FROM registry_spottask AS task
    JOIN pieces ON ST_Intersects(pieces.geom, task.location)
    WHERE task.completed_on BETWEEN %(start)s AND %(end)s
)"""
