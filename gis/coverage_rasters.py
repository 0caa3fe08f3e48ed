"""Coverage rasters written as Cloud-Optimised GeoTIFFs: the grid, the mask of the area, the file.

A coverage raster holds, per cell, the share of the cell's area covered by some land (floats
from 0 to 1, one band per kind of land), on a grid of square cells aligned to multiples of the
cell size in a projected CRS (so that two rasters of one resolution line up cell for cell).
The shares are computed elsewhere (the app's SQL); this module only lays out the grid, masks
the cells outside the area (nodata) and writes the file with rasterio.

Callers: app.rasters (the /api/v1/rasters/ endpoint). Never imports Django.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import rasterio
import rasterio.features
import rasterio.shutil
from rasterio.crs import CRS
from rasterio.transform import Affine, from_origin
from shapely.geometry.base import BaseGeometry

# Outside the area (the province or the unit): no share at all, rather than 0.
NODATA = -1.0
# Internal tiles and the smallest overview, as COG readers expect.
BLOCK_SIZE = 256


@dataclass(frozen=True)
class Grid:
    """Square cells of ``resolution_m`` in a projected CRS, cell (0, 0) at the top left.

    ``first_column`` and ``top_row`` are the cells' indexes on the CRS's own grid of that size
    (cell i spans x from i × size to (i + 1) × size; row j spans y from j × size upwards), as
    PostGIS's ST_SquareGrid numbers them: column = i − first_column, row = top_row − j.
    """

    epsg: int
    resolution_m: float
    first_column: int
    top_row: int
    width: int
    height: int

    @property
    def cells(self) -> int:
        return self.width * self.height

    @property
    def transform(self) -> Affine:
        return from_origin(
            self.first_column * self.resolution_m,
            (self.top_row + 1) * self.resolution_m,
            self.resolution_m,
            self.resolution_m,
        )

    @property
    def cell_area_m2(self) -> float:
        return self.resolution_m * self.resolution_m


def grid_covering(
    *, xmin: float, ymin: float, xmax: float, ymax: float, resolution_m: float, epsg: int
) -> Grid:
    """The smallest grid of ``resolution_m`` cells (aligned to multiples of it) covering the
    bounds, given in the CRS's metres."""
    first_column = math.floor(xmin / resolution_m)
    last_column = max(first_column, math.ceil(xmax / resolution_m) - 1)
    bottom_row = math.floor(ymin / resolution_m)
    top_row = max(bottom_row, math.ceil(ymax / resolution_m) - 1)
    return Grid(
        epsg=epsg,
        resolution_m=resolution_m,
        first_column=first_column,
        top_row=top_row,
        width=last_column - first_column + 1,
        height=top_row - bottom_row + 1,
    )


def area_mask(outline: BaseGeometry, grid: Grid) -> np.ndarray:
    """True for the cells the outline (in the grid's CRS) touches: the cells that get a share;
    the others are nodata."""
    return rasterio.features.rasterize(
        [(outline, 1)],
        out_shape=(grid.height, grid.width),
        transform=grid.transform,
        all_touched=True,
        fill=0,
        dtype="uint8",
    ).astype(bool)


def write_cog(
    path: str | os.PathLike,
    *,
    shares: np.ndarray,
    grid: Grid,
    descriptions: Sequence[str],
    tags: Mapping[str, str],
) -> None:
    """Write ``shares`` (float32, bands × rows × columns, NODATA outside the area) as a
    Cloud-Optimised GeoTIFF: 256-pixel tiles, DEFLATE with the floating-point predictor,
    overviews by averaging (a coarser cell's share is the mean of the finer ones' shares, which
    is the share of the coarser cell where all are inside the area).

    GDAL's COG driver makes the layout (tiles, overviews before the data); it copies from a
    tiled GeoTIFF written beside ``path`` first, with the band descriptions and tags, which the
    copy keeps.
    """
    count, height, width = shares.shape
    if len(descriptions) != count:
        raise ValueError(f"{count} bands but {len(descriptions)} descriptions")
    profile = {
        "driver": "GTiff",
        "width": width,
        "height": height,
        "count": count,
        "dtype": "float32",
        "crs": CRS.from_epsg(grid.epsg),
        "transform": grid.transform,
        "nodata": NODATA,
        "tiled": True,
        "blockxsize": BLOCK_SIZE,
        "blockysize": BLOCK_SIZE,
        "compress": "deflate",
        "predictor": 3,
        "BIGTIFF": "IF_SAFER",
    }
    directory = os.path.dirname(os.fspath(path)) or "."
    with tempfile.NamedTemporaryFile(suffix=".tif", dir=directory) as plain:
        with rasterio.open(plain.name, "w", **profile) as raster:
            raster.write(shares)
            for band, description in enumerate(descriptions, start=1):
                raster.set_band_description(band, description)
            raster.update_tags(**tags)
        rasterio.shutil.copy(
            plain.name,
            path,
            driver="COG",
            BLOCKSIZE=BLOCK_SIZE,
            COMPRESS="DEFLATE",
            PREDICTOR="YES",
            OVERVIEWS="IGNORE_EXISTING",
            RESAMPLING="AVERAGE",
            BIGTIFF="IF_SAFER",
        )
