"""The background worker: claim the oldest waiting upload, check or commit it, and wait for more.

Claimed with SELECT ... FOR UPDATE SKIP LOCKED plus a session-level advisory lock on the upload
held for as long as the worker works on it, so several workers never take the same upload, the
web process never waits for one, and an upload whose worker died (its connection gone, and the
lock with it) is taken again at once. A commit runs in one transaction: a worker killed
mid-commit leaves the upload 'committing' and the registry as it was, and the next worker
commits it again from the start.

An upload never stops the queue (issue 8): whatever its processing raises ends it ``failed``
with the reason, and the worker goes on with the next one. Each claim counts an attempt on the
upload before the work starts, so an upload that kills its worker, or loses its database
connection, every time is given up after MAX_ATTEMPTS. A lost connection stops nothing either:
the loop closes it, waits a little longer each time, reconnects and goes on.

The worker sleeps in LISTEN on notify.UPLOAD_CHANNEL, which the web process NOTIFYs when it
queues work, with a poll every UPLOAD_WORKER_POLL_SECONDS in case a notify was missed. While it
runs it writes a heartbeat (WorkerHeartbeat) that /healthz reads.
"""

import contextlib
import datetime as dt
import logging
import os
import socket
import threading
import time
from collections.abc import Callable

import psycopg
from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.db.models import F, Q
from django.utils import timezone

from app.uploads.models import StagedFeature, Upload, UploadStatus, WorkerHeartbeat
from app.uploads.progress import CheckStep
from app.uploads.services import (
    UploadRefused,
    UploadStateConflict,
    check_upload,
    commit_upload,
)
from app.uploads.services.notify import UPLOAD_CHANNEL
from gis.messages import Number, Text, as_coded

log = logging.getLogger(__name__)

# Tries of one step (the check, or the commit since it was asked for) before it is given up.
MAX_ATTEMPTS = 3
# The first argument of the two-key advisory locks the worker holds on uploads (the second is
# the upload's id), so they cannot be mistaken for another use of advisory locks.
ADVISORY_LOCK_CLASS = 3_2008
# Candidates looked at per claim: the rows other workers hold are skipped.
CLAIM_BATCH = 20
# After a lost connection: wait this long before reconnecting, doubled at each failure in a row.
RECONNECT_FIRST_S = 0.5
RECONNECT_MOST_S = 30.0
HEARTBEAT_EVERY_S = 5.0
# Heartbeat rows of workers that died without a clean stop are removed after this long.
HEARTBEAT_FORGOTTEN_AFTER = dt.timedelta(days=1)
# How often a waiting worker looks at its stop flag (SIGTERM).
STOP_CHECK_S = 1.0
# The reason kept for a failure: the exception's class and the first line of its message.
REASON_LENGTH = 300

# What a lost or broken database connection raises, through Django or from the listener.
DATABASE_LOST = (OperationalError, InterfaceError, psycopg.OperationalError, psycopg.InterfaceError)


def process_next_upload() -> int | None:
    """Check or commit the oldest waiting upload; its id, or None when nothing waits.

    Anything the processing raises ends the upload failed with the reason, except a lost
    database connection, which is raised (the upload stays queued for another attempt)."""
    claimed = _claim_next()
    if claimed is None:
        return None
    upload_id, step = claimed
    try:
        if step == UploadStatus.COMMITTING:
            _commit(upload_id)
        elif step == UploadStatus.CHECKING:
            _check(upload_id)
    finally:
        _unlock(upload_id)
    return upload_id


def process_waiting_uploads() -> list[int]:
    """Process uploads until none waits (``upload_worker --once``, tests, cron)."""
    done = []
    while (upload_id := process_next_upload()) is not None:
        done.append(upload_id)
    return done


def _waiting():
    # A check a worker claimed ('checking', claimed_at set) whose advisory lock is free lost its
    # worker (killed, or its connection lost) and is taken again at once. One import_layer
    # checks itself has no claim (services.create, checked_here) and is never taken.
    return Q(status__in=[UploadStatus.QUEUED, UploadStatus.COMMITTING]) | Q(
        status=UploadStatus.CHECKING, claimed_at__isnull=False
    )


