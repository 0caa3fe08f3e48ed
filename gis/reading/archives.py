"""Safe unpacking of uploaded zip archives (zipped shapefiles, KMZ).

Uploads come from outside, so an archive is treated as hostile: members with absolute paths or
``..`` (zip slip), symlinks, and zip bombs (a huge uncompressed size, or a compression ratio no
real GIS file has) are refused before anything is written, and every member is written only below
the directory the caller gives. Sizes in headers can lie, so extraction also counts real bytes.
"""

import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from gis.messages import Text
from gis.reading.errors import ReadError

MAX_MEMBERS = 2_000
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
# Shapefiles and KML compress 3-20x; text full of repeated values may reach ~50x. Zip bombs sit
# in the thousands. The ratio is only checked above a size where it can hurt.
MAX_COMPRESSION_RATIO = 200
RATIO_CHECKED_ABOVE_BYTES = 50 * 1024**2
# Finder and Windows leave these behind; they are never GIS data.
IGNORED_PREFIXES = ("__MACOSX/",)
IGNORED_NAMES = (".DS_Store", "Thumbs.db", "desktop.ini")


@dataclass(frozen=True)
class ExtractedMember:
    archive_name: str
    path: Path


def extract_archive(archive: Path, destination: Path) -> tuple[ExtractedMember, ...]:
    """Extract the regular files of ``archive`` below ``destination`` after checking every member.

    Raises ReadError(``not_a_zip``) for a file that is not a zip, ReadError(``unsafe_archive``)
    for path traversal or symlinks, ReadError(``archive_too_large``) for zip bombs.
    """
    try:
        with zipfile.ZipFile(archive) as bundle:
            members = [m for m in bundle.infolist() if _is_data_member(m)]
            _check_members(members, archive_bytes=archive.stat().st_size)
            extracted = []
            written_total = 0
            for member in members:
                relative = _safe_relative_path(member.filename)
                target = destination.joinpath(*relative.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                written_total += _copy_limited(bundle, member, target)
                if written_total > MAX_UNCOMPRESSED_BYTES:
                    raise _too_large(written_total)
                extracted.append(ExtractedMember(archive_name=member.filename, path=target))
    except zipfile.BadZipFile as error:
        raise ReadError(
            "not_a_zip",
            Text("not_a_zip", detail=str(error)),
        ) from error
    return tuple(extracted)


def _is_data_member(member: zipfile.ZipInfo) -> bool:
    name = member.filename.replace("\\", "/")
    if member.is_dir() and not _is_symlink(member):
        return False
    if name.startswith(IGNORED_PREFIXES):
        return False
    base = PurePosixPath(name).name
    return not (base in IGNORED_NAMES or base.startswith("._"))


def _is_symlink(member: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(member.external_attr >> 16)


def _check_members(members: list[zipfile.ZipInfo], *, archive_bytes: int) -> None:
    if len(members) > MAX_MEMBERS:
        raise ReadError(
            "archive_too_large",
            f"The zip holds {len(members)} files; at most {MAX_MEMBERS} are accepted.",
        )
    for member in members:
        if _is_symlink(member):
            raise ReadError(
                "unsafe_archive",
                f"The zip contains a symbolic link ({member.filename!r}); links are refused. "
                "Zip the files themselves.",
            )
        _safe_relative_path(member.filename)
    declared_total = sum(m.file_size for m in members)
    if declared_total > MAX_UNCOMPRESSED_BYTES:
        raise _too_large(declared_total)
    ratio = declared_total / max(archive_bytes, 1)
    if declared_total > RATIO_CHECKED_ABOVE_BYTES and ratio > MAX_COMPRESSION_RATIO:
        raise ReadError(
            "archive_too_large",
            f"The zip expands {ratio:.0f} times (to {declared_total / 1024**2:.0f} MB); GIS data "
            f"never compresses beyond {MAX_COMPRESSION_RATIO} times, so it is refused as a zip "
            "bomb.",
        )


def _safe_relative_path(name: str) -> PurePosixPath:
    normalised = name.replace("\\", "/")
    path = PurePosixPath(normalised)
    drive_letter = len(normalised) > 1 and normalised[1] == ":"
    if path.is_absolute() or drive_letter or ".." in path.parts or not path.parts:
        raise ReadError(
            "unsafe_archive",
            f"The zip contains a file with an unsafe path ({name!r}: absolute or with '..'). "
            "Zip the files with plain relative names.",
        )
    return path


def _copy_limited(bundle: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path) -> int:
    """Copy one member, refusing it as soon as it grows past what its header declared."""
    written = 0
    with bundle.open(member) as source, target.open("wb") as sink:
        while chunk := source.read(1024 * 1024):
            written += len(chunk)
            if written > member.file_size:
                raise _too_large(written)
            sink.write(chunk)
    return written


def _too_large(size_bytes: int) -> ReadError:
    return ReadError(
        "archive_too_large",
        f"The zip expands to more than {MAX_UNCOMPRESSED_BYTES / 1024**3:.0f} GB "
        f"({size_bytes / 1024**2:.0f} MB so far); split the data into smaller files.",
    )
