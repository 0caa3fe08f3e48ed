"""The long-running worker (manage.py upload_worker) as its own process: woken by NOTIFY, it
writes a heartbeat, survives losing its database connections, and stops cleanly on SIGTERM,
finishing the upload in hand.

Its fallback poll is set to ten minutes, so only a notify can make it take an upload within a
test's patience; every wait polls for the event and ends as soon as it happens.
"""

import signal
import subprocess

import psycopg
import pytest

from tests.uploads.files import release_frame
from tests.uploads.processes import (
    PATIENCE_S,
    commit_blocked_on_staging,
    count,
    environment,
    hold_commit_at_its_end,
    listening_backends,
    queue,
    request_commit,
    start_worker,
    status_of,
    wait_until,
)
from tests.uploads.test_kill_mid_commit import grid_file

NO_POLL = ("--poll-seconds", "600")


@pytest.fixture
def releases(tmp_path):
    def write(name: str, references=("W-1", "W-2", "W-3")):
        path = tmp_path / name
        release_frame(references=references).to_file(path, driver="GeoJSON")
        return path

    return write


def stopped(worker: subprocess.Popen) -> int:
    worker.send_signal(signal.SIGTERM)
    try:
        return worker.wait(timeout=PATIENCE_S)
    finally:
        if worker.poll() is None:
            worker.kill()


def listening(admin, dbname, worker, *, besides=frozenset()) -> set[int]:
    return wait_until(
        lambda: listening_backends(admin, dbname) - besides, "the worker listened", worker=worker
    )


def test_notifies_wake_the_worker_for_a_check_and_a_commit_and_its_heartbeat_names_it(
    tmp_path, worker_database, upload_root, releases
):
    conninfo, admin = worker_database
    env = environment(conninfo, upload_root)
    worker = start_worker(env, tmp_path / "worker.log", *NO_POLL)
    try:
        listening(admin, conninfo["dbname"], worker)

        upload_id = queue(env, releases("a.geojson"))

        wait_until(lambda: status_of(admin, upload_id) == "ready", "the check", worker=worker)
        beats = admin.execute(
            "SELECT pid, host, started_at <= beat_at FROM uploads_workerheartbeat"
        ).fetchall()
        assert [(pid, ok) for pid, _host, ok in beats] == [(worker.pid, True)]
        assert beats[0][1]

        request_commit(env, upload_id)

        wait_until(lambda: status_of(admin, upload_id) == "committed", "the commit", worker=worker)
        assert count(admin, "registry_releasearea WHERE upload_id = %s", upload_id) == 3
    finally:
        assert stopped(worker) == 0
    assert admin.execute("SELECT count(*) FROM uploads_workerheartbeat").fetchone() == (0,), (
        "a stopped worker removes its heartbeat"
    )


def test_the_worker_reconnects_after_its_database_connections_are_terminated(
    tmp_path, worker_database, upload_root, releases
):
    conninfo, admin = worker_database
    env = environment(conninfo, upload_root)
    worker = start_worker(env, tmp_path / "worker.log", *NO_POLL)
    try:
        first = listening(admin, conninfo["dbname"], worker)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (ours,) = cursor.fetchone()
        # Every backend of the test database but this test's two: the worker's (Django's, the
        # listener's, the heartbeat's), as when the server restarts or a network drops.
        terminated = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid NOT IN (pg_backend_pid(), %s)",
            [conninfo["dbname"], ours],
        ).fetchone()[0]
        assert terminated >= 1

        listening(admin, conninfo["dbname"], worker, besides=first)
        upload_id = queue(env, releases("a.geojson"))

        wait_until(lambda: status_of(admin, upload_id) == "ready", "the check", worker=worker)
        assert worker.poll() is None
    finally:
        assert stopped(worker) == 0
    log = (tmp_path / "worker.log").read_text()
    assert "lost the database connection" in log
    assert "Traceback" not in log


# Started by hand, a worker stops on SIGTERM. Started by make demo's supervisor (in the
# background, SIGINT ignored), a Ctrl-C reaches its whole process group, the worker included,
# and the supervisor then sends it SIGTERM: one stop, not a second signal that kills it.
@pytest.mark.parametrize(
    "as_background_job, signals",
    [(False, [signal.SIGTERM]), (True, [signal.SIGINT, signal.SIGTERM])],
    ids=["sigterm", "ctrl-c-then-the-supervisors-sigterm"],
)
def test_a_stop_lets_the_worker_finish_the_commit_in_hand_then_exit_0(
    tmp_path, worker_database, upload_root, as_background_job, signals
):
    conninfo, admin = worker_database
    env = environment(conninfo, upload_root)
    upload_id = queue(env, grid_file(tmp_path, n=100), step="commit")

    with psycopg.connect(**conninfo) as blocker:
        hold_commit_at_its_end(blocker, upload_id)
        worker = start_worker(
            env, tmp_path / "worker.log", *NO_POLL, as_background_job=as_background_job
        )
        try:
            wait_until(
                lambda: commit_blocked_on_staging(admin, conninfo["dbname"]),
                "the commit reached its end",
                worker=worker,
            )
            for each in signals:
                worker.send_signal(each)
            blocker.rollback()
            assert worker.wait(timeout=PATIENCE_S) == 0
        finally:
            if worker.poll() is None:
                worker.kill()

    assert status_of(admin, upload_id) == "committed"
    assert count(admin, "registry_releasearea WHERE upload_id = %s", upload_id) == 100
    assert b"upload worker: stopped" in (tmp_path / "worker.log").read_bytes()


def test_a_commit_whose_connection_is_terminated_is_retried_by_the_reconnected_worker(
    tmp_path, worker_database, upload_root
):
    conninfo, admin = worker_database
    env = environment(conninfo, upload_root)
    upload_id = queue(env, grid_file(tmp_path, n=100), step="commit")

    with psycopg.connect(**conninfo) as blocker:
        hold_commit_at_its_end(blocker, upload_id)
        worker = start_worker(env, tmp_path / "worker.log", *NO_POLL)
        try:
            backend = wait_until(
                lambda: commit_blocked_on_staging(admin, conninfo["dbname"]),
                "the commit reached its end",
                worker=worker,
            )
            admin.execute("SELECT pg_terminate_backend(%s)", [backend])
            blocker.rollback()

            wait_until(
                lambda: status_of(admin, upload_id) == "committed", "the retry", worker=worker
            )
        finally:
            assert stopped(worker) == 0

    assert count(admin, "registry_releasearea WHERE upload_id = %s", upload_id) == 100
    assert count(admin, "uploads_upload WHERE id = %s AND attempts = 2", upload_id) == 1
    assert "lost the database connection" in (tmp_path / "worker.log").read_text()
