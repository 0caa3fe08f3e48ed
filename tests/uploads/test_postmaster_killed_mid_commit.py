"""kill -9 of the PostgreSQL postmaster in the middle of a commit: after a restart (crash
recovery, fsync on) the upload's records are all there or none is, and the worker commits it.

The test runs a throwaway cluster of its own (as the ``postgres`` system user when run as root:
initdb refuses root) on a free port, with the test database's schema (pg_dump --schema-only).
The commit is held at a known point, as in test_kill_mid_commit: every release inserted, the
commit waiting for a row lock on one staged feature that the test holds. The postmaster is
killed there; its backends end on its death; the cluster is started again.
"""

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest

from tests.uploads.processes import (
    ORGANISATION,
    ROOT,
    commit_blocked_on_staging,
    conninfo_of,
    count,
    environment,
    hold_commit_at_its_end,
    queue,
    start_worker,
    status_of,
    wait_until,
)
from tests.uploads.test_kill_mid_commit import grid_file

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

PGBIN = Path(os.getenv("PGBIN", "/usr/lib/postgresql/15/bin"))
DBNAME = "postmaster_kill"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster in a temporary directory, run as ``postgres`` when we are root."""

    def __init__(self) -> None:
        self.as_user = "postgres" if os.geteuid() == 0 else None
        self.home = Path(tempfile.mkdtemp(prefix="landrelease-postmaster-kill-"))
        if self.as_user:
            account = pwd.getpwnam(self.as_user)
            os.chown(self.home, account.pw_uid, account.pw_gid)
        self.data = self.home / "data"
        self.port = free_port()
        self.conninfo = {
            "dbname": DBNAME,
            "user": "postgres",
            "host": "127.0.0.1",
            "port": self.port,
        }

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(PGBIN / args[0]), *args[1:]],
            user=self.as_user,
            cwd=self.home,
            capture_output=True,
            text=True,
            check=check,
        )

    def init(self) -> None:
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def start(self) -> bool:
        options = (
            f"-p {self.port} -k {self.home} -c listen_addresses=127.0.0.1 -c fsync=on "
            "-c synchronous_commit=on -c full_page_writes=on -c shared_buffers=32MB"
        )
        started = self.run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.home / "log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
            check=False,
        )
        return started.returncode == 0

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.home, ignore_errors=True)


@pytest.fixture
def cluster(db):
    if not (PGBIN / "initdb").exists():
        pytest.skip(f"no PostgreSQL server binaries in {PGBIN} (set PGBIN)")
    from django.db import connection

    cluster = Cluster()
    try:
        cluster.init()
        assert cluster.start(), (cluster.home / "log").read_text()
        # The test database's schema (the app's, migrated), with the organisation that uploads.
        schema = subprocess.run(
            [str(PGBIN / "pg_dump"), "--schema-only", "--no-owner", *dump_target(connection)],
            env=dump_environment(connection),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        with psycopg.connect(**{**cluster.conninfo, "dbname": "postgres"}, autocommit=True) as pg:
            pg.execute(f"CREATE DATABASE {DBNAME}")
        # psql, not psycopg: pg_dump writes psql's meta-commands (\restrict).
        subprocess.run(
            [str(PGBIN / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1"]
            + ["-p", str(cluster.port), "-U", "postgres", "-d", DBNAME],
            input=schema,
            capture_output=True,
            text=True,
            check=True,
        )
        with psycopg.connect(**cluster.conninfo, autocommit=True) as pg:
            pg.execute(
                "INSERT INTO registry_organisation (slug, name, kind) "
                "VALUES (%s, 'Killed postmaster test', 'ngo')",
                [ORGANISATION],
            )
        yield cluster
    finally:
        cluster.stop()


def dump_target(connection) -> list[str]:
    info = conninfo_of(connection.settings_dict)
    return ["-h", str(info["host"]), "-p", str(info["port"]), "-U", info["user"], info["dbname"]]


def dump_environment(connection) -> dict[str, str]:
    """pg_dump's environment: the test cluster asks for a password (the Makefile's scram
    clusters), passed as PGPASSWORD, never on the command line."""
    password = conninfo_of(connection.settings_dict).get("password")
    return {**os.environ, "PGPASSWORD": password} if password else dict(os.environ)


def test_a_postmaster_killed_mid_commit_leaves_the_upload_whole_or_absent_and_retryable(
    tmp_path, cluster, upload_root
):
    env = environment(cluster.conninfo, upload_root)
    upload_id = queue(env, grid_file(tmp_path, n=200), step="commit")

    admin = psycopg.connect(**cluster.conninfo, autocommit=True)
    blocker = psycopg.connect(**cluster.conninfo)
    try:
        hold_commit_at_its_end(blocker, upload_id)
        worker = start_worker(env, tmp_path / "worker.log", "--once")
        wait_until(
            lambda: commit_blocked_on_staging(admin, DBNAME),
            "the commit reached its end",
            worker=worker,
        )

        os.kill(cluster.postmaster_pid(), signal.SIGKILL)

        # Its backends end on the postmaster's death; the worker loses its connection.
        assert worker.wait(timeout=120) != 0
    finally:
        for each in (admin, blocker):
            with contextlib.suppress(psycopg.Error):
                each.close()
    # Started again once the old backends have let go of the shared memory: crash recovery.
    wait_until(cluster.start, "the cluster started again")

    with psycopg.connect(**cluster.conninfo, autocommit=True) as after:
        stored = count(after, "registry_releasearea WHERE upload_id = %s", upload_id)
        status = status_of(after, upload_id)
        assert (stored, status) in [(0, "committing"), (200, "committed")], "whole or absent"
        assert (stored, status) == (0, "committing"), "the kill came before the commit's end"
        assert count(after, "uploads_stagedfeature WHERE upload_id = %s", upload_id) == 200
        assert count(after, "uploads_upload WHERE attempts = 1 AND id = %s", upload_id) == 1

        subprocess.run(
            [sys.executable, "manage.py", "upload_worker", "--once"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )

        assert count(after, "registry_releasearea WHERE upload_id = %s", upload_id) == 200
        assert status_of(after, upload_id) == "committed"
        assert count(after, "uploads_stagedfeature WHERE upload_id = %s", upload_id) == 0
