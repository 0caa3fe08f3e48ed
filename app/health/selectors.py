"""The parts /healthz reports on, each read cheaply: one SELECT 1, the migration plan against
django_migrations (about 15 ms once the migration modules are loaded), the newest worker
heartbeat, and statvfs of UPLOAD_ROOT."""

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from app.uploads.models import WorkerHeartbeat


@dataclass(frozen=True)
class Part:
    """One part's state: ``ok``, and when not, ``problem`` (a code: unreachable, unapplied,
    no_heartbeat, stale, unreadable, low, unknown), with the figures that tell why."""

    ok: bool
    problem: str = ""
    figures: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "ok": self.ok,
            **({"problem": self.problem} if self.problem else {}),
            **self.figures,
        }


@dataclass(frozen=True)
class Health:
    parts: dict[str, Part]

    @property
    def failing(self) -> list[str]:
        return [name for name, part in self.parts.items() if not part.ok]


def health() -> Health:
    database = database_health()
    if database.ok:
        migrations, worker = migrations_health(), worker_health()
    else:
        # Without the database neither can be read; they are reported failing with it.
        migrations = worker = Part(ok=False, problem="unknown")
    return Health(
        parts={
            "database": database,
            "migrations": migrations,
            "worker": worker,
            "disk": disk_health(),
        }
    )


def database_health() -> Part:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        connection.close()
        return Part(ok=False, problem="unreachable", figures={"error": type(error).__name__})
    return Part(ok=True)


def migrations_health() -> Part:
    executor = MigrationExecutor(connection)
    unapplied = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    if unapplied:
        return Part(ok=False, problem="unapplied", figures={"unapplied": unapplied})
    return Part(ok=True, figures={"unapplied": 0})


def worker_health() -> Part:
    """The newest heartbeat of any upload worker (app.uploads.worker writes one every 5 s)."""
    stale_after_s = settings.HEALTHZ_WORKER_STALE_SECONDS
    try:
        # A savepoint: a failure here (no heartbeat table before migrating) ends this part only.
        with transaction.atomic():
            newest = (
                WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True)
            ).first()
    except DatabaseError as error:
        return Part(ok=False, problem="unreadable", figures={"error": type(error).__name__})
    if newest is None:
        return Part(ok=False, problem="no_heartbeat", figures={"stale_after_s": stale_after_s})
    age_s = round(max(0.0, (timezone.now() - newest).total_seconds()), 1)
    figures = {"heartbeat_age_s": age_s, "stale_after_s": stale_after_s}
    if age_s > stale_after_s:
        return Part(ok=False, problem="stale", figures=figures)
    return Part(ok=True, figures=figures)


def disk_health() -> Part:
    """Free bytes where the uploads are kept (UPLOAD_ROOT, or its nearest existing parent
    before the first upload makes it)."""
    place = Path(settings.UPLOAD_ROOT)
    while not place.exists() and place != place.parent:
        place = place.parent
    free_bytes = shutil.disk_usage(place).free
    figures = {"free_bytes": free_bytes, "min_free_bytes": settings.HEALTHZ_MIN_FREE_BYTES}
    if free_bytes < settings.HEALTHZ_MIN_FREE_BYTES:
        return Part(ok=False, problem="low", figures=figures)
    return Part(ok=True, figures=figures)
