"""Workers as their own processes against the test database, for the tests that kill, stop or
disconnect them: the database as those processes reach it, their environment, and polling.

The processes and these helpers' own connections work outside the test's transaction, so they
commit for real; the ``worker_database`` fixture (conftest.py) removes what they made.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).parents[2]
# Only bounds a broken run: every wait below polls for an event and ends as soon as it happens.
PATIENCE_S = 120
ORGANISATION = "worker-test"

# Create an upload of FILE for ORGANISATION; with "commit", check it here and ask for its commit.
QUEUE = f"""
import django, sys
django.setup()
from app.uploads.services import create_upload, check_upload, request_commit
path, step = sys.argv[1], sys.argv[2]
content = open(path, "rb").read()
upload = create_upload(organisation_slug="{ORGANISATION}", kind="release", filename="f.geojson",
                       chunks=[content], size_bytes=len(content), checked_here=step == "commit")
if step == "commit":
    upload = check_upload(upload_id=upload.pk)
    assert upload.status == "ready", upload.error
    request_commit(upload_id=upload.pk)
print(upload.pk)
"""


def conninfo_of(settings_dict: dict) -> dict:
    conninfo = {
        "dbname": settings_dict["NAME"],
        "user": settings_dict["USER"] or "postgres",
        "host": settings_dict["HOST"] or "127.0.0.1",
        "port": settings_dict["PORT"] or 5432,
    }
    if settings_dict["PASSWORD"]:
        conninfo["password"] = settings_dict["PASSWORD"]
    return conninfo


def environment(conninfo: dict, upload_root: Path) -> dict:
    password = f":{conninfo['password']}" if "password" in conninfo else ""
    url = (
        f"postgres://{conninfo['user']}{password}@{conninfo['host']}:{conninfo['port']}/"
        f"{conninfo['dbname']}"
    )
    return {
        **os.environ,
        "DATABASE_URL": url,
        "UPLOAD_ROOT": str(upload_root),
        "DJANGO_SETTINGS_MODULE": "app.settings",
    }


def queue(env: dict, path: Path, *, step: str = "check") -> int:
    """An upload of ``path`` made by another process: queued for its check, or checked and
    queued for its commit (``step="commit"``). Its id."""
    done = subprocess.run(
        [sys.executable, "-c", QUEUE, str(path), step],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout.split()[-1])


def request_commit(env: dict, upload_id: int) -> None:
    """Ask for the commit of a checked upload from another process, as the web process does."""
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, sys; django.setup(); "
            "from app.uploads.services import request_commit; "
            "request_commit(upload_id=int(sys.argv[1]))",
            str(upload_id),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )


def start_worker(
    env: dict, log_path: Path, *extra: str, as_background_job: bool = False
) -> subprocess.Popen:
    """``as_background_job``: started as a shell starts ``cmd &`` (make demo's supervisor), with
    SIGINT ignored."""
    with open(log_path, "wb") as log:
        return subprocess.Popen(
            [sys.executable, "manage.py", "upload_worker", *extra],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=(
                (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
                if as_background_job
                else None
            ),
        )


def wait_until(condition, what: str, *, worker: subprocess.Popen | None = None):
    """Poll ``condition`` until it returns something true, and return that."""
    deadline = time.monotonic() + PATIENCE_S
    while time.monotonic() < deadline:
        if result := condition():
            return result
        if worker is not None:
            assert worker.poll() is None, f"the worker ended before {what}"
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")


def count(admin, where: str, upload_id: int) -> int:
    return admin.execute(f"SELECT count(*) FROM {where}", [upload_id]).fetchone()[0]


def status_of(admin, upload_id: int) -> str:
    return admin.execute("SELECT status FROM uploads_upload WHERE id = %s", [upload_id]).fetchone()[
        0
    ]


def listening_backends(admin, dbname: str) -> set[int]:
    """The backends LISTENing for uploads (a worker waiting for work)."""
    rows = admin.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = %s AND query LIKE 'LISTEN %%'",
        [dbname],
    ).fetchall()
    return {pid for (pid,) in rows}


def hold_commit_at_its_end(blocker, upload_id: int) -> None:
    """Make a commit of ``upload_id`` wait just before its end, until ``blocker`` (an open
    connection, not autocommit) rolls back: a row lock on its first staged feature, which the
    commit deletes last (``commit_blocked_on_staging`` then sees it waiting)."""
    blocker.execute(
        "SELECT 1 FROM uploads_stagedfeature WHERE upload_id = %s AND number = 1 FOR UPDATE",
        [upload_id],
    )


def commit_blocked_on_staging(admin, dbname: str) -> int | None:
    """The worker's backend once its commit waits for a lock deleting the staging rows."""
    row = admin.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock' "
        "AND query LIKE 'DELETE FROM \"uploads_stagedfeature\"%%'",
        [dbname],
    ).fetchone()
    return row[0] if row else None
