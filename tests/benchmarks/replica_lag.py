"""Streaming replicas, measured (docs/scaling.md): replication lag under an upload load, and what
the routing costs a statistics request.

1. A standby of the cluster of DATABASE_URL is started (tests/standby.py: pg_basebackup -R, a
   free port, removed at the end). While the upload benchmark runs (tests/benchmarks/uploads.py:
   10,000 and 100,000 release polygons checked, committed and reverted through the upload
   services, then loaded by ogr2ogr), a thread asks every 100 ms the primary for its WAL position
   and the standby for what it has replayed: the lag in bytes, and in seconds as
   app.registry.replicas measures it.
2. With the standby as replica_1 (as DATABASE_REPLICA_URLS makes it), the statistics endpoints
   are requested through Django's test client, on the primary alone and then on the replica:
   the statements each database ran per request, and the median time.

Usage: DATABASE_URL=... python tests/benchmarks/replica_lag.py [--requests 10]
"""

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from contextlib import nullcontext
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")
os.environ.setdefault("RATE_LIMIT_USER_PER_MINUTE", "0")
os.environ.setdefault("RATE_LIMIT_ADDRESS_PER_MINUTE", "0")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from app.registry import replicas  # noqa: E402
from app.settings import replica_database  # noqa: E402
from tests import standby  # noqa: E402
from tests.benchmarks.uploads import measure_upload_throughput  # noqa: E402

ENDPOINTS = [
    "/api/v1/stats/release/?as_of=2023-12-31&by=district",
    "/api/v1/stats/clearance/?year=2023&by=district",
    "/api/v1/stats/progress/?from=2016&to=2025",
    "/api/v1/releases/?limit=100",
]
# Bytes the standby has still to replay, and seconds as app.registry.replicas counts them.
LAG_SQL = """
SELECT pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn()),
       CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END
"""


def sample_lag(primary: dict, cluster: standby.Standby, stop: threading.Event) -> list[tuple]:
    samples = []
    with (
        psycopg.connect(standby._primary_conninfo(primary), autocommit=True) as on_primary,
        psycopg.connect(cluster.conninfo(primary), autocommit=True) as on_standby,
    ):
        while not stop.is_set():
            (position,) = on_primary.execute("SELECT pg_current_wal_insert_lsn()").fetchone()
            (behind_bytes, seconds) = on_standby.execute(LAG_SQL, [str(position)]).fetchone()
            samples.append((time.monotonic(), float(behind_bytes), float(seconds or 0)))
            stop.wait(0.1)
    return samples


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def route_cost(requests: int, port: int, primary: dict) -> None:
    from app.accounts.services import create_user

    user = create_user(username="bench-replica", password="x-bench-replica-1", role="analyst")
    client = Client()
    client.force_login(user)
    try:
        print("\n| endpoint | where | statements (primary + replica) | median |")
        print("|---|---|---|---|")
        for with_replica in (False, True):
            if with_replica:
                password = quote(primary["PASSWORD"] or "", safe="")
                url = f"postgres://{primary['USER']}:{password}@127.0.0.1:{port}/{primary['NAME']}"
                connections.settings["replica_1"] = connections.configure_settings(
                    {**connections.settings, "replica_1": replica_database(url)}
                )["replica_1"]
                replicas.forget_verdicts()
            for path in ENDPOINTS:
                client.get(path)  # warm: connections, caches
                seconds = []
                for _ in range(requests):
                    on_primary = CaptureQueriesContext(connections["default"])
                    on_replica = (
                        CaptureQueriesContext(connections["replica_1"]) if with_replica else None
                    )
                    with on_primary, on_replica if on_replica is not None else nullcontext():
                        started = time.perf_counter()
                        response = client.get(path)
                        seconds.append(time.perf_counter() - started)
                    assert response.status_code == 200, response.content[:200]
                counted = f"{len(on_primary)} + {0 if on_replica is None else len(on_replica)}"
                where = "replica" if with_replica else "primary only"
                print(
                    f"| {path.split('?')[0]} | {where} | {counted} |"
                    f" {statistics.median(seconds) * 1000:,.0f} ms |"
                )
    finally:
        user.delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()
    setup_test_environment()
    primary = dict(connections["default"].settings_dict)
    started = time.perf_counter()
    with standby.running_standby(primary) as cluster:
        print(f"standby made and started in {time.perf_counter() - started:.1f} s")
        stop = threading.Event()
        result: list = []
        sampler = threading.Thread(
            target=lambda: result.extend(sample_lag(primary, cluster, stop)), daemon=True
        )
        sampler.start()
        with tempfile.TemporaryDirectory() as folder:
            uploads = measure_upload_throughput(folder)
        stop.set()
        sampler.join()
        for count, figures in uploads.items():
            print(f"upload of {count:,}: {figures}")
        behind_bytes = [b for _t, b, _s in result]
        behind_seconds = [s for _t, _b, s in result]
        print(
            f"lag over {len(result)} samples (every 100 ms): bytes median"
            f" {statistics.median(behind_bytes) / 2**20:.2f} MB, p95"
            f" {percentile(behind_bytes, 0.95) / 2**20:.2f} MB,"
            f" max {max(behind_bytes) / 2**20:.2f} MB;"
            f" seconds median {statistics.median(behind_seconds):.2f}, p95"
            f" {percentile(behind_seconds, 0.95):.2f}, max {max(behind_seconds):.2f}"
        )
        standby.wait_for_replay(primary, cluster)
        route_cost(args.requests, cluster.port, primary)
        connections["replica_1"].close()


if __name__ == "__main__":
    main()
