"""Read one layer of an uploaded GIS file into WGS 84 features, or say clearly why not.

Per-file work only: which layer, which CRS, which text encoding, parse the geometries and
reproject them to EPSG:4326 in Python (the PostGIS of Debian 12 lacks the VN-2000 TM-3 zones, so
nothing projected may reach the database). Nothing is guessed silently: a file without a CRS, with
several layers, or in a format outside the supported list raises ReadError naming what to send.
"""

import re
import tempfile
import warnings
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors
import pyproj
import shapely
import shapely.errors
from pyogrio.raw import read as read_raw
from shapely.geometry.base import BaseGeometry

from gis.crs import CRSError, candidate_crs, check_coordinates_plausible, identify_crs, to_wgs84
from gis.encodings import (
    CP1258,
    TCVN3,
    VNI,
    DeclaredEncoding,
    declared_shapefile_encoding,
    decode_text,
    detect_encoding,
    normalise_encoding_name,
)
from gis.reading.archives import extract_archive
from gis.reading.errors import ReadError, unsupported_format

DEFAULT_MAX_FILE_BYTES = 200 * 1024**2
WGS84 = pyproj.CRS.from_epsg(4326)

SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".cst")
# Files that may travel inside a zip instead of a shapefile set.
ZIPPED_SINGLE_FORMATS = (".gpkg", ".geojson", ".json", ".kml", ".gpx", ".csv")
FORMATS_BY_SUFFIX = {
    ".zip": "zip",
    ".gpkg": "gpkg",
    ".geojson": "geojson",
    ".json": "geojson",
    ".kml": "kml",
    ".kmz": "kmz",
    ".gpx": "gpx",
    ".csv": "csv",
}
# The name a file is staged under, whatever it was called ("!" or "ū" confuse GDAL paths).
FORMAT_SUFFIX = {
    "gpkg": ".gpkg",
    "geojson": ".geojson",
    "kml": ".kml",
    "gpx": ".gpx",
    "csv": ".csv",
}
DRIVER_BY_FORMAT = {
    "shapefile": "ESRI Shapefile",
    "gpkg": "GPKG",
    "geojson": "GeoJSON",
    "kml": "KML",
    "gpx": "GPX",
    "csv": "CSV",
}
RECOGNISED_UNSUPPORTED = {
    ".gdb": "an Esri File Geodatabase (.gdb); export it as a GeoPackage or zipped shapefile",
    ".tab": "a MapInfo TAB file; export it as a GeoPackage or zipped shapefile",
    ".mif": "a MapInfo MIF file; export it as a GeoPackage or zipped shapefile",
    ".shp": "a lone .shp file; zip the whole shapefile set (.shp, .shx, .dbf, .prj), send the zip",
    ".dbf": "a lone .dbf table; zip the whole shapefile set (.shp, .shx, .dbf, .prj) and send it",
    ".tif": "a raster image; only vector features can be imported",
    ".tiff": "a raster image; only vector features can be imported",
    ".jpg": "an image; only vector features can be imported",
    ".png": "an image; only vector features can be imported",
}
# GPX exposes every route and track a second time as its vertices; those are not features.
GPX_DERIVED_LAYERS = ("route_points", "track_points")
# KoBo, ODK and spreadsheet exports name coordinate columns in these ways.
CSV_OPEN_OPTIONS = {
    "X_POSSIBLE_NAMES": "lon,long,longitude,lng,x,_gps_longitude,*_longitude",
    "Y_POSSIBLE_NAMES": "lat,latitude,y,_gps_latitude,*_latitude",
    "GEOM_POSSIBLE_NAMES": "wkt,geometry,geom,the_geom,wkt_geom,shape",
    "KEEP_GEOM_COLUMNS": "NO",
}
# A CRS whose area of use misses the data by more than this many degrees labels the data wrongly.
AREA_OF_USE_MARGIN_DEG = 10.0
TEXT_READ_AS = "ISO-8859-1"  # one byte per character: the DBF bytes come back unchanged


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


