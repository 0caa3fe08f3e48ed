"""The accepted features of a checked layer copied into ``uploads_stagedfeature``."""

import datetime as dt
import json

import numpy as np
import shapely
from django.db import connection

from app.registry.services.imports import IDENTIFIER, LayerChecked
from app.uploads.models import Upload
from gis.attributes import LayerKind


def copy_to_staging(upload: Upload, kind: LayerKind, checked: LayerChecked) -> None:
    """One COPY of every accepted feature: attributes as JSON, geometry as hex EWKB.

    COPY instead of ``bulk_create``: building 100,000 model instances and GEOS geometries took
    most of an import's time on this class of machine (see the benchmark).
    """
    if not checked.accepted:
        return
    geometries = np.empty(len(checked.accepted), dtype=object)
    geometries[:] = [check.geometry for check, _row in checked.accepted]
    ewkb = shapely.to_wkb(shapely.set_srid(geometries, 4326), hex=True, include_srid=True)
    identifier = IDENTIFIER[kind]
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            "COPY uploads_stagedfeature (upload_id, number, reference, attributes, geometry) "
            "FROM STDIN"
        ) as copy,
    ):
        for (check, row), geometry in zip(checked.accepted, ewkb, strict=True):
            reference = row.values.get(identifier) or ""
            attributes = json.dumps(row.values, default=_json_value, ensure_ascii=False)
            copy.write_row((upload.pk, check.number, reference, attributes, geometry))


def _json_value(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
