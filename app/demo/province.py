"""The former Quảng Trị (code 45) and its ten districts, as the demo generator sees them.

Read from the bundled data/boundaries/ GeoJSON with shapely only, so the generator runs without
Django. The districts are used to place and label things; the reports never read a district the
generator computed: they intersect geometry with AdminUnit boundaries themselves.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

BOUNDARIES_DIR = Path(__file__).resolve().parents[2] / "data" / "boundaries"
PROVINCE_FILE = "quangtri_province.geojson"
DISTRICTS_FILE = "quangtri_districts.geojson"

# Metres per degree of latitude near 17°N (WGS 84); longitude degrees shrink with cos(lat).
METRES_PER_DEGREE_LAT = 110_640.0


@dataclass(frozen=True)
class District:
    code: str
    name_vi: str
    name_en: str
    geometry: BaseGeometry


@dataclass(frozen=True)
class Province:
    outline: BaseGeometry
    districts: tuple[District, ...]

    def district_codes_at(self, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """GSO district code of each point ('' where a point lies in no district)."""
        codes = np.full(len(lons), "", dtype=object)
        for district in self.districts:
            inside = shapely.contains_xy(district.geometry, lons, lats)
            codes[inside & (codes == "")] = district.code
        return codes

    def contains_points(self, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
        return shapely.contains_xy(self.outline, lons, lats)


def _features(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def read_province(directory: Path = BOUNDARIES_DIR) -> Province:
    """The former province outline and its districts; geometries prepared for fast point tests."""
    outline = shape(_features(directory / PROVINCE_FILE)[0]["geometry"])
    shapely.prepare(outline)
    districts = []
    for feature in sorted(
        _features(directory / DISTRICTS_FILE), key=lambda f: str(f["properties"]["code"])
    ):
        props = feature["properties"]
        geometry = shape(feature["geometry"])
        shapely.prepare(geometry)
        districts.append(District(str(props["code"]), props["name_vi"], props["name_en"], geometry))
    return Province(outline=outline, districts=tuple(districts))


def offset_lonlat(
    lon: np.ndarray | float, lat: np.ndarray | float, east_m, north_m
) -> tuple[np.ndarray, np.ndarray]:
    """Move points by metres east and north (local flat approximation; fine over a few km)."""
    lat_array = np.asarray(lat, dtype=float)
    dlon = np.asarray(east_m) / (METRES_PER_DEGREE_LAT * np.cos(np.radians(lat_array)))
    dlat = np.asarray(north_m) / METRES_PER_DEGREE_LAT
    return np.asarray(lon) + dlon, lat_array + dlat
