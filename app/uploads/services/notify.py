"""Waking the upload worker: a PostgreSQL NOTIFY on one channel, which the worker LISTENs on.

Sent inside the transaction that queues the work (a new upload, a commit asked for), so
PostgreSQL delivers it when, and only if, that transaction commits: the worker never wakes for
an upload it cannot see yet. A notify missed (the worker was reconnecting) is caught by the
worker's catch-up after each LISTEN and by its fallback poll (UPLOAD_WORKER_POLL_SECONDS).
"""

from django.db import connection

UPLOAD_CHANNEL = "landrelease_uploads"


def notify_worker(*, upload_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", [UPLOAD_CHANNEL, str(upload_id)])
