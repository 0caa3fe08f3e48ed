"""The operating area uploads must fall in, from the OPERATING_AREA setting.

"" (default): the merged Quảng Trị province of 2025 together with the 2019 province outline, from
the admin boundaries loaded in the database; a path: a GeoJSON file (any geometry, feature or
feature collection, WGS 84); "none": anywhere.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import shapely
from django.conf import settings
from shapely.geometry import shape

from app.registry.models import AdminUnit, Level


@dataclass(frozen=True)
class OperatingArea:
    name: str
    geometry: object | None  # shapely geometry in WGS 84; None: features accepted anywhere


class OperatingAreaMisconfigured(Exception):
    pass


def operating_area() -> OperatingArea:
    configured = (settings.OPERATING_AREA or "").strip()
    if configured.lower() == "none":
        return OperatingArea("none (features accepted anywhere)", None)
    if configured:
        return OperatingArea(configured, _from_geojson(Path(configured)))
    provinces = province_outlines()
    if provinces is None:
        # Before the boundaries are loaded there is nothing to check against.
        return OperatingArea("none (no province boundaries loaded)", None)
    return OperatingArea("Quảng Trị province (2025 and 2019 outlines)", provinces)


def province_outlines():
    """The union of the province outlines of both boundary sets (shapely, WGS 84), or None
    before the boundaries are loaded. Also ranks the CRSs offered for a file without one when
    OPERATING_AREA is "none"."""
    provinces = AdminUnit.objects.filter(level=Level.PROVINCE).values_list("geometry", flat=True)
    outlines = [shapely.from_wkb(bytes(geometry.wkb)) for geometry in provinces]
    return shapely.union_all(outlines) if outlines else None


def _from_geojson(path: Path):
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as error:
        raise OperatingAreaMisconfigured(
            f"OPERATING_AREA {path}: not a readable GeoJSON file ({error})"
        ) from error
    if data.get("type") == "FeatureCollection":
        geometries = [shape(feature["geometry"]) for feature in data.get("features", [])]
    elif data.get("type") == "Feature":
        geometries = [shape(data["geometry"])]
    else:
        geometries = [shape(data)]
    return shapely.union_all(geometries)
