"""A layer's features for an export: one SELECT, read in batches from a server-side cursor.

The rows are those of the GeoJSON list with the same filters: the same layer description
(app.api.selectors.layers), the same conditions (``feature_conditions``) and the active reading
scope (approved records, or pending work with include=submitted, app.registry.scopes). PostGIS
transforms each geometry into the export's system and writes it as WKB; the centroid is taken
in WGS 84 degrees whatever the system. A named cursor sends ``BATCH_SIZE`` rows at a time, so a
million features never sit in the server's memory at once.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext

from app.accounting.sql import hectares
from app.api.selectors.features import (
    FeatureFilters,
    JoinedProperties,
    added_relations,
    feature_conditions,
)
from app.api.selectors.layers import Layer
from app.exports.fields import field_label
from app.registry.scopes import reads_connection, scoped_reads
from gis.exports.features import ExportField, FeatureBatch, GeometryType

# Rows per FETCH from the named cursor, and so per batch handed to a writer: ~5,000 polygons are
# a few megabytes, and a round trip per 5,000 rows costs nothing beside writing them.
BATCH_SIZE = 5_000

# Decimals of the centroid's degrees: 1e-7 degree is about 1 cm on the ground.
CENTROID_DECIMALS = 7

# The export's field type of a column, by PostgreSQL type OID (pg_type): int2, int4, int8;
# float4, float8, numeric; date. Any other type is written as text.
INTEGER_OIDS = frozenset({20, 21, 23})
REAL_OIDS = frozenset({700, 701, 1700})
DATE_OIDS = frozenset({1082})

# Every attribute column, then what the writers take apart from the fields.
EXPORT_SQL = """
{source}SELECT
    f.id AS id,
    {properties},
    ST_AsBinary(ST_Transform(f.{geometry}, %(export_srid)s)) AS geometry_wkb,
    round(ST_X(ST_Centroid(f.{geometry}))::numeric, {decimals})::float8 AS centroid_lon,
    round(ST_Y(ST_Centroid(f.{geometry}))::numeric, {decimals})::float8 AS centroid_lat
FROM {table} f {joins}
WHERE {where}
ORDER BY f.id
"""
TRAILING_COLUMNS = 3

GEOMETRY_TYPES: dict[str, GeometryType] = {
    "POINT": "Point",
    "MULTIPOINT": "MultiPoint",
    "POLYGON": "Polygon",
    "MULTIPOLYGON": "MultiPolygon",
}


class NotExportable(ValueError):
    """A filter the exports do not take (the GeoJSON list's ``status`` and ``deleted``): a 400
    naming it (app.api.errors)."""

    def __init__(self, parameter: str):
        self.parameter = parameter
        self.message = gettext(
            "the exports hold the records of the list (approved ones, or with include=submitted "
            "the work under review); %(parameter)s is for the GeoJSON list only"
        ) % {"parameter": parameter}
        super().__init__(self.message)


@dataclass(frozen=True)
class FeatureSource:
    """What an export reads: its fields (``id`` first), its geometry type and its batches. The
    batches come from an open cursor: consume them inside the ``feature_source`` block."""

    fields: tuple[ExportField, ...]
    geometry_type: GeometryType
    batches: Iterator[FeatureBatch]


@contextmanager
def feature_source(
    layer: Layer,
    *,
    filters: FeatureFilters,
    srid: int,
    batch_size: int | None = None,
    source: tuple[str, dict] | None = None,
    joined: JoinedProperties | None = None,
) -> Iterator[FeatureSource]:
    """The features of ``layer`` that its list shows with ``filters``, in the active reading
    scope (approved records when none is active), geometries in ``srid``, ordered by id.

    ``batch_size``: rows per batch, ``BATCH_SIZE`` unless given (read when called, so that the
    bench can vary it). ``source`` and ``joined`` as for ``feature_page``: a SELECT the layer's
    ``table`` names (the derived land of an OGC collection), more properties from a joined
    relation (the units' release figures). A polygon layer whose properties lack ``area_ha``
    gets it (geodesic hectares). Raises NotExportable for the ``status`` and ``deleted``
    filters, ValueError for a filter the layer does not take, and what ``feature_conditions``
    raises for an unknown organisation or unit.
    """
    if filters.deleted:
        raise NotExportable("deleted")
    if filters.status is not None:
        raise NotExportable("status")
    unsupported = filters.used() - layer.filters
    if unsupported:
        raise ValueError(f"{layer.name} cannot be filtered by {', '.join(sorted(unsupported))}")
    with scoped_reads():
        connection = reads_connection()
        geometry_type = _geometry_type(connection, layer)
        properties = list(layer.properties)
        if geometry_type in ("Polygon", "MultiPolygon") and "area_ha" not in dict(properties):
            area = hectares(f"f.{layer.geometry_column}")
            properties.append(("area_ha", f"round(({area})::numeric, 2)"))
        conditions, params = feature_conditions(layer, filters)
        added = added_relations(layer, source=source, joined=joined)
        properties += added.properties
        params |= added.params
        sql = EXPORT_SQL.format(
            source=f"WITH {added.source_cte}\n" if added.source_cte else "",
            properties=",\n    ".join(f'{expression} AS "{key}"' for key, expression in properties),
            geometry=layer.geometry_column,
            decimals=CENTROID_DECIMALS,
            table=layer.table,
            joins=added.joins,
            where=" AND ".join(conditions) or "true",
        )
        # chunked_cursor: Django's named (server-side) cursor, inside reading()'s transaction.
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, {**params, "export_srid": srid})
            fields = tuple(
                ExportField(
                    name=column.name,
                    type=_field_type(column.type_code),
                    label=field_label(column.name),
                )
                for column in cursor.description[:-TRAILING_COLUMNS]
            )
            yield FeatureSource(
                fields=fields,
                geometry_type=geometry_type,
                batches=_batches(cursor, fields, batch_size or BATCH_SIZE),
            )


def _batches(cursor, fields: tuple[ExportField, ...], batch_size: int) -> Iterator[FeatureBatch]:
    converters = [_CONVERTERS[f.type] for f in fields]
    while rows := cursor.fetchmany(batch_size):
        columns = list(zip(*rows, strict=True))
        values = columns[: len(fields)]
        geometries, lons, lats = columns[len(fields) :]
        yield FeatureBatch(
            geometries_wkb=[bytes(g) if g is not None else None for g in geometries],
            columns={
                f.name: [None if v is None else convert(v) for v in column]
                for f, convert, column in zip(fields, converters, values, strict=True)
            },
            centroid_lon=lons,
            centroid_lat=lats,
        )


def _geometry_type(connection, layer: Layer) -> GeometryType:
    """The type the table's geometry column declares (PostGIS' geometry_columns)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type FROM public.geometry_columns"
            " WHERE f_table_schema = 'public' AND f_table_name = %s AND f_geometry_column = %s",
            [layer.table, layer.geometry_column],
        )
        row = cursor.fetchone()
    return GEOMETRY_TYPES.get(row[0], "Unknown") if row else "Unknown"


def _field_type(type_oid: int) -> str:
    if type_oid in INTEGER_OIDS:
        return "integer"
    if type_oid in REAL_OIDS:
        return "real"
    if type_oid in DATE_OIDS:
        return "date"
    return "text"


def _text(value) -> str:
    return value.isoformat() if isinstance(value, dt.datetime) else str(value)


def _real(value: float | Decimal) -> float:
    return float(value)


_CONVERTERS = {"integer": int, "real": _real, "date": lambda value: value, "text": _text}
