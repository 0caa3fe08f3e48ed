"""Coverage rasters of the derived land (app.accounting.selectors.derived_land): per cell of a
square grid, the share of the cell that is CHA, released (by any method, cleared, reduced,
cancelled) or CHA not yet released, as of a date.

Shares are exact, from geometry, in PostGIS: the land of the area (the province of a boundary
set, or one unit) is projected to the grid's CRS, cut into small pieces (ST_Subdivide), and
each piece is intersected with the cells of ST_SquareGrid that it meets; a cell's share is the
planar area of its intersections in that CRS divided by the cell's planar area. Planar, not
geodesic: a share is a ratio of two areas within one cell, across which the projection's scale
hardly changes, so the scale cancels (in UTM 48N over Quảng Trị the planar share of 30 % of a
cell differs from the geodesic one by 1e-7 at 100 m, 1e-5 at 10 km; measured with pyproj), and
the plane spares a geography cast per cell. Hectares from a raster (share × cell area) are
therefore the projected CRS's hectares, which differ from the reports' geodesic ones by that
CRS's area scale there (UTM 48N over Quảng Trị: planar is about 0.02 % more than geodesic).

The derived land partitions the CHA into remaining, cleared, reduced and cancelled land, so
only those four are intersected with the cells: released = cleared + reduced + cancelled and
CHA = remaining + released, per cell, which halves the work against intersecting the released
land and the CHA too. Cells outside the area are nodata (gis.coverage_rasters.area_mask).
"""

import datetime
from dataclasses import dataclass

import numpy as np
import shapely.wkb
from django.utils.translation import gettext

from app.accounting import sql
from app.accounting.exceptions import InvalidReportParameter, UnknownUnit
from app.accounting.selectors.derived_land import derived_land_sql
from app.accounting.selectors.units import province_boundary_set
from app.registry.scopes import reads_connection, scoped_reads
from gis.coverage_rasters import NODATA, Grid, area_mask, grid_covering

RELEASED_BANDS = ("cha", "released", "cleared", "reduced", "cancelled")
REMAINING_BANDS = ("remaining",)
LAYERS = {"released": RELEASED_BANDS, "remaining": REMAINING_BANDS}

# The derived land each layer needs, and its methods that partition what the bands show.
_LANDS = {"released": ("released-land", "remaining-cha"), "remaining": ("remaining-cha",)}
_PARTITION = ("remaining", "cleared", "reduced", "cancelled")

# Vertices per piece of land before the grid meets it: small pieces keep each cell's
# intersection cheap and let each piece generate only the cells of its own bounds.
_PIECE_VERTICES = 64

_AREA_SQL = """
SELECT unit.code, unit.level,
       ST_AsBinary(ST_Transform(unit.geometry, %(rs_srid)s)) AS outline,
       ST_XMin(box) AS xmin, ST_YMin(box) AS ymin, ST_XMax(box) AS xmax, ST_YMax(box) AS ymax
FROM registry_adminunit AS unit
CROSS JOIN LATERAL (SELECT ST_Transform(unit.geometry, %(rs_srid)s)::box2d AS box) AS extent
WHERE unit.boundary_set = %(rs_boundary_set)s
  AND (CASE WHEN %(rs_unit_code)s::text IS NULL THEN unit.level = 'province'
            ELSE unit.code = %(rs_unit_code)s END)
ORDER BY unit.level = 'province' DESC, unit.code
LIMIT 1
"""

