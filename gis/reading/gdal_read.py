"""Reading one layer of a staged dataset through GDAL (pyogrio) and parsing its geometries.

A feature whose geometry cannot be parsed, or has a coordinate that is not a number (GDAL reads
``NaN`` and ``Infinity`` in a GeoJSON, and a shapefile holds them as any double), gets None and a
note instead of failing the file; GDAL's own errors become ReadError(``unreadable``) with our
temporary paths taken out.
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
    max_features: int | None = None,
):
    """Read ``gdal_layer`` of ``dataset``: (meta, geometries, attributes, problems by index).
    ``max_features`` stops the read after that many features (None: all)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            meta, _fids, wkb, field_data = read_raw(
                dataset.gdal_path,
                layer=gdal_layer,
                encoding=TEXT_READ_AS if raw_text else None,
                datetime_as_string=True,
                max_features=max_features,
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
    """Parse WKB per feature; a feature that cannot be parsed, or whose coordinates are not all
    numbers, gets None and a reason, so the report names it instead of the whole file failing
    on one bad ring."""
    # GEOS computes with a NaN as numpy does and warns; the feature is refused below instead.
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning)
        geometries, problems = _parsed(wkb)
    _refuse_non_finite(geometries, problems)
    return geometries, problems


def _parsed(wkb: np.ndarray) -> tuple[list, dict[int, str]]:
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


def _refuse_non_finite(geometries: list, problems: dict[int, str]) -> None:
    """None, and a note naming the first such vertex and axis, for each geometry with an x or y
    that is NaN or infinite: no coordinate system can place it (Z is dropped later anyway)."""
    array = np.empty(len(geometries), dtype=object)
    array[:] = geometries
    coordinates, owner = shapely.get_coordinates(array, return_index=True)
    not_finite = ~np.isfinite(coordinates)
    bad_vertices = np.flatnonzero(not_finite.any(axis=1))
    # Vertices come feature by feature; the first bad one of each feature is reported.
    owners, first = np.unique(owner[bad_vertices], return_index=True)
    for index, vertex in zip(owners.tolist(), bad_vertices[first].tolist(), strict=True):
        axis = 0 if not_finite[vertex, 0] else 1
        value = coordinates[vertex, axis]
        geometries[index] = None
        problems[index] = Text(
            "x_not_a_number" if axis == 0 else "y_not_a_number",
            vertex=vertex - int(np.searchsorted(owner, index)) + 1,
            value="NaN" if np.isnan(value) else ("Infinity" if value > 0 else "-Infinity"),
        )


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
