"""Reading one layer of a staged dataset through GDAL (pyogrio) and parsing its geometries.

A feature whose geometry cannot be parsed gets None and a note instead of failing the file;
GDAL's own errors become ReadError(``unreadable``) with our temporary paths taken out.
"""

import re
import warnings

import numpy as np
import pandas as pd
import pyogrio.errors
import shapely
import shapely.errors
from pyogrio.raw import read as read_raw

from gis.messages import Text
from gis.reading.attribute_text import TEXT_READ_AS
from gis.reading.errors import ReadError
from gis.reading.formats import DRIVER_BY_FORMAT
from gis.reading.staging import Dataset


def read_one_layer(
    dataset: Dataset,
    gdal_layer: str | None,
    *,
    raw_text: bool,
    open_options: dict,
    notes: list[str],
):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            meta, _fids, wkb, field_data = read_raw(
                dataset.gdal_path,
                layer=gdal_layer,
                encoding=TEXT_READ_AS if raw_text else None,
                datetime_as_string=True,
                **open_options,
            )
        except UnicodeDecodeError as error:
            raise ReadError(
                "encoding_error",
                Text(
                    "not_utf8",
                    name=dataset.shown_name,
                    format=dataset.format,
                    detail=f"{error.reason} at byte {error.start}",
                ),
            ) from error
        except (
            pyogrio.errors.DataSourceError,
            pyogrio.errors.DataLayerError,
            pyogrio.errors.FieldError,
            pyogrio.errors.GeometryError,
            pyogrio.errors.CRSError,
        ) as error:
            raise unreadable(dataset, error) from error
    for caught_warning in caught:
        message = str(caught_warning.message)
        # GDAL's complaint about a GeoPackage header field says nothing about the data.
        if "application_id" not in message and message not in notes:
            notes.append(message)
    if meta.get("geometry_type") is None or wkb is None:
        raise ReadError(
            "no_geometry",
            Text("table_without_geometry", name=dataset.shown_name),
        )
    geometries, problems = _parse_geometries(wkb)
    attributes = pd.DataFrame(
        {name: values for name, values in zip(meta["fields"], field_data, strict=True)}
    )
    return meta, geometries, attributes, problems


def _parse_geometries(wkb: np.ndarray) -> tuple[list, dict[int, str]]:
    """Parse WKB per feature; a feature that cannot be parsed gets None and a reason, so the
    report names it instead of the whole file failing on one bad ring."""
    try:
        return list(shapely.from_wkb(wkb)), {}
    except (shapely.errors.GEOSException, shapely.errors.ShapelyError):
        pass
    geometries: list = []
    problems: dict[int, str] = {}
    for index, value in enumerate(wkb):
        if value is None:
            geometries.append(None)
            continue
        try:
            geometries.append(shapely.from_wkb(value))
        except (shapely.errors.GEOSException, shapely.errors.ShapelyError) as error:
            geometries.append(None)
            problems[index] = Text("geometry_unreadable", detail=_geos_reason(error))
    return geometries, problems


def _geos_reason(error: Exception) -> str:
    text = str(error)
    if "Unknown WKB type" in text:
        return "unsupported geometry type (e.g. TIN, MultiPatch or a triangle)"
    if "closed" in text:
        return "a polygon ring is not closed"
    return text.split(": ", 1)[-1]


def unreadable(dataset: Dataset, error: Exception) -> ReadError:
    detail = str(error).replace(dataset.gdal_path, dataset.shown_name)
    detail = re.sub(r"/\S*landrelease-read-\S*?/", "", detail)
    return ReadError(
        "unreadable",
        Text(
            "unreadable",
            name=dataset.shown_name,
            format=DRIVER_BY_FORMAT[dataset.format],
            detail=detail.strip()[:300],
        ),
    )
