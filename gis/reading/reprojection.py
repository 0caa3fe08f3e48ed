"""The source CRS of a layer (asked for, declared, or refused with candidates) and the
reprojection of its features to WGS 84, refusing coordinates the CRS cannot produce.
"""

import re
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from gis.crs import CRSError, candidate_crs, check_coordinates_plausible, identify_crs, to_wgs84
from gis.messages import Number, Text
from gis.reading.errors import ReadError
from gis.reading.staging import Dataset

WGS84 = pyproj.CRS.from_epsg(4326)
# A CRS whose area of use misses the data by more than this many degrees labels the data wrongly.
AREA_OF_USE_MARGIN_DEG = 10.0


@dataclass(frozen=True)
class _SourceCRS:
    crs: pyproj.CRS
    epsg: int | None
    described: str
    how: str


DECLARED_HOW = {
    "shapefile": Text("crs_from_prj"),
    "gpkg": Text("crs_from_gpkg"),
    "kml": Text("crs_kml"),
    "gpx": Text("crs_gpx"),
    "geojson": Text("crs_from_geojson"),
}
MAX_CANDIDATE_SAMPLE = 500


def source_crs(
    dataset: Dataset,
    declared: str | None,
    requested: str | None,
    features: gpd.GeoDataFrame,
    notes: list[str],
    operating_area: BaseGeometry | None,
) -> _SourceCRS:
    if requested:
        chosen = _identify(requested, origin=Text("crs_given"))
        if declared and not _same_crs(chosen.crs, declared):
            file_crs = _identify(declared, origin=Text("crs_declared"))
            notes.append(
                Text("crs_declared_not_used", declared=file_crs.described, used=chosen.described)
            )
        return chosen
    # The .prj as written (often ESRI WKT without an EPSG code) tells gis.crs more than GDAL's
    # rewrite of it: VN-2000 is recognised by its datum name there.
    if dataset.prj_text is not None:
        from_prj = _identify(dataset.prj_text, origin=DECLARED_HOW["shapefile"])
        if from_prj.epsg is None and declared:
            # GDAL's reading of the .prj sometimes finds the EPSG system (ED50 / UTM 30N
            # written by ArcGIS) that the ESRI text alone does not name.
            from_gdal = _identify(declared, origin=DECLARED_HOW["shapefile"])
            if from_gdal.epsg is not None:
                return from_gdal
        return from_prj
    if declared:
        return _identify(declared, origin=DECLARED_HOW.get(dataset.format, Text("crs_in_file")))
    if dataset.format == "csv" and _looks_like_lon_lat(features):
        notes.append(Text("csv_assumed_wgs84"))
        return _SourceCRS(
            crs=WGS84,
            epsg=4326,
            described="EPSG:4326 (WGS 84)",
            how=Text("crs_csv_assumed"),
        )
    raise _crs_missing(dataset, features, operating_area)


def _identify(text: str, *, origin: str) -> _SourceCRS:
    # GDAL hands over a recognised layer CRS as "EPSG:nnnn"; as a CRS object gis.crs reports it
    # as declared by the file, not as a code someone typed.
    from_gdal = not origin.startswith("given") and re.fullmatch(r"EPSG:\d+", text)
    try:
        identified = identify_crs(pyproj.CRS.from_user_input(text) if from_gdal else text)
    except (CRSError, pyproj.exceptions.CRSError) as error:
        raise ReadError("crs_invalid", f"Coordinate system {origin}: {error}") from error
    described = (
        f"EPSG:{identified.epsg} ({identified.name})" if identified.epsg else identified.name
    )
    return _SourceCRS(
        crs=identified.crs,
        epsg=identified.epsg,
        described=described,
        how=Text("crs_how", origin=origin, how=identified.how),
    )


