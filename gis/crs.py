"""Which coordinate system a file is in, and how to bring its coordinates to WGS 84.

Field files arrive in WGS 84, WGS 84 / UTM 48N, VN-2000 (geographic, UTM 48N/49N or a provincial
TM-3 zone: EPSG:9212 at 106°15' for the old Quảng Trị, 9211 at 106°00' for the old Quảng Bình)
and, in old data, Indian 1960. Desktop GIS write their ``.prj`` as ESRI WKT, often without an
EPSG code and sometimes with a home-made name or a TOWGS84 clause. PROJ applies the official
VN-2000 → WGS 84 transformation (EPSG:6960, "VN-2000 to WGS 84 (2)") only when it knows the
datum is VN-2000, so :func:`identify_crs` maps such definitions back to their EPSG code: read as
WGS 84 instead, a VN-2000 file lands a few hundred metres off.

Nothing here guesses silently. :func:`identify_crs` says how it recognised a system
(``IdentifiedCRS.how``); a file without a CRS gets :func:`candidate_crs`, the systems under which
its coordinates would fall inside the operating area, for a person to choose from.

Callers: ``gis.reading`` (the upload reader) and, through it, the upload service and the
``import_layer`` command.
"""

from __future__ import annotations

import math
import re
import threading
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyproj
import shapely
from pyproj.aoi import AreaOfInterest
from pyproj.database import query_crs_info
from pyproj.enums import PJType
from shapely.geometry.base import BaseGeometry

from gis.messages import Text

WGS84 = pyproj.CRS.from_epsg(4326)

# The datums of the field, with the EPSG geographic CRS each projected system is built on.
# Hanoi 1972 (HN-72) is the national datum VN-2000 replaced; maps digitised before 2000 use it.
VN2000, INDIAN_1960, HANOI_1972, WGS_1984 = "VN-2000", "Indian 1960", "Hanoi 1972", "WGS 84"
GEOGRAPHIC_EPSG = {VN2000: 4756, INDIAN_1960: 4131, HANOI_1972: 4147, WGS_1984: 4326}
LEGACY_DATUMS = (VN2000, INDIAN_1960, HANOI_1972)

# Translations (metres) of the published Helmert parameters to WGS 84, to recognise a datum
# written only as an ellipsoid plus TOWGS84 (a PROJ string, or a WKT with an unnamed datum).
# VN-2000: EPSG:6960 (2) and EPSG:5194 (1), and the rounded copies of the former that circulate
# in QGIS/MapInfo definitions. Indian 1960: EPSG:1542 (2), 1543 (3) and 1541 (1, via WGS 72BE).
# Hanoi 1972: EPSG:1544.
KNOWN_TOWGS84_SHIFTS_M = {
    VN2000: ((-191.904, -39.303, -111.450), (-192.873, -39.382, -111.202)),
    INDIAN_1960: ((198.0, 881.0, 317.0), (182.0, 915.0, 344.0), (199.0, 931.0, 317.0)),
    HANOI_1972: ((-17.51, -108.32, -62.39),),
}
TOWGS84_MATCH_M = {VN2000: 5.0, INDIAN_1960: 60.0, HANOI_1972: 5.0}
ELLIPSOID_SEMI_MAJOR_M = {
    VN2000: 6378137.0,
    INDIAN_1960: 6377276.345,
    HANOI_1972: 6378245.0,
    WGS_1984: 6378137.0,
}

# Projection parameters compare equal within these (degrees, unitless, metres): enough for the
# rounding of ESRI writers (106.25 vs 106.2500000001), far below one zone's spacing (0.25°).
LONGITUDE_TOLERANCE_DEG = 1e-6
SCALE_TOLERANCE = 1e-9
FALSE_ORIGIN_TOLERANCE_M = 1e-3

# PROJ's own identification of a WKT without an ID: below this confidence it is not trusted
# alone (70 is what PROJ gives a custom-named ESRI WKT whose parameters match exactly).
IDENTIFY_MIN_CONFIDENCE = 70

