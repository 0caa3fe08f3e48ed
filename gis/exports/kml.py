"""KML 2.2 (OGC 07-147r2) through GDAL's KML driver, for Google Earth and the like.

KML coordinates are WGS 84 longitude/latitude by definition: the layer must be in EPSG:4326
(the app ignores a requested ``crs`` for KML and says so). GDAL's KML driver writes each
feature as it comes (its LIBKML driver builds the whole document in memory: a million
features took gigabytes, so it is not used). Each placemark is named by the layer's ``title_field``
(a record's reference); the fields are its ExtendedData. The KML driver has no place for
the export's metadata: the other formats carry it.
"""

from collections.abc import Iterable

from gis.exports.features import WGS84_EPSG, ExportLayer, FeatureBatch
from gis.exports.gdal_stream import Destination, output_path, write_stream

DRIVER = "KML"
EXTENSION = ".kml"
MEDIA_TYPE = "application/vnd.google-earth.kml+xml"


def write_kml(
    batches: Iterable[FeatureBatch], *, layer: ExportLayer, destination: Destination
) -> int:
    """Write the batches as KML to ``destination`` (a path, replaced if it exists, or a binary
    file object); return the number of features written. Raises ValueError unless the layer
    is in EPSG:4326."""
    if layer.epsg != WGS84_EPSG:
        raise ValueError(f"KML is WGS 84 longitude/latitude (EPSG:4326), not EPSG:{layer.epsg}")
    dataset_options = {"DOCUMENT_ID": layer.name}
    if layer.title_field is not None:
        dataset_options["NameField"] = layer.title_field
    with output_path(destination, suffix=EXTENSION) as path:
        path.unlink(missing_ok=True)
        return write_stream(
            batches,
            layer=layer,
            path=path,
            driver=DRIVER,
            dataset_options=dataset_options,
        )