@dataclass(frozen=True)
class _Dataset:
    """A file staged under a safe ASCII name in our own temporary directory."""

    gdal_path: str
    format: str
    shown_name: str
    declared_encoding: str | None = None
    declared_encoding_how: str = ""
    declared_by_language_byte: bool = False
    # The ``layer`` asked for named this file inside a zip; it picks no layer within it.
    layer_chosen: bool = False
    prj_text: str | None = None


def read_layer(
    path: str | Path,
    *,
    layer: str | None = None,
    crs: str | None = None,
    encoding: str | None = None,
    operating_area: BaseGeometry | None = None,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
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
        raise ReadError("empty_file", "The file is empty (0 bytes).")
    source_format = _format_of(path)
    with (
        tempfile.TemporaryDirectory(prefix="landrelease-read-") as workdir,
        _without_ground_overlays(),
    ):
        dataset = _stage(path, source_format, Path(workdir), layer=layer)
        return _read_dataset(
            dataset,
            layer=None if dataset.layer_chosen else layer,
            crs=crs,
            encoding=encoding,
            operating_area=operating_area,
        )


@contextmanager
def _without_ground_overlays():
    """GDAL's LIBKML driver turns a GroundOverlay (a scanned map's footprint) into a polygon
    feature; an image is not survey data, so it is switched off while a file is read."""
    option = "LIBKML_READ_GROUND_OVERLAY"
    before = pyogrio.get_gdal_config_option(option)
    pyogrio.set_gdal_config_options({option: "NO"})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({option: before})


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in FORMATS_BY_SUFFIX:
        return FORMATS_BY_SUFFIX[suffix]
    if suffix in RECOGNISED_UNSUPPORTED:
        raise unsupported_format(RECOGNISED_UNSUPPORTED[suffix])
    raise unsupported_format(f"files ending in {suffix or '(no extension)'!r}")


def _stage(path: Path, source_format: str, workdir: Path, *, layer: str | None) -> _Dataset:
    """Put the file where GDAL reads it safely: an ASCII name ('!' is an archive separator to
    GDAL), archives unpacked by our checked extractor into ``workdir`` only."""
    if source_format == "zip":
        return _stage_zip(path, workdir, layer=layer)
    if source_format == "kmz":
        return _stage_kmz(path, workdir)
    staged = workdir / f"upload{FORMAT_SUFFIX[source_format]}"
    staged.symlink_to(path.resolve())
    return _Dataset(gdal_path=str(staged), format=source_format, shown_name=path.name)


def _stage_kmz(path: Path, workdir: Path) -> _Dataset:
    members = extract_archive(path, workdir / "kmz")
    kml_files = [m for m in members if m.path.suffix.lower() == ".kml"]
    if not kml_files:
        raise ReadError("no_gis_file", "The KMZ holds no KML document (doc.kml).")
    # Google Earth reads the first .kml at the root (normally doc.kml); so do we.
    kml_files.sort(key=lambda m: (m.archive_name.count("/"), m.archive_name.lower() != "doc.kml"))
    return _Dataset(gdal_path=str(kml_files[0].path), format="kml", shown_name=path.name)


def _stage_zip(path: Path, workdir: Path, *, layer: str | None) -> _Dataset:
    members = extract_archive(path, workdir / "unzipped")
    names = [m.archive_name.replace("\\", "/") for m in members]
    for name in names:
        for part in name.lower().split("/"):
            for suffix in (".gdb", ".tab", ".mif"):
                if part.endswith(suffix):
                    raise unsupported_format(RECOGNISED_UNSUPPORTED[suffix])
    shapefile_sets = _shapefile_sets(members)
    with_geometry = {name: parts for name, parts in shapefile_sets.items() if ".shp" in parts}
    # Beside a shapefile, a CSV or JSON is usually a table or metadata, not a second layer.
    competing = ZIPPED_SINGLE_FORMATS if not with_geometry else (".gpkg", ".geojson", ".kml")
    others = {
        m.archive_name.replace("\\", "/"): m for m in members if m.path.suffix.lower() in competing
    }
    if not with_geometry and not others:
        if shapefile_sets:
            found = ", ".join(sorted(names))
            raise ReadError(
                "shapefile_incomplete",
                f"The zip holds parts of a shapefile but no .shp (geometry) file: {found}. "
                "Zip the whole set (.shp, .shx, .dbf, .prj) and send it again.",
            )
        listed = ", ".join(sorted(names)) or "nothing"
        raise ReadError(
            "no_gis_file",
            f"The zip holds no shapefile (.shp) or other GIS file (it holds: {listed}).",
        )
    chosen = _choose_zip_member([*with_geometry, *others], layer=layer)
    if chosen in others:
        single = others[chosen]
        return _Dataset(
            gdal_path=str(single.path),
            format=FORMATS_BY_SUFFIX[single.path.suffix.lower()],
            shown_name=f"{path.name}/{single.archive_name}",
            layer_chosen=layer is not None,
        )
    parts = with_geometry[chosen]
    missing = [suffix for suffix in (".shx", ".dbf") if suffix not in parts]
    if missing:
        raise ReadError(
            "shapefile_incomplete",
            f"The shapefile {chosen!r} is missing its {' and '.join(missing)} file. A shapefile "
            "is a set: zip .shp, .shx, .dbf and .prj (and .cpg if there is one) together.",
        )
    set_dir = workdir / "shapefile"
    set_dir.mkdir()
    for suffix, member_path in parts.items():
        member_path.rename(set_dir / f"layer{suffix}")
    declared = _declared_shapefile_encoding(set_dir)
    return _Dataset(
        gdal_path=str(set_dir / "layer.shp"),
        format="shapefile",
        shown_name=chosen,
        declared_encoding=declared.name,
        declared_encoding_how=declared.how,
        declared_by_language_byte=declared.how.startswith("declared by the DBF language"),
        prj_text=_prj_text(set_dir) if ".prj" in parts else None,
    )


def _shapefile_sets(members) -> dict[str, dict[str, Path]]:
    """Group the zip's shapefile parts by folder and name, whatever the letter case."""
    sets: dict[str, dict[str, Path]] = {}
    display: dict[str, str] = {}
    for member in members:
        suffix = member.path.suffix.lower()
        if suffix not in SHAPEFILE_PARTS:
            continue
        archive_name = member.archive_name.replace("\\", "/")
        stem = archive_name[: -len(suffix)]
        key = stem.lower()
        display.setdefault(key, stem)
        sets.setdefault(key, {})[suffix] = member.path
    return {display[key]: parts for key, parts in sets.items()}


def _choose_zip_member(names: list[str], *, layer: str | None) -> str:
    """The shapefile set (by name, without extension) or GIS file in a zip to read; the user
    says which when there are several."""
    if layer is not None:
        wanted = layer.lower().removesuffix(".shp")
        for name in names:
            base = name.rsplit("/", 1)[-1].lower()
            if wanted in (name.lower(), base, base.rsplit(".", 1)[0]):
                return name
        raise ReadError(
            "unknown_layer",
            f"The zip holds nothing named {layer!r}; it holds: {', '.join(sorted(names))}.",
            choices=tuple(sorted(names)),
        )
    if len(names) > 1:
        raise ReadError(
            "several_layers",
            f"The zip holds {len(names)} layers: {', '.join(sorted(names))}. Say which one to "
            "import (layer), or send one per zip.",
            choices=tuple(sorted(names)),
        )
    return names[0]


def _prj_text(set_dir: Path) -> str:
    # .prj files are ASCII by definition; a stray byte must not stop the CRS from being read.
    return (set_dir / "layer.prj").read_bytes()[:100_000].decode("utf-8", errors="replace")


def _declared_shapefile_encoding(set_dir: Path) -> DeclaredEncoding:
    """What the .cpg, the .cst and the DBF language byte say, in that order (gis.encodings)."""
    sidecars = {}
    for suffix in (".cpg", ".cst"):
        sidecar = set_dir / f"layer{suffix}"
        sidecars[suffix] = (
            sidecar.read_bytes()[:200].decode("latin-1") if sidecar.exists() else None
        )
    with (set_dir / "layer.dbf").open("rb") as dbf:
        header = dbf.read(32)
    language_byte = header[29] if len(header) == 32 else None
    return declared_shapefile_encoding(sidecars[".cpg"], sidecars[".cst"], language_byte)


def _read_dataset(
    dataset: _Dataset,
    *,
    layer: str | None,
    crs: str | None,
    encoding: str | None,
    operating_area: BaseGeometry | None,
) -> LayerRead:
    notes: list[str] = []
    if dataset.format == "kml":
        notes.extend(_check_kml(Path(dataset.gdal_path)))
    if dataset.format == "gpx":
        _check_gpx_coordinates(Path(dataset.gdal_path))
    open_options = CSV_OPEN_OPTIONS if dataset.format == "csv" else {}
    raw_text = dataset.format in ("shapefile", "csv")
    layer_names = _choose_layers(dataset, layer=layer, notes=notes, open_options=open_options)
    frames = []
    feature_notes: dict[int, str] = {}
    declared_crs = None
    for gdal_layer in layer_names:
        meta, geometries, attributes, problems = _read_one_layer(
            dataset, gdal_layer, raw_text=raw_text, open_options=open_options, notes=notes
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
        raise ReadError("no_features", f"The layer {layer_name!r} holds no features.")
    if _present(features).empty and not feature_notes:
        raise ReadError(
            "no_geometry",
            f"None of the {len(features)} features of {layer_name!r} has a geometry: "
            "nothing can be placed on the map.",
        )
    # Where the features are matters more than how their names are spelt: CRS problems first.
    source = _source_crs(dataset, declared_crs, crs, features, notes, operating_area)
    features = _to_wgs84(features, source, notes)
    if raw_text:
        features, used_encoding, encoding_how = _decode_text(features, dataset, encoding)
    else:
        used_encoding, encoding_how = "utf-8", f"{dataset.format} text is UTF-8 by definition"
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


def _check_kml(path: Path) -> list[str]:
    """Refuse KML that holds only links or images; remote links are never fetched."""
    text = path.read_bytes()
    placemarks = text.count(b"<Placemark")
    links = text.count(b"<NetworkLink")
    overlays = sum(text.count(tag) for tag in (b"<GroundOverlay", b"<PhotoOverlay"))
    if placemarks == 0 and links:
        raise ReadError(
            "remote_link",
            "The KML only links to another file on the internet (NetworkLink); links are never "
            "fetched. Open it in Google Earth, save the features themselves and send that file.",
        )
    if placemarks == 0 and overlays:
        raise ReadError(
            "image_overlay",
            "The KML holds only an image overlay (GroundOverlay), not drawn features; an image "
            "footprint is not survey data.",
        )
    notes = []
    if links:
        notes.append(f"{links} network link(s) to remote files were not fetched.")
    if overlays:
        notes.append(f"{overlays} image overlay(s) were ignored.")
    return notes


GPX_COORDINATE = re.compile(rb"""\b(lat|lon)\s*=\s*["']([^"']*)["']""")


def _check_gpx_coordinates(path: Path) -> None:
    """GDAL reads a GPX lat or lon that is not a number (``lat="undefined"``, written by some
    phone apps after a lost fix) as 0, placing the point at 0°N 0°E without a word."""
    bad = [
        value.decode("utf-8", errors="replace")
        for _name, value in GPX_COORDINATE.findall(path.read_bytes())
        if not re.fullmatch(rb"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*", value)
    ]
    if bad:
        examples = ", ".join(repr(value) for value in dict.fromkeys(bad[:20]))
        raise ReadError(
            "coordinates_invalid",
            f"{len(bad)} latitude/longitude value(s) in the GPX file are not numbers "
            f"({examples}); GPS points without a position cannot be placed. Export the track "
            "again once the device has a fix.",
        )


def _choose_layers(
    dataset: _Dataset, *, layer: str | None, notes: list[str], open_options: dict
) -> list[str | None]:
    """The layer(s) to read: the one asked for, the only one with features, or all KML folders
    (a KML folder is how Google Earth groups placemarks, not a separate dataset)."""
    if dataset.format in ("shapefile", "csv", "geojson"):
        return [None]
    try:
        with warnings.catch_warnings():
            # The same warnings come again, and are kept, when the layer itself is read.
            warnings.simplefilter("ignore")
            listed = pyogrio.list_layers(dataset.gdal_path)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as error:
        raise _unreadable(dataset, error) from error
    names = [str(name) for name, _geometry_type in listed]
    if layer is not None:
        if layer in names:
            return [layer]
        lowered = {name.lower(): name for name in names}
        if layer.lower() in lowered:
            return [lowered[layer.lower()]]
        raise ReadError(
            "unknown_layer",
            f"{dataset.shown_name} has no layer {layer!r}; its layers are: {', '.join(names)}.",
            choices=tuple(names),
        )
    if dataset.format == "gpx":
        names = [name for name in names if name not in GPX_DERIVED_LAYERS]
    counts = {name: _feature_count(dataset, name, open_options) for name in names}
    with_features = [name for name in names if counts[name] != 0]
    if dataset.format == "kml" and len(with_features) > 1:
        notes.append(f"Read {len(with_features)} KML folders together: {', '.join(with_features)}.")
        return with_features
    if len(with_features) == 1:
        if len(names) > 1:
            notes.append(f"Read layer {with_features[0]!r}, the only one with features.")
        return with_features
    if not with_features:
        if len(names) == 1:
            return names
        raise ReadError("no_features", f"None of the layers of {dataset.shown_name} has features.")
    described = ", ".join(f"{name} ({counts[name]} features)" for name in with_features)
    raise ReadError(
        "several_layers",
        f"{dataset.shown_name} holds {len(with_features)} layers: {described}. Say which one to "
        "import (layer).",
        choices=tuple(with_features),
    )


def _feature_count(dataset: _Dataset, layer: str, open_options: dict) -> int:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            info = pyogrio.read_info(
                dataset.gdal_path, layer=layer, force_feature_count=True, **open_options
            )
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as error:
        raise _unreadable(dataset, error) from error
    return int(info["features"])


def _read_one_layer(
    dataset: _Dataset,
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
                f"The text in {dataset.shown_name} is not UTF-8, which {dataset.format} files "
                f"must use ({error.reason} at byte {error.start}). Save it again as UTF-8.",
            ) from error
        except (
            pyogrio.errors.DataSourceError,
            pyogrio.errors.DataLayerError,
            pyogrio.errors.FieldError,
            pyogrio.errors.GeometryError,
            pyogrio.errors.CRSError,
        ) as error:
            raise _unreadable(dataset, error) from error
    for caught_warning in caught:
        message = str(caught_warning.message)
        # GDAL's complaint about a GeoPackage header field says nothing about the data.
        if "application_id" not in message and message not in notes:
            notes.append(message)
    if meta.get("geometry_type") is None or wkb is None:
        raise ReadError(
            "no_geometry",
            f"{dataset.shown_name} is a table without geometry (no coordinates): nothing can be "
            "placed on the map. For a CSV, name the columns lon and lat, or wkt.",
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
            problems[index] = f"geometry could not be read ({_geos_reason(error)})"
    return geometries, problems


def _geos_reason(error: Exception) -> str:
    text = str(error)
    if "Unknown WKB type" in text:
        return "unsupported geometry type (e.g. TIN, MultiPatch or a triangle)"
    if "closed" in text:
        return "a polygon ring is not closed"
    return text.split(": ", 1)[-1]


def _decode_text(
    features: gpd.GeoDataFrame, dataset: _Dataset, encoding: str | None
) -> tuple[gpd.GeoDataFrame, str, str]:
    """Decode shapefile/CSV text read byte for byte, in the encoding chosen in this order: the
    caller's ``encoding``, what the file declares, then detection (gis.encodings), which must be
    confident: a guess is refused with a request for the encoding."""
    text_columns = [
        column
        for column in features.columns
        if column != "geometry"
        and (
            pd.api.types.is_object_dtype(features[column].dtype)
            or pd.api.types.is_string_dtype(features[column].dtype)
        )
    ]
    samples = [
        value.encode(TEXT_READ_AS)
        for column in text_columns
        for value in features[column].dropna().head(500)
        if isinstance(value, str)
    ]
    if encoding:
        chosen, how = _codec_or_error(encoding), "given with the upload"
    elif dataset.declared_encoding:
        chosen, how = dataset.declared_encoding, dataset.declared_encoding_how
        if dataset.declared_by_language_byte:
            chosen, how = _check_language_byte(chosen, how, samples)
    else:
        detected = detect_encoding(samples)
        if not detected.is_confident:
            declared = dataset.declared_encoding_how or "no .cpg"
            raise ReadError(
                "encoding_unknown",
                f"The file does not say how its text is encoded ({declared}) and it cannot "
                f"be told for sure: {detected.how}. Give the encoding "
                "(encoding), e.g. cp1258 for Vietnamese Windows files, tcvn3 or vni for old "
                "Vietnamese fonts.",
            )
        chosen, how = detected.name, f"no encoding declared; {detected.how}"
    renamed = {
        column: _decode_value(column, chosen) for column in features.columns if column != "geometry"
    }
    try:
        for column in text_columns:
            features[column] = features[column].map(
                lambda value: _decode_value(value, chosen) if isinstance(value, str) else value
            )
    except UnicodeDecodeError as error:
        raise ReadError(
            "encoding_error",
            f"The attribute text is not valid {chosen} ({how}). Give the right encoding "
            "(encoding), e.g. cp1258 for Vietnamese Windows files.",
        ) from error
    return features.rename(columns=renamed), chosen, how


def _check_language_byte(declared: str, how: str, samples: list[bytes]) -> tuple[str, str]:
    """The DBF language byte 0x57 means "the Windows code page of the machine that wrote it":
    cp1252 by the table, cp1258 on a Vietnamese Windows. Text that reads confidently as
    Vietnamese is taken as such, and the report says why."""
    detected = detect_encoding(samples)
    vietnamese = (CP1258, TCVN3, VNI)
    if detected.is_confident and detected.name in vietnamese and detected.name != declared:
        return detected.name, f"{how}, but the text reads as Vietnamese: {detected.how}"
    return declared, how


def _decode_value(value: str, encoding: str) -> str:
    # gis.encodings returns NFC: cp1258 spells tone marks as combining characters, and the
    # database keeps composed text so a village name is found whichever way it was typed.
    return decode_text(value.encode(TEXT_READ_AS), encoding)


def _codec_or_error(encoding: str) -> str:
    try:
        return normalise_encoding_name(encoding)
    except LookupError as error:
        raise ReadError(
            "encoding_unknown",
            f"Unknown encoding {encoding!r}; use a code page name such as utf-8, cp1258, "
            "cp1252, or tcvn3 / vni for old Vietnamese fonts.",
        ) from error


@dataclass(frozen=True)
class _SourceCRS:
    crs: pyproj.CRS
    epsg: int | None
    described: str
    how: str


DECLARED_HOW = {
    "shapefile": "declared in the .prj file",
    "gpkg": "declared by the GeoPackage layer",
    "kml": "KML is WGS 84 by definition",
    "gpx": "GPX is WGS 84 by definition",
    "geojson": "declared by the GeoJSON file (WGS 84 unless it says otherwise)",
}
MAX_CANDIDATE_SAMPLE = 500


def _source_crs(
    dataset: _Dataset,
    declared: str | None,
    requested: str | None,
    features: gpd.GeoDataFrame,
    notes: list[str],
    operating_area: BaseGeometry | None,
) -> _SourceCRS:
    if requested:
        chosen = _identify(requested, origin="given with the upload")
        if declared and not _same_crs(chosen.crs, declared):
            file_crs = _identify(declared, origin="declared")
            notes.append(
                f"The file declares {file_crs.described}; {chosen.described} was used as asked."
            )
        return chosen
    # The .prj as written (often ESRI WKT without an EPSG code) tells gis.crs more than GDAL's
    # rewrite of it: VN-2000 is recognised by its datum name there.
    if dataset.prj_text is not None:
        from_prj = _identify(dataset.prj_text, origin=DECLARED_HOW["shapefile"])
        if from_prj.epsg is None and declared:
            # GDAL's reading of the .prj sometimes finds the EPSG system (ED50 / UTM 30N
            # written by ArcGIS) that the ESRI text alone does not name.
            from_gdal = _identify(declared, origin=DECLARED_HOW["shapefile"])
            if from_gdal.epsg is not None:
                return from_gdal
        return from_prj
    if declared:
        return _identify(declared, origin=DECLARED_HOW.get(dataset.format, "declared in the file"))
    if dataset.format == "csv" and _looks_like_lon_lat(features):
        notes.append("A CSV carries no CRS: WGS 84 longitude/latitude assumed.")
        return _SourceCRS(
            crs=WGS84,
            epsg=4326,
            described="EPSG:4326 (WGS 84)",
            how="assumed: a CSV carries no CRS, its coordinates are WGS 84 lon/lat",
        )
    raise _crs_missing(dataset, features, operating_area)


def _identify(text: str, *, origin: str) -> _SourceCRS:
    # GDAL hands over a recognised layer CRS as "EPSG:nnnn"; as a CRS object gis.crs reports it
    # as declared by the file, not as a code someone typed.
    from_gdal = not origin.startswith("given") and re.fullmatch(r"EPSG:\d+", text)
    try:
        identified = identify_crs(pyproj.CRS.from_user_input(text) if from_gdal else text)
    except (CRSError, pyproj.exceptions.CRSError) as error:
        raise ReadError("crs_invalid", f"Coordinate system {origin}: {error}") from error
    described = (
        f"EPSG:{identified.epsg} ({identified.name})" if identified.epsg else identified.name
    )
    return _SourceCRS(
        crs=identified.crs,
        epsg=identified.epsg,
        described=described,
        how=f"{origin}; {identified.how}",
    )


def _crs_missing(
    dataset: _Dataset, features: gpd.GeoDataFrame, operating_area: BaseGeometry | None
) -> ReadError:
    coordinates = shapely.get_coordinates(_present(features).values)
    step = max(1, len(coordinates) // MAX_CANDIDATE_SAMPLE)
    candidates = candidate_crs([tuple(xy) for xy in coordinates[::step]], operating_area)
    where = "inside the operating area" if operating_area is not None else "where they are used"
    if candidates:
        listed = ", ".join(f"EPSG:{c.epsg} ({c.name})" for c in candidates[:6])
        hint = f"Systems that place the features {where}: {listed}. Give the one the survey used"
    else:
        hint = f"No common system places the features {where}. Give the one the survey used"
    what = "no .prj file" if dataset.format == "shapefile" else "no coordinate system"
    return ReadError(
        "crs_missing",
        f"{dataset.shown_name} has {what}, so its coordinates cannot be placed; it is never "
        f"guessed. {hint} (crs, e.g. EPSG:32648 for UTM 48N or EPSG:9212 for VN-2000 Quảng Trị).",
        choices=tuple(f"EPSG:{c.epsg}" for c in candidates),
    )


def _same_crs(crs: pyproj.CRS, declared: str) -> bool:
    try:
        return crs.equals(pyproj.CRS.from_user_input(declared), ignore_axis_order=True)
    except pyproj.exceptions.CRSError:
        return False


def _looks_like_lon_lat(features: gpd.GeoDataFrame) -> bool:
    present = _present(features)
    if present.empty:
        return True
    minx, miny, maxx, maxy = present.total_bounds
    # Files written at the antimeridian overshoot 180 by a rounding error.
    tolerance = 1e-6
    return bool(
        -180 - tolerance <= minx <= maxx <= 180 + tolerance
        and -90 - tolerance <= miny <= maxy <= 90 + tolerance
    )


def _present(features: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """The geometries that carry coordinates (neither null nor empty)."""
    geometries = features.geometry
    values = geometries.values
    return geometries[~(shapely.is_missing(values) | shapely.is_empty(values))]


def _to_wgs84(features: gpd.GeoDataFrame, source: _SourceCRS, notes: list[str]) -> gpd.GeoDataFrame:
    present = _present(features)
    if not present.empty:
        try:
            check_coordinates_plausible(tuple(present.total_bounds), source.crs)
        except CRSError as error:
            raise ReadError("coordinates_impossible", str(error)) from error
    with_z = int(shapely.has_z(present.values).sum())
    if with_z:
        notes.append(f"Z (height) values dropped from {with_z} feature(s): areas are 2D.")
    try:
        geometries = to_wgs84(np.asarray(features.geometry.values, dtype=object), source.crs)
    except CRSError as error:
        raise ReadError("coordinates_impossible", str(error)) from error
    features = gpd.GeoDataFrame(
        features.drop(columns="geometry"), geometry=list(geometries), crs=WGS84
    )
    _check_plausible(features, source)
    return features


def _check_plausible(features: gpd.GeoDataFrame, source: _SourceCRS) -> None:
    """Coordinates the declared CRS cannot produce mean the label is wrong (a file drawn in one
    CRS and saved as another); reprojecting them would place the features far away silently."""
    present = _present(features)
    if present.empty:
        return
    coordinates = shapely.get_coordinates(present.values)
    minx, miny, maxx, maxy = present.total_bounds
    if not np.isfinite(coordinates).all() or not _looks_like_lon_lat(features):
        raise ReadError(
            "coordinates_impossible",
            f"Some coordinates cannot exist in {source.described}: the file's coordinate "
            "system label is probably wrong. Give the right one (crs).",
        )
    area = _area_of_use(source.crs)
    if area is None:
        return
    margin = AREA_OF_USE_MARGIN_DEG
    outside = maxy < area.south - margin or miny > area.north + margin
    # An area crossing the antimeridian has west > east; only its latitudes can be compared.
    if area.west <= area.east:
        outside = outside or maxx < area.west - margin or minx > area.east + margin
    if outside:
        raise ReadError(
            "coordinates_impossible",
            f"Read as {source.described}, the features land at {miny:.2f}°N {minx:.2f}°E, far "
            f"outside where that system is used ({area.name}). The file's coordinate system "
            "label is probably wrong: give the right one (crs).",
        )


def _area_of_use(crs: pyproj.CRS):
    if crs.area_of_use is not None:
        return crs.area_of_use
    # A WKT without an authority code (common in GeoPackages) still matches a registry entry.
    epsg = crs.to_epsg(min_confidence=70)
    return pyproj.CRS.from_epsg(epsg).area_of_use if epsg else None


def _unreadable(dataset: _Dataset, error: Exception) -> ReadError:
    detail = str(error).replace(dataset.gdal_path, dataset.shown_name)
    detail = re.sub(r"/\S*landrelease-read-\S*?/", "", detail)
    return ReadError(
        "unreadable",
        f"{dataset.shown_name} could not be read as {DRIVER_BY_FORMAT[dataset.format]}: "
        f"{detail.strip()[:300]}. The file may be damaged or not what its name says.",
    )