# Systems a coordinator's file without a CRS may be in, in the order offered when several place
# the features equally well: the GPS systems first, then the VN-2000 systems of the province.
CANDIDATE_EPSG_CODES = (
    4326,
    32648,
    9212,
    9211,
    3405,
    4756,
    32649,
    3406,
    *range(9205, 9211),
    *range(9213, 9219),
    4131,
    3148,
    3149,
    4147,
    2044,
)

# A projected coordinate that does not come back within this of itself after a trip through
# WGS 84 lies outside the projection's domain.
ROUND_TRIP_TOLERANCE_M = 1.0

# A geographic file at the antimeridian overshoots ±180 by a rounding error.
DEGREE_TOLERANCE = 1e-6


class CRSError(ValueError):
    """A coordinate system that cannot be read or cannot hold the coordinates given.

    The message names the problem and what the person uploading can do about it.
    """


@dataclass(frozen=True)
class IdentifiedCRS:
    """A coordinate system and how it was recognised.

    ``crs`` is the system to transform from: the EPSG definition when one was recognised (so PROJ
    applies the EPSG datum transformation), else the definition as given. ``how`` is a sentence
    for the upload report, e.g. "matched ESRI WKT to EPSG:9212 (VN-2000 / TM-3 106-15)".
    """

    crs: pyproj.CRS
    epsg: int | None
    name: str
    how: str


@dataclass(frozen=True)
class CRSCandidate:
    """A system under which a file's coordinates would fall inside the operating area.

    ``inside_fraction`` is the share (0–1) of the sampled coordinates that land inside it.
    """

    epsg: int
    name: str
    inside_fraction: float


def identify_crs(crs_input: str | pyproj.CRS) -> IdentifiedCRS:
    """Recognise a coordinate system given as a ``.prj`` text (ESRI WKT), OGC WKT, PROJ JSON or
    string, a pyproj CRS, or a user's entry ("EPSG:9212", "epsg 9212", "9212").

    The EPSG code is taken, in this order, from: the input itself (a code, or an ID in the WKT);
    PROJ's identification when it agrees with the datum the definition names; a comparison of
    projection parameters (method, central meridian, scale, false origin, units) with the EPSG
    systems on the same datum. The datum is read from its name ("D_Vietnam_2000",
    "GCS_VN_2000", "Indian_1960" ...) or, when unnamed, from a TOWGS84 clause matching the
    published shifts. A definition on the VN-2000, Indian 1960 or Hanoi 1972 datum that matches
    no EPSG system is rebuilt on the EPSG datum, so the EPSG transformation still applies.

    Raises :class:`CRSError` for empty input, an HTML page or anything PROJ cannot read.
    """
    crs, code_given = _parse_crs(crs_input)
    crs = _two_dimensional(crs)
    declared = _declared_epsg(crs)
    if declared is not None:
        epsg_crs = pyproj.CRS.from_epsg(declared)
        how = (
            Text("crs_code_given", given=repr(crs_input.strip()))
            if code_given
            else Text("crs_code_declared", code=declared)
        )
        return IdentifiedCRS(crs=epsg_crs, epsg=declared, name=epsg_crs.name, how=how)

    base = crs.source_crs if crs.is_bound else crs
    family, family_reason = _datum_family(crs)
    what = _kind_of_definition(crs_input)

    matched = _match_by_parameters(base, family)
    if matched is not None and family is None:
        family_reason = Text("datum_unnamed_vn2000_grid")
    if matched is None:
        matched = _match_by_proj_identify(base, family)
    if matched is not None:
        epsg_crs = pyproj.CRS.from_epsg(matched)
        how = (
            Text(
                "crs_matched_for", what=what, code=matched, name=epsg_crs.name, reason=family_reason
            )
            if family_reason
            else Text("crs_matched", what=what, code=matched, name=epsg_crs.name)
        )
        return IdentifiedCRS(crs=epsg_crs, epsg=matched, name=epsg_crs.name, how=how)

    if family in LEGACY_DATUMS and (base.is_projected or base.is_geographic):
        rebuilt = _on_epsg_datum(base, family)
        how = Text(
            "crs_rebuilt_on_datum",
            what=what,
            datum=family,
            reason=family_reason,
            code=GEOGRAPHIC_EPSG[family],
        )
        return IdentifiedCRS(crs=rebuilt, epsg=None, name=base.name, how=how)

    how = Text(
        "crs_as_written_ballpark" if _only_ballpark_to_wgs84(crs) else "crs_as_written", what=what
    )
    return IdentifiedCRS(crs=crs, epsg=None, name=crs.name, how=how)


