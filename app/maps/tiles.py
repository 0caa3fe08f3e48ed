"""Vector tiles of the maps' heavy layers, built in PostGIS with ST_AsMVT (issue 9, §5).

One tile is a web-mercator square (z/x/y, the XYZ scheme Leaflet asks for). Each layer's query
selects the rows whose geometry meets the tile with its buffer (the envelope transformed to
WGS 84, so that the GiST indexes on the registry's geometry serve), clips them to it, does its
unions and differences inside the tile only, and writes the result with ST_AsMVTGeom.

Precision follows the zoom: every overlay runs on a grid of half a tile pixel (``gridSize``,
GEOS's fixed-precision overlay), which both thins the vertices a tile cannot show and makes the
unions robust on dense, overlapping releases (floating overlays failed with "nested shells" at
about 1 M releases, issue 9). Display only: hectares come from the accounting.

Every query reads the tables by their bare names, so the active reading scope
(app.registry.scopes) decides whose records a tile draws.
"""

from dataclasses import dataclass
from datetime import date

from django.db import connection
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

_BOUNDS = f"""
bounds AS (
    SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS tile,
           ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => {MARGIN}), 4326) AS area
)"""

_MVT_GEOMETRY = f"ST_AsMVTGeom(ST_Transform({{}}, 3857), b.tile, {EXTENT}, {BUFFER}, true)"

# The dissolved layers are computed in the tile's own grid: each hazard and release is first
# written as ST_AsMVTGeom writes it (clipped to the tile and its buffer, in integer tile units),
# then overlaid there with a grid size of one unit (GEOS's fixed-precision overlay, robust on
# dense, overlapping releases, where floating overlays failed with "nested shells" at about 1 M
# releases, issue 9). Each CHA is differenced with the union of the releases its box meets only
# (small unions), and the pieces are dissolved last: at zoom 10 on the demo data that was 9x
# faster than differencing the tile's whole unions. ST_AsMVTGeom writes polygons clockwise, as
# the format asks; an overlay's result is turned the same way again.
_GRID = 1.0
_IN_TILE_UNITS = f"ST_AsMVTGeom(ST_Transform({{}}, 3857), b.tile, {EXTENT}, {BUFFER}, true)"
_POLYGONS_FOR_MVT = "ST_ForcePolygonCW(ST_CollectionExtract({}, 3))"
# ST_AsMVTGeom keeps the SRID of its input (3857) on tile units.
_EMPTY = "'SRID=3857;POLYGON EMPTY'::geometry"
_METHOD_RANK = "CASE {} WHEN 'cleared' THEN 3 WHEN 'reduced' THEN 2 ELSE 1 END"

# Today's CHAs, whatever the year (the accounting's denominator, app.accounting.selectors
# .release), and the releases completed by the end of the year.
_CHA_AND_RELEASES_IN_TILE = f"""
cha AS MATERIALIZED (
    SELECT {_IN_TILE_UNITS.format("h.geometry")} AS g
    FROM registry_hazardarea h, bounds b
    WHERE h.kind = 'CHA' AND h.geometry && b.area
),
released_in_tile AS MATERIALIZED (
    SELECT {_METHOD_RANK.format("r.method")} AS rank,
           {_IN_TILE_UNITS.format("r.geometry")} AS g
    FROM registry_releasearea r, bounds b
    WHERE r.completed_on <= %(as_of)s AND r.geometry && b.area
)"""


def _releases_over_cha(where: str = "true") -> str:
    """Union of the releases meeting the CHA piece ``cha.g`` (and ``where``), empty if none."""
    return (
        f"COALESCE((SELECT ST_Union(r.g, {_GRID}) FROM released_in_tile r "
        f"WHERE r.g && cha.g AND {where}), {_EMPTY})"
    )


_REMAINING_CHA_SQL = f"""
WITH {_BOUNDS}, {_CHA_AND_RELEASES_IN_TILE},
remaining AS MATERIALIZED (
    SELECT ST_Difference(cha.g, {_releases_over_cha()}, {_GRID}) AS g
    FROM cha
    WHERE cha.g IS NOT NULL
),
-- Materialised: each overlay above runs once, not once per use of its result below.
dissolved AS MATERIALIZED (
    SELECT {_POLYGONS_FOR_MVT.format(f"ST_Union(g, {_GRID})")} AS geom FROM remaining
)
SELECT ST_AsMVT(dissolved, 'remaining-cha', {EXTENT}, 'geom')
FROM dissolved
WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)
"""

# Priority cleared > reduced > cancelled, as in the release report: within each CHA, each
# method's land less the land of every better method.
_RELEASED_SQL = f"""
WITH {_BOUNDS}, {_CHA_AND_RELEASES_IN_TILE},
methods (method, rank) AS (VALUES ('cleared', 3), ('reduced', 2), ('cancelled', 1)),
released AS MATERIALIZED (
    SELECT m.method, ST_Intersection(
        cha.g,
        ST_Difference(
            {_releases_over_cha("r.rank = m.rank")},
            {_releases_over_cha("r.rank > m.rank")},
            {_GRID}
        ),
        {_GRID}
    ) AS g
    FROM cha, methods m
    WHERE cha.g IS NOT NULL
      AND EXISTS (SELECT 1 FROM released_in_tile r WHERE r.g && cha.g AND r.rank = m.rank)
),
dissolved AS MATERIALIZED (
    SELECT method, {_POLYGONS_FOR_MVT.format(f"ST_Union(g, {_GRID})")} AS geom
    FROM released
    GROUP BY method
)
SELECT ST_AsMVT(dissolved, 'released', {EXTENT}, 'geom')
FROM dissolved
WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)
"""

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

LAYER_SQL = {
    TileLayer.REMAINING_CHA: _REMAINING_CHA_SQL,
    TileLayer.RELEASED: _RELEASED_SQL,
    TileLayer.HAZARDS: _HAZARDS_SQL,
    TileLayer.RELEASES: _RELEASES_SQL,
}


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


def tile_address(*, z: int, x: int, y: int) -> TileAddress:
    """The tile z/x/y, checked: zoom within MIN_ZOOM..MAX_ZOOM, x and y within 0..2^z - 1."""
    if not MIN_ZOOM <= z <= MAX_ZOOM:
        raise TileOutOfRange(
            _("zoom must be between %(min)s and %(max)s, not %(z)s")
            % {"min": MIN_ZOOM, "max": MAX_ZOOM, "z": z}
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
    with connection.cursor() as cursor:
        cursor.execute(
            LAYER_SQL[TileLayer(layer)], {"z": tile.z, "x": tile.x, "y": tile.y, "as_of": as_of}
        )
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""


def tile_envelope_sql() -> str:
    """SQL for the WGS 84 envelope (with the buffer) of tile %(z)s/%(x)s/%(y)s: what the
    cache stores for its invalidation trigger."""
    return f"ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => {MARGIN}), 4326)"
