"""manage.py backup, then restore into a fresh database: the same reports, the same history and
the same upload originals, byte for byte.

The site is built as an operator would, through the real pipeline, in a database of its own on
the test cluster: migrate, an organisation and an analyst, uploads checked and committed by
import_layer, approved with manage.py review, a record changed and one soft-deleted, one upload
left waiting for review. Everything runs as subprocesses with their own DATABASE_URL and
UPLOAD_ROOT, as the commands run in production; both databases are dropped afterwards.
"""

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import quote

import geopandas as gpd
import psycopg
import pytest
from django.conf import settings
from shapely.geometry import box

from tests.uploads.files import FIELDS, geod_ha, release_frame, shapefile_zip

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[2]
# An approved CHA under every field of the release file, so releases move "released".
CHA = box(106.99, 16.79, 107.07, 16.82)
REPORTS = [
    ("release", "--as-of", "2023-12-31", "--by", "district"),
    ("release", "--as-of", "2023-12-31", "--by", "district", "--include-submitted"),
    ("clearance", "--year", "2023", "--by", "organisation"),
    ("progress", "--from", "2016", "--to", "2025"),
]
HISTORY = """
    SELECT id, table_name, record_id, action, data, ST_AsEWKB(geometry), valid_from, valid_to,
           changed_by_id, upload_id, reason
      FROM registry_recordversion ORDER BY id
"""
UPLOADS = """
    SELECT id, organisation_id, kind, filename, sha256, size_bytes, stored_name, status,
           review_status, report
      FROM uploads_upload ORDER BY id
"""


class Site:
    """One database on the test cluster and an UPLOAD_ROOT, driven through manage.py."""

    def __init__(self, name: str, upload_root: Path) -> None:
        database = settings.DATABASES["default"]
        self.conninfo = {
            "dbname": name,
            "user": database["USER"] or "postgres",
            "host": database["HOST"] or "127.0.0.1",
            "port": database["PORT"] or 5432,
        }
        if database["PASSWORD"]:
            self.conninfo["password"] = database["PASSWORD"]
        self.name = name
        self.upload_root = upload_root
        password = f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
        self.url = (
            f"postgres://{self.conninfo['user']}{password}@{self.conninfo['host']}:"
            f"{self.conninfo['port']}/{name}"
        )

    def manage(self, *arguments: str, upload_root: Path | None = None):
        return self._process(["manage.py", *arguments], upload_root=upload_root)

    def python(self, script: str, *arguments: str) -> str:
        """A script run with Django set up, in a process of its own."""
        done = self._process(["-c", "import django\ndjango.setup()\n" + script, *arguments])
        assert done.returncode == 0, (done.stdout, done.stderr)
        return done.stdout

    def _process(self, command: list[str], *, upload_root: Path | None = None):
        environment = {
            **os.environ,
            "DATABASE_URL": self.url,
            "UPLOAD_ROOT": str(upload_root or self.upload_root),
            "DJANGO_SETTINGS_MODULE": "app.settings",
            "LANGUAGE": "en",
            "NEW_PASSWORD": "backup-restore-check-2024",
        }
        environment.pop("TEST_DATABASE_NAME", None)
        return subprocess.run(
            [sys.executable, *command],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=600,
        )

    def run(self, *arguments: str) -> str:
        done = self.manage(*arguments)
        assert done.returncode == 0, (arguments, done.stdout, done.stderr)
        return done.stdout

    def query(self, sql: str) -> list[tuple]:
        with psycopg.connect(**self.conninfo) as reading:
            return reading.execute(sql).fetchall()

    def tables(self) -> list[str]:
        return [
            name
            for (name,) in self.query(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'spatial_ref_sys'"
            )
        ]

    def files(self) -> dict[str, bytes]:
        return {
            path.relative_to(self.upload_root).as_posix(): path.read_bytes()
            for path in sorted(self.upload_root.rglob("*"))
            if path.is_file()
        }


@pytest.fixture
def sites(tmp_path):
    """A source and an empty target database, dropped at the end whatever happened."""
    base = f"test_{settings.DATABASES['default']['NAME']}_backup"
    source = Site(f"{base}_source", tmp_path / "source-uploads")
    target = Site(f"{base}_restored", tmp_path / "restored-uploads")
    maintenance = {**source.conninfo, "dbname": "postgres"}
    with psycopg.connect(**maintenance, autocommit=True) as admin:
        for site in (source, target):
            admin.execute(f'DROP DATABASE IF EXISTS "{site.name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{site.name}"')
        try:
            yield source, target
        finally:
            for site in (source, target):
                admin.execute(f'DROP DATABASE IF EXISTS "{site.name}" WITH (FORCE)')