def to_wgs84(
    data: BaseGeometry | Sequence[BaseGeometry] | np.ndarray | Sequence[tuple[float, float]],
    source: pyproj.CRS,
):
    """Coordinates or shapely geometries in ``source``, transformed to WGS 84 lon/lat.

    Accepts one shapely geometry, a sequence or numpy array of geometries (``None`` kept), or a
    sequence of ``(x, y)`` pairs (returned as a list of ``(lon, lat)`` tuples). Axis order is
    always x/easting/longitude first. Z is dropped (survey polygons are 2D here).

    The transformation is PROJ's best for where the data is (an area of interest taken from the
    data's extent), e.g. EPSG:6960 for VN-2000 in Vietnam, the Indian 1960 set for northern or
    southern Vietnam. Raises :class:`CRSError` if a coordinate cannot be transformed.
    """
    transformer = wgs84_transformer(source, _bounds_of(data))
    if isinstance(data, BaseGeometry):
        return _transform_geometries(np.array([data], dtype=object), transformer)[0]
    if _is_geometry_sequence(data):
        return _transform_geometries(np.asarray(data, dtype=object), transformer)
    points = np.asarray(data, dtype=float).reshape(-1, 2)
    lon, lat = transformer.transform(points[:, 0], points[:, 1], errcheck=False)
    _check_finite(np.column_stack([lon, lat]), source)
    return list(zip(np.asarray(lon).tolist(), np.asarray(lat).tolist(), strict=True))


def wgs84_transformer(
    source: pyproj.CRS, bounds: tuple[float, float, float, float] | None = None
) -> pyproj.Transformer:
    """The transformer from ``source`` to WGS 84 (lon/lat order) PROJ rates best for data
    within ``bounds`` (minx, miny, maxx, maxy in ``source`` units). Its ``description`` names
    the datum transformation used, for the upload report."""
    area = _area_of_interest(source, bounds) if bounds else None
    return pyproj.Transformer.from_crs(source, WGS84, always_xy=True, area_of_interest=area)


def check_coordinates_plausible(bounds: tuple[float, float, float, float], crs: pyproj.CRS) -> None:
    """Raise :class:`CRSError` when ``bounds`` (minx, miny, maxx, maxy in ``crs`` units) cannot
    be coordinates of ``crs``: degrees beyond ±180/±90 in a geographic system; in a projected one,
    values that do not transform (beyond the projection's domain) or that look like degrees and
    land outside the system's area of use (a lon/lat file labelled UTM)."""
    minx, miny, maxx, maxy = bounds
    described = _describe(crs)
    if not all(math.isfinite(value) for value in bounds):
        raise CRSError(f"Some coordinates are not numbers (NaN or infinite) in {described}.")
    if crs.is_geographic:
        if not _within_degrees(bounds):
            raise CRSError(
                f"The coordinates run from ({minx:.0f}, {miny:.0f}) to ({maxx:.0f}, {maxy:.0f}), "
                f"impossible as degrees of {described} (longitude ±180, latitude ±90): the data "
                "is probably projected (metres). Give the coordinate system it was made in, e.g. "
                "EPSG:32648 (UTM 48N) or EPSG:9212 (VN-2000 Quảng Trị)."
            )
        return
    corners = np.array([(minx, miny), (minx, maxy), (maxx, miny), (maxx, maxy)], dtype=float)
    lonlat = _lonlat_or_none(corners, crs)
    if lonlat is None:
        raise CRSError(
            f"The coordinates ({minx:.0f}, {miny:.0f}) to ({maxx:.0f}, {maxy:.0f}) cannot exist "
            f"in {described}: the file's coordinate system label is probably wrong. Give the "
            "right one."
        )
    lon, lat = lonlat[:, 0], lonlat[:, 1]
    area = crs.area_of_use
    if area is not None and _within_degrees(bounds):
        lands_outside = (
            max(lat) < area.south
            or min(lat) > area.north
            or max(lon) < area.west
            or min(lon) > area.east
        )
        if lands_outside:
            raise CRSError(
                f"The coordinates ({minx:g}, {miny:g}) to ({maxx:g}, {maxy:g}) look like degrees, "
                f"but the file says {described} (metres); read so, they land at "
                f"{min(lat):.2f}°N {min(lon):.2f}°E, outside {area.name}. Give the right system, "
                "probably EPSG:4326 (WGS 84 longitude/latitude)."
            )


