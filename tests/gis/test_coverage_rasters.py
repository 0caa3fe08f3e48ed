"""The grid and the COG writer of the coverage rasters, without a database."""

import numpy as np
import pytest
import rasterio
from shapely.geometry import box

from gis.coverage_rasters import NODATA, area_mask, grid_covering, write_cog


def test_the_grid_is_aligned_to_multiples_of_the_cell_size():
    grid = grid_covering(xmin=650_040, ymin=1_800_001, xmax=650_960, ymax=1_800_299,
                         resolution_m=100, epsg=32648)  # fmt: skip

    assert (grid.first_column, grid.top_row, grid.width, grid.height) == (6500, 18002, 10, 3)
    assert grid.transform.c == 650_000 and grid.transform.f == 1_800_300
    assert grid.cell_area_m2 == 10_000


def test_the_mask_keeps_the_cells_the_outline_touches():
    grid = grid_covering(xmin=0, ymin=0, xmax=1000, ymax=1000, resolution_m=100, epsg=32648)

    mask = area_mask(box(0, 0, 450, 1000), grid)

    assert mask[:, :5].all() and not mask[:, 5:].any()


def test_the_file_is_a_tiled_cog_with_overviews_descriptions_and_tags(tmp_path):
    grid = grid_covering(xmin=0, ymin=0, xmax=60_000, ymax=60_000, resolution_m=100, epsg=3405)
    shares = np.zeros((2, grid.height, grid.width), dtype=np.float32)
    shares[0, :10, :10] = 0.25
    shares[:, -1, :] = NODATA
    path = tmp_path / "coverage.tif"

    write_cog(path, shares=shares, grid=grid, descriptions=["a", "b"], tags={"as_of": "2024-01-01"})

    with rasterio.open(path) as raster:
        assert raster.tags(ns="IMAGE_STRUCTURE")["LAYOUT"] == "COG"
        assert raster.profile["tiled"] and raster.block_shapes[0] == (256, 256)
        assert raster.overviews(1)
        assert raster.descriptions == ("a", "b")
        assert raster.tags()["as_of"] == "2024-01-01"
        assert raster.crs.to_epsg() == 3405 and raster.nodata == NODATA
        assert np.array_equal(raster.read(), shares)
    assert not list(tmp_path.glob("tmp*")), "the plain GeoTIFF is left behind"


def test_a_band_without_a_description_is_refused(tmp_path):
    grid = grid_covering(xmin=0, ymin=0, xmax=1000, ymax=1000, resolution_m=100, epsg=32648)

    with pytest.raises(ValueError, match="2 bands but 1 descriptions"):
        write_cog(tmp_path / "x.tif", shares=np.zeros((2, 10, 10), dtype=np.float32), grid=grid,
                  descriptions=["a"], tags={})  # fmt: skip