# One row per cell that meets any land: its ST_SquareGrid indexes and the area (m², planar in
# the grid's CRS) of each method's land in it. A cell the piece covers is the whole cell.
_CELLS_SQL = f"""
WITH land AS (
    {{land}}
),
-- Projecting can make a valid polygon invalid where two of its rings nearly touch (seen on the
-- demo data in UTM 48N): repaired for the measurement, as sql.valid does for the reports.
projected AS (
    SELECT method, ST_Transform(geometry, %(rs_srid)s) AS geom FROM land
),
pieces AS (
    SELECT method, ST_Subdivide({sql.valid("geom")}, {_PIECE_VERTICES}) AS geom
    FROM projected
),
cell_parts AS (
    SELECT cell.i, cell.j, pieces.method,
           CASE WHEN ST_CoveredBy(cell.geom, pieces.geom) THEN %(rs_cell_area)s
                ELSE ST_Area({sql.polygons_of("ST_Intersection(cell.geom, pieces.geom)")})
           END AS area_m2
    FROM pieces
    CROSS JOIN LATERAL ST_SquareGrid(%(rs_resolution)s, pieces.geom) AS cell
    WHERE ST_Intersects(cell.geom, pieces.geom)
)
SELECT i, j,
       coalesce(sum(area_m2) FILTER (WHERE method = 'remaining'), 0) AS remaining,
       coalesce(sum(area_m2) FILTER (WHERE method = 'cleared'), 0) AS cleared,
       coalesce(sum(area_m2) FILTER (WHERE method = 'reduced'), 0) AS reduced,
       coalesce(sum(area_m2) FILTER (WHERE method = 'cancelled'), 0) AS cancelled
FROM cell_parts
GROUP BY i, j
"""

_CELL_ROWS_PER_FETCH = 10_000


@dataclass(frozen=True)
class CoverageRaster:
    """Shares (float32, bands × rows × columns; NODATA outside the area) on ``grid``."""

    layer: str
    bands: tuple[str, ...]
    shares: np.ndarray
    grid: Grid
    as_of: datetime.date
    boundary_set: str
    unit_code: str
    unit_level: str


def band_descriptions(layer: str) -> list[str]:
    """What each band of ``layer`` holds, as written in the file (English, for any reader)."""
    words = {
        "cha": "share of the cell that is CHA",
        "released": "share of the cell released (any method)",
        "cleared": "share of the cell released by clearance",
        "reduced": "share of the cell released by technical survey (reduced)",
        "cancelled": "share of the cell released by non-technical survey (cancelled)",
        "remaining": "share of the cell that is CHA not yet released",
    }
    return [words[band] for band in LAYERS[layer]]


def srid_is_known(srid: int) -> bool:
    """Whether PostGIS can project to ``srid`` (it is in spatial_ref_sys)."""
    with reads_connection().cursor() as cursor:
        cursor.execute("SELECT 1 FROM spatial_ref_sys WHERE srid = %s", [srid])
        return cursor.fetchone() is not None


