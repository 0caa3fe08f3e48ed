"""Read one layer of an uploaded GIS file into WGS 84 features, or say clearly why not.

Per-file work only: which layer, which CRS, which text encoding, parse the geometries and
reproject them to EPSG:4326 in Python (the PostGIS of Debian 12 lacks the VN-2000 TM-3 zones, so
nothing projected may reach the database). Nothing is guessed silently: a file without a CRS, with
several layers, or in a format outside the supported list raises ReadError naming what to send.
"""

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from gis.messages import Number, Text
from gis.reading.attribute_text import decode_attribute_text
from gis.reading.errors import ReadError
from gis.reading.format_checks import check_gpx_coordinates, check_kml, without_ground_overlays
from gis.reading.formats import CSV_OPEN_OPTIONS, DRIVER_BY_FORMAT, format_of
from gis.reading.gdal_read import read_one_layer
from gis.reading.layer_choice import choose_layers
from gis.reading.reprojection import present_geometries, reproject_to_wgs84, source_crs
from gis.reading.staging import Dataset, stage

DEFAULT_MAX_FILE_BYTES = 200 * 1024**2


@dataclass(frozen=True, eq=False)
class LayerRead:
    """One layer of a file, in WGS 84, with how every decision about it was made.

    ``features`` has one row per feature in file order (feature number = index + 1), attribute
    columns as found (text decoded to Unicode) and a ``geometry`` column in EPSG:4326, lon/lat.
    A geometry is None where the file holds none or it could not be parsed; ``feature_notes``
    then says why, by index. Geometries are 2D: Z values are dropped in the reprojection and M
    values by pyogrio, each with a line in ``warnings``.
    """

    features: gpd.GeoDataFrame
    layer: str
    driver: str
    source_crs: str
    source_epsg: int | None
    crs_how: str
    encoding: str
    encoding_how: str
    warnings: tuple[str, ...] = ()
    feature_notes: Mapping[int, str] = field(default_factory=dict)

    @property
    def feature_count(self) -> int:
        return len(self.features)


def read_layer(
    path: str | Path,
    *,
    layer: str | None = None,
    crs: str | None = None,
    encoding: str | None = None,
    operating_area: BaseGeometry | None = None,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    max_features: int | None = None,
) -> LayerRead:
    """Read one layer of ``path`` and reproject it to EPSG:4326.

    ``layer`` picks a layer (GeoPackage, GPX, KML folder) or a shapefile set in a zip (by name,
    without extension); it is required when a file holds several. ``crs`` (e.g. ``EPSG:32648``)
    overrides or supplies the source CRS; a file without a CRS is refused, never guessed (CSV
    excepted: KoBo and ODK write WGS 84 lon/lat, and coordinates outside that range are refused).
    ``encoding`` (a Python codec name, or ``tcvn3`` / ``vni``) overrides the shapefile or CSV
    text encoding the file declares or detection finds.
    ``operating_area`` (WGS 84) only ranks the candidate CRSs offered when a file has none; the
    check that features fall inside it belongs to the caller.
    ``max_features`` refuses a layer of more features (ReadError ``too_many_features``) having
    read one more than that, not the whole file.
    Raises ReadError for every problem with the file as a whole.
    """
    path = Path(path)
    if not path.is_file():
        raise ReadError("file_missing", f"No file at {path}.")
    size_bytes = path.stat().st_size
    if size_bytes > max_file_bytes:
        raise ReadError(
            "file_too_large",
            f"The file is {size_bytes / 1024**2:.0f} MB; the limit is "
            f"{max_file_bytes / 1024**2:.0f} MB. Split it into smaller files.",
        )
    if size_bytes == 0:
        raise ReadError("empty_file", Text("empty_file"))
    source_format = format_of(path)
    with (
        tempfile.TemporaryDirectory(prefix="landrelease-read-") as workdir,
        without_ground_overlays(),
    ):
        dataset = stage(path, source_format, Path(workdir), layer=layer)
        return _read_dataset(
            dataset,
            layer=None if dataset.layer_chosen else layer,
            crs=crs,
            encoding=encoding,
            operating_area=operating_area,
            max_features=max_features,
        )


def _read_dataset(
    dataset: Dataset,
    *,
    layer: str | None,
    crs: str | None,
    encoding: str | None,
    operating_area: BaseGeometry | None,
    max_features: int | None,
) -> LayerRead:
    notes: list[str] = []
    if dataset.format == "kml":
        notes.extend(check_kml(Path(dataset.gdal_path)))
    if dataset.format == "gpx":
        check_gpx_coordinates(Path(dataset.gdal_path))
    open_options = CSV_OPEN_OPTIONS if dataset.format == "csv" else {}
    raw_text = dataset.format in ("shapefile", "csv")
    layer_names = choose_layers(dataset, layer=layer, notes=notes, open_options=open_options)
    frames = []
    feature_notes: dict[int, str] = {}
    declared_crs = None
    for gdal_layer in layer_names:
        meta, geometries, attributes, problems = read_one_layer(
            dataset,
            gdal_layer,
            raw_text=raw_text,
            open_options=open_options,
            notes=notes,
            max_features=None if max_features is None else max_features + 1,
        )
        offset = sum(len(f) for f in frames)
        feature_notes.update({offset + index: note for index, note in problems.items()})
        if len(layer_names) > 1:
            attributes.insert(0, "folder", gdal_layer)
        frames.append(gpd.GeoDataFrame(attributes, geometry=geometries))
        declared_crs = declared_crs or meta["crs"]
    features = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    features = gpd.GeoDataFrame(features, geometry="geometry")
    layer_name = ", ".join(layer_names) if layer_names != [None] else Path(dataset.shown_name).stem
    if len(features) == 0:
        raise ReadError("no_features", Text("layer_without_features", layer=repr(layer_name)))
    if max_features is not None and len(features) > max_features:
        raise ReadError(
            "too_many_features",
            Text("too_many_features", layer=repr(layer_name), limit=Number(max_features)),
        )
    if present_geometries(features).empty and not feature_notes:
        raise ReadError(
            "no_geometry",
            Text("no_feature_has_geometry", count=Number(len(features)), layer=repr(layer_name)),
        )
    # Where the features are matters more than how their names are spelt: CRS problems first.
    source = source_crs(dataset, declared_crs, crs, features, notes, operating_area)
    features = reproject_to_wgs84(features, source, notes)
    if raw_text:
        features, used_encoding, encoding_how = decode_attribute_text(features, dataset, encoding)
    else:
        used_encoding, encoding_how = "utf-8", Text("encoding_utf8_format", format=dataset.format)
        if encoding:
            notes.append(f"The encoding {encoding!r} was not used: {encoding_how}.")
    return LayerRead(
        features=features,
        layer=layer_name,
        driver=DRIVER_BY_FORMAT[dataset.format],
        source_crs=source.described,
        source_epsg=source.epsg,
        crs_how=source.how,
        encoding=used_encoding,
        encoding_how=encoding_how,
        warnings=tuple(notes),
        feature_notes=feature_notes,
    )
