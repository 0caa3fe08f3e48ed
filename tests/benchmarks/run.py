"""`make bench`: latency of the statistics, the GeoJSON lists and the maps, on the demo data and on
a 10x synthetic scale-up, each endpoint beside the bare SQL it runs.

How "bare SQL" is measured: the endpoint is called once with a query recorder
(`connection.execute_wrapper`), and the recorded statements are then replayed straight through the
database cursor. The difference between the two columns is what Django, DRF and JSON cost on top of
PostGIS.

Each scale has its own database beside the configured one (`<name>_bench1`, `<name>_bench10`),
made once and reused, so the figures never depend on the development database's contents.

Writes docs/benchmarks.md (quoted in the README) and prints it. Medians of several runs, because
these machines are shared and noisy; compare ratios rather than absolute times.

Usage: python tests/benchmarks/run.py [--runs N] [--skip-10x]
"""

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")
# A benchmark measures the endpoints, which the rate limits would refuse past 60 a minute.
os.environ.setdefault("RATE_LIMIT_USER_PER_MINUTE", "0")
os.environ.setdefault("RATE_LIMIT_ADDRESS_PER_MINUTE", "0")

OUTPUT = REPO / "docs" / "benchmarks.md"

ENDPOINTS = [
    ("release by district, 2023-12-31", "/api/v1/stats/release/?as_of=2023-12-31&by=district"),
    # The same report over the registry as recorded at the end of today in the site's time
    # zone (the history's temporary copies), and with the work submitted for review.
    (
        "release by district, as recorded today",
        "/api/v1/stats/release/?as_of=2023-12-31&by=district&as_recorded="
        + dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat(),
    ),
    (
        "release by district, with submitted work",
        "/api/v1/stats/release/?as_of=2023-12-31&by=district&include=submitted",
    ),
    ("release by commune, 2025-12-31", "/api/v1/stats/release/?as_of=2025-12-31&by=commune"),
    ("clearance by district, 2023", "/api/v1/stats/clearance/?year=2023&by=district"),
    ("clearance by 2025 commune, 2025", "/api/v1/stats/clearance/?year=2025&by=commune"),
    ("clearance by organisation, 2023", "/api/v1/stats/clearance/?year=2023&by=organisation"),
    ("progress 2016-2025", "/api/v1/stats/progress/?from=2016&to=2025"),
    ("releases GeoJSON, 10,000 features", "/api/v1/releases/?limit=10000"),
    ("hazards GeoJSON, 10,000 features", "/api/v1/hazards/?limit=10000"),
]
MAPS = [
    ("province map (districts), 2023", "/maps/coverage/?year=2023"),
    ("province map (2025 communes), 2025", "/maps/coverage/?year=2025&boundary_set=2025"),
    ("district map Vĩnh Linh (464), 2023", "/maps/districts/464/?year=2023"),
]


def _median_seconds(call, runs: int) -> float:
    call()  # warm-up: connection, plan cache, file cache
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def measure(runs: int, *, uploads: bool) -> dict:
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client

    from app.registry.models import HazardArea, ReleaseArea, SpotTask

    client = Client()
    # Every page and endpoint needs a signed-in user (issue 4): an analyst, who reads the
    # approved records the default reports count.
    client.force_login(_bench_analyst())
    counts = {
        "hazards": HazardArea.objects.count(),
        "releases": ReleaseArea.objects.count(),
        "spot_tasks": SpotTask.objects.count(),
    }

    def get(url):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}: {response.content[:300]!r}")
        return response

    rows = []
    for label, url in ENDPOINTS:
        recorded = []

        def recorder(execute, sql, params, many, context, recorded=recorded):
            recorded.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(recorder):
            get(url)

        def replay(recorded=recorded):
            # In a transaction, as the endpoint ran them: the selectors' SET LOCAL (jit off)
            # only holds inside one.
            with transaction.atomic(), connection.cursor() as cursor:
                for sql, params in recorded:
                    cursor.execute(sql, params)
                    if cursor.description:
                        cursor.fetchall()

        endpoint_s = _median_seconds(lambda url=url: get(url), runs)
        sql_s = _median_seconds(replay, runs)
        rows.append({"label": label, "url": url, "endpoint_s": endpoint_s, "sql_s": sql_s})

    maps = []
    for label, url in MAPS:
        seconds = _median_seconds(lambda url=url: get(url), runs)
        size = len(get(url).content)
        maps.append({"label": label, "url": url, "seconds": seconds, "bytes": size})
    result = {"counts": counts, "endpoints": rows, "maps": maps}
    if uploads:
        import tempfile

        from tests.benchmarks.uploads import measure_upload_throughput

        with tempfile.TemporaryDirectory() as tmpdir:
            result["uploads"] = list(measure_upload_throughput(tmpdir).values())
    return result


