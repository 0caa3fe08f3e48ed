"""Vector tiles read back by a real client: GDAL's MVT driver (ogr2ogr from gdal-bin), which
places a tile's features on the earth from its z/x/y and writes them as GeoJSON in WGS 84."""

import json
import math
import shutil
import subprocess
from pathlib import Path

from shapely.geometry import shape

OGR2OGR = shutil.which("ogr2ogr")


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The XYZ tile holding a point (the web-mercator formula, as Leaflet computes it)."""
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def decoded_features(mvt: bytes, *, layer: str, z: int, x: int, y: int, folder: Path) -> list[dict]:
    """The features of ``layer`` in the tile, as GeoJSON features (shapely ``geometry``)."""
    if not mvt:
        return []
    tile = folder / f"{layer}-{z}-{x}-{y}.mvt"
    tile.write_bytes(mvt)
    out = folder / f"{layer}-{z}-{x}-{y}.geojson"
    done = subprocess.run(
        [
            OGR2OGR,
            "-f",
            "GeoJSON",
            str(out),
            str(tile),
            layer,
            "-t_srs",
            "EPSG:4326",
            "-oo",
            f"Z={z}",
            "-oo",
            f"X={x}",
            "-oo",
            f"Y={y}",
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        # A tile holds only the layers with features in it.
        assert "Couldn't fetch requested layer" in done.stderr, done.stderr
        return []
    features = json.loads(out.read_text())["features"]
    return [{**f, "geometry": shape(f["geometry"])} for f in features]