# One process for the whole build: each Django start-up takes seconds on a loaded machine.
BUILD = """
import io, json, sys
from django.contrib.auth.models import User
from django.core.management import call_command
from app.records.services import change_record, delete_record
from app.registry.models import ReleaseArea

hazards, releases, later = sys.argv[1:]


def imported(path, kind):
    out = io.StringIO()
    call_command("import_layer", path, "--org", "npa", "--kind", kind, stdout=out)
    return str(json.loads(out.getvalue())["upload"])


call_command("migrate", "--no-input", verbosity=0)
call_command("load_admin_units")
call_command("add_organisation", "npa", "Norwegian People's Aid", "--kind", "ngo")
call_command("add_user", "hoa", "--role", "analyst", "--password-from-env", "NEW_PASSWORD")
approved = [imported(hazards, "hazard"), imported(releases, "release")]
call_command("review", "approve", *approved, "--user", "hoa", "--reason", "checked")
imported(later, "release")  # left waiting for review
hoa = User.objects.get(username="hoa")
one = ReleaseArea.objects.get(reference="QT-001")
change_record(layer="releases", record_id=one.pk, user=hoa, changes={"depth_cm": 25},
              reason="depth from the team log")
three = ReleaseArea.objects.get(reference="QT-003")
delete_record(layer="releases", record_id=three.pk, user=hoa, reason="duplicate")
"""
STATS = """
import io, json, sys
from django.core.management import call_command

reports = []
for arguments in json.loads(sys.argv[1]):
    out = io.StringIO()
    call_command("stats", *arguments, stdout=out)
    reports.append(json.loads(out.getvalue()))
print(json.dumps(reports))
"""


def build_the_source_site(site: Site, tmp_path: Path) -> None:
    hazards = tmp_path / "hazards.geojson"
    gpd.GeoDataFrame(
        {
            "reference": ["CHA-1"],
            "kind": ["CHA"],
            "contamination": ["cluster munitions"],
            "recorded_on": ["2020-01-10"],
        },
        geometry=[CHA],
        crs="EPSG:4326",
    ).to_file(hazards, driver="GeoJSON")
    releases = shapefile_zip(release_frame(), tmp_path)
    later = tmp_path / "later.gpkg"
    release_frame(references=("QT-201",), fields=FIELDS[:1]).to_file(later, driver="GPKG")
    site.python(BUILD, str(hazards), str(releases), str(later))


def reports(site: Site) -> list[dict]:
    return json.loads(site.python(STATS, json.dumps(REPORTS)))


def damaged_copy(archive: Path, copy: Path) -> Path:
    """The archive with one byte of the database dump changed (its size unchanged)."""
    with tarfile.open(archive) as reading:
        dump = reading.getmember("database.dump")
    data = bytearray(archive.read_bytes())
    data[dump.offset_data + dump.size // 2] ^= 0xFF
    copy.write_bytes(bytes(data))
    return copy


def test_a_restored_site_gives_the_same_reports_history_and_originals(sites, tmp_path):
    source, target = sites
    build_the_source_site(source, tmp_path)
    archive = tmp_path / "site.tar"

    said = source.run("backup", "--out", str(archive))

    assert said.startswith(f"Backed up database {source.name} and 3 upload files into ")
    assert archive.stat().st_mode & 0o077 == 0

    # Refusals leave the empty target as it was.
    damaged = target.manage("restore", str(damaged_copy(archive, tmp_path / "damaged.tar")))
    assert damaged.returncode == 1
    assert "database.dump is damaged: its checksum is not the one in manifest.json" in (
        damaged.stderr
    )
    assert "Traceback" not in damaged.stderr
    taken = target.manage("restore", str(archive), upload_root=source.upload_root)
    assert taken.returncode == 1
    assert "a restore never overwrites upload files" in taken.stderr
    assert target.tables() == []
    assert not target.upload_root.exists()
    assert list(tmp_path.glob(".restored-uploads.restore-*")) == []

    restored = target.run("restore", str(archive))

    assert "3 upload files into UPLOAD_ROOT" in restored
    restored_reports = reports(target)
    assert restored_reports == reports(source)
    # Not two empty reports alike: QT-001 and QT-002 approved and alive, QT-003 deleted.
    assert restored_reports[0]["total"]["released_ha"] == pytest.approx(
        geod_ha(FIELDS[0]) + geod_ha(FIELDS[1]), abs=0.01
    )
    history = target.query(HISTORY)
    assert history == source.query(HISTORY)
    assert {"created", "approved", "changed", "deleted"} <= {row[3] for row in history}
    assert target.query(UPLOADS) == source.query(UPLOADS)
    assert target.files() == source.files()
    assert len(target.files()) == 3
    # As private as the upload folders the site makes (app.uploads: 0700, originals 0600).
    restored_folders = [path for path in target.upload_root.rglob("*") if path.is_dir()]
    assert restored_folders
    assert {oct(folder.stat().st_mode & 0o777) for folder in restored_folders} == {"0o700"}

    again = target.manage("restore", str(archive))
    assert again.returncode == 1
    assert f"database {target.name} is not empty" in again.stderr
    assert "Traceback" not in again.stderr