def _claim_next() -> tuple[int, str | None] | None:
    """(id, the step to run: checking or committing, or None when it was given up), with the
    upload's advisory lock held, or None when nothing waits."""
    with transaction.atomic():
        candidates = (
            Upload.objects.select_for_update(skip_locked=True)
            .filter(_waiting())
            .order_by("id")
            # Not the reports (they can be megabytes): _fail reads them for the one it gives up.
            .only("id", "status", "attempts")[:CLAIM_BATCH]
        )
        upload = next((each for each in candidates if _try_lock(each.pk)), None)
        if upload is None:
            return None
        if upload.attempts >= MAX_ATTEMPTS:
            code = "commit_gave_up" if upload.status == UploadStatus.COMMITTING else "check_gave_up"
            _fail(upload, Text(code, attempts=Number(upload.attempts)))
            return upload.pk, None
        step = UploadStatus.COMMITTING
        changes = {"attempts": F("attempts") + 1, "claimed_at": timezone.now()}
        if upload.status != UploadStatus.COMMITTING:
            step = UploadStatus.CHECKING
            changes.update(status=UploadStatus.CHECKING, progress=CheckStep.CLAIMED)
        Upload.objects.filter(pk=upload.pk).update(**changes)
    return upload.pk, step


def _try_lock(upload_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [ADVISORY_LOCK_CLASS, upload_id])
        return cursor.fetchone()[0]


def _unlock(upload_id: int) -> None:
    # On a lost connection the lock went with the session; the error goes to the loop.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [ADVISORY_LOCK_CLASS, upload_id])


def _commit(upload_id: int) -> None:
    try:
        commit_upload(upload_id=upload_id)
    except (UploadStateConflict, UploadRefused) as refused:
        # Back to ready with the reason: the user may commit again with another choice.
        Upload.objects.filter(pk=upload_id).update(
            status=UploadStatus.READY, error=refused.message, attempts=0
        )
    except DATABASE_LOST:
        raise
    except Exception as error:  # noqa: BLE001 - any error ends this upload, never the queue
        log.exception("the commit of upload %s failed", upload_id)
        with transaction.atomic():
            _fail(Upload.objects.select_for_update().get(pk=upload_id), _commit_failed(error))


def _check(upload_id: int) -> None:
    # check_upload ends the upload rejected or failed itself; what it lets through is a failure
    # of that ending (or a lost connection).
    try:
        check_upload(upload_id=upload_id)
    except DATABASE_LOST:
        raise
    except Exception as error:  # noqa: BLE001 - any error ends this upload, never the queue
        log.exception("the check of upload %s failed", upload_id)
        with transaction.atomic():
            message = Text("check_failed", error=_reason(error))
            _fail(Upload.objects.select_for_update().get(pk=upload_id), message)


def _commit_failed(error: Exception) -> Text:
    return Text("commit_failed", error=_reason(error))


def _reason(error: Exception) -> str:
    first_line = (str(error).strip().splitlines() or [""])[0]
    return f"{type(error).__name__}: {first_line}"[:REASON_LENGTH].rstrip(": ")


def _fail(upload: Upload, message: Text) -> None:
    """End ``upload`` failed with ``message``, its staged features dropped (nothing of it can be
    stored now) and its check report kept; call it in a transaction, the upload locked."""
    StagedFeature.objects.filter(upload_id=upload.pk).delete()
    report = {
        "file": upload.filename,
        **(upload.report or {}),
        "code": "failed",
        "error": message,
        "error_codes": [as_coded(message)],
    }
    Upload.objects.filter(pk=upload.pk).update(
        status=UploadStatus.FAILED, progress=100, error=message, report=report
    )


# ---- the long-running loop (manage.py upload_worker) ----


