"""Backing up a whole site into one file, and restoring it into an empty one.

A backup is an uncompressed tar (pg_dump's custom format compresses the database itself, and
most originals are zips already):

- ``database.dump``: ``pg_dump --format=custom`` of the database, by the pg_dump of the
  server's major version (app.backups.postgres);
- ``uploads/...``: every regular file under UPLOAD_ROOT (the originals; the reports are in the
  database), copied as a tree whatever its folders are named, upload ids or random keys;
- ``manifest.json``, last: the format and its version, when, the app's version and applied
  migrations, the database's name and server version, and each member's size and SHA-256.

The database is dumped before the files are copied: an upload's file is written before its row
commits and is never removed after, so every upload in the dump finds its file in the archive
(the file of an upload begun meanwhile is copied too, without its row: harmless).

A restore checks the archive (its members against the manifest) and both targets before it
writes anything: the database must hold no table, and no top-level folder of the archive may
exist in UPLOAD_ROOT, for nothing is ever overwritten. The files are unpacked beside
UPLOAD_ROOT with their checksums verified, the database restored in one transaction, and only
then are the folders moved into UPLOAD_ROOT. A failure anywhere leaves both as they were.
"""

import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from app.backups import postgres
from app.backups.errors import BackupRefused

FORMAT = "landrelease-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_DUMP = "database.dump"
UPLOADS = "uploads"
CHUNK_BYTES = 1024 * 1024
# An entry of pg_restore --list: "4708; 0 0 COMMENT - EXTENSION postgis ".
LIST_ENTRY = re.compile(r"^\d+; \d+ \d+ (?P<what>.+)$")


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds (or a restore brought back)."""

    path: Path
    database: str
    created_at: str
    upload_files: int
    size_bytes: int
    # Under UPLOAD_ROOT but not regular files (links, sockets): not in the backup.
    skipped: tuple[str, ...] = ()
    # After a restore: the code has migrations the restored database lacks.
    migrations_pending: bool = False


def write_backup(*, out: Path) -> BackupSummary:
    """Write the database and UPLOAD_ROOT into the new file ``out``, which must not exist.

    The archive is written under a temporary name beside ``out`` and renamed when whole, so
    ``out`` is either a complete backup or absent. It is readable by its owner only: it holds
    the restricted coordinates."""
    out = Path(out)
    _check_out(out)
    server_major, server_version = postgres.server_version()
    pg_dump = postgres.client_program("pg_dump", server_major=server_major)
    created_at = timezone.now().isoformat(timespec="seconds")
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": created_at,
        "app_version": _app_version(),
        "migrations": _applied_migrations(),
        "database": {"name": postgres.database_name(), "server_version": server_version},
        "files": {},
    }
    root = Path(settings.UPLOAD_ROOT)
    try:
        with tempfile.TemporaryDirectory(prefix=f".{out.name}.", dir=out.parent) as work:
            dump = Path(work) / DATABASE_DUMP
            postgres.run_client([pg_dump, "--format=custom", "--file", str(dump)])
            partial = Path(work) / "archive.tar"
            with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
                manifest["files"][DATABASE_DUMP] = _add(archive, dump, DATABASE_DUMP)
                files, skipped = _upload_files(root)
                for path, name in files:
                    manifest["files"][name] = _add(archive, path, name)
                text = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                entry = tarfile.TarInfo(MANIFEST)
                entry.size, entry.mode = len(text), 0o600
                entry.mtime = int(timezone.now().timestamp())
                archive.addfile(entry, io.BytesIO(text))
            partial.chmod(0o600)
            os.replace(partial, out)
    except OSError as error:
        raise BackupRefused(
            _("cannot write %(path)s: %(error)s") % {"path": out, "error": _os_error(error)}
        ) from error
    return BackupSummary(
        path=out,
        database=postgres.database_name(),
        created_at=created_at,
        upload_files=len(files),
        size_bytes=out.stat().st_size,
        skipped=tuple(skipped),
    )


def restore_backup(*, archive_path: Path) -> BackupSummary:
    """Restore the backup at ``archive_path`` into the (empty) database of DATABASE_URL and
    into UPLOAD_ROOT (whose folders must not exist yet)."""
    path = Path(archive_path)
    if not path.is_file():
        raise BackupRefused(_("%(path)s: no such file") % {"path": path})
    with _opened(path) as archive:
        try:
            manifest, members = _checked_members(archive, path)
        except (tarfile.TarError, OSError, EOFError) as error:
            raise _not_a_backup(path, str(error)) from error
        server_major, _version = postgres.server_version()
        _check_database_empty()
        _check_postgis_possible()
        root = Path(settings.UPLOAD_ROOT)
        # The top-level folders (and files) of UPLOAD_ROOT in the backup.
        entries = sorted(
            {PurePosixPath(name).parts[1] for name in members if name.startswith(UPLOADS + "/")}
        )
        _check_entries_free(root, entries)
        pg_restore = postgres.client_program("pg_restore", server_major=server_major)
        try:
            root.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{root.name}.restore-", dir=root.parent))
        except OSError as error:
            raise BackupRefused(
                _("cannot write into %(folder)s: %(error)s")
                % {"folder": root, "error": _os_error(error)}
            ) from error
        try:
            for name, member in members.items():
                _extract(archive, member, staging / name, manifest["files"][name], path)
            _restore_database(pg_restore, staging / DATABASE_DUMP)
            root.mkdir(exist_ok=True)
            for entry in entries:
                (staging / UPLOADS / entry).rename(root / entry)
        except (tarfile.TarError, EOFError) as error:
            raise _not_a_backup(path, str(error)) from error
        except OSError as error:
            raise BackupRefused(
                _("cannot write into %(folder)s: %(error)s")
                % {"folder": root, "error": _os_error(error)}
            ) from error
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    with connection.cursor() as cursor:
        # pg_restore leaves the planner without statistics; the reports need them at once.
        cursor.execute("ANALYZE")
    executor = MigrationExecutor(connection)
    return BackupSummary(
        path=path,
        database=postgres.database_name(),
        created_at=manifest.get("created_at", ""),
        upload_files=len(members) - 1,
        size_bytes=path.stat().st_size,
        migrations_pending=bool(executor.migration_plan(executor.loader.graph.leaf_nodes())),
    )


def _os_error(error: OSError) -> str:
    """The system's reason, and the file it concerns (which may not be the one being written)."""
    reason = error.strerror or str(error)
    return f"{reason} ({error.filename})" if error.filename else reason


