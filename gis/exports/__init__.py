"""Feature exports: GeoPackage, zipped Shapefile, CSV, Excel and KML, written from batches.

Framework-free (no Django): the app's feature source (app/exports) hands each writer an
iterable of :class:`~gis.exports.features.FeatureBatch`, already in the target system, and an
:class:`~gis.exports.features.ExportLayer` saying what they are; a notebook can do the same.
Every writer has the signature ``write(batches, *, layer, destination) -> feature count`` and
holds one batch at a time.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from gis.exports import csv_table, excel, geopackage, kml, shapefile_zip
from gis.exports.features import WGS84_EPSG, ExportLayer, FeatureBatch
from gis.exports.gdal_stream import Destination

Writer = Callable[..., int]


@dataclass(frozen=True)
class ExportFormat:
    """A format a layer can be exported in: its ``name`` (the ``format=`` value), file
    extension, media type and writer. ``fixed_epsg``: the one system the format allows (KML),
    whatever was asked."""

    name: str
    extension: str
    media_type: str
    write: Writer
    fixed_epsg: int | None = None


FORMATS: dict[str, ExportFormat] = {
    "gpkg": ExportFormat(
        "gpkg", geopackage.EXTENSION, geopackage.MEDIA_TYPE, geopackage.write_geopackage
    ),
    "shp": ExportFormat(
        "shp", shapefile_zip.EXTENSION, shapefile_zip.MEDIA_TYPE, shapefile_zip.write_shapefile_zip
    ),
    "csv": ExportFormat("csv", csv_table.EXTENSION, csv_table.MEDIA_TYPE, csv_table.write_csv),
    "xlsx": ExportFormat("xlsx", excel.EXTENSION, excel.MEDIA_TYPE, excel.write_excel),
    "kml": ExportFormat("kml", kml.EXTENSION, kml.MEDIA_TYPE, kml.write_kml, fixed_epsg=WGS84_EPSG),
}


def write_export(
    format_name: str,
    batches: Iterable[FeatureBatch],
    *,
    layer: ExportLayer,
    destination: Destination,
) -> int:
    """Write ``batches`` in the format named ``format_name`` (a key of FORMATS)."""
    return FORMATS[format_name].write(batches, layer=layer, destination=destination)
