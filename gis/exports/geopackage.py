"""GeoPackage (OGC 12-128r18) through GDAL: the features, what was exported, and the fields.

The file holds three tables: the layer (``releases``: attributes and geometry in the requested
system), ``export`` (what was exported: collection, filters, scope, as of, who, when, as rows of
``what``/``value``, also in the dataset's GDAL metadata) and ``fields`` (each field's name, type
and full label). QGIS opens the layer and shows the other two as plain tables.
"""

from collections.abc import Iterable

from gis.exports.features import ExportLayer, FeatureBatch
from gis.exports.gdal_stream import Destination, output_path, write_stream, write_table

DRIVER = "GPKG"
EXTENSION = ".gpkg"
MEDIA_TYPE = "application/geopackage+sqlite3"


def write_geopackage(
    batches: Iterable[FeatureBatch], *, layer: ExportLayer, destination: Destination
) -> int:
    """Write the batches into a new GeoPackage at ``destination`` (a path, replaced if it exists,
    or a binary file object) and return the number of features written.

    The features are streamed into GDAL one batch at a time (see gis.exports.gdal_stream).
    """
    with output_path(destination, suffix=EXTENSION) as path:
        path.unlink(missing_ok=True)
        count = write_stream(
            batches,
            layer=layer,
            path=path,
            driver=DRIVER,
            dataset_metadata=dict(layer.metadata),
            layer_options={"DESCRIPTION": layer.metadata_line()},
        )
        write_table(
            path,
            layer="export",
            columns={"what": list(layer.metadata), "value": list(layer.metadata.values())},
            driver=DRIVER,
        )
        write_table(
            path,
            layer="fields",
            columns={
                "name": [f.name for f in layer.fields],
                "type": [f.type for f in layer.fields],
                "label": [f.label for f in layer.fields],
            },
            driver=DRIVER,
        )
    return count
