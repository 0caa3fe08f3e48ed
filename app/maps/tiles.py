"""Vector tiles of the maps' heavy layers, built in PostGIS with ST_AsMVT (issue 9, §5).

One tile is a web-mercator square (z/x/y, the XYZ scheme Leaflet asks for). Each layer's query
selects the rows whose geometry meets the tile with its buffer (the envelope transformed to
WGS 84, so that the GiST indexes on the registry's geometry serve), clips them to it, does its
unions and differences inside the tile only, and writes the result with ST_AsMVTGeom.

Precision follows the zoom: a polygon smaller than a quarter of a screen pixel is skipped, and
should an overlay fail, it runs again on a grid of that size (GEOS's fixed-precision overlay).
Display only: hectares come from the accounting. The dissolved layers start at zoom 10
(DISSOLVED_MIN_ZOOM), under which the province map's choropleth speaks for them.

Every query reads the tables by their bare names, so the active reading scope
(app.registry.scopes) decides whose records a tile draws.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import InternalError, connection, transaction
from django.utils.translation import gettext as _

from app.accounting import sql as accounting_sql
from app.maps.models import TileLayer

# Leaflet's tile size is 256 px; 4096 units a tile is the Mapbox Vector Tile default.
EXTENT = 4096
# Units of the tile kept around it, so that outlines cut at the edge do not show a seam.
BUFFER = 64
MARGIN = BUFFER / EXTENT
# A province fits the screen at zoom 8–9; a release (tens of metres) is a few pixels at 14 and
# full size by 18. Below 6 a tile would hold several provinces' unions for a few pixels.
MIN_ZOOM, MAX_ZOOM = 6, 18
# The dissolved layers (remaining CHA, released land) from zoom 10: a screen pixel is 150 m
# there, and the demo data's CHAs (5 ha, about 220 m across) a pixel or two; below, the province
# map's choropleth says what they would (% of CHA released per unit), and a tile would cost
# 0.3-0.5 s for hundreds of specks (the densest z8 tile holds 900 CHAs and 1,800 releases).
DISSOLVED_MIN_ZOOM = 10
# The grid of the dissolved layers' overlays, in tile units: a quarter of a screen pixel (a tile
# is 256 px). Display only: hectares come from the accounting.
GRID_UNITS = 4

# The tile and, in web-mercator metres, the box it is clipped to (with its buffer) and the grid
# the overlays run on; in WGS 84 the area the GiST indexes select by.
_BOUNDS = f"""
bounds AS (
    SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS tile,
           ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => {MARGIN}) AS clip,
           ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => {MARGIN}), 4326) AS area,
           (ST_XMax(ST_TileEnvelope(%(z)s, %(x)s, %(y)s))
            - ST_XMin(ST_TileEnvelope(%(z)s, %(x)s, %(y)s))) / {EXTENT} * {GRID_UNITS} AS grid
)"""

_MVT_GEOMETRY = f"ST_AsMVTGeom(ST_Transform({{}}, 3857), b.tile, {EXTENT}, {BUFFER}, true)"

# The dissolved layers (remaining CHA, released land) are overlays, and their cost grows with
# the number of polygons and of GEOS calls in the tile: 900 CHAs and 1,800 releases in the
# densest zoom-8 tile of the demo data. So:
# - each input is cut to the tile's box (ST_ClipByBox2D, no overlay); one smaller than the grid
#   both ways is skipped (it would not show). Inputs are not simplified: ST_Simplify and
#   ST_SnapToGrid to the grid made invalid polygons that GEOS's unions refused (TopologyException
#   on the 10x data's densest z10 tile), and ST_ReducePrecision, which keeps them valid, cost
#   more than it saved (the demo data's polygons have 9-18 vertices);
# - overlapping CHAs count once, and each release is overlaid only with the CHAs it meets: the
#   CHAs and releases of the tile are grouped by ST_ClusterDBSCAN (distance 0: each group holds
#   the polygons that meet, directly or through others). Groups are disjoint, so each is done on
#   its own (small overlays; one union of the whole tile was 3-10x slower, and looking up each
#   CHA's releases in a CTE, which has no index, was quadratic) and drawn as features of its
#   own, with no dissolve of the whole tile after. A group without a CHA is dropped; a group of
#   one polygon is used as it is;
# - the overlays run floating (GEOS's OverlayNG, which snaps by itself when it must): on the
#   tile's grid of GRID_UNITS units (GEOS's fixed-precision overlay) they took 1.4-1.9x as long
#   on the demo data's densest z10 tile. Should a floating overlay fail on dense, overlapping
#   releases (the accounting's unions did, with "nested shells", at about 1 M releases, issue 9),
#   the tile is built again on the grid (tile_mvt). An overlay may leave collapsed slivers as
#   lines beside its polygons: only the polygons are kept (ST_CollectionExtract).
_EMPTY = "'SRID=3857;POLYGON EMPTY'::geometry"
_CLIPPED = "ST_ClipByBox2D(ST_Transform({}, 3857), b.clip)"
_METHOD_RANK = "CASE {} WHEN 'cleared' THEN 3 WHEN 'reduced' THEN 2 ELSE 1 END"
# Rank 0: a CHA; 1-3: a release by cancelled, reduced, cleared.
_RANKS = {
    "cha": "rank = 0",
    "cleared": "rank = 3",
    "reduced": "rank = 2",
    "cancelled": "rank = 1",
    "cleared_or_reduced": "rank >= 2",
    "released": "rank > 0",
}


def _union(polygons: str, grid: str) -> str:
    """The union of an array of polygons; NULL for none, the one as it is."""
    return (
        f"CASE WHEN cardinality({polygons}) = 1 THEN {polygons}[1] "
        f"ELSE ST_UnaryUnion(ST_Collect({polygons}){grid}) END"
    )


def _overlay(function: str, a: str, b: str, grid: str) -> str:
    return f"ST_CollectionExtract({function}({a}, {b}{grid}), 3)"


def _groups_in_tile(ranks: Sequence[str], grid: str) -> str:
    """Today's CHAs, whatever the year (the accounting's denominator, app.accounting.selectors
    .release), and the releases completed by the end of the year, grouped; ``unions``: each
    group's union of each of ``ranks`` (NULL when it has none)."""
    arrays = ", ".join(f"array_agg(g) FILTER (WHERE {_RANKS[name]}) AS {name}" for name in ranks)
    unions = ", ".join(f"{_union(name, grid)} AS {name}" for name in ranks)
    cha, release = _CLIPPED.format("h.geometry"), _CLIPPED.format("r.geometry")
    return f"""
inputs AS (
    SELECT 0 AS rank, {cha} AS g
    FROM registry_hazardarea h, bounds b
    WHERE h.kind = 'CHA' AND h.geometry && b.area
    UNION ALL
    SELECT {_METHOD_RANK.format("r.method")}, {release}
    FROM registry_releasearea r, bounds b
    WHERE r.completed_on <= %(as_of)s AND r.geometry && b.area
),
clustered AS (
    SELECT i.rank, i.g, ST_ClusterDBSCAN(i.g, 0, 1) OVER () AS cluster
    FROM inputs i, bounds b
    WHERE ST_XMax(i.g) - ST_XMin(i.g) >= b.grid OR ST_YMax(i.g) - ST_YMin(i.g) >= b.grid
),
grouped AS MATERIALIZED (
    SELECT {arrays}
    FROM clustered
    GROUP BY cluster
    HAVING bool_or(rank = 0)
),
unions AS MATERIALIZED (
    SELECT {unions}
    FROM grouped, bounds b
)"""