def _bench_analyst():
    from django.contrib.auth import get_user_model

    from app.accounts.services import create_user

    found = get_user_model().objects.filter(username="bench-analyst").first()
    if found is not None:
        return found
    import secrets

    return create_user(username="bench-analyst", password=secrets.token_urlsafe(), role="analyst")


def _bench_database_url(scale: int) -> str:
    """The benchmark's own database for a scale, beside the configured one: results never
    depend on what the development database holds at the time."""
    from urllib.parse import urlsplit, urlunsplit

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5544/landrelease")
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"{parts.path}_bench{scale}"))


def prepare_database(url: str, *, scale: int) -> None:
    """Create the database once (migrate, boundaries, demo at ``scale``); reuse it after."""
    import psycopg

    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url}
    python = sys.executable
    manage = str(REPO / "manage.py")
    for args in (["migrate", "--no-input", "-v", "0"], ["load_admin_units"]):
        subprocess.run([python, manage, *args], env=env, check=True, stdout=subprocess.DEVNULL)
    load = [python, manage, "load_demo", "--scale", str(scale), "--if-empty"]
    subprocess.run(load, env=env, check=True)


def measure_in(url: str, runs: int, *, uploads: bool) -> dict:
    import json

    completed = subprocess.run(
        [sys.executable, __file__, "--measure-only", "--runs", str(runs)]
        + (["--uploads"] if uploads else []),
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _format(results: dict[str, dict]) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (tests/benchmarks/run.py). Medians of repeated runs on a shared",
        "2-core machine: read the ratios, not the absolute milliseconds.",
        "",
    ]
    for label, result in results.items():
        counts = result["counts"]
        lines += [
            f"## {label}: {counts['hazards']:,} hazards, {counts['releases']:,} releases, "
            f"{counts['spot_tasks']:,} spot tasks",
            "",
            "| endpoint | median (ms) | its bare SQL (ms) | endpoint / SQL |",
            "|---|---:|---:|---:|",
        ]
        for row in result["endpoints"]:
            ratio = row["endpoint_s"] / row["sql_s"] if row["sql_s"] else float("nan")
            lines.append(
                f"| {row['label']} (`{row['url']}`) | {row['endpoint_s'] * 1000:,.0f} | "
                f"{row['sql_s'] * 1000:,.0f} | {ratio:.2f} |"
            )
        lines += ["", "| map | build + serve median (ms) | HTML size (KB) |", "|---|---:|---:|"]
        for row in result["maps"]:
            lines.append(
                f"| {row['label']} (`{row['url']}`) | {row['seconds'] * 1000:,.0f} | "
                f"{row['bytes'] / 1024:,.0f} |"
            )
        if result.get("uploads"):
            lines += [
                "",
                "Uploads: a GeoPackage of release polygons in UTM 48N, checked and committed",
                "through the upload services, beside `ogr2ogr -f PostgreSQL` loading the same file",
                "(reprojected to WGS 84) into the same database:",
                "",
                "| polygons | check (s) | commit (s) | features/s | ogr2ogr (s) "
                "| ogr2ogr features/s | ours / ogr2ogr |",
                "|---:|---:|---:|---:|---:|---:|---:|",
            ]
            for row in result["uploads"]:
                lines.append(
                    f"| {row['features']:,} | {row['check_s']} | {row['commit_s']} | "
                    f"{row['features_per_s']:,} | {row['ogr2ogr_s']} | "
                    f"{row['ogr2ogr_features_per_s']:,} | {row['slower_than_ogr2ogr']} |"
                )
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-10x", action="store_true", help="only the demo data set")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--uploads", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure_only:
        import json

        print(json.dumps(measure(args.runs, uploads=args.uploads)))
        return

    scales = {"Demo data (scale 1)": 1, "10x synthetic scale-up": 10}
    if args.skip_10x:
        del scales["10x synthetic scale-up"]
    results = {}
    for label, scale in scales.items():
        url = _bench_database_url(scale)
        prepare_database(url, scale=scale)
        print(f"Measuring {label} ...", flush=True)
        # Upload throughput does not depend on what is stored: measured once, at scale 1.
        results[label] = measure_in(url, args.runs, uploads=scale == 1)
    report = _format(results)
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(report + "\n", encoding="utf-8")
    print(report)
    print(f"Written to {OUTPUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