def candidate_crs(
    sample_xy: Sequence[tuple[float, float]],
    operating_area: BaseGeometry | None,
    epsg_codes: Iterable[int] = CANDIDATE_EPSG_CODES,
) -> list[CRSCandidate]:
    """The systems under which coordinates of a file without a CRS would fall inside the
    operating area (a shapely geometry in WGS 84 lon/lat), best first.

    Each system in ``epsg_codes`` is tried on ``sample_xy`` (a few hundred vertices are plenty);
    those placing none of them inside are left out, impossible ones too (metres read as degrees).
    With ``operating_area`` None, each system's own EPSG area of use stands in for it. Ranking:
    the share inside the operating area, then the share inside the system's area of use (so
    VN-2000 TM-3 coordinates of Quảng Trị rank 9212, whose area of use is Quảng Trị, above 9211,
    which would also put them in the province but a zone west), then the order of
    ``CANDIDATE_EPSG_CODES``, the systems in common use first. Systems that differ only by datum
    (32648 and 3405) place features a few hundred metres apart and cannot be told apart this
    way: the person choosing must know which one the survey used.
    """
    points = np.asarray(sample_xy, dtype=float).reshape(-1, 2)
    points = points[np.isfinite(points).all(axis=1)]
    if len(points) == 0:
        return []
    ranked = []
    for order, code in enumerate(epsg_codes):
        crs = pyproj.CRS.from_epsg(code)
        lonlat = _lonlat_or_none(points, crs)
        if lonlat is None:
            continue
        in_use_area = _inside_fraction(lonlat, _area_of_use_box(crs))
        in_operating_area = (
            _inside_fraction(lonlat, operating_area) if operating_area is not None else in_use_area
        )
        if in_operating_area > 0:
            candidate = CRSCandidate(epsg=code, name=crs.name, inside_fraction=in_operating_area)
            ranked.append(((-in_operating_area, -in_use_area, order), candidate))
    return [candidate for _key, candidate in sorted(ranked, key=lambda item: item[0])]