@scoped_reads()
def coverage_raster(
    *,
    layer: str,
    as_of: datetime.date,
    resolution_m: float,
    srid: int,
    boundary_set: str | None = None,
    unit_code: str | None = None,
    max_cells: int,
) -> CoverageRaster:
    """The coverage raster ``layer`` (released | remaining) of the land as of ``as_of``, on
    square cells of ``resolution_m`` metres in ``srid`` (a projected CRS in metres), over the
    province of ``boundary_set`` (default 2019) or over the unit ``unit_code`` of that set.

    Reads the records of the active reading scope (approved when none). Raises
    InvalidReportParameter naming ``resolution`` when the grid would have more than
    ``max_cells`` cells, ``crs`` when PostGIS cannot project to ``srid``; UnknownUnit for a unit
    code the set does not have.
    """
    if layer not in LAYERS:
        raise ValueError(f"unknown layer {layer!r}: choose one of {', '.join(LAYERS)}")
    chosen_set = province_boundary_set(boundary_set)
    if not srid_is_known(srid):
        raise InvalidReportParameter(
            parameter="crs",
            message=gettext("EPSG:%(srid)s is not a coordinate system this database can use")
            % {"srid": srid},
        )
    params = {"rs_srid": srid, "rs_boundary_set": chosen_set, "rs_unit_code": unit_code}
    with reads_connection().cursor() as cursor:
        cursor.execute(_AREA_SQL, params)
        area = cursor.fetchone()
    if area is None:
        # Any level: the code alone names the unit within its set.
        raise UnknownUnit(
            code=unit_code or "", boundary_set=chosen_set, level=gettext("admin unit")
        )
    code, level, outline_wkb, xmin, ymin, xmax, ymax = area
    grid = grid_covering(
        xmin=xmin, ymin=ymin, xmax=xmax, ymax=ymax, resolution_m=resolution_m, epsg=srid
    )
    if grid.cells > max_cells:
        figures = {
            "resolution": f"{resolution_m:g}",
            "cells": f"{grid.cells:,}",
            "max_cells": f"{max_cells:,}",
        }
        if unit_code is None:
            message = gettext(
                "%(resolution)s m cells over the province make a grid of %(cells)s cells, more "
                "than the %(max_cells)s allowed; choose a coarser resolution or one unit"
            )
        else:
            message = gettext(
                "%(resolution)s m cells over this unit make a grid of %(cells)s cells, more "
                "than the %(max_cells)s allowed; choose a coarser resolution"
            )
        raise InvalidReportParameter(parameter="resolution", message=message % figures)
    bands = LAYERS[layer]
    shares = np.zeros((len(bands), grid.height, grid.width), dtype=np.float32)
    _fill_shares(
        shares,
        layer=layer,
        grid=grid,
        as_of=as_of,
        boundary_set=chosen_set,
        level=level,
        unit_code=code,
        params=params,
    )
    outside = ~area_mask(shapely.wkb.loads(bytes(outline_wkb)), grid)
    inside_land = shares[0] > 0
    shares[:, outside & ~inside_land] = NODATA
    return CoverageRaster(
        layer=layer,
        bands=bands,
        shares=shares,
        grid=grid,
        as_of=as_of,
        boundary_set=chosen_set,
        unit_code=code,
        unit_level=level,
    )


def _fill_shares(
    shares: np.ndarray,
    *,
    layer: str,
    grid: Grid,
    as_of: datetime.date,
    boundary_set: str,
    level: str,
    unit_code: str,
    params: dict,
) -> None:
    """Add each cell's shares from the database, read in batches through a server-side
    cursor, so that no more than the raster itself is held."""
    lands = []
    land_params: dict = {}
    for land in _LANDS[layer]:
        query, land_params = derived_land_sql(
            land=land, as_of=as_of, boundary_set=boundary_set, level=level
        )
        lands.append(
            f"SELECT method, geometry FROM ({query}) AS derived WHERE unit_code = %(rs_unit_code)s"
        )
    cells_sql = _CELLS_SQL.format(land="\n    UNION ALL\n    ".join(lands))
    cell_area = grid.cell_area_m2
    all_params = {
        **params,
        **land_params,
        "rs_unit_code": unit_code,
        "rs_resolution": grid.resolution_m,
        "rs_cell_area": cell_area,
        "rs_methods": list(_PARTITION),
    }
    # JIT off as in every accounting query (app.accounting.selectors.query.fetch_dicts); set on
    # a plain cursor, since a server-side one can only declare a SELECT.
    with reads_connection().cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
    with reads_connection().chunked_cursor() as cursor:
        cursor.execute(cells_sql, all_params)
        while rows := cursor.fetchmany(_CELL_ROWS_PER_FETCH):
            cells = np.array(rows, dtype=np.float64)
            columns = cells[:, 0].astype(np.int64) - grid.first_column
            rows_index = grid.top_row - cells[:, 1].astype(np.int64)
            remaining, cleared, reduced, cancelled = (cells[:, 2:] / cell_area).T
            if layer == "released":
                released = cleared + reduced + cancelled
                values = (remaining + released, released, cleared, reduced, cancelled)
            else:
                values = (remaining,)
            for band, value in enumerate(values):
                shares[band, rows_index, columns] = np.clip(value, 0.0, 1.0)
