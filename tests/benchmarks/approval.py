"""Approving a 1,000-polygon batch for `make bench`: the approval, and the accounting store's
share of it.

A batch is uploaded, checked and committed through the upload services (its records are then
``submitted``), and approved by the review page's own service, ``approve_batch``. Each approval
runs inside a transaction that is rolled back after it, so one batch is approved again and again
and the database is left as it was. Deferred triggers, if the store has any, are fired inside
the timing (``SET CONSTRAINTS ALL IMMEDIATE``), since a commit would fire them.

Timed twice per run: with the store's triggers (``registry_<table>_accounting_<event>``, found by
tests.benchmarks.run.accounting_triggers) and with them disabled for the transaction. The
difference is the store's update. Before the store exists only the approval is timed.

Two batches of 60 m boxes completed in 2024, mostly cleared: clustered (10 in each of 100 CHAs
near the largest) and scattered (one in each of 1,000 CHAs over the province). Everything they
leave is removed after (revert, the uploads and their organisation deleted).
"""

import shutil
import statistics
import tempfile
import time
from pathlib import Path

ORGANISATION = "bench-approval"
BATCH = 1_000
BOX_M = 60
COMPLETED_ON = "2024-06-30"

# (key, label, CHAs chosen, releases per CHA): the CHAs nearest the largest, or spread evenly.
BATCHES = (
    ("clustered", "clustered in 100 CHAs", "nearest", 10),
    ("scattered", "scattered over 1,000 CHAs", "spread", 1),
)

_BOXES_SQL = """
WITH largest AS (
    SELECT geometry FROM registry_hazardarea
    WHERE kind = 'CHA' AND status = 'approved' AND deleted_at IS NULL
    ORDER BY ST_Area(geometry) DESC LIMIT 1
),
chosen AS (
    SELECT hazard.id, hazard.geometry
    FROM registry_hazardarea AS hazard, largest
    WHERE hazard.kind = 'CHA' AND hazard.status = 'approved' AND hazard.deleted_at IS NULL
    ORDER BY CASE WHEN %(choice)s = 'nearest' THEN hazard.geometry <-> largest.geometry END,
             md5(hazard.id::text)
    LIMIT %(hazards)s
),
points AS (
    SELECT (ST_Dump(ST_GeneratePoints(geometry, %(per_hazard)s, id::int))).geom AS point
    FROM chosen
)
SELECT ST_AsBinary(ST_MakeEnvelope(lon - east, lat - north, lon + east, lat + north, 4326))
FROM (
    -- half the box's side, in degrees east and north near the point's latitude
    SELECT ST_X(point) AS lon, ST_Y(point) AS lat,
           %(half)s / (111320 * cos(radians(ST_Y(point)))) AS east, %(half)s / 110574.0 AS north
    FROM points
) AS centres
LIMIT %(batch)s
"""


def _batch_gpkg(path: Path, *, choice: str, per_hazard: int) -> Path:
    import geopandas as gpd
    import numpy as np
    import shapely
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            _BOXES_SQL,
            {
                "choice": choice,
                "hazards": -(-BATCH // per_hazard),
                "per_hazard": per_hazard,
                "half": BOX_M / 2,
                "batch": BATCH,
            },
        )
        boxes = shapely.from_wkb([bytes(row[0]) for row in cursor.fetchall()])
    index = np.arange(len(boxes))
    frame = gpd.GeoDataFrame(
        {
            "reference": [f"BENCH-APPROVAL-{path.stem}-{i}" for i in index],
            "method": np.where(index % 4 == 0, "reduced", "cleared"),
            "completed_on": COMPLETED_ON,
        },
        geometry=boxes,
        crs="EPSG:4326",
    )
    frame.to_file(path, driver="GPKG", layer="releases")
    return path


def _submitted_batch(path: Path) -> int:
    from app.uploads.services import check_upload, commit_upload, create_upload

    with path.open("rb") as source:
        upload = create_upload(
            organisation_slug=ORGANISATION,
            kind="release",
            filename=path.name,
            chunks=iter(lambda: source.read(1 << 20), b""),
            size_bytes=path.stat().st_size,
        )
    upload = check_upload(upload_id=upload.pk)
    if upload.status != "ready":
        raise RuntimeError(f"benchmark upload {upload.pk} {upload.status}: {upload.error}")
    return commit_upload(upload_id=upload.pk).pk


class _RolledBack(Exception):
    pass


def _approval_seconds(*, upload_id: int, analyst, disabled: list[tuple[str, str]]) -> float:
    from django.db import connection, transaction

    from app.review.services import approve_batch

    seconds = None
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                # A table with trigger events still pending in this transaction cannot be
                # altered: fire them first (none when the batch was committed on its own).
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for table, trigger in disabled:
                    cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER "{trigger}"')
            started = time.perf_counter()
            approve_batch(upload_id=upload_id, user=analyst)
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            seconds = time.perf_counter() - started
            raise _RolledBack
    except _RolledBack:
        pass
    return seconds


def measure_approval(*, runs: int) -> dict:
    """Median seconds of approving each batch with and without the store's triggers."""
    from django.db import connection

    from app.registry.models import Organisation
    from app.uploads.models import Upload
    from app.uploads.services import revert_upload
    from tests.benchmarks.run import _bench_analyst, accounting_triggers

    analyst = _bench_analyst()
    with connection.cursor() as cursor:
        triggers = accounting_triggers(cursor)
    organisation, _created = Organisation.objects.get_or_create(
        slug=ORGANISATION, defaults={"name": "Benchmark approvals (synthetic)", "kind": "ngo"}
    )
    batches = []
    try:
        with tempfile.TemporaryDirectory() as tmpdir:
            for key, label, choice, per_hazard in BATCHES:
                path = _batch_gpkg(
                    Path(tmpdir) / f"{key}.gpkg", choice=choice, per_hazard=per_hazard
                )
                upload_id = _submitted_batch(path)
                with_store, without_store = [], []
                # A warm-up approval first: plans, caches.
                _approval_seconds(upload_id=upload_id, analyst=analyst, disabled=[])
                for _ in range(runs):
                    with_store.append(
                        _approval_seconds(upload_id=upload_id, analyst=analyst, disabled=[])
                    )
                    if triggers:
                        without_store.append(
                            _approval_seconds(
                                upload_id=upload_id, analyst=analyst, disabled=triggers
                            )
                        )
                revert_upload(upload_id=upload_id)
                approval_s = statistics.median(with_store)
                row = {"key": key, "label": label, "approval_s": approval_s, "runs": runs}
                if without_store:
                    without_s = statistics.median(without_store)
                    row |= {"without_store_s": without_s, "store_s": approval_s - without_s}
                batches.append(row)
    finally:
        for upload in Upload.objects.filter(organisation=organisation):
            shutil.rmtree(upload.folder_path, ignore_errors=True)
        Upload.objects.filter(organisation=organisation).delete()
        organisation.delete()
    return {"triggers": [name for _table, name in triggers], "batches": batches}