def _parse_crs(crs_input: str | pyproj.CRS) -> tuple[pyproj.CRS, bool]:
    """The CRS PROJ reads from the input, and whether the input was a bare authority code."""
    if isinstance(crs_input, pyproj.CRS):
        return crs_input, False
    if not isinstance(crs_input, str):
        raise CRSError(f"A coordinate system must be text, not {type(crs_input).__name__}.")
    text = crs_input.strip().lstrip("\ufeff")
    if not text:
        raise CRSError(
            "The coordinate system is empty (an empty .prj file?). Give it, e.g. EPSG:32648 "
            "(UTM 48N) or EPSG:9212 (VN-2000 Quảng Trị)."
        )
    if re.match(r"(?is)\s*(<!doctype|<html|<\?xml|<head|<body)", text) or "<html" in text[:500]:
        raise CRSError(
            "The coordinate system file holds a web page (HTML), not a coordinate system: it was "
            "probably saved from a browser instead of downloaded. Export the .prj again from the "
            "GIS, or give the EPSG code (e.g. EPSG:9212)."
        )
    code = re.fullmatch(r"(?i)(?:epsg\s*[:\s]\s*)?(\d{4,6})", text)
    if code:
        text = f"EPSG:{code.group(1)}"
    try:
        crs = pyproj.CRS.from_user_input(text)
    except pyproj.exceptions.CRSError as error:
        shown = text[:60] + ("…" if len(text) > 60 else "")
        raise CRSError(
            f"{shown!r} is not a coordinate system PROJ can read"
            + (" (no such EPSG code)" if code else "")
            + ". Give an EPSG code such as EPSG:32648 (UTM 48N) or EPSG:9212 (VN-2000 Quảng "
            "Trị), or the .prj file exported by the GIS."
        ) from error
    return crs, bool(code) or bool(
        re.fullmatch(r"(?i)(epsg|urn:ogc:def:crs:epsg:[\d.]*):\d+", text)
    )


def _two_dimensional(crs: pyproj.CRS) -> pyproj.CRS:
    """Heights play no part here; a 3D or compound definition is compared by its 2D part."""
    if crs.is_compound:
        return crs.sub_crs_list[0]
    return crs.to_2d() if len(crs.axis_info) > 2 else crs


def _declared_epsg(crs: pyproj.CRS) -> int | None:
    """The EPSG code the definition itself carries (an ID), not one PROJ infers."""
    if crs.is_bound:
        return None
    identifier = crs.to_json_dict().get("id") or {}
    if identifier.get("authority") == "EPSG" and str(identifier.get("code", "")).isdigit():
        return int(identifier["code"])
    return None


def _kind_of_definition(crs_input: str | pyproj.CRS) -> str:
    if isinstance(crs_input, pyproj.CRS):
        return "the coordinate system"
    text = crs_input.lstrip()
    if text.startswith("+") or "+proj=" in text:
        return "PROJ string"
    if text.upper().startswith(("PROJCS", "GEOGCS")) and re.search(r'DATUM\["D_', text):
        return "ESRI WKT"
    if text.startswith("{"):
        return "PROJ JSON"
    return "WKT"


def _normalised(name: str | None) -> str:
    return re.sub(r"[^a-z0-9]", "", (name or "").lower())


def _datum_family(crs: pyproj.CRS) -> tuple[str | None, str]:
    """Which of the field's datums a definition is on, and what showed it."""
    base = crs.source_crs if crs.is_bound else crs
    geodetic = base.geodetic_crs
    names = {
        _normalised(geodetic.name if geodetic else None),
        _normalised(base.datum.name if base.datum else None),
    }
    if any("vn2000" in name or "vietnam2000" in name for name in names):
        return VN2000, Text("datum_named", datum="VN-2000")
    if any("indian1960" in name for name in names):
        return INDIAN_1960, Text("datum_named", datum="Indian 1960")
    if any("hanoi1972" in name or name.endswith("hn72") for name in names):
        return HANOI_1972, Text("datum_named", datum="Hanoi 1972")
    shift = _towgs84_translation(crs)
    semi_major = base.ellipsoid.semi_major_metre if base.ellipsoid else None
    if shift is not None and semi_major is not None:
        for family, shifts in KNOWN_TOWGS84_SHIFTS_M.items():
            if not math.isclose(semi_major, ELLIPSOID_SEMI_MAJOR_M[family], abs_tol=0.5):
                continue
            if any(math.dist(shift, known) <= TOWGS84_MATCH_M[family] for known in shifts):
                return family, Text("datum_by_towgs84", datum=family)
    if any(
        name.startswith(("wgs84", "worldgeodeticsystem1984", "dwgs1984", "gcswgs1984"))
        for name in names
    ):
        return WGS_1984, ""
    return None, ""