def _crs_missing(
    dataset: Dataset, features: gpd.GeoDataFrame, operating_area: BaseGeometry | None
) -> ReadError:
    coordinates = shapely.get_coordinates(present_geometries(features).values)
    step = max(1, len(coordinates) // MAX_CANDIDATE_SAMPLE)
    candidates = candidate_crs([tuple(xy) for xy in coordinates[::step]], operating_area)
    where = Text("inside_operating_area" if operating_area is not None else "where_used")
    if candidates:
        listed = ", ".join(f"EPSG:{c.epsg} ({c.name})" for c in candidates[:6])
        hint = Text("crs_candidates", where=where, listed=listed)
    else:
        hint = Text("crs_no_candidates", where=where)
    what = Text("no_prj_file" if dataset.format == "shapefile" else "no_crs")
    return ReadError(
        "crs_missing",
        Text("crs_missing", name=dataset.shown_name, what=what, hint=hint),
        choices=tuple(f"EPSG:{c.epsg}" for c in candidates),
    )


def _same_crs(crs: pyproj.CRS, declared: str) -> bool:
    try:
        return crs.equals(pyproj.CRS.from_user_input(declared), ignore_axis_order=True)
    except pyproj.exceptions.CRSError:
        return False


def _looks_like_lon_lat(features: gpd.GeoDataFrame) -> bool:
    present = present_geometries(features)
    if present.empty:
        return True
    minx, miny, maxx, maxy = present.total_bounds
    # Files written at the antimeridian overshoot 180 by a rounding error.
    tolerance = 1e-6
    return bool(
        -180 - tolerance <= minx <= maxx <= 180 + tolerance
        and -90 - tolerance <= miny <= maxy <= 90 + tolerance
    )


def present_geometries(features: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """The geometries that carry coordinates (neither null nor empty)."""
    geometries = features.geometry
    values = geometries.values
    return geometries[~(shapely.is_missing(values) | shapely.is_empty(values))]


def reproject_to_wgs84(
    features: gpd.GeoDataFrame, source: _SourceCRS, notes: list[str]
) -> gpd.GeoDataFrame:
    present = present_geometries(features)
    if not present.empty:
        try:
            check_coordinates_plausible(tuple(present.total_bounds), source.crs)
        except CRSError as error:
            raise ReadError("coordinates_impossible", str(error)) from error
    with_z = int(shapely.has_z(present.values).sum())
    if with_z:
        notes.append(Text("z_dropped_from", count=Number(with_z)))
    try:
        geometries = to_wgs84(np.asarray(features.geometry.values, dtype=object), source.crs)
    except CRSError as error:
        raise ReadError("coordinates_impossible", str(error)) from error
    features = gpd.GeoDataFrame(
        features.drop(columns="geometry"), geometry=list(geometries), crs=WGS84
    )
    _check_plausible(features, source)
    return features


def _check_plausible(features: gpd.GeoDataFrame, source: _SourceCRS) -> None:
    """Coordinates the declared CRS cannot produce mean the label is wrong (a file drawn in one
    CRS and saved as another); reprojecting them would place the features far away silently."""
    present = present_geometries(features)
    if present.empty:
        return
    coordinates = shapely.get_coordinates(present.values)
    minx, miny, maxx, maxy = present.total_bounds
    if not np.isfinite(coordinates).all() or not _looks_like_lon_lat(features):
        raise ReadError(
            "coordinates_impossible",
            f"Some coordinates cannot exist in {source.described}: the file's coordinate "
            "system label is probably wrong. Give the right one (crs).",
        )
    area = _area_of_use(source.crs)
    if area is None:
        return
    margin = AREA_OF_USE_MARGIN_DEG
    outside = maxy < area.south - margin or miny > area.north + margin
    # An area crossing the antimeridian has west > east; only its latitudes can be compared.
    if area.west <= area.east:
        outside = outside or maxx < area.west - margin or minx > area.east + margin
    if outside:
        raise ReadError(
            "coordinates_impossible",
            f"Read as {source.described}, the features land at {miny:.2f}°N {minx:.2f}°E, far "
            f"outside where that system is used ({area.name}). The file's coordinate system "
            "label is probably wrong: give the right one (crs).",
        )


def _area_of_use(crs: pyproj.CRS):
    if crs.area_of_use is not None:
        return crs.area_of_use
    # A WKT without an authority code (common in GeoPackages) still matches a registry entry.
    epsg = crs.to_epsg(min_confidence=70)
    return pyproj.CRS.from_epsg(epsg).area_of_use if epsg else None
