"""Feature batches as an Arrow stream that GDAL reads one batch at a time (pyogrio.write_arrow).

GDAL pulls each record batch from the stream, writes it and asks for the next: the batches are
made from the source's batches as GDAL asks, so the GeoPackage, Shapefile and KML writers hold
one batch at a time whatever the feature count (measured in tests/gis/exports and by
``make bench``). One dataset is opened once for the whole stream, which is what lets the KML
driver (it cannot append) stream too.
"""

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyogrio

from gis.exports.features import ExportField, ExportLayer, FeatureBatch, checked

ARROW_TYPES = {
    "text": pa.string(),
    "integer": pa.int64(),
    "real": pa.float64(),
    "date": pa.date32(),
}
GEOMETRY_COLUMN = "geometry"

Destination = str | os.PathLike | BinaryIO


def arrow_schema(fields: Sequence[ExportField], names: Sequence[str] | None = None) -> pa.Schema:
    """The fields (written under ``names`` if given: a shapefile's short ones) and the geometry,
    WKB tagged as GeoArrow so that GDAL takes it for the geometry column."""
    names = names or [f.name for f in fields]
    return pa.schema(
        [
            *(pa.field(name, ARROW_TYPES[f.type]) for name, f in zip(names, fields, strict=True)),
            pa.field(
                GEOMETRY_COLUMN, pa.binary(), metadata={"ARROW:extension:name": "geoarrow.wkb"}
            ),
        ]
    )


def record_batches(
    batches: Iterable[FeatureBatch], layer: ExportLayer, schema: pa.Schema, counter: list[int]
) -> Iterator[pa.RecordBatch]:
    """Each feature batch as an Arrow record batch of ``schema``; ``counter[0]`` counts the
    features passed on (a list, since GDAL consumes the generator out of our sight)."""
    for batch in checked(batches, layer):
        if not len(batch):
            continue
        arrays = [pa.array(batch.columns[f.name], type=ARROW_TYPES[f.type]) for f in layer.fields]
        arrays.append(pa.array(batch.geometries_wkb, type=pa.binary()))
        counter[0] += len(batch)
        yield pa.RecordBatch.from_arrays(arrays, schema=schema)


def write_stream(
    batches: Iterable[FeatureBatch],
    *,
    layer: ExportLayer,
    path: str | os.PathLike,
    driver: str,
    names: Sequence[str] | None = None,
    dataset_metadata: Mapping[str, str] | None = None,
    layer_metadata: Mapping[str, str] | None = None,
    layer_options: Mapping[str, str] | None = None,
    dataset_options: Mapping[str, str] | None = None,
) -> int:
    """Write the batches as one layer of a new dataset at ``path``; the number of features."""
    schema = arrow_schema(layer.fields, names)
    counter = [0]
    stream = pa.RecordBatchReader.from_batches(
        schema, record_batches(batches, layer, schema, counter)
    )
    pyogrio.write_arrow(
        stream,
        os.fspath(path),
        layer=layer.name,
        driver=driver,
        geometry_name=GEOMETRY_COLUMN,
        geometry_type=layer.geometry_type,
        crs=f"EPSG:{layer.epsg}",
        dataset_metadata=dataset_metadata,
        layer_metadata=layer_metadata,
        layer_options=layer_options,
        dataset_options=dataset_options,
    )
    return counter[0]


def write_table(
    path: str | os.PathLike, *, layer: str, columns: Mapping[str, Sequence[str]], driver: str
) -> None:
    """A small table without geometry (what was exported, the fields) added to a dataset."""
    schema = pa.schema([pa.field(name, pa.string()) for name in columns])
    batch = pa.RecordBatch.from_arrays(
        [pa.array(v, pa.string()) for v in columns.values()], schema=schema
    )
    pyogrio.write_arrow(
        pa.RecordBatchReader.from_batches(schema, [batch]),
        os.fspath(path),
        layer=layer,
        driver=driver,
    )


@contextmanager
def output_path(destination: Destination, *, suffix: str) -> Iterator[Path]:
    """A path for GDAL to write to: ``destination`` itself when it is a path, else a file in a
    temporary folder whose bytes are copied into the file object ``destination`` afterwards
    (GDAL writes files, not Python streams) and which is then removed."""
    if isinstance(destination, str | os.PathLike):
        yield Path(destination)
        return
    folder = tempfile.mkdtemp(prefix="landrelease-export-")
    try:
        path = Path(folder) / f"export{suffix}"
        yield path
        with path.open("rb") as written:
            shutil.copyfileobj(written, destination, 1024 * 1024)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
