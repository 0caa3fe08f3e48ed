"""Two workers committing the same file at once (two uploads of it, both checked before either
was committed): one stores it, the other ends rejected as its duplicate, not back to ready.

The workers run as their own processes (manage.py upload_worker --once) against the test
database. The first worker's commit is held at its end by a row lock the test takes on one of
its staged features, so the second worker looks for a committed twin, finds none, and runs into
the first one's uncommitted records; the lock is then released.
"""

import psycopg

from tests.uploads.files import release_frame
from tests.uploads.processes import (
    commit_blocked_on_staging,
    count,
    environment,
    hold_commit_at_its_end,
    queue,
    start_worker,
    status_of,
    wait_until,
)


def waiting_for_a_lock_besides(admin, dbname: str, backend: int) -> int | None:
    row = admin.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock' "
        "AND pid <> %s",
        [dbname, backend],
    ).fetchone()
    return row[0] if row else None


def test_of_two_twins_committed_at_once_the_second_ends_rejected_as_a_duplicate(
    tmp_path, worker_database, upload_root
):
    conninfo, admin = worker_database
    env = environment(conninfo, upload_root)
    path = tmp_path / "releases.geojson"
    release_frame().to_file(path, driver="GeoJSON")
    first = queue(env, path, step="commit")
    second = queue(env, path, step="commit")
    dbname = conninfo["dbname"]

    with psycopg.connect(**conninfo) as blocker:
        hold_commit_at_its_end(blocker, first)
        winner = start_worker(env, tmp_path / "winner.log", "--once")
        winner_backend = wait_until(
            lambda: commit_blocked_on_staging(admin, dbname),
            "the first commit's end",
            worker=winner,
        )
        loser = start_worker(env, tmp_path / "loser.log", "--once")
        wait_until(
            lambda: waiting_for_a_lock_besides(admin, dbname, winner_backend),
            "the second commit waiting for the first one's records",
            worker=loser,
        )
        blocker.rollback()

    for worker in (winner, loser):
        assert worker.wait(timeout=120) == 0, (tmp_path / "loser.log").read_text()
    assert status_of(admin, first) == "committed"
    assert status_of(admin, second) == "rejected"
    duplicate_of, error = admin.execute(
        "SELECT duplicate_of_id, error FROM uploads_upload WHERE id = %s", [second]
    ).fetchone()
    assert duplicate_of == first
    assert f"This file is a duplicate of upload {first}, committed on" in error
    assert count(admin, "registry_releasearea WHERE upload_id = %s", first) == 3
    assert count(admin, "registry_releasearea WHERE upload_id = %s", second) == 0
    assert count(admin, "uploads_stagedfeature WHERE upload_id = %s", second) == 0
    # Its copy of the file went with it, as for a duplicate recognised when it is sent.
    folders = dict(
        admin.execute(
            "SELECT id, folder FROM uploads_upload WHERE id IN (%s, %s)", [first, second]
        ).fetchall()
    )
    assert [p.name for p in upload_root.iterdir()] == [folders[first]]
