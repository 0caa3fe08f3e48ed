"""backup and restore refuse what they cannot do with a message saying what to do, before they
touch a database (these tests have none: pytest-django would fail any query) or a folder."""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from app.backups import services

DUMP = b"PGDMP not really a dump"


@pytest.fixture(autouse=True)
def operator_reads_english(monkeypatch, settings, tmp_path):
    monkeypatch.setenv("LANGUAGE", "en")
    settings.UPLOAD_ROOT = tmp_path / "uploads"


def refusal(command: str, *arguments: str) -> str:
    with pytest.raises(CommandError) as failure:
        call_command(command, *arguments, stdout=io.StringIO(), stderr=io.StringIO())
    return str(failure.value)


def archive(path: Path, members: dict[str, bytes], manifest: dict | None) -> Path:
    with tarfile.open(path, "w") as writing:
        contents = dict(members)
        if manifest is not None:
            contents["manifest.json"] = json.dumps(manifest).encode()
        for name, data in contents.items():
            entry = tarfile.TarInfo(name)
            entry.size = len(data)
            writing.addfile(entry, io.BytesIO(data))
    return path


def manifest(**files: bytes) -> dict:
    return {
        "format": "landrelease-backup",
        "format_version": 1,
        "files": {name: {"bytes": len(data), "sha256": "0" * 64} for name, data in files.items()},
    }


def test_a_backup_into_a_folder_that_does_not_exist_is_refused(tmp_path):
    out = tmp_path / "nowhere" / "site.tar"

    message = refusal("backup", "--out", str(out))

    assert message == f"cannot write {out}: there is no folder {out.parent}"


def test_a_backup_never_overwrites_a_file(tmp_path):
    out = tmp_path / "site.tar"
    out.write_bytes(b"last week's backup")

    message = refusal("backup", "--out", str(out))

    assert message == f"{out} exists already; give a new file name (a backup never overwrites one)"
    assert out.read_bytes() == b"last week's backup"


def test_a_backup_inside_upload_root_would_hold_itself_and_is_refused(settings):
    out = settings.UPLOAD_ROOT / "site.tar"
    out.parent.mkdir()

    message = refusal("backup", "--out", str(out))

    assert message == f"{out} is inside UPLOAD_ROOT, which the backup copies: write it elsewhere"
    assert list(out.parent.iterdir()) == []


def test_restoring_a_file_that_does_not_exist_is_refused(tmp_path):
    assert refusal("restore", str(tmp_path / "x.tar")) == f"{tmp_path / 'x.tar'}: no such file"


def test_a_file_that_is_not_a_tar_is_not_a_backup(tmp_path):
    path = tmp_path / "site.tar"
    path.write_bytes(b"\x00garbage" * 200)

    message = refusal("restore", str(path))

    assert message.startswith(f"{path} is not a readable landrelease backup (")
    assert message.endswith("); nothing was restored")


def test_a_truncated_backup_is_not_a_backup(tmp_path):
    whole = archive(tmp_path / "whole.tar", {"database.dump": DUMP * 1000}, manifest())
    cut = tmp_path / "cut.tar"
    cut.write_bytes(whole.read_bytes()[:5000])

    message = refusal("restore", str(cut))

    assert message.startswith(f"{cut} is not a readable landrelease backup (")


@pytest.mark.parametrize(
    ("members", "listed", "why"),
    [
        ({"database.dump": DUMP}, None, "it has no manifest.json"),
        (
            {"database.dump": DUMP},
            {"format": "something-else", "files": {}},
            "manifest.json does not describe a landrelease backup",
        ),
        ({"database.dump": DUMP}, manifest(), "manifest.json lists no database dump"),
        (
            {"database.dump": DUMP},
            manifest(**{"database.dump": DUMP, "uploads/7/original.zip": b"PK"}),
            "uploads/7/original.zip is missing",
        ),
        (
            {"database.dump": DUMP, "uploads/7/extra.zip": b"PK"},
            manifest(**{"database.dump": DUMP}),
            "uploads/7/extra.zip is not in manifest.json",
        ),
        (
            {"database.dump": DUMP, "uploads/../../etc/cron.d/x": b"* * * * * root sh"},
            manifest(**{"database.dump": DUMP, "uploads/../../etc/cron.d/x": b"* * * * *"}),
            "uploads/../../etc/cron.d/x is not a file it may hold",
        ),
        (
            {"database.dump": DUMP},
            manifest(**{"database.dump": DUMP + b"more"}),
            "database.dump is not the size manifest.json says",
        ),
        (
            {"database.dump": DUMP},
            {"format": "landrelease-backup", "format_version": 1, "files": {"database.dump": 5}},
            "database.dump is not the size manifest.json says",
        ),
    ],
)
def test_an_archive_that_does_not_match_its_manifest_is_refused(tmp_path, members, listed, why):
    path = archive(tmp_path / "site.tar", members, listed)

    message = refusal("restore", str(path))

    assert message == f"{path} is not a readable landrelease backup ({why}); nothing was restored"
    assert not (tmp_path / "uploads").exists()


