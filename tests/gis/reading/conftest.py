"""Tiny files written in the tests: the same Quảng Trị fields in each format and CRS."""

import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.polygon import orient

GEOD = Geod(ellps="WGS84")

# Near Cồn Tiên (about 16.8N 107.0E): a rectangle, a quadrilateral with a hole, and a
# two-part field, in lon/lat.
FIELDS = (
    box(107.000, 16.800, 107.010, 16.808),
    Polygon(
        [(107.02, 16.80), (107.035, 16.801), (107.03, 16.812), (107.021, 16.81)],
        holes=[[(107.025, 16.803), (107.025, 16.806), (107.028, 16.806), (107.028, 16.803)]],
    ),
    MultiPolygon([box(107.05, 16.80, 107.055, 16.805), box(107.06, 16.80, 107.065, 16.804)]),
)
REFERENCES = ("QT-001", "QT-002", "QT-003")
NAMES = ("Cồn Tiên", "Dốc Miếu", "Hướng Hóa")


def geod_ha(geometry) -> float:
    """The oracle: pyproj.Geod on the shape itself, each polygon's rings oriented."""
    parts = geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry]
    return sum(abs(GEOD.geometry_area_perimeter(orient(p, 1.0))[0]) for p in parts) / 10_000


def fields_frame(crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {"reference": list(REFERENCES), "name": list(NAMES)},
        geometry=list(FIELDS),
        crs="EPSG:4326",
    )
    return frame.to_crs(crs)


def zip_folder(folder: Path, archive: Path, *, under: str = "", rename=lambda name: name) -> Path:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for part in sorted(folder.iterdir()):
            bundle.write(part, f"{under}{rename(part.name)}")
    return archive


def write_shapefile_zip(
    frame: gpd.GeoDataFrame,
    directory: Path,
    *,
    name: str = "fields",
    under: str = "",
    rename=lambda name: name,
    drop: tuple[str, ...] = (),
    **options,
) -> Path:
    folder = directory / f"{name}-parts"
    folder.mkdir()
    frame.to_file(folder / f"{name}.shp", **options)
    for suffix in drop:
        (folder / f"{name}{suffix}").unlink()
    return zip_folder(folder, directory / f"{name}.zip", under=under, rename=rename)


@pytest.fixture
def fields_4326() -> gpd.GeoDataFrame:
    return fields_frame()
