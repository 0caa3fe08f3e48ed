"""`make bench`: the Targets table of issue 9 at the demo's size (1x) and at 10x, each figure
beside its target, and each statistics endpoint beside the bare replay of all its SQL.

What is measured, per data set (``<name>_bench1``, ``<name>_bench10`` beside the configured
database, made once with ``load_demo --scale N`` and reused):

- **stats**: the release report by district and by 2025 commune, progress 2016-2025, clearance by
  unit and by organisation, through Django's test Client signed in as an analyst. Each endpoint is
  called once under ``connection.execute_wrapper``, which records every statement it runs
  (session, user, permissions, scope, savepoints, the report); the recorded statements are then
  replayed bare through the database cursor in one transaction. endpoint / replay is what Django,
  DRF and JSON cost on top of the database. The statements of one request are counted, and those
  of the release report listed once.
- **other**: the same for the scopes (``as_recorded``, ``include=submitted``) and the GeoJSON lists
  (no target: reported).
- **maps**: the province map (and the 2025-commune and district maps), first build after the
  caches are emptied (``_clear_caches``), then cached, and its HTML size.
- **tiles**: ``/tiles/<layer>/<z>/<x>/<y>.mvt?year=2025`` for the layers remaining-cha, released,
  hazards and releases at z10-z14, on the tile holding a point of the largest CHA (so every zoom
  covers data), cold (caches cleared) and cached. A layer that answers 404 is reported
  "not available" rather than measured.
- **approval**: 1,000 release polygons (60 m boxes, completed in 2024) uploaded, checked and
  committed through the upload services, then approved by ``approve_batch``, timed, inside a
  transaction that is rolled back (so the same batch is approved again): once with the accounting
  store's triggers (``registry_<table>_accounting_<insert|update|delete>``) and once with them
  disabled. The difference is the store's update. Two batches: clustered in 100 CHAs, and
  scattered over 1,000 CHAs. Without the triggers (before the store) only the approval is timed.
- **rebuild**: ``manage.py rebuild_accounting``, wall time (skipped when the command is missing).
- **load**: 20 concurrent clients on the statistics under gunicorn (tests/benchmarks/load.py):
  answers per second and p95.
- **uploads** (1x only): upload throughput beside ogr2ogr (tests/benchmarks/uploads.py).
- **exports**: every release as GeoPackage and as CSV (``?format=gpkg``, ``csv``), each in a
  process of its own: time, size and peak memory above the process's start, which should not
  grow from 1x to 10x (tests/benchmarks/exports.py).

Results are kept per data set in docs/benchmark-results/ (JSON), and docs/benchmarks.md (quoted in
the README) is written from all of them, with the 1 M table of `make bench-scale`
(tests/benchmarks/scale.py) and the "before" figures measured on main before the store
(``--as-baseline``). A hand-written block between ``<!-- notes -->`` and ``<!-- /notes -->`` in
docs/benchmarks.md is kept.

Medians of several runs; an endpoint slower than ``SLOW_S`` on its warm-up is measured once.

Usage: python tests/benchmarks/run.py [--runs N] [--skip-10x] [--skip PART ...] [--only PART ...]
       [--clients 20] [--duration 60] [--port 8110] [--as-baseline]
"""

import argparse
import datetime as dt
import json
import logging
import math
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
RESULTS = REPO / "docs" / "benchmark-results"
NOTES_START, NOTES_END = "<!-- notes -->", "<!-- /notes -->"

PARTS = frozenset(
    {"stats", "other", "maps", "tiles", "approval", "rebuild", "load", "uploads", "exports"}
)
SCALE_1, SCALE_10, SCALE_1M = "1x", "10x", "1 M releases"
SCALE_TITLES = {
    SCALE_1: "Demo data (1x)",
    SCALE_10: "10x synthetic scale-up",
    SCALE_1M: "About 1,000,000 releases (`make bench-scale`)",
}
# Past this on its warm-up an endpoint is measured once (its first call): a 3-minute report
# repeated five times would take the bench past its quarter of an hour.
SLOW_S = 10.0
AS_OF = dt.date(2025, 12, 31)
YEAR = 2025

