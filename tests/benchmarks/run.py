"""`make bench`: latency of the statistics, the GeoJSON lists and the maps, on the demo data and on
a 10x synthetic scale-up, each endpoint beside the bare SQL it runs.

How "bare SQL" is measured: the endpoint is called once with a query recorder
(`connection.execute_wrapper`), and the recorded statements are then replayed straight through the
database cursor. The difference between the two columns is what Django, DRF and JSON cost on top of
PostGIS.

Each scale has its own database beside the configured one (`<name>_bench1`, `<name>_bench10`),
made once and reused, so the figures never depend on the development database's contents.

Then a load test on the demo data (tests/benchmarks/load.py): 20 concurrent clients on the
statistics, the GeoJSON lists and the maps for 60 s under gunicorn on 127.0.0.1 (port 8110 by
default), throughput and p50/p95/p99 per group, and the errors (there must be none).

Writes docs/benchmarks.md (quoted in the README) and prints it. Medians of several runs, because
these machines are shared and noisy; compare ratios rather than absolute times.

Usage: python tests/benchmarks/run.py [--runs N] [--skip-10x] [--skip-load | --load-only]
       [--clients 20] [--duration 60] [--port 8110] [--threads 4] [--server runserver]
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
LOAD_HEADING = "## Load test"
# Measured in the probe that opened issue 8, under runserver: what the load test is compared to.
BASELINE_PER_SECOND = 4.1
BASELINE_P50_S = 5.7

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


def measure_load_in(
    url: str, *, clients: int, duration_s: float, port: int, server: str, threads: int
) -> dict:
    import json

    completed = subprocess.run(
        [sys.executable, __file__, "--measure-load-only", "--clients", str(clients)]
        + ["--duration", str(duration_s), "--port", str(port), "--server", server]
        + ["--threads", str(threads)],
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _measure_load_here(args) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from app.accounts.services import create_token
    from tests.benchmarks.load import measure_load

    analyst = _bench_analyst()
    token = create_token(user=analyst, name="make bench load test").key
    # The maps are pages, read with a session (the API takes the token).
    browser = Client()
    browser.force_login(analyst)
    return measure_load(
        database_url=os.environ["DATABASE_URL"],
        token=token,
        session_cookie=f"{settings.SESSION_COOKIE_NAME}="
        f"{browser.cookies[settings.SESSION_COOKIE_NAME].value}",
        port=args.port,
        clients=args.clients,
        duration_s=args.duration,
        server=args.server,
        threads=args.threads,
    )


def _format_load(load: dict) -> str:
    lines = [
        f"{LOAD_HEADING}: {load['clients']} concurrent clients for {load['duration_s']:.0f} s",
        "",
        (
            f"Demo data (scale 1); gunicorn on 127.0.0.1, {load['workers']} processes x "
            f"{load['threads']} threads (gthread)."
            if load["server"] == "gunicorn"
            else "Demo data (scale 1); Django's development server (runserver) on 127.0.0.1."
        ),
        "Every client is signed in as an analyst (API token; a session for the maps), with the",
        "rate limits off for the run",
        "(RATE_LIMIT_USER_PER_MINUTE=0, RATE_LIMIT_ADDRESS_PER_MINUTE=0).",
        "Each client sends its next request when the last is answered, walking the statistics,",
        "the GeoJSON lists and the maps from its own starting point. The last answer came",
        f"{load['elapsed_s']:.0f} s after the start; requests/s counts over that time. Latency in "
        "seconds.",
        f"The machine's 1-minute load average was {load['load_average'][0]} at the start and "
        f"{load['load_average'][1]} at the end, on {load['cpus']} cores:",
        "it is shared, and one run on it is noisy. Read the ratios rather than the seconds.",
        "",
        "| group | requests | requests/s | p50 | p95 | p99 | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    rows = [*load["groups"].items(), ("all", load["total"])]
    for group, row in rows:
        if not row["requests"]:
            lines.append(f"| {group} | 0 | 0 | - | - | - | 0 |")
            continue
        lines.append(
            f"| {group} | {row['requests']:,} | {row['per_second']:.2f} | {row['p50_s']:.2f} | "
            f"{row['p95_s']:.2f} | {row['p99_s']:.2f} | {row['errors']} |"
        )
    total = load["total"]
    if total["requests"]:
        lines += [
            "",
            f"Against issue 8's figure under runserver ({BASELINE_PER_SECOND} requests/s, p50 "
            f"{BASELINE_P50_S} s): {total['per_second'] / BASELINE_PER_SECOND:.2f}x the "
            f"throughput, {total['p50_s'] / BASELINE_P50_S:.2f}x the median latency.",
        ]
    if load["error_examples"]:
        lines += [
            "",
            "Errors (status or None for no answer, URL): " + "; ".join(load["error_examples"]),
        ]
    lines.append("")
    return "\n".join(lines)


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
    # Last, so that --load-only can replace it alone (_with_load_section).
    for result in results.values():
        if result.get("load"):
            lines.append(_format_load(result["load"]))
    return "\n".join(lines)


def _fail_on_load_errors(load: dict) -> None:
    """Under load every request must be answered, and answered 200: else `make bench` fails."""
    if load["total"]["errors"]:
        raise SystemExit(f"The load test had {load['total']['errors']} errors (see above).")


def _with_load_section(report: str, load: dict) -> str:
    """The report with its load test section replaced (or added at the end)."""
    before = report.split(LOAD_HEADING)[0].rstrip("\n")
    return before + "\n\n" + _format_load(load)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-10x", action="store_true", help="only the demo data set")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--uploads", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--skip-load", action="store_true", help="no load test")
    parser.add_argument(
        "--load-only",
        action="store_true",
        help="only the load test: its section of docs/benchmarks.md is replaced",
    )
    parser.add_argument("--clients", type=int, default=20, help="load test: concurrent clients")
    parser.add_argument("--duration", type=float, default=60, help="load test: seconds")
    parser.add_argument("--port", type=int, default=8110, help="load test: the server's port")
    parser.add_argument(
        "--server",
        choices=["gunicorn", "runserver"],
        default="gunicorn",
        help="load test: the server (runserver only to compare with the development server)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=4,
        help="load test: gunicorn's threads per process (deploy/gunicorn.conf.py: 4)",
    )
    parser.add_argument("--measure-load-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure_only:
        import json

        print(json.dumps(measure(args.runs, uploads=args.uploads)))
        return
    if args.measure_load_only:
        import json

        print(json.dumps(_measure_load_here(args)))
        return

    def load_test(url: str) -> dict:
        print(f"Load test: {args.clients} clients for {args.duration:.0f} s ...", flush=True)
        return measure_load_in(
            url,
            clients=args.clients,
            duration_s=args.duration,
            port=args.port,
            server=args.server,
            threads=args.threads,
        )

    if args.load_only:
        url = _bench_database_url(1)
        prepare_database(url, scale=1)
        load = load_test(url)
        existing = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else "# Benchmarks\n"
        OUTPUT.write_text(_with_load_section(existing, load), encoding="utf-8")
        print(_format_load(load))
        print(f"Written to {OUTPUT.relative_to(REPO)}")
        _fail_on_load_errors(load)
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
        if scale == 1 and not args.skip_load:
            results[label]["load"] = load_test(url)
    report = _format(results)
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(report + "\n", encoding="utf-8")
    print(report)
    print(f"Written to {OUTPUT.relative_to(REPO)}")
    for result in results.values():
        if result.get("load"):
            _fail_on_load_errors(result["load"])


if __name__ == "__main__":
    main()
