"""What every export writer is handed: the layer's description and its features in batches.

A writer never sees the whole result: it takes an iterable of :class:`FeatureBatch` (the app's
feature source fetches ~5,000 rows at a time from a server-side cursor) and writes each before
asking for the next, so the memory an export needs does not grow with its feature count.
"""

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pyproj

FieldType = Literal["text", "integer", "real", "date"]
FIELD_TYPES: tuple[FieldType, ...] = ("text", "integer", "real", "date")

# The geometry types a layer may hold (the registry's: outlines are multipolygons, spot tasks
# and villages points).
# "Unknown": a layer of mixed or unstated type (GDAL then takes each feature's own; a shapefile,
# which holds one type, the first feature's).
GeometryType = Literal["Point", "MultiPoint", "Polygon", "MultiPolygon", "Unknown"]

# KML is WGS 84 longitude/latitude by definition (OGC 07-147r2, section 6.2): its writer takes
# no other system.
WGS84_EPSG = 4326


@dataclass(frozen=True)
class ExportField:
    """One attribute column: ``name`` as the data carries it (``completed_on``), its ``type``
    and its full ``label`` for a reader ("Completion date")."""

    name: str
    type: FieldType
    label: str

    def __post_init__(self):
        if self.type not in FIELD_TYPES:
            raise ValueError(f"field {self.name!r}: type {self.type!r} is not one of {FIELD_TYPES}")


@dataclass(frozen=True)
class ExportLayer:
    """What is exported, besides the features themselves.

    ``name`` names the GeoPackage table, the shapefile and the sheet (``releases``).
    ``epsg`` is the system the geometries are in (the source transformed them already).
    ``metadata`` says what was exported (collection, filters, scope, as of, who, when), as
    label/value pairs in the order a reader should see them. ``title_field`` names the field
    that names a feature (a record's reference): KML shows it as the placemark's name.
    """

    name: str
    fields: tuple[ExportField, ...]
    geometry_type: GeometryType
    epsg: int
    metadata: Mapping[str, str] = field(default_factory=dict)
    title_field: str | None = None

    def __post_init__(self):
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ValueError(f"field names repeat: {names}")
        for reserved in ("geometry", "wkt", "centroid_lon", "centroid_lat"):
            if reserved in names:
                raise ValueError(f"{reserved!r} is written by the exports themselves")
        if self.title_field is not None and self.title_field not in names:
            raise ValueError(f"title_field {self.title_field!r} is not a field")

    def metadata_line(self) -> str:
        """The metadata on one line ("collection: releases; scope: approved; ..."), for the
        formats that have one description field."""
        return "; ".join(f"{what}: {value}" for what, value in self.metadata.items())

    @property
    def crs(self) -> pyproj.CRS:
        return pyproj.CRS.from_epsg(self.epsg)

    @property
    def is_geographic(self) -> bool:
        return self.crs.is_geographic

    @property
    def is_polygonal(self) -> bool:
        return self.geometry_type in ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class FeatureBatch:
    """Some features, column by column.

    ``geometries_wkb``: each feature's geometry as WKB, already in the layer's ``epsg`` (None
    for a feature without one). ``columns``: one sequence per field of the layer, by field name,
    each as long as ``geometries_wkb``; values are str, int, float, datetime.date or None.
    ``centroid_lon`` / ``centroid_lat``: each geometry's centroid in WGS 84 degrees, whatever
    the layer's ``epsg`` (what a spreadsheet user pastes into a web map).
    """

    geometries_wkb: Sequence[bytes | None]
    columns: Mapping[str, Sequence[str | int | float | dt.date | None]]
    centroid_lon: Sequence[float | None]
    centroid_lat: Sequence[float | None]

    def __post_init__(self):
        count = len(self.geometries_wkb)
        lengths = {len(values) for values in self.columns.values()}
        lengths |= {len(self.centroid_lon), len(self.centroid_lat)}
        if lengths - {count}:
            raise ValueError("every column of a batch must be as long as its geometries")

    def __len__(self) -> int:
        return len(self.geometries_wkb)

    def rows(self, fields: Sequence[ExportField]) -> Iterator[list]:
        """The batch row by row, the values in the order of ``fields``."""
        columns = [self.columns[f.name] for f in fields]
        for i in range(len(self)):
            yield [column[i] for column in columns]


def check_columns(batch: FeatureBatch, layer: ExportLayer) -> None:
    """A batch must carry exactly the layer's fields: a missing or extra column is a bug in the
    source, caught before anything half-written reaches a reader."""
    expected = {f.name for f in layer.fields}
    if set(batch.columns) != expected:
        raise ValueError(
            f"batch columns {sorted(batch.columns)} are not the layer's fields {sorted(expected)}"
        )


def checked(batches: Iterable[FeatureBatch], layer: ExportLayer) -> Iterator[FeatureBatch]:
    for batch in batches:
        check_columns(batch, layer)
        yield batch


def coordinate_decimals(layer: ExportLayer) -> int:
    """Decimals of a coordinate written as text: 7 in degrees (about 1 cm), 3 in metres (1 mm)."""
    return 7 if layer.is_geographic else 3