# (key, label, url, target in ms at 1x, 10x, 1 M)
STATS = (
    ("release_district", "release report by district",
     f"/api/v1/stats/release/?as_of={AS_OF}&by=district", (100, 100, 150)),
    ("release_commune", "release report by 2025 commune",
     f"/api/v1/stats/release/?as_of={AS_OF}&by=commune", (100, 100, 150)),
    ("progress", "progress 2016-2025", "/api/v1/stats/progress/?from=2016&to=2025",
     (100, 150, 250)),
    ("clearance_unit", "clearance by unit (district)",
     f"/api/v1/stats/clearance/?year={YEAR}&by=district", (100, 150, 250)),
    ("clearance_organisation", "clearance by organisation",
     f"/api/v1/stats/clearance/?year={YEAR}&by=organisation", (100, 150, 250)),
)  # fmt: skip
RATIO_TARGET = 1.2
# Reported beside the targets, without one of their own.
OTHER = (
    (
        "release_recorded",
        "release by district, as recorded today",
        f"/api/v1/stats/release/?as_of={AS_OF}&by=district&as_recorded="
        + dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat(),
    ),
    (
        "release_submitted",
        "release by district, with submitted work",
        f"/api/v1/stats/release/?as_of={AS_OF}&by=district&include=submitted",
    ),
    ("clearance_commune", "clearance by 2025 commune",
     f"/api/v1/stats/clearance/?year={YEAR}&by=commune"),
    ("releases_geojson", "releases GeoJSON, 10,000 features", "/api/v1/releases/?limit=10000"),
    ("hazards_geojson", "hazards GeoJSON, 10,000 features", "/api/v1/hazards/?limit=10000"),
    ("raster_released", "released coverage raster (COG), province at 100 m",
     f"/api/v1/rasters/released.tif?as_of={AS_OF}"),
    # The annual report (issue 11): every statistic, two static maps and a chart, then laid out.
    ("report_pdf", f"annual report {YEAR} as PDF", f"/reports/annual/{YEAR}/?format=pdf"),
    ("report_docx", f"annual report {YEAR} as Word", f"/reports/annual/{YEAR}/?format=docx"),
)  # fmt: skip
MAPS = (
    ("province", "province map (districts)", f"/maps/coverage/?year={YEAR}"),
    ("province_communes", "province map (2025 communes)",
     f"/maps/coverage/?year={YEAR}&boundary_set=2025"),
    ("district", "district map Vĩnh Linh (464)", f"/maps/districts/464/?year={YEAR}"),
    # The dashboard (issue 11): its figures are kept in the process cache as the map's page is.
    ("dashboard", "dashboard (districts)", f"/dashboard/?year={YEAR}"),
    ("dashboard_submitted", "dashboard (districts), with submitted work",
     f"/dashboard/?year={YEAR}&include=submitted"),
    ("dashboard_communes", "dashboard (2025 communes)",
     f"/dashboard/?year={YEAR}&boundary_set=2025"),
)  # fmt: skip
MAP_TARGETS = {"first_s": 1.0, "cached_s": 0.050, "bytes": 1_000_000}
TILE_LAYERS = ("remaining-cha", "released", "hazards", "releases")
TILE_ZOOMS = (10, 11, 12, 13, 14)
TILE_TARGETS = {"cold_s": 0.100, "cached_s": 0.010}
LOAD_TARGETS = {"per_second": 100, "p95_s": 0.300}
APPROVAL_TARGETS = {SCALE_1: 2.0, SCALE_10: 2.0, SCALE_1M: 30.0}
REBUILD_TARGETS = {SCALE_1M: 15 * 60.0}


def configured_database_url() -> str:
    return os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5544/landrelease")


