"""CSV (RFC 4180): one row per feature, streamed row by row.

UTF-8 with a byte order mark, which is what makes Excel read it as UTF-8 (without it Excel
opens "Hướng Hóa" as "HÆ°á»›ng HÃ³a"); Python reads it back with ``encoding="utf-8-sig"``. The
first line names the columns: the fields, then ``centroid_lon`` and ``centroid_lat`` (WGS 84
degrees whatever the export's system, for pasting into a web map), then ``wkt``, the geometry
as WKT in the export's system (7 decimals in degrees, 3 in metres). Dates are ISO 8601
(2024-03-31), decimals use a point, an empty cell is a missing value.
"""

import codecs
import csv
import datetime as dt
import io
import os
from collections.abc import Iterable

import shapely

from gis.exports.features import ExportLayer, FeatureBatch, checked, coordinate_decimals
from gis.exports.gdal_stream import Destination

EXTENSION = ".csv"
MEDIA_TYPE = "text/csv; charset=utf-8"
CENTROID_DECIMALS = 7


def write_csv(
    batches: Iterable[FeatureBatch], *, layer: ExportLayer, destination: Destination
) -> int:
    """Write the batches as CSV to ``destination`` (a path, replaced if it exists, or a binary
    file object); return the number of features written."""
    if isinstance(destination, str | os.PathLike):
        with open(destination, "wb") as file:
            return _write(batches, layer, file)
    return _write(batches, layer, destination)


def _write(batches: Iterable[FeatureBatch], layer: ExportLayer, file) -> int:
    file.write(codecs.BOM_UTF8)
    text = io.TextIOWrapper(file, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow([*(f.name for f in layer.fields), "centroid_lon", "centroid_lat", "wkt"])
        decimals = coordinate_decimals(layer)
        count = 0
        for batch in checked(batches, layer):
            wkts = shapely.to_wkt(
                shapely.from_wkb(list(batch.geometries_wkb)),
                rounding_precision=decimals,
                trim=True,
            )
            for row, lon, lat, wkt in zip(
                batch.rows(layer.fields), batch.centroid_lon, batch.centroid_lat, wkts, strict=True
            ):
                writer.writerow([*map(_text, row), _degrees(lon), _degrees(lat), wkt or ""])
            count += len(batch)
        return count
    finally:
        # The caller owns the file: detach so that closing the wrapper leaves it open.
        text.flush()
        text.detach()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _degrees(value: float | None) -> str:
    return "" if value is None else f"{value:.{CENTROID_DECIMALS}f}"