def _towgs84_translation(crs: pyproj.CRS) -> tuple[float, float, float] | None:
    if not crs.is_bound or crs.coordinate_operation is None:
        return None
    values = {param.name: param.value for param in crs.coordinate_operation.params}
    try:
        return (
            values["X-axis translation"],
            values["Y-axis translation"],
            values["Z-axis translation"],
        )
    except KeyError:
        return None


def _projection_parameters(crs: pyproj.CRS) -> dict[str, object] | None:
    """The projection as PROJ parameters in degrees and metres, UTM spelled as Transverse
    Mercator so that "UTM zone 48N" and a custom TM at 105° with k 0.9996 compare equal."""
    with warnings.catch_warnings():
        # to_dict() warns that a PROJ string loses datum details; only the projection is used.
        warnings.simplefilter("ignore", UserWarning)
        try:
            parameters = crs.to_dict()
        except pyproj.exceptions.CRSError:
            return None
    if parameters.get("proj") == "utm":
        zone = int(parameters["zone"])
        parameters = {
            "proj": "tmerc",
            "lat_0": 0.0,
            "lon_0": zone * 6.0 - 183.0,
            "k": 0.9996,
            "x_0": 500000.0,
            "y_0": 10000000.0 if "south" in parameters else 0.0,
            "units": parameters.get("units", "m"),
        }
    if "k_0" in parameters:
        parameters["k"] = parameters.pop("k_0")
    return parameters


def _same_projection(first: dict[str, object], second: dict[str, object]) -> bool:
    if first.get("proj") != second.get("proj") or first.get("units") != second.get("units"):
        return False
    tolerances = {
        "lat_0": LONGITUDE_TOLERANCE_DEG,
        "lon_0": LONGITUDE_TOLERANCE_DEG,
        "k": SCALE_TOLERANCE,
        "x_0": FALSE_ORIGIN_TOLERANCE_M,
        "y_0": FALSE_ORIGIN_TOLERANCE_M,
    }
    defaults = {"lat_0": 0.0, "lon_0": 0.0, "k": 1.0, "x_0": 0.0, "y_0": 0.0}
    for key, tolerance in tolerances.items():
        left = float(first.get(key, defaults[key]))
        right = float(second.get(key, defaults[key]))
        if abs(left - right) > tolerance:
            return False
    return True


@lru_cache(maxsize=4)
def _epsg_systems_on(family: str) -> tuple[tuple[int, dict[str, object] | None], ...]:
    """The EPSG geographic and projected systems built on one of the field's datums."""
    prefix = {
        VN2000: "VN-2000",
        INDIAN_1960: "Indian 1960",
        HANOI_1972: "Hanoi 1972",
        WGS_1984: "WGS 84 / UTM zone",
    }[family]
    infos = query_crs_info(
        auth_name="EPSG", pj_types=[PJType.PROJECTED_CRS, PJType.GEOGRAPHIC_2D_CRS]
    )
    systems = {GEOGRAPHIC_EPSG[family]: None}
    for info in infos:
        if info.deprecated or not info.name.startswith(prefix) or info.type != PJType.PROJECTED_CRS:
            continue
        systems[int(info.code)] = _projection_parameters(pyproj.CRS.from_epsg(int(info.code)))
    return tuple(systems.items())


def _match_by_parameters(crs: pyproj.CRS, family: str | None) -> int | None:
    """The EPSG system on ``family``'s datum with the same projection parameters.

    A definition whose datum is unnamed and has no TOWGS84 but sits on the WGS 84 ellipsoid with
    a VN-2000 TM-3 projection (106°15', k 0.9999, 500 km) is taken as VN-2000: that combination
    is the VN-2000 provincial grid and nothing else in use here.
    """
    if crs.is_geographic:
        return GEOGRAPHIC_EPSG[family] if family else None
    if not crs.is_projected:
        return None
    parameters = _projection_parameters(crs)
    if parameters is None:
        return None
    families = [family] if family else []
    if family is None and _on_wgs84_ellipsoid(crs):
        families = [VN2000]
    for candidate_family in families:
        for code, epsg_parameters in _epsg_systems_on(candidate_family):
            if epsg_parameters is not None and _same_projection(parameters, epsg_parameters):
                if family is None and not _is_vn2000_provincial_zone(epsg_parameters):
                    continue
                return code
    return None


