"""The coordinate reference systems the OGC items are served in (OGC API Features Part 2).

Each is named by its OGC URI, as clients send it in ``crs`` and ``bbox-crs`` and read it in the
``Content-Crs`` header. EPSG:4326 is latitude first, as EPSG defines it and Part 2 requires;
CRS84 is the same datum longitude first (GeoJSON's order, the default). VN-2000 (EPSG:3405, UTM
48N, and EPSG:9212, the TM-3 zone of Quảng Trị at 106°15′) is what Vietnamese government maps
use; PostGIS 3.3 lacks 9212, which migrations/registry/0006 adds.
"""

from dataclasses import dataclass
from functools import cache

from pyproj import Transformer

from app.api.selectors.features import OutputCrs

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


# Vietnam and its seas with a margin, in lon/lat degrees: a projected bbox is clipped to this
# region's box in its CRS, where every projection here inverts well (PostGIS' ST_Transform
# fails on a point a projection cannot take back, which a bbox of 1e16 metres would be).
REGION_LON_LAT = (100.0, 4.0, 112.0, 26.0)


@dataclass(frozen=True)
class ServedCrs:
    uri: str
    output: OutputCrs
    # Metres, easting first: checked against region_box(), not against degree ranges.
    projected: bool

    def region_box(self) -> tuple[float, float, float, float]:
        """REGION_LON_LAT in this CRS (min x, min y, max x, max y)."""
        return _region_box(self.output.srid)


@cache
def _region_box(srid: int) -> tuple[float, float, float, float]:
    to_crs = Transformer.from_crs("EPSG:4326", f"EPSG:{srid}", always_xy=True)
    return to_crs.transform_bounds(*REGION_LON_LAT, densify_pts=50)


def _epsg(code: int) -> str:
    return f"http://www.opengis.net/def/crs/EPSG/0/{code}"


SUPPORTED: dict[str, ServedCrs] = {
    served.uri: served
    for served in (
        ServedCrs(CRS84, OutputCrs(srid=4326), projected=False),
        ServedCrs(_epsg(4326), OutputCrs(srid=4326, northing_first=True), projected=False),
        ServedCrs(_epsg(32648), OutputCrs(srid=32648, decimals=3), projected=True),
        ServedCrs(_epsg(3405), OutputCrs(srid=3405, decimals=3), projected=True),
        ServedCrs(_epsg(9212), OutputCrs(srid=9212, decimals=3), projected=True),
    )
}

# Short names some clients send (``EPSG:9212``); answered with the URI.
_ALIASES = {
    "CRS84": CRS84,
    "OGC:CRS84": CRS84,
    **{f"EPSG:{code}": _epsg(code) for code in (4326, 32648, 3405, 9212)},
}


def served_crs(value: str) -> ServedCrs | None:
    """The served CRS ``value`` names (a URI, a ``[EPSG:code]`` safe CURIE or a short name),
    None if it is none of them."""
    name = value.strip()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    name = _ALIASES.get(name.upper(), name)
    if name.startswith("https://"):
        name = "http://" + name.removeprefix("https://")
    return SUPPORTED.get(name)