def run_worker(
    *,
    poll_seconds: float,
    stop: threading.Event,
    on_processed: Callable[[int], None] = lambda upload_id: None,
) -> None:
    """Process uploads as they come until ``stop`` is set, then return once the upload in hand
    is done. Woken by NOTIFY, polling every ``poll_seconds`` anyway; survives lost connections."""
    heartbeat = Heartbeat()
    heartbeat.start()
    listener = None
    reconnect_in = RECONNECT_FIRST_S
    try:
        while not stop.is_set():
            try:
                close_old_connections()
                if listener is None:
                    listener = _listen()
                    if reconnect_in > RECONNECT_FIRST_S:
                        log.warning("upload worker: connected to the database again")
                # Listening before this look at the queue: whatever is queued after it is
                # notified, whatever was queued before is found now.
                while not stop.is_set() and (upload_id := process_next_upload()) is not None:
                    on_processed(upload_id)
                reconnect_in = RECONNECT_FIRST_S
                _wait_for_work(listener, poll_seconds=poll_seconds, stop=stop)
            except DATABASE_LOST as error:
                log.warning(
                    "upload worker: lost the database connection (%s); reconnecting in %.1f s",
                    _reason(error),
                    reconnect_in,
                )
                _close_quietly(listener)
                listener = None
                connection.close()
                stop.wait(reconnect_in)
                reconnect_in = min(reconnect_in * 2, RECONNECT_MOST_S)
            except Exception:  # noqa: BLE001 - the queue must go on; the upload's attempts bound it
                # Failing to record a failure (or another database error): the upload in hand
                # stays queued with its attempt counted, and is given up after MAX_ATTEMPTS.
                log.exception("upload worker: unexpected error; going on in %.1f s", reconnect_in)
                connection.close()
                stop.wait(reconnect_in)
                reconnect_in = min(reconnect_in * 2, RECONNECT_MOST_S)
    finally:
        _close_quietly(listener)
        heartbeat.stop()


def _listen() -> psycopg.Connection:
    """A connection of its own for LISTEN (Django's may be closed and reopened between
    uploads, and a LISTEN lives as long as its session)."""
    params = connection.get_connection_params()
    for django_only in ("cursor_factory", "context"):
        params.pop(django_only, None)
    listener = psycopg.connect(**params, autocommit=True)
    listener.execute(f"LISTEN {UPLOAD_CHANNEL}")
    return listener


def _wait_for_work(listener: psycopg.Connection, *, poll_seconds: float, stop) -> None:
    """Until a notify comes, ``poll_seconds`` pass or ``stop`` is set."""
    deadline = time.monotonic() + poll_seconds
    while not stop.is_set() and (remaining := deadline - time.monotonic()) > 0:
        for _notify in listener.notifies(timeout=min(remaining, STOP_CHECK_S), stop_after=1):
            return


def _close_quietly(listener: psycopg.Connection | None) -> None:
    if listener is not None:
        with contextlib.suppress(DATABASE_LOST):
            listener.close()


class Heartbeat(threading.Thread):
    """Writes this worker's WorkerHeartbeat row every HEARTBEAT_EVERY_S seconds, also while the
    worker is busy with a long check, on the thread's own database connection."""

    def __init__(self) -> None:
        super().__init__(name="upload-worker-heartbeat", daemon=True)
        self.stopping = threading.Event()
        self.started_at = timezone.now()
        self.row_id: int | None = None

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                try:
                    self.beat()
                except DATABASE_LOST as error:
                    log.warning(
                        "upload worker heartbeat: database unreachable (%s)", _reason(error)
                    )
                    connection.close()
                self.stopping.wait(HEARTBEAT_EVERY_S)
            if self.row_id is not None:
                WorkerHeartbeat.objects.filter(pk=self.row_id).delete()
        except DATABASE_LOST:
            pass
        finally:
            connection.close()

    def beat(self) -> None:
        now = timezone.now()
        if self.row_id is None or not WorkerHeartbeat.objects.filter(pk=self.row_id).update(
            beat_at=now
        ):
            WorkerHeartbeat.objects.filter(beat_at__lt=now - HEARTBEAT_FORGOTTEN_AFTER).delete()
            self.row_id = WorkerHeartbeat.objects.create(
                host=socket.gethostname()[:255],
                pid=os.getpid(),
                started_at=self.started_at,
                beat_at=now,
            ).pk

    def stop(self) -> None:
        """Stop beating and remove the row: a stopped worker is not a running one."""
        self.stopping.set()
        self.join(timeout=HEARTBEAT_EVERY_S * 2)