def _is_vn2000_provincial_zone(parameters: dict[str, object]) -> bool:
    return math.isclose(float(parameters.get("k", 1.0)), 0.9999) and math.isclose(
        float(parameters.get("x_0", 0.0)), 500000.0
    )


def _on_wgs84_ellipsoid(crs: pyproj.CRS) -> bool:
    ellipsoid = crs.ellipsoid
    return (
        ellipsoid is not None
        and math.isclose(ellipsoid.semi_major_metre, 6378137.0, abs_tol=0.01)
        and math.isclose(ellipsoid.inverse_flattening, 298.257223563, abs_tol=1e-6)
    )


def _match_by_proj_identify(crs: pyproj.CRS, family: str | None) -> int | None:
    """PROJ's identification, accepted when the EPSG system is on the datum the definition names
    (VN-2000, Indian 1960, WGS 84), or, for other datums, when PROJ finds the two equivalent
    apart from names ("ED50_UTM_zone_30N" is EPSG:23030). An unnamed datum ("D_unknown") is
    equivalent to none, so such a definition is used as written."""
    for match in crs.list_authority(min_confidence=IDENTIFY_MIN_CONFIDENCE):
        if match.auth_name != "EPSG" or not match.code.isdigit():
            continue
        candidate = pyproj.CRS.from_epsg(int(match.code))
        if family is not None:
            if _datum_family(candidate)[0] == family:
                return int(match.code)
        elif match.confidence == 100 or crs.equals(candidate, ignore_axis_order=True):
            return int(match.code)
    return None


def _on_epsg_datum(crs: pyproj.CRS, family: str) -> pyproj.CRS:
    geographic = pyproj.CRS.from_epsg(GEOGRAPHIC_EPSG[family])
    if crs.is_geographic:
        return geographic
    return pyproj.crs.ProjectedCRS(
        conversion=crs.coordinate_operation, geodetic_crs=geographic, name=crs.name
    )


def _only_ballpark_to_wgs84(crs: pyproj.CRS) -> bool:
    try:
        transformer = pyproj.Transformer.from_crs(crs, WGS84, always_xy=True)
    except pyproj.exceptions.ProjError:
        return True
    return "ballpark" in (transformer.description or "").lower()


def _describe(crs: pyproj.CRS) -> str:
    code = crs.to_epsg(min_confidence=100)
    return f"EPSG:{code} ({crs.name})" if code else crs.name


def _within_degrees(bounds: tuple[float, float, float, float]) -> bool:
    minx, miny, maxx, maxy = bounds
    return (
        -180 - DEGREE_TOLERANCE <= minx <= maxx <= 180 + DEGREE_TOLERANCE
        and -90 - DEGREE_TOLERANCE <= miny <= maxy <= 90 + DEGREE_TOLERANCE
    )


def _is_geometry_sequence(data: object) -> bool:
    if isinstance(data, np.ndarray):
        return data.dtype == object
    return bool(data) and all(item is None or isinstance(item, BaseGeometry) for item in data)


def _bounds_of(data: object) -> tuple[float, float, float, float] | None:
    if isinstance(data, BaseGeometry):
        coordinates = shapely.get_coordinates(data)
    elif _is_geometry_sequence(data):
        coordinates = shapely.get_coordinates(np.asarray(data, dtype=object))
    else:
        coordinates = np.asarray(data, dtype=float).reshape(-1, 2)
    coordinates = coordinates[np.isfinite(coordinates).all(axis=1)]
    if len(coordinates) == 0:
        return None
    minx, miny = coordinates.min(axis=0)
    maxx, maxy = coordinates.max(axis=0)
    return float(minx), float(miny), float(maxx), float(maxy)


