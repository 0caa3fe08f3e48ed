"""A real PostgreSQL streaming replica of the cluster the tests run on, for as long as a test needs.

``pg_basebackup -R`` copies the whole cluster named by DATABASES["default"] (host, port, user,
password; the project's clusters ask for a scram password, the shared development cluster trusts
127.0.0.1) into a temporary folder, with ``standby.signal`` and a ``primary_conninfo`` that
carries the same password, and the copy is started on a free port as a hot standby. Replication
from 127.0.0.1 is allowed by the pg_hba.conf initdb writes, and wal_level is ``replica`` by
default. Run as root, the programs run as the ``postgres`` system user (initdb and postgres
refuse root), as the Makefile's ``cluster`` macro does.

The copy takes as long as the cluster is large: a few seconds on `make test`'s own cluster,
which holds the test database only.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

PG_BIN_DIR = Path(os.getenv("PG_BIN_DIR") or "/usr/lib/postgresql/15/bin")
# Settings a hot standby must hold at least as high as its primary, or it refuses to start.
STANDBY_AT_LEAST_PRIMARY = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)
# Bounded waits: starting, and replaying what the primary committed.
START_SECONDS = 60
REPLAY_SECONDS = 20


def pg_basebackup() -> str | None:
    """The pg_basebackup program, None when it is not installed."""
    candidate = PG_BIN_DIR / "pg_basebackup"
    return str(candidate) if candidate.is_file() else shutil.which("pg_basebackup")


@dataclass(frozen=True)
class Standby:
    host: str
    port: int
    data_directory: Path

    def conninfo(self, primary: dict) -> str:
        return psycopg.conninfo.make_conninfo(
            host=self.host,
            port=self.port,
            user=primary["USER"],
            password=primary["PASSWORD"] or None,
            dbname=primary["NAME"],
        )


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _primary_conninfo(primary: dict) -> str:
    return psycopg.conninfo.make_conninfo(
        host=primary["HOST"] or "127.0.0.1",
        port=primary["PORT"] or 5432,
        user=primary["USER"],
        password=primary["PASSWORD"] or None,
        dbname=primary["NAME"],
    )


@contextmanager
def running_standby(primary: dict) -> Iterator[Standby]:
    """A hot standby of the cluster of ``primary`` (a DATABASES entry), stopped and removed on
    leaving, whatever happened inside."""
    folder = Path(tempfile.mkdtemp(prefix="landrelease-standby-"))
    data = folder / "data"
    program_dir = Path(pg_basebackup()).parent
    environment = {**os.environ, "PGPASSWORD": primary["PASSWORD"] or ""}
    started = False
    try:
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
        with psycopg.connect(_primary_conninfo(primary), autocommit=True) as connection:
            levels = dict(
                connection.execute(
                    "SELECT name, setting FROM pg_settings WHERE name = ANY(%s)",
                    [list(STANDBY_AT_LEAST_PRIMARY)],
                ).fetchall()
            )
        subprocess.run(
            _as_postgres(
                [
                    str(program_dir / "pg_basebackup"),
                    "--pgdata", str(data),
                    "--host", primary["HOST"] or "127.0.0.1",
                    "--port", str(primary["PORT"] or 5432),
                    "--username", primary["USER"],
                    "--write-recovery-conf",
                    "--wal-method=stream",
                    "--checkpoint=fast",
                    "--no-sync",
                ]
            ),
            env=environment,
            check=True,
            capture_output=True,
            cwd=folder,
        )  # fmt: skip
        port = _free_port()
        options = " ".join(
            [
                f"-p {port} -k {folder} -c listen_addresses=127.0.0.1",
                "-c hot_standby=on -c fsync=off -c shared_buffers=64MB",
                *(f"-c {name}={value}" for name, value in levels.items()),
            ]
        )
        started = True
        subprocess.run(
            _as_postgres(
                [
                    str(program_dir / "pg_ctl"), "--pgdata", str(data),
                    "--log", str(folder / "log"),
                    "--wait", "--timeout", str(START_SECONDS), "--options", options, "start",
                ]
            ),
            check=True,
            capture_output=True,
            cwd=folder,
        )  # fmt: skip
        yield Standby(host="127.0.0.1", port=port, data_directory=data)
    except subprocess.CalledProcessError as error:
        log = folder / "log"
        raise AssertionError(
            f"{error.cmd[-1]} failed: {error.stderr.decode(errors='replace')}"
            + (log.read_text(errors="replace")[-2000:] if log.exists() else "")
        ) from error
    finally:
        if started:
            subprocess.run(
                _as_postgres(
                    [str(program_dir / "pg_ctl"), "--pgdata", str(data), "stop", "-m", "immediate"]
                ),
                capture_output=True,
                cwd=folder,
            )
        shutil.rmtree(folder, ignore_errors=True)


def wait_for_replay(primary: dict, standby: Standby) -> None:
    """Return once the standby has replayed everything the primary has written so far."""
    # The insert position, not pg_current_wal_lsn() (the write position): with
    # synchronous_commit off, as the test clusters run, a commit may still sit in the WAL
    # buffers, before the write position, and the wait ended before the standby had it.
    with psycopg.connect(_primary_conninfo(primary), autocommit=True) as connection:
        (position,) = connection.execute("SELECT pg_current_wal_insert_lsn()").fetchone()
    deadline = time.monotonic() + REPLAY_SECONDS
    with psycopg.connect(standby.conninfo(primary), autocommit=True) as connection:
        while True:
            (replayed,) = connection.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [str(position)]
            ).fetchone()
            if replayed:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"the standby did not replay up to {position} in time")
            # Replication is asynchronous: waiting for it is the point of this function.
            time.sleep(0.05)


def stop(standby: Standby) -> None:
    """Stop the standby now (a replica that goes down); running_standby still removes it."""
    subprocess.run(
        _as_postgres(
            [str(Path(pg_basebackup()).parent / "pg_ctl"), "--pgdata", str(standby.data_directory),
             "stop", "-m", "immediate"]
        ),
        check=True,
        capture_output=True,
        cwd=standby.data_directory.parent,
    )  # fmt: skip