def _bench_database_url(scale: int) -> str:
    """The benchmark's own database for a scale, beside the configured one: results never
    depend on what the development database holds at the time."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(configured_database_url())
    return urlunsplit(parts._replace(path=f"{parts.path}_bench{scale}"))


# The accounting store's triggers (issue 9), by the names the store gives them: disabled to
# time an approval without the store's update, and during the bulk load of bench-scale.
ACCOUNTING_TRIGGER_TABLES = (
    "registry_hazardarea",
    "registry_releasearea",
    "registry_adminunit",
    "registry_spottask",
    "registry_village",
)


def accounting_triggers(conn) -> list[tuple[str, str]]:
    """(table, trigger) of the store's triggers that exist (none before the store lands);
    ``conn`` is a psycopg connection or a DB-API cursor."""
    names = [
        f"{table}_accounting_{event}"
        for table in ACCOUNTING_TRIGGER_TABLES
        for event in ("insert", "update", "delete")
    ]
    found = conn.execute(
        "SELECT tgrelid::regclass::text, tgname FROM pg_trigger "
        "WHERE tgname = ANY(%s) AND NOT tgisinternal ORDER BY 1, 2",
        [names],
    )
    return [tuple(row) for row in (found if found is not None else conn).fetchall()]


def last_json(stdout: str):
    return json.loads(stdout.strip().splitlines()[-1])


# --- Measuring, inside the data set's own process (``--measure-only``) -------------------------


def _timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _median(call, runs: int, *, before=None) -> tuple[float, int]:
    """Median seconds of ``call`` over ``runs`` after a warm-up, and how many runs that was.
    ``before`` runs untimed ahead of each call (clearing the caches for a cold figure)."""

    def once():
        if before is not None:
            before()
        return _timed(call)

    warm_up = once()
    if warm_up > SLOW_S:
        return warm_up, 1
    timings = [once() for _ in range(runs if warm_up < 1 else min(runs, 3))]
    return statistics.median(timings), len(timings)


def _clear_caches() -> None:
    """Every Django cache, and every row of the models named ``Cached...`` (the caches the site
    keeps in PostgreSQL: app.maps' CachedTile and CachedProvinceMap), so that the next request
    builds what it serves. The accounting store, being the registry's figures, is not a cache
    and stays."""
    from django.apps import apps
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()
    for model in apps.get_models():
        if model.__name__.startswith("Cached"):
            model.objects.all().delete()


class _Browser:
    """Django's test Client signed in as the bench analyst; errors are answers, not raised."""

    def __init__(self):
        from django.test import Client

        self.client = Client(raise_request_exception=False)
        self.client.force_login(_bench_analyst())

    def get(self, url: str):
        return self.client.get(url)


# Set by measure() from --statement-timeout: a 500 that took this long is a timeout, said so.
_statement_timeout_s: int | None = None


def _refusal(response, seconds: float | None = None) -> str:
    if (
        response.status_code == 500
        and _statement_timeout_s
        and seconds is not None
        and seconds >= _statement_timeout_s
    ):
        return f"gave up after {_statement_timeout_s} s (statement timeout)"
    body = response.content[:200].decode("utf-8", "replace").replace("\n", " ")
    return f"HTTP {response.status_code}: {body}"


def _statement_text(sql: str) -> str:
    text = " ".join(sql.split())
    return text if len(text) <= 160 else text[:157] + "..."


def _endpoint(browser, key: str, label: str, url: str, runs: int) -> dict:
    """One endpoint beside the bare replay of every statement it ran."""
    from django.db import connection, transaction

    recorded = []

    def recorder(execute, sql, params, many, context):
        recorded.append((sql, params, many))
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(recorder):
        response = browser.get(url)
    row = {"key": key, "label": label, "url": url, "statements": len(recorded)}
    if response.status_code != 200:
        return {**row, "error": _refusal(response, time.perf_counter() - started)}

    def replay():
        # In a transaction, as the endpoint ran them: the selectors' SET LOCAL (jit off) only
        # holds inside one.
        with transaction.atomic(), connection.cursor() as cursor:
            for sql, params, many in recorded:
                if many:
                    cursor.executemany(sql, params)
                else:
                    cursor.execute(sql, params)
                if cursor.description:
                    cursor.fetchall()

    def request():
        answered = browser.get(url)
        if answered.status_code != 200:
            raise RuntimeError(_refusal(answered))

    try:
        endpoint_s, endpoint_runs = _median(request, runs)
        sql_s, sql_runs = _median(replay, runs)
    except Exception as error:  # a timeout or refusal on a later run: reported, not fatal
        return {**row, "error": str(error).splitlines()[0][:200]}
    return {
        **row,
        "endpoint_s": endpoint_s,
        "sql_s": sql_s,
        "runs": min(endpoint_runs, sql_runs),
        "statement_list": [_statement_text(sql) for sql, _params, _many in recorded],
    }


def _map(browser, key: str, label: str, url: str, runs: int) -> dict:
    row = {"key": key, "label": label, "url": url}
    _clear_caches()
    response = browser.get(url)
    if response.status_code != 200:
        return {**row, "error": _refusal(response)}

    def request():
        answered = browser.get(url)
        if answered.status_code != 200:
            raise RuntimeError(_refusal(answered))

    try:
        first_s, first_runs = _median(request, runs, before=_clear_caches)
        cached_s, _ = _median(request, runs)
    except Exception as error:
        return {**row, "error": str(error).splitlines()[0][:200]}
    return {
        **row,
        "first_s": first_s,
        "cached_s": cached_s,
        "runs": first_runs,
        "bytes": len(browser.get(url).content),
    }


def tile_of(lon: float, lat: float, zoom: int) -> tuple[int, int]:
    """The XYZ (web mercator) tile holding the point at ``zoom``."""
    tiles = 2**zoom
    x = int((lon + 180.0) / 360.0 * tiles)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * tiles)
    return min(x, tiles - 1), min(y, tiles - 1)