def _area_of_interest(
    source: pyproj.CRS, bounds: tuple[float, float, float, float]
) -> AreaOfInterest | None:
    """The data's extent in degrees, for PROJ to pick the transformation valid there."""
    if source.is_geographic:
        lonlat_bounds = bounds
    else:
        try:
            geographic = source.geodetic_crs or WGS84
            lonlat_bounds = pyproj.Transformer.from_crs(
                source, geographic, always_xy=True
            ).transform_bounds(*bounds)
        except pyproj.exceptions.ProjError:
            return None
    if not all(math.isfinite(value) for value in lonlat_bounds) or not _within_degrees(
        lonlat_bounds
    ):
        return None
    west, south, east, north = lonlat_bounds
    return AreaOfInterest(west, south, east, north)


def _transform_geometries(geometries: np.ndarray, transformer: pyproj.Transformer) -> np.ndarray:
    def project(coordinates: np.ndarray) -> np.ndarray:
        lon, lat = transformer.transform(coordinates[:, 0], coordinates[:, 1], errcheck=False)
        projected = np.column_stack([lon, lat])
        _check_finite(projected, transformer.source_crs)
        return projected

    return shapely.transform(shapely.force_2d(geometries), project)


def _check_finite(lonlat: np.ndarray, source: pyproj.CRS | None) -> None:
    if not np.isfinite(lonlat).all():
        described = _describe(source) if source is not None else "the source system"
        raise CRSError(
            f"Some coordinates cannot be transformed from {described} to WGS 84: they lie outside "
            "what that system can represent. The file's coordinate system is probably wrong."
        )


def _lonlat_or_none(points: np.ndarray, crs: pyproj.CRS) -> np.ndarray | None:
    """``points`` in WGS 84 lon/lat, or None when ``crs`` cannot hold them: degrees beyond
    ±180/±90, or projected values that do not survive a round trip (PROJ's Transverse Mercator
    wraps a northing beyond the pole into a finite but meaningless latitude)."""
    if crs.is_geographic:
        bounds = (*points.min(axis=0), *points.max(axis=0))
        if not _within_degrees(bounds):
            return None
    forward, inverse = _transformers_to_and_from_wgs84(crs)
    lon, lat = forward.transform(points[:, 0], points[:, 1], errcheck=False)
    lonlat = np.column_stack([lon, lat])
    if not np.isfinite(lonlat).all():
        return None
    if not crs.is_geographic:
        x, y = inverse.transform(lonlat[:, 0], lonlat[:, 1], errcheck=False)
        round_trip_m = np.hypot(np.asarray(x) - points[:, 0], np.asarray(y) - points[:, 1])
        if not (np.isfinite(round_trip_m).all() and (round_trip_m < ROUND_TRIP_TOLERANCE_M).all()):
            return None
    return lonlat


_transformer_cache = threading.local()


def _transformers_to_and_from_wgs84(
    crs: pyproj.CRS,
) -> tuple[pyproj.Transformer, pyproj.Transformer]:
    """Built once per thread and system: building one costs ~40 ms, and the candidate search
    tries some thirty systems per file. pyproj transformers must not be shared across threads."""
    cache = _transformer_cache.__dict__.setdefault("pairs", {})
    key = crs.to_wkt()
    if key not in cache:
        cache[key] = (
            pyproj.Transformer.from_crs(crs, WGS84, always_xy=True),
            pyproj.Transformer.from_crs(WGS84, crs, always_xy=True),
        )
    return cache[key]


@lru_cache(maxsize=64)
def _area_of_use_box(crs: pyproj.CRS) -> BaseGeometry:
    area = crs.area_of_use
    if area is None:
        return shapely.box(-180, -90, 180, 90)
    return shapely.box(area.west, area.south, area.east, area.north)


def _inside_fraction(lonlat: np.ndarray, area: BaseGeometry) -> float:
    shapely.prepare(area)
    inside = shapely.intersects_xy(area, lonlat[:, 0], lonlat[:, 1])
    return float(np.count_nonzero(inside)) / len(lonlat)
