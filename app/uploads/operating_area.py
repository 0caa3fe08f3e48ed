"""The operating area uploads must fall in, from the OPERATING_AREA setting.

"" (default): the merged Quảng Trị province of 2025 together with the 2019 province outline, from
the admin boundaries loaded in the database; a path: a GeoJSON file (any geometry, feature or
feature collection, WGS 84); "none": anywhere.

The upload report stores the area's English ``name`` (the worker runs without translations) and
its ``code``; app.uploads.report_text names it again in the reader's language from ``NAMES``
(a file's area is named by its path, in no language).
"""

import json
from dataclasses import dataclass
from pathlib import Path

import shapely
from django.conf import settings
from django.utils.translation import gettext, gettext_noop
from shapely.geometry import shape

from app.registry.models import AdminUnit, Level

PROVINCE, ANYWHERE, NO_BOUNDARIES, FILE = "province", "anywhere", "no_boundaries", "file"
NAMES = {
    PROVINCE: gettext_noop("Quảng Trị province (2025 and 2019 outlines)"),
    ANYWHERE: gettext_noop("none (features accepted anywhere)"),
    NO_BOUNDARIES: gettext_noop("none (no province boundaries loaded)"),
}


@dataclass(frozen=True)
class OperatingArea:
    name: str
    geometry: object | None  # shapely geometry in WGS 84; None: features accepted anywhere
    code: str


def shown_name(code: str | None, name: str) -> str:
    """The area's name in the active language: ``name`` as stored (English, or a file's path)
    made again from its ``code``; a report stored before the code was kept is known by its
    English name."""
    english = NAMES.get(code) if code else next((n for n in NAMES.values() if n == name), None)
    return gettext(english) if english else name


class OperatingAreaMisconfigured(Exception):
    pass


def operating_area() -> OperatingArea:
    configured = (settings.OPERATING_AREA or "").strip()
    if configured.lower() == "none":
        return OperatingArea(NAMES[ANYWHERE], None, ANYWHERE)
    if configured:
        return OperatingArea(configured, _from_geojson(Path(configured)), FILE)
    provinces = province_outlines()
    if provinces is None:
        # Before the boundaries are loaded there is nothing to check against.
        return OperatingArea(NAMES[NO_BOUNDARIES], None, NO_BOUNDARIES)
    return OperatingArea(NAMES[PROVINCE], provinces, PROVINCE)


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