_AS_MVT = """
SELECT ST_AsMVT(features, '{layer}', {extent}, 'geom')
FROM (
    SELECT {properties}ST_AsMVTGeom(g, b.tile, {extent}, {buffer}, true) AS geom
    FROM {source}, bounds b
    WHERE g IS NOT NULL AND NOT ST_IsEmpty(g)
) AS features
WHERE geom IS NOT NULL
"""


def _remaining_cha_sql(grid: str) -> str:
    remaining = _overlay("ST_Difference", "cha", "released", grid)
    return f"""
WITH {_BOUNDS}, {_groups_in_tile(["cha", "released"], grid)},
remaining AS MATERIALIZED (
    SELECT CASE WHEN released IS NULL THEN cha ELSE {remaining} END AS g
    FROM unions, bounds b
)
{
        _AS_MVT.format(
            layer="remaining-cha", extent=EXTENT, buffer=BUFFER, properties="", source="remaining"
        )
    }"""


def _released_sql(grid: str) -> str:
    """Priority cleared > reduced > cancelled, as in the release report: within each group's
    CHA land, each method's land less the land of every better method."""
    ranks = ["cha", "released", "cleared", "reduced", "cancelled", "cleared_or_reduced"]
    cleared = _overlay("ST_Intersection", "cha", "cleared", grid)
    reduced = _overlay(
        "ST_Difference",
        _overlay("ST_Intersection", "cha", "reduced", grid),
        f"COALESCE(cleared, {_EMPTY})",
        grid,
    )
    cancelled = _overlay(
        "ST_Difference",
        _overlay("ST_Intersection", "cha", "cancelled", grid),
        f"COALESCE(cleared_or_reduced, {_EMPTY})",
        grid,
    )
    return f"""
WITH {_BOUNDS}, {_groups_in_tile(ranks, grid)},
released AS MATERIALIZED (
    SELECT m.method, m.g
    FROM unions, bounds b, LATERAL (VALUES
        ('cleared', {cleared}),
        ('reduced', {reduced}),
        ('cancelled', {cancelled})
    ) AS m (method, g)
    WHERE unions.released IS NOT NULL
)
{
        _AS_MVT.format(
            layer="released", extent=EXTENT, buffer=BUFFER, properties="method, ", source="released"
        )
    }"""


