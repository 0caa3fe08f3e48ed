"""A zipped ESRI Shapefile: ``.shp``, ``.shx``, ``.dbf``, ``.prj``, a UTF-8 ``.cpg``, and two
small tables, ``fields.csv`` (each short field name beside its full name and label) and
``export.csv`` (what was exported).

dBASE field names hold 10 characters at most: longer names are cut to 10 and, where two would
then be equal, cut shorter and numbered (``completed_``, ``complete_2``), so that no column is
silently lost or renamed by GDAL. The shapefile format's own limits stand: each of ``.shp`` and
``.dbf`` at most 2 GB (GDAL is told to refuse past that rather than write a file other programs
misread: ``ShapefileTooLarge``), text values at most 254 bytes, no time of day, one geometry type.
"""

import csv
import io
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from gis.exports.features import ExportField, ExportLayer, FeatureBatch
from gis.exports.gdal_stream import Destination, write_stream

DRIVER = "ESRI Shapefile"
# ".shp.zip": GDAL (and so QGIS) opens such a file as a shapefile without unzipping it.
EXTENSION = ".shp.zip"
MEDIA_TYPE = "application/zip"
DBF_NAME_LENGTH = 10
PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


class ShapefileTooLarge(ValueError):
    """The features would make a ``.shp`` or ``.dbf`` of more than 2 GB."""


def short_field_names(fields: Sequence[ExportField]) -> list[str]:
    """Unique dBASE field names of at most 10 characters, in the order of ``fields``.

    A name that fits is kept; a longer one is cut to 10; where a cut name is already taken (by
    an earlier field, case-insensitively as dBASE readers compare), it is cut shorter and
    numbered ``_2``, ``_3``...
    """
    taken: set[str] = set()
    short: list[str] = []
    for f in fields:
        name = f.name[:DBF_NAME_LENGTH]
        number = 1
        while name.lower() in taken:
            number += 1
            suffix = f"_{number}"
            name = f.name[: DBF_NAME_LENGTH - len(suffix)] + suffix
        taken.add(name.lower())
        short.append(name)
    return short


def write_shapefile_zip(
    batches: Iterable[FeatureBatch], *, layer: ExportLayer, destination: Destination
) -> int:
    """Write the batches as a shapefile zipped into ``destination`` (a path, replaced if it
    exists, or a binary file object); return the number of features written.

    The shapefile is written by GDAL into a temporary folder (removed afterwards), streamed one
    batch at a time; the zip then reads the parts from disk. Raises :class:`ShapefileTooLarge`
    past the 2 GB limit of a part.
    """
    names = short_field_names(layer.fields)
    folder = Path(tempfile.mkdtemp(prefix="landrelease-shp-"))
    try:
        shp = folder / f"{layer.name}.shp"
        try:
            count = write_stream(
                batches,
                layer=layer,
                path=shp,
                driver=DRIVER,
                names=names,
                # ENCODING writes the .cpg and UTF-8 text; 2GB_LIMIT refuses to go past 2 GB.
                layer_options={"ENCODING": "UTF-8", "2GB_LIMIT": "YES"},
            )
        except Exception as error:
            # GDAL's words: "2GB file size limit reached for <file>." (ogrshapelayer.cpp); pyogrio
            # passes them on in whichever of its errors the failing call maps to.
            if "2GB" in str(error):
                raise ShapefileTooLarge(str(error)) from error
            raise
        with zipfile.ZipFile(destination, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for suffix in PARTS:
                part = shp.with_suffix(suffix)
                if part.exists():
                    archive.write(part, arcname=part.name)
            archive.writestr("fields.csv", _fields_csv(layer.fields, names))
            archive.writestr("export.csv", _export_csv(layer))
        return count
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _fields_csv(fields: Sequence[ExportField], names: Sequence[str]) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(["short_name", "name", "type", "label"])
    for short, f in zip(names, fields, strict=True):
        writer.writerow([short, f.name, f.type, f.label])
    # With a BOM, as the CSV export: Excel then reads the Vietnamese labels as UTF-8.
    return "\ufeff" + text.getvalue()


def _export_csv(layer: ExportLayer) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(["what", "value"])
    writer.writerows(layer.metadata.items())
    return "\ufeff" + text.getvalue()
