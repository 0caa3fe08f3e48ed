"""Small Quảng Trị files the upload tests write: the same release fields in each format and CRS."""

import zipfile
from pathlib import Path

import geopandas as gpd
import pyproj
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.polygon import orient

GEOD = Geod(ellps="WGS84")

# Near Cồn Tiên (about 16.8N 107.0E): a rectangle, a quadrilateral with a hole, a two-part field.
FIELDS = (
    box(107.000, 16.800, 107.010, 16.808),
    Polygon(
        [(107.02, 16.80), (107.035, 16.801), (107.03, 16.812), (107.021, 16.81)],
        holes=[[(107.025, 16.803), (107.025, 16.806), (107.028, 16.806), (107.028, 16.803)]],
    ),
    MultiPolygon([box(107.05, 16.80, 107.055, 16.805), box(107.06, 16.80, 107.065, 16.804)]),
)
REFERENCES = ("QT-001", "QT-002", "QT-003")


def geod_ha(geometry) -> float:
    """The oracle: pyproj.Geod on the shape itself, each polygon's rings oriented."""
    parts = geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry]
    return sum(abs(GEOD.geometry_area_perimeter(orient(p, 1.0))[0]) for p in parts) / 10_000


def release_frame(references=REFERENCES, fields=FIELDS, crs="EPSG:4326") -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {
            "reference": list(references)[: len(fields)],
            "method": ["cleared", "reduced", "cancelled"][: len(fields)],
            "completed_on": ["2023-05-01", "2023-06-15", "2023-07-30"][: len(fields)],
        },
        geometry=list(fields),
        crs="EPSG:4326",
    )
    return frame.to_crs(crs)


def shapefile_zip(
    frame: gpd.GeoDataFrame, directory: Path, *, name="releases", prj=None, drop=(), **options
) -> Path:
    """A zipped shapefile; ``prj`` replaces the .prj text (e.g. an ESRI WKT), ``drop`` removes
    sidecars (e.g. ".prj", ".cpg")."""
    folder = directory / f"{name}-parts"
    folder.mkdir()
    frame.to_file(folder / f"{name}.shp", **options)
    if prj is not None:
        (folder / f"{name}.prj").write_text(prj)
    for suffix in drop:
        (folder / f"{name}{suffix}").unlink()
    archive = directory / f"{name}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for part in sorted(folder.iterdir()):
            bundle.write(part, part.name)
    return archive


def esri_wkt(epsg: int) -> str:
    return pyproj.CRS.from_epsg(epsg).to_wkt("WKT1_ESRI")