def _tile_point() -> tuple[float, float]:
    """A point of the largest approved CHA: its tiles hold hazards and, in every data set of
    the bench, releases (they are placed by area)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(point), ST_Y(point) FROM ("
            "  SELECT ST_PointOnSurface(geometry) AS point FROM registry_hazardarea"
            "  WHERE kind = 'CHA' AND status = 'approved' AND deleted_at IS NULL"
            "  ORDER BY ST_Area(geometry) DESC LIMIT 1) AS largest"
        )
        return cursor.fetchone()


def _tiles(browser, runs: int) -> dict:
    lon, lat = _tile_point()
    rows = []
    for layer in TILE_LAYERS:
        for zoom in TILE_ZOOMS:
            x, y = tile_of(lon, lat, zoom)
            url = f"/tiles/{layer}/{zoom}/{x}/{y}.mvt?year={YEAR}"
            row = {"layer": layer, "z": zoom, "url": url}
            _clear_caches()
            response = browser.get(url)
            if response.status_code == 404:
                # The tiles are not there (before the tiles branch lands): say so, measure none.
                rows.append({**row, "unavailable": response.status_code})
                continue
            if response.status_code != 200:
                rows.append({**row, "error": _refusal(response)})
                continue

            def request(url=url):
                answered = browser.get(url)
                if answered.status_code != 200:
                    raise RuntimeError(_refusal(answered))

            cold_s, cold_runs = _median(request, runs, before=_clear_caches)
            cached_s, _ = _median(request, runs)
            size = len(browser.get(url).content)
            rows.append(
                {**row, "cold_s": cold_s, "cached_s": cached_s, "runs": cold_runs, "bytes": size}
            )
    return {"point": [lon, lat], "rows": rows}


def measure(args) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.db.backends.signals import connection_created

    from app.registry.models import HazardArea, ReleaseArea, SpotTask, Village

    global _statement_timeout_s
    _statement_timeout_s = args.statement_timeout
    if args.statement_timeout:
        # Every connection of this process gives up a statement after this long: a report
        # that would run for many minutes is reported as timed out instead.
        def limit(sender, connection, **kwargs):
            with connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = '{int(args.statement_timeout)}s'")

        connection_created.connect(limit)
        connection.close()

    # The tiles answer 404 until they exist: the table says so once, Django need not log each.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    parts = set(args.parts)
    runs = args.runs
    browser = _Browser()
    result = {
        "counts": {
            "hazards": HazardArea.objects.count(),
            "releases": ReleaseArea.objects.count(),
            "spot_tasks": SpotTask.objects.count(),
            "villages": Village.objects.count(),
        },
    }
    if "stats" in parts:
        result["stats"] = []
        for key, label, url, _targets in STATS:
            print(f"  {label} ...", file=sys.stderr, flush=True)
            result["stats"].append(_endpoint(browser, key, label, url, runs))
    if "other" in parts:
        result["other"] = []
        for key, label, url in OTHER:
            print(f"  {label} ...", file=sys.stderr, flush=True)
            result["other"].append(_endpoint(browser, key, label, url, runs))
    if "maps" in parts:
        result["maps"] = []
        for key, label, url in MAPS:
            print(f"  {label} ...", file=sys.stderr, flush=True)
            result["maps"].append(_map(browser, key, label, url, runs))
    if "tiles" in parts:
        print("  tiles ...", file=sys.stderr, flush=True)
        result["tiles"] = _tiles(browser, runs)
    if "approval" in parts:
        from tests.benchmarks.approval import measure_approval

        print("  approval of a 1,000-polygon batch ...", file=sys.stderr, flush=True)
        result["approval"] = measure_approval(runs=args.approval_runs)
    if "exports" in parts:
        from tests.benchmarks.exports import measure_exports

        print("  exports of every release ...", file=sys.stderr, flush=True)
        result["exports"] = measure_exports()
    if "uploads" in parts:
        import tempfile

        from tests.benchmarks.uploads import measure_upload_throughput

        print("  upload throughput ...", file=sys.stderr, flush=True)
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


# --- Orchestration: one process per data set --------------------------------------------------


def prepare_database(url: str, *, scale: int) -> None:
    """Create the database once (migrate, boundaries, demo at ``scale``); reuse it after."""
    import psycopg

    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    migrate(url)
    env = {**os.environ, "DATABASE_URL": url}
    manage = [sys.executable, str(REPO / "manage.py")]
    subprocess.run([*manage, "load_admin_units"], env=env, check=True, stdout=subprocess.DEVNULL)
    load = [*manage, "load_demo", "--scale", str(scale), "--if-empty"]
    subprocess.run(load, env=env, check=True)


def migrate(url: str) -> None:
    subprocess.run(
        [sys.executable, str(REPO / "manage.py"), "migrate", "--no-input", "-v", "0"],
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _measure_in(url: str, *, runs: int, approval_runs: int, parts, statement_timeout_s) -> dict:
    command = [sys.executable, __file__, "--measure-only", "--runs", str(runs)]
    command += ["--approval-runs", str(approval_runs), "--parts", *sorted(parts)]
    if statement_timeout_s:
        command += ["--statement-timeout", str(statement_timeout_s)]
    completed = subprocess.run(
        command,
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return last_json(completed.stdout)


def _manage(url: str, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        **kwargs,
    )


def measure_rebuild(url: str, *, runs: int) -> dict:
    """``manage.py rebuild_accounting``, wall time (the process included), median of ``runs``;
    what it printed last is kept beside."""
    if _manage(url, "help", "rebuild_accounting").returncode != 0:
        return {"unavailable": "manage.py rebuild_accounting does not exist"}
    timings, said = [], ""
    for _ in range(runs):
        started = time.perf_counter()
        completed = _manage(url, "rebuild_accounting")
        timings.append(time.perf_counter() - started)
        if completed.returncode != 0:
            return {"error": (completed.stderr or completed.stdout).strip()[-300:]}
        said = (completed.stdout.strip().splitlines() or [""])[-1]
    return {"seconds": statistics.median(timings), "runs": runs, "said": said}


def measure_load_in(
    url: str,
    *,
    clients: int,
    duration_s: float,
    port: int,
    server: str = "gunicorn",
    threads: int = 4,
    groups: tuple = ("statistics",),
) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, "--measure-load-only", "--clients", str(clients)]
        + ["--duration", str(duration_s), "--port", str(port), "--server", server]
        + ["--threads", str(threads), "--load-groups", *groups],
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return last_json(completed.stdout)


def _measure_load_here(args) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from app.accounts.services import create_token
    from tests.benchmarks.load import measure_load

    analyst = _bench_analyst()
    token = create_token(user=analyst, name="make bench load test").key
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
        groups=tuple(args.load_groups),
    )


def _machine() -> dict:
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    branch = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--abbrev-ref", "HEAD"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "date": dt.date.today().isoformat(),
        "commit": commit,
        "branch": branch,
        "cpus": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 1),
    }


def measure_scale(
    url: str,
    *,
    label: str,
    runs: int,
    approval_runs: int,
    rebuild_runs: int,
    parts,
    statement_timeout_s: int | None = None,
    load: dict | None = None,
) -> dict:
    """Every part of the table for the data set at ``url``; seconds spent per part included."""
    print(f"Measuring {label} ...", flush=True)
    seconds = {}
    inside = set(parts) - {"rebuild", "load"}
    result = {"machine": _machine(), "parts": sorted(parts)}
    if "rebuild" in parts:
        # First: a data set loaded before the store's migrations (or with its triggers off) has
        # its store built before anything reads it.
        print("  manage.py rebuild_accounting ...", flush=True)
        started = time.perf_counter()
        result["rebuild"] = measure_rebuild(url, runs=rebuild_runs)
        seconds["rebuild"] = time.perf_counter() - started
    started = time.perf_counter()
    if inside:
        result.update(
            _measure_in(
                url,
                runs=runs,
                approval_runs=approval_runs,
                parts=inside,
                statement_timeout_s=statement_timeout_s,
            )
        )
    seconds["measure"] = time.perf_counter() - started
    if "load" in parts and load is not None:
        print(
            f"  load test: {load['clients']} clients for {load['duration_s']:.0f} s ...", flush=True
        )
        started = time.perf_counter()
        result["load"] = measure_load_in(url, **load)
        seconds["load"] = time.perf_counter() - started
    result["seconds"] = seconds
    return result


def _results_path(label: str, *, before: bool = False) -> Path:
    slug = label.replace(" ", "-").lower()
    return RESULTS / (f"before-{slug}.json" if before else f"{slug}.json")


def read_results(label: str, *, before: bool = False) -> dict | None:
    path = _results_path(label, before=before)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def save_results(label: str, result: dict, *, as_baseline: bool = False) -> None:
    """Keep ``result`` for the report; parts not measured this time keep their last figures."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    for before in (False, True) if as_baseline else (False,):
        previous = read_results(label, before=before) or {}
        merged = {**previous, **result}
        _results_path(label, before=before).write_text(
            json.dumps(merged, indent=1, default=str) + "\n", encoding="utf-8"
        )