def _check_out(out: Path) -> None:
    folder = out.parent
    if out.exists():
        raise BackupRefused(
            _("%(path)s exists already; give a new file name (a backup never overwrites one)")
            % {"path": out}
        )
    if not folder.is_dir():
        raise BackupRefused(
            _("cannot write %(path)s: there is no folder %(folder)s")
            % {"path": out, "folder": folder}
        )
    if out.resolve().is_relative_to(Path(settings.UPLOAD_ROOT).resolve()):
        raise BackupRefused(
            _("%(path)s is inside UPLOAD_ROOT, which the backup copies: write it elsewhere")
            % {"path": out}
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BackupRefused(
            _("cannot write %(path)s: this user may not write in %(folder)s")
            % {"path": out, "folder": folder}
        )


def _app_version() -> str:
    try:
        return metadata.version("landrelease")
    except metadata.PackageNotFoundError:
        return "unknown"


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def _upload_files(root: Path) -> tuple[list[tuple[Path, str]], list[str]]:
    """Every regular file under ``root`` with its name in the archive, and what was skipped."""
    files, skipped = [], []
    if not root.is_dir():
        return files, skipped
    for folder, subfolders, names in os.walk(root):
        # os.walk does not follow links to folders: say so rather than leave them out silently.
        skipped += [
            (Path(folder) / name).relative_to(root).as_posix()
            for name in subfolders
            if (Path(folder) / name).is_symlink()
        ]
        subfolders.sort()
        for name in sorted(names):
            path = Path(folder) / name
            relative = path.relative_to(root).as_posix()
            if path.is_symlink() or not path.is_file():
                skipped.append(relative)
            else:
                files.append((path, f"{UPLOADS}/{relative}"))
    return files, skipped


class _HashingReader:
    def __init__(self, source) -> None:
        self.source = source
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.digest.update(chunk)
        return chunk


def _add(archive: tarfile.TarFile, path: Path, name: str) -> dict:
    entry = archive.gettarinfo(path, arcname=name)
    with path.open("rb") as source:
        reader = _HashingReader(source)
        archive.addfile(entry, reader)
    return {"bytes": entry.size, "sha256": reader.digest.hexdigest()}


def _opened(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r:")
    except (tarfile.TarError, OSError) as error:
        raise _not_a_backup(path, str(error)) from error


def _not_a_backup(path: Path, why: str) -> BackupRefused:
    return BackupRefused(
        _("%(path)s is not a readable landrelease backup (%(why)s); nothing was restored")
        % {"path": path, "why": why}
    )


def _checked_members(archive: tarfile.TarFile, path: Path) -> tuple[dict, dict]:
    """The manifest and the archive's members by name, once they match: the same names, each a
    regular file of the stated size, under a safe relative path. The contents are verified
    against their checksums as they are unpacked."""
    members = {}
    for member in archive.getmembers():
        if member.name in members:
            raise _not_a_backup(path, _("%(name)s appears twice") % {"name": member.name})
        members[member.name] = member
    entry = members.pop(MANIFEST, None)
    if entry is None or not entry.isfile():
        raise _not_a_backup(path, _("it has no manifest.json"))
    try:
        manifest = json.loads(archive.extractfile(entry).read())
    except ValueError as error:
        raise _not_a_backup(
            path, _("manifest.json is not JSON: %(error)s") % {"error": error}
        ) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _not_a_backup(path, _("manifest.json does not describe a landrelease backup"))
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupRefused(
            _(
                "%(path)s is a backup of format %(version)s, which this version of landrelease "
                "(format %(known)s) cannot read; restore it with the version that wrote it"
            )
            % {"path": path, "version": version, "known": FORMAT_VERSION}
        )
    listed = manifest.get("files")
    if not isinstance(listed, dict) or DATABASE_DUMP not in listed:
        raise _not_a_backup(path, _("manifest.json lists no database dump"))
    for name in sorted(set(listed) | set(members)):
        member = members.get(name)
        if member is None:
            raise _not_a_backup(path, _("%(name)s is missing") % {"name": name})
        if name not in listed:
            raise _not_a_backup(path, _("%(name)s is not in manifest.json") % {"name": name})
        parts = PurePosixPath(name).parts
        safe = name == DATABASE_DUMP or (
            len(parts) >= 2 and parts[0] == UPLOADS and ".." not in parts
        )
        if not safe or not member.isfile():
            raise _not_a_backup(path, _("%(name)s is not a file it may hold") % {"name": name})
        stated = listed[name]
        if not isinstance(stated, dict) or member.size != stated.get("bytes"):
            raise _not_a_backup(
                path, _("%(name)s is not the size manifest.json says") % {"name": name}
            )
    return manifest, members


def _extract(
    archive: tarfile.TarFile, member: tarfile.TarInfo, target: Path, listed: dict, path: Path
) -> None:
    """Unpack one member to ``target``, refusing it when its checksum is not the manifest's."""
    _make_private_folders(target.parent)
    source = archive.extractfile(member)
    reader = _HashingReader(source)
    with target.open("wb") as copy:
        shutil.copyfileobj(reader, copy, CHUNK_BYTES)
    # The file's own permissions, never writable by others (the originals are restricted).
    target.chmod(member.mode & 0o755)
    if reader.digest.hexdigest() != listed.get("sha256"):
        raise _not_a_backup(
            path,
            _("%(name)s is damaged: its checksum is not the one in manifest.json")
            % {"name": member.name},
        )


def _make_private_folders(folder: Path) -> None:
    """``folder`` and its missing parents, each 0700 as the upload folders are made (mkdir's
    ``mode`` reaches the last one only, and the umask's 0755 left restored uploads readable)."""
    if folder.is_dir():
        return
    _make_private_folders(folder.parent)
    folder.mkdir(mode=0o700)
    folder.chmod(0o700)


def _check_database_empty() -> None:
    """No table, view or sequence but an extension's own (PostGIS's spatial_ref_sys)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT n.nspname || '.' || c.relname
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
               AND n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND n.nspname NOT LIKE 'pg\\_toast%%' AND n.nspname NOT LIKE 'pg\\_temp%%'
               AND NOT EXISTS (
                   SELECT 1 FROM pg_depend d
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                      AND d.deptype = 'e')
             ORDER BY 1
            """
        )
        found = [name for (name,) in cursor.fetchall()]
    if found:
        raise BackupRefused(
            _(
                "database %(name)s is not empty (it holds %(count)s tables, views or sequences, "
                "e.g. %(examples)s); "
                "a backup is restored only into an empty database, so that nothing is "
                "overwritten: create a new one (createdb NEW_NAME), point DATABASE_URL at it "
                "and run the restore again"
            )
            % {
                "name": postgres.database_name(),
                "count": len(found),
                "examples": ", ".join(found[:3]),
            }
        )


def _check_postgis_possible() -> None:
    """PostGIS is not a trusted extension: only a superuser may create it. A site's own role
    restores into a database where one has created it already."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis'),"
            " (SELECT rolsuper FROM pg_roles WHERE rolname = current_user), current_user"
        )
        present, superuser, role = cursor.fetchone()
    if not present and not superuser:
        raise BackupRefused(
            _(
                "database %(name)s has no postgis extension, and %(role)s may not create it: "
                "as a superuser, run CREATE EXTENSION postgis in it, then the restore again"
            )
            % {"name": postgres.database_name(), "role": role}
        )


def _check_entries_free(root: Path, entries: list[str]) -> None:
    taken = [entry for entry in entries if (root / entry).exists()]
    if taken:
        raise BackupRefused(
            _(
                "%(path)s exists already (%(count)s of the backup's upload folders do); a "
                "restore never overwrites upload files: point UPLOAD_ROOT at a new folder, or "
                "move these aside, and run the restore again"
            )
            % {"path": root / taken[0], "count": len(taken)}
        )


def _restore_database(pg_restore: str, dump: Path) -> None:
    """pg_restore in one transaction, stopping at the first error: all of it or nothing. Owners
    and grants are not restored: the restoring role (DATABASE_URL's) owns what it creates."""
    listing = postgres.run_client([pg_restore, "--list", str(dump)]).stdout
    present = _extension_tables_present()
    kept = dump.with_suffix(".list")
    kept.write_text(
        "".join(line for line in listing.splitlines(keepends=True) if _restored(line, present))
    )
    postgres.run_client(
        [
            pg_restore,
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            "--use-list",
            str(kept),
            "--dbname",
            postgres.database_name(),
            str(dump),
        ]
    )


def _restored(line: str, extension_tables: list[str]) -> bool:
    """Whether pg_restore restores the entry ``line`` of its list: not an extension's comment
    (only the extension's owner, a superuser for postgis, may set it, so a site restored by its
    own role would fail on it), nor the rows of an extension's table the target has already."""
    entry = LIST_ENTRY.match(line)
    if entry is None:
        return True
    what = entry["what"]
    if what.startswith("COMMENT - EXTENSION "):
        return False
    return not any(what.startswith(f"TABLE DATA {table} ") for table in extension_tables)


def _extension_tables_present() -> list[str]:
    """The configuration tables (``schema name``) of extensions the target has already, such
    as PostGIS's spatial_ref_sys when a superuser created the extension for the site's role.
    Their rows are the extension's own, and only its owner may write them: a restore by the
    site's role leaves them as they are. (The dump holds only rows added to them by hand; the
    site adds none: uploads are reprojected by pyproj before they reach the database.)"""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT n.nspname || ' ' || c.relname
              FROM pg_extension e
              CROSS JOIN LATERAL unnest(e.extconfig) AS config(oid)
              JOIN pg_class c ON c.oid = config.oid
              JOIN pg_namespace n ON n.oid = c.relnamespace
            """
        )
        return [name for (name,) in cursor.fetchall()]
