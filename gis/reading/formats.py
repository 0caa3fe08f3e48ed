"""Which format an uploaded file is, by its name, and what that format means to GDAL.

``format_of`` refuses a format outside the supported list, naming what to export instead.
"""

from pathlib import Path

from gis.reading.errors import unsupported_format

FORMATS_BY_SUFFIX = {
    ".zip": "zip",
    ".gpkg": "gpkg",
    ".geojson": "geojson",
    ".json": "geojson",
    ".kml": "kml",
    ".kmz": "kmz",
    ".gpx": "gpx",
    ".csv": "csv",
}
DRIVER_BY_FORMAT = {
    "shapefile": "ESRI Shapefile",
    "gpkg": "GPKG",
    "geojson": "GeoJSON",
    "kml": "KML",
    "gpx": "GPX",
    "csv": "CSV",
}
RECOGNISED_UNSUPPORTED = {
    ".gdb": "an Esri File Geodatabase (.gdb); export it as a GeoPackage or zipped shapefile",
    ".tab": "a MapInfo TAB file; export it as a GeoPackage or zipped shapefile",
    ".mif": "a MapInfo MIF file; export it as a GeoPackage or zipped shapefile",
    ".shp": "a lone .shp file; zip the whole shapefile set (.shp, .shx, .dbf, .prj), send the zip",
    ".dbf": "a lone .dbf table; zip the whole shapefile set (.shp, .shx, .dbf, .prj) and send it",
    ".tif": "a raster image; only vector features can be imported",
    ".tiff": "a raster image; only vector features can be imported",
    ".jpg": "an image; only vector features can be imported",
    ".png": "an image; only vector features can be imported",
}
# KoBo, ODK and spreadsheet exports name coordinate columns in these ways.
CSV_OPEN_OPTIONS = {
    "X_POSSIBLE_NAMES": "lon,long,longitude,lng,x,_gps_longitude,*_longitude",
    "Y_POSSIBLE_NAMES": "lat,latitude,y,_gps_latitude,*_latitude",
    "GEOM_POSSIBLE_NAMES": "wkt,geometry,geom,the_geom,wkt_geom,shape",
    "KEEP_GEOM_COLUMNS": "NO",
}


def format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in FORMATS_BY_SUFFIX:
        return FORMATS_BY_SUFFIX[suffix]
    if suffix in RECOGNISED_UNSUPPORTED:
        raise unsupported_format(RECOGNISED_UNSUPPORTED[suffix])
    raise unsupported_format(f"files ending in {suffix or '(no extension)'!r}")