def write_report() -> str:
    from tests.benchmarks.report import render

    existing = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
    notes = ""
    if NOTES_START in existing and NOTES_END in existing:
        notes = existing.split(NOTES_START, 1)[1].split(NOTES_END, 1)[0].strip("\n")
    results = {
        label: (read_results(label), read_results(label, before=True))
        for label in (SCALE_1, SCALE_10, SCALE_1M)
    }
    report = render(results, notes=notes)
    OUTPUT.write_text(report, encoding="utf-8")
    print(report)
    print(f"Written to {OUTPUT.relative_to(REPO)}")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--approval-runs", type=int, default=3)
    parser.add_argument("--rebuild-runs", type=int, default=3)
    parser.add_argument("--skip-10x", action="store_true", help="only the demo data set")
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=sorted(PARTS), help="parts to leave out"
    )
    parser.add_argument("--only", nargs="*", choices=sorted(PARTS), help="only these parts")
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
    parser.add_argument(
        "--load-groups",
        nargs="+",
        default=["statistics"],
        choices=["statistics", "GeoJSON lists", "maps"],
        help="load test: what the clients walk (issue 9's target: the statistics alone)",
    )
    parser.add_argument(
        "--statement-timeout", type=int, default=None, help="seconds before a statement is given up"
    )
    parser.add_argument(
        "--as-baseline",
        action="store_true",
        help='also keep these figures as the "before" column (measured before the store)',
    )
    parser.add_argument("--report-only", action="store_true", help="rewrite the report only")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--parts", nargs="*", default=[], help=argparse.SUPPRESS)
    parser.add_argument("--measure-load-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure_only:
        print(json.dumps(measure(args), default=str))
        return
    if args.measure_load_only:
        print(json.dumps(_measure_load_here(args)))
        return
    if args.report_only:
        write_report()
        return

    parts = set(args.only) if args.only else set(PARTS)
    parts -= set(args.skip)
    scales = {SCALE_1: 1} if args.skip_10x else {SCALE_1: 1, SCALE_10: 10}
    load = {
        "clients": args.clients,
        "duration_s": args.duration,
        "port": args.port,
        "server": args.server,
        "threads": args.threads,
        "groups": tuple(args.load_groups),
    }
    for label, scale in scales.items():
        url = _bench_database_url(scale)
        prepare_database(url, scale=scale)
        result = measure_scale(
            url,
            label=label,
            runs=args.runs,
            approval_runs=args.approval_runs,
            rebuild_runs=args.rebuild_runs,
            # Upload throughput does not depend on what is stored: measured once, at 1x.
            parts=parts if scale == 1 else parts - {"uploads"},
            statement_timeout_s=args.statement_timeout,
            load=load,
        )
        save_results(label, result, as_baseline=args.as_baseline)
    write_report()
    for label in scales:
        found = (read_results(label) or {}).get("load")
        if found and found["total"]["errors"] and "load" in parts:
            raise SystemExit(f"The load test at {label} had {found['total']['errors']} errors.")


if __name__ == "__main__":
    main()