def test_a_backup_of_a_newer_format_names_what_to_do(tmp_path):
    listed = {**manifest(**{"database.dump": DUMP}), "format_version": 2}
    path = archive(tmp_path / "site.tar", {"database.dump": DUMP}, listed)

    message = refusal("restore", str(path))

    assert message == (
        f"{path} is a backup of format 2, which this version of landrelease (format 1) cannot "
        "read; restore it with the version that wrote it"
    )


def fake_client(folder: Path, name: str, script: str) -> None:
    folder.mkdir(exist_ok=True)
    program = folder / name
    program.write_text("#!/bin/sh\n" + script + "\n")
    program.chmod(0o755)


@pytest.mark.django_db
def test_a_failed_pg_dump_leaves_no_file_behind(tmp_path, settings):
    settings.PG_BIN_DIR = str(tmp_path / "bin")
    fake_client(tmp_path / "bin", "pg_dump", 'echo "pg_dump: error: connection lost" >&2; exit 1')
    out = tmp_path / "backups" / "site.tar"
    out.parent.mkdir()

    message = refusal("backup", "--out", str(out))

    assert message == "pg_dump failed: pg_dump: error: connection lost"
    assert list(out.parent.iterdir()) == []


@pytest.mark.django_db
def test_a_pg_bin_dir_without_the_program_is_named(tmp_path, settings):
    settings.PG_BIN_DIR = str(tmp_path)

    message = refusal("backup", "--out", str(tmp_path / "site.tar"))

    assert message == f"PG_BIN_DIR is {tmp_path}, which has no pg_dump"


@pytest.mark.django_db
def test_a_database_with_tables_is_never_restored_into(tmp_path, settings):
    listed = manifest(**{"database.dump": DUMP})
    listed["files"]["database.dump"]["sha256"] = hashlib.sha256(DUMP).hexdigest()
    path = archive(tmp_path / "site.tar", {"database.dump": DUMP}, listed)

    message = refusal("restore", str(path))

    name = settings.DATABASES["default"]["NAME"]
    assert message.startswith(f"database {name} is not empty (it holds ")
    # The first of its tables in name order (the accounting store's sort first).
    assert "e.g. public.accounting_part" in message
    assert message.endswith(
        "create a new one (createdb NEW_NAME), point DATABASE_URL at it and run the restore again"
    )
    assert not (tmp_path / "uploads").exists()


# pg_restore --list of a site's dump (PostgreSQL 15, PostGIS 3.3), abridged.
LISTING = """;
; Archive created at 2026-12-05 00:22:09 UTC
2; 3079 48799 EXTENSION - postgis
4708; 0 0 COMMENT - EXTENSION postgis
7; 2615 50261 SCHEMA - scope_approved postgres
4700; 0 48801 TABLE DATA public spatial_ref_sys postgres
4701; 0 50300 TABLE DATA public registry_hazardarea postgres
"""


@pytest.mark.parametrize(
    ("present", "dropped"),
    [
        ([], ["4708; 0 0 COMMENT - EXTENSION postgis"]),
        (
            ["public spatial_ref_sys"],
            [
                "4708; 0 0 COMMENT - EXTENSION postgis",
                "4700; 0 48801 TABLE DATA public spatial_ref_sys postgres",
            ],
        ),
    ],
)
def test_a_restore_by_the_sites_own_role_leaves_the_extensions_own_entries(present, dropped):
    """Only a superuser may comment on postgis, or write spatial_ref_sys once a superuser has
    created the extension for the site's role (checked by hand with such a role)."""
    lines = LISTING.splitlines()

    kept = [line for line in lines if services._restored(line, present)]

    assert [line for line in lines if line not in kept] == dropped