# Each dissolved layer floating (GEOS's OverlayNG, which falls back to snapping by itself), and
# on the tile's grid, when the floating one fails (tile_mvt).
_DISSOLVED_SQL = {
    TileLayer.REMAINING_CHA: (_remaining_cha_sql(""), _remaining_cha_sql(", b.grid")),
    TileLayer.RELEASED: (_released_sql(""), _released_sql(", b.grid")),
}

# The records themselves, with what the district map's popups show of each. area_ha is the
# whole record's, geodesic, as in the GeoJSON lists. Simplified before the transform: a record
# of hundreds of vertices is a few pixels at zoom 12.
_HAZARDS_SQL = f"""
WITH {_BOUNDS}
SELECT ST_AsMVT(features, 'hazards', {EXTENT}, 'geom', 'id')
FROM (
    SELECT h.id, h.reference, h.kind, h.contamination, o.slug AS organisation,
           h.recorded_on::text AS recorded_on, h.status,
           round(({accounting_sql.hectares("h.geometry")})::numeric, 2)::float8 AS area_ha,
           {_MVT_GEOMETRY.format("h.geometry")}
               AS geom
    FROM registry_hazardarea h
    JOIN registry_organisation o ON o.id = h.organisation_id, bounds b
    WHERE h.geometry && b.area
) AS features
WHERE geom IS NOT NULL
"""

_RELEASES_SQL = f"""
WITH {_BOUNDS}
SELECT ST_AsMVT(features, 'releases', {EXTENT}, 'geom', 'id')
FROM (
    SELECT r.id, r.reference, r.method, o.slug AS organisation,
           r.started_on::text AS started_on, r.completed_on::text AS completed_on, r.depth_cm,
           r.status,
           round(({accounting_sql.hectares("r.geometry")})::numeric, 2)::float8 AS area_ha,
           {_MVT_GEOMETRY.format("r.geometry")}
               AS geom
    FROM registry_releasearea r
    JOIN registry_organisation o ON o.id = r.organisation_id, bounds b
    WHERE r.completed_on <= %(as_of)s AND r.geometry && b.area
) AS features
WHERE geom IS NOT NULL
"""

_RECORDS_SQL = {TileLayer.HAZARDS: _HAZARDS_SQL, TileLayer.RELEASES: _RELEASES_SQL}


@dataclass(frozen=True)
class TileAddress:
    z: int
    x: int
    y: int


class TileOutOfRange(ValueError):
    """A tile address no map asks for; ``message`` says what to fix (the view's 400)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def min_zoom(layer: str) -> int:
    return DISSOLVED_MIN_ZOOM if layer in _DISSOLVED_SQL else MIN_ZOOM


def tile_address(*, z: int, x: int, y: int, min_zoom: int = MIN_ZOOM) -> TileAddress:
    """The tile z/x/y, checked: zoom within min_zoom..MAX_ZOOM, x and y within 0..2^z - 1."""
    if not min_zoom <= z <= MAX_ZOOM:
        raise TileOutOfRange(
            _("zoom must be between %(min)s and %(max)s, not %(z)s")
            % {"min": min_zoom, "max": MAX_ZOOM, "z": z}
        )
    last = 2**z - 1
    for name, value in (("x", x), ("y", y)):
        if not 0 <= value <= last:
            raise TileOutOfRange(
                _("%(name)s must be between 0 and %(last)s at zoom %(z)s, not %(value)s")
                % {"name": name, "last": last, "z": z, "value": value}
            )
    return TileAddress(z=z, x=x, y=y)


def tile_mvt(*, layer: str, tile: TileAddress, as_of: date) -> bytes:
    """The layer's tile as Mapbox Vector Tile bytes (empty when nothing is in it), drawn as of
    ``as_of`` in the active reading scope."""
    params = {"z": tile.z, "x": tile.x, "y": tile.y, "as_of": as_of}
    layer = TileLayer(layer)
    if layer in _RECORDS_SQL:
        return _mvt(_RECORDS_SQL[layer], params)
    floating, on_grid = _DISSOLVED_SQL[layer]
    try:
        # A savepoint: a failed statement would otherwise end the request's transaction.
        with transaction.atomic():
            return _mvt(floating, params)
    except InternalError as error:
        if "GEOS" not in str(error):
            raise
        return _mvt(on_grid, params)


def _mvt(sql: str, params: dict) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""


def tile_envelope_sql() -> str:
    """SQL for the WGS 84 envelope (with the buffer) of tile %(z)s/%(x)s/%(y)s: what the
    cache stores for its invalidation trigger."""
    return f"ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => {MARGIN}), 4326)"
