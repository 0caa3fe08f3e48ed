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

import geopandas as gpd
import psycopg
from shapely.geometry import box

from tests.uploads.processes import (
    ROOT,
    commit_blocked_on_staging,
    count,
    environment,
    hold_commit_at_its_end,
    queue,
    start_worker,
    status_of,
    wait_until,
)


def grid_file(tmp_path, n=400):
    """``n`` small squares on a 20-wide grid near Cồn Tiên, inside the province."""
    fields = [
        box(107.0 + col * 0.001, 16.8 + row * 0.001, 107.0005 + col * 0.001, 16.8005 + row * 0.001)
        for row in range(n // 20)
        for col in range(20)
    ]
    path = tmp_path / "big.geojson"
    gpd.GeoDataFrame(
        {"reference": [f"K-{i}" for i in range(n)], "method": "cleared"},
        geometry=fields,
        crs="EPSG:4326",
    ).assign(completed_on="2024-03-01").to_file(path, driver="GeoJSON")
    return path


def test_a_worker_killed_mid_commit_leaves_no_record_and_the_next_one_commits(
    tmp_path, worker_database, upload_root
):
    conninfo, admin = worker_database
    env = environment(conninfo, upload_root)
    upload_id = queue(env, grid_file(tmp_path), step="commit")

    with psycopg.connect(**conninfo) as blocker:
        hold_commit_at_its_end(blocker, upload_id)
        worker = start_worker(env, tmp_path / "worker.log", "--once")
        backend = wait_until(
            lambda: commit_blocked_on_staging(admin, conninfo["dbname"]),
            "the commit reached its end",
            worker=worker,
        )
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
    assert status_of(admin, upload_id) == "committing"

    subprocess.run(
        [sys.executable, "manage.py", "upload_worker", "--once"], cwd=ROOT, env=env, check=True
    )
    assert count(admin, "registry_releasearea WHERE upload_id = %s", upload_id) == 400
    assert status_of(admin, upload_id) == "committed"
