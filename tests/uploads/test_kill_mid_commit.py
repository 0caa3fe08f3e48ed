"""A worker killed in the middle of a commit leaves the registry as it was before the commit.

The worker runs as its own process (manage.py upload_worker --once) against the test database.
To kill it at a known point inside the commit, the test holds a row lock on one staged feature:
the commit has inserted every release (its transaction holds the table's RowExclusiveLock) and
waits to clear the staging rows. The worker is killed there; the records must not appear.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import psycopg
import pytest
from shapely.geometry import box

ROOT = Path(__file__).parents[2]
PATIENCE_S = 120


@pytest.fixture
def database(db):
    from django.db import connection

    # The test database (the worker and this test's own connections work outside the test's
    # transaction, so they commit for real and clean up after themselves).
    settings = connection.settings_dict
    conninfo = {
        "dbname": settings["NAME"],
        "user": settings["USER"] or "postgres",
        "host": settings["HOST"] or "127.0.0.1",
        "port": settings["PORT"] or 5432,
    }
    if settings["PASSWORD"]:
        conninfo["password"] = settings["PASSWORD"]
    with psycopg.connect(**conninfo, autocommit=True) as admin:
        organisation_id = admin.execute(
            "INSERT INTO registry_organisation (slug, name, kind) "
            "VALUES ('kill-test', 'Killed worker test', 'ngo') RETURNING id"
        ).fetchone()[0]
        try:
            yield conninfo, admin
        finally:
            uploads = "SELECT id FROM uploads_upload WHERE organisation_id = %s"
            admin.execute(
                f"DELETE FROM registry_releasearea WHERE upload_id IN ({uploads})",
                [organisation_id],
            )
            admin.execute(
                f"DELETE FROM uploads_stagedfeature WHERE upload_id IN ({uploads})",
                [organisation_id],
            )
            admin.execute(
                "DELETE FROM uploads_upload WHERE organisation_id = %s", [organisation_id]
            )
            admin.execute("DELETE FROM registry_organisation WHERE id = %s", [organisation_id])


def environment(conninfo: dict, upload_root: Path) -> dict:
    password = f":{conninfo['password']}" if "password" in conninfo else ""
    url = (
        f"postgres://{conninfo['user']}{password}@{conninfo['host']}:{conninfo['port']}/"
        f"{conninfo['dbname']}"
    )
    return {**os.environ, "DATABASE_URL": url, "UPLOAD_ROOT": str(upload_root)}


QUEUE_FOR_COMMIT = """
import django, sys
django.setup()
from app.uploads.services import create_upload, check_upload, request_commit
path = sys.argv[1]
with open(path, "rb") as source:
    upload = create_upload(organisation_slug="kill-test", kind="release", filename="big.geojson",
                           chunks=[source.read()], size_bytes=len(open(path, "rb").read()))
upload = check_upload(upload_id=upload.pk)
assert upload.status == "ready", upload.error
request_commit(upload_id=upload.pk)
print(upload.pk)
"""


def test_a_worker_killed_mid_commit_leaves_no_record_and_the_next_one_commits(
    tmp_path, database, upload_root
):
    conninfo, admin = database
    env = environment(conninfo, upload_root)
    # 400 small squares on a 20 x 20 grid near Cồn Tiên, inside the province.
    fields = [
        box(107.0 + col * 0.001, 16.8 + row * 0.001, 107.0005 + col * 0.001, 16.8005 + row * 0.001)
        for row in range(20)
        for col in range(20)
    ]
    path = tmp_path / "big.geojson"
    gpd.GeoDataFrame(
        {"reference": [f"K-{i}" for i in range(400)], "method": "cleared"},
        geometry=fields,
        crs="EPSG:4326",
    ).assign(completed_on="2024-03-01").to_file(path, driver="GeoJSON")
    queued = subprocess.run(
        [sys.executable, "-c", QUEUE_FOR_COMMIT, str(path)],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "app.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    upload_id = int(queued.stdout.split()[-1])

    with psycopg.connect(**conninfo) as blocker:
        blocker.execute(
            "SELECT 1 FROM uploads_stagedfeature WHERE upload_id = %s AND number = 1 FOR UPDATE",
            [upload_id],
        )
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "upload_worker", "--once"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        backend = wait_for_commit_blocked_on_staging(admin, conninfo["dbname"], worker)
        assert admin.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE l.pid = %s AND c.relname = 'registry_releasearea' "
            "AND l.mode = 'RowExclusiveLock'",
            [backend],
        ).fetchone() == (1,), "the commit had not inserted the releases yet"

        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        blocker.rollback()

    # Wait until the killed worker's transaction has ended (its lock on the table is gone).
    admin.execute("SET lock_timeout = '120s'")
    with admin.transaction():
        admin.execute("LOCK TABLE registry_releasearea IN SHARE MODE")
    assert count(admin, "registry_releasearea WHERE upload_id = %s", upload_id) == 0
    assert count(admin, "uploads_stagedfeature WHERE upload_id = %s", upload_id) == 400
    status = admin.execute("SELECT status FROM uploads_upload WHERE id = %s", [upload_id])
    assert status.fetchone() == ("committing",)

    subprocess.run(
        [sys.executable, "manage.py", "upload_worker", "--once"], cwd=ROOT, env=env, check=True
    )
    assert count(admin, "registry_releasearea WHERE upload_id = %s", upload_id) == 400
    status = admin.execute("SELECT status FROM uploads_upload WHERE id = %s", [upload_id])
    assert status.fetchone() == ("committed",)


def count(admin, where: str, upload_id: int) -> int:
    return admin.execute(f"SELECT count(*) FROM {where}", [upload_id]).fetchone()[0]


def wait_for_commit_blocked_on_staging(admin, dbname: str, worker) -> int:
    """The worker's backend once it waits for our lock, deleting the staging rows. Polled: the
    event happens in another process; the deadline only bounds a broken run."""
    deadline = time.monotonic() + PATIENCE_S
    while time.monotonic() < deadline:
        row = admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock' "
            "AND query LIKE 'DELETE FROM \"uploads_stagedfeature\"%%'",
            [dbname],
        ).fetchone()
        if row:
            return row[0]
        assert worker.poll() is None, "the worker ended before reaching the commit's end"
        time.sleep(0.05)
    raise AssertionError("the worker never reached the end of the commit")
