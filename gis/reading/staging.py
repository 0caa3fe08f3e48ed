"""Staging an upload where GDAL can read it: one dataset in our own temporary directory.

Zips and KMZs are unpacked by the checked extractor (gis.reading.archives); in a zip, the
shapefile set or single GIS file to read is chosen here, and a shapefile's declared text encoding
and .prj text are kept for the steps that decode text and identify the CRS.
"""

from dataclasses import dataclass
from pathlib import Path

from gis.encodings import DeclaredEncoding, declared_shapefile_encoding
from gis.messages import Text
from gis.reading.archives import extract_archive
from gis.reading.errors import ReadError, unsupported_format
from gis.reading.formats import FORMATS_BY_SUFFIX, RECOGNISED_UNSUPPORTED

SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".cst")
# Files that may travel inside a zip instead of a shapefile set.
ZIPPED_SINGLE_FORMATS = (".gpkg", ".geojson", ".json", ".kml", ".gpx", ".csv")
# The name a file is staged under, whatever it was called ("!" or "ū" confuse GDAL paths).
FORMAT_SUFFIX = {
    "gpkg": ".gpkg",
    "geojson": ".geojson",
    "kml": ".kml",
    "gpx": ".gpx",
    "csv": ".csv",
}


@dataclass(frozen=True)
class Dataset:
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


def stage(path: Path, source_format: str, workdir: Path, *, layer: str | None) -> Dataset:
    """Put the file where GDAL reads it safely: an ASCII name ('!' is an archive separator to
    GDAL), archives unpacked by our checked extractor into ``workdir`` only."""
    if source_format == "zip":
        return _stage_zip(path, workdir, layer=layer)
    if source_format == "kmz":
        return _stage_kmz(path, workdir)
    staged = workdir / f"upload{FORMAT_SUFFIX[source_format]}"
    staged.symlink_to(path.resolve())
    return Dataset(gdal_path=str(staged), format=source_format, shown_name=path.name)


def _stage_kmz(path: Path, workdir: Path) -> Dataset:
    members = extract_archive(path, workdir / "kmz")
    kml_files = [m for m in members if m.path.suffix.lower() == ".kml"]
    if not kml_files:
        raise ReadError("no_gis_file", "The KMZ holds no KML document (doc.kml).")
    # Google Earth reads the first .kml at the root (normally doc.kml); so do we.
    kml_files.sort(key=lambda m: (m.archive_name.count("/"), m.archive_name.lower() != "doc.kml"))
    return Dataset(gdal_path=str(kml_files[0].path), format="kml", shown_name=path.name)


def _stage_zip(path: Path, workdir: Path, *, layer: str | None) -> Dataset:
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
                Text("shapefile_without_shp", found=found),
            )
        listed = ", ".join(sorted(names)) or "nothing"
        raise ReadError(
            "no_gis_file",
            Text("zip_without_gis_file", listed=listed),
        )
    chosen = _choose_zip_member([*with_geometry, *others], layer=layer)
    if chosen in others:
        single = others[chosen]
        return Dataset(
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
            Text("shapefile_part_missing", name=repr(chosen), missing=" and ".join(missing)),
        )
    set_dir = workdir / "shapefile"
    set_dir.mkdir()
    for suffix, member_path in parts.items():
        member_path.rename(set_dir / f"layer{suffix}")
    declared = _declared_shapefile_encoding(set_dir)
    return Dataset(
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
            Text("zip_unknown_layer", layer=repr(layer), names=", ".join(sorted(names))),
            choices=tuple(sorted(names)),
        )
    if len(names) > 1:
        raise ReadError(
            "several_layers",
            Text("zip_several_layers", count=len(names), names=", ".join(sorted(names))),
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
