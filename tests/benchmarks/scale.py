"""`make bench-scale`: the Targets table of issue 9 at about 1,000,000 release polygons.

The data set (``<name>_bench_scale`` beside the configured database, built once and reused;
``--rebuild`` builds it again):

- the demo at scale 10 (``load_demo --scale 10``): 14,200 hazards (CHAs and SHAs inside the
  province, the demo generator's outlines at a tenth of their size), 548,500 spot tasks, 8,000
  villages and 35,647 releases, all approved;
- then, generated in SQL (``setseed``, ``ST_GeneratePoints`` with a seed, ``ST_MakeEnvelope``), the
  releases up to ``--releases`` (1,000,000) the way the cluster-munition survey records them:
  boxes of 50-100 m a side and small rotated octagons of 40-100 m, 88 % inside CHAs (as many per
  CHA as its area calls for, so they overlap heavily: about eight layers deep on average), 8 % in
  SHAs, 4 % anywhere in the province (clearance before construction). Completed from 2000 to
  2025 with the programme's yearly volumes (few before 2008, the survey's peak 2017-2023, a dip
  in 2020); inside CHAs mostly cleared, in SHAs mostly reduced or cancelled; all approved.

The accounting store's triggers (``registry_<table>_accounting_<insert|update|delete>``) are
disabled during the bulk insert and ``manage.py rebuild_accounting`` then builds the store once,
timed: that is how the store must be built at this size. The history trigger stays on: the
registry as recorded (``?as_recorded=``) holds these releases like any other.

Then the table of tests/benchmarks/run.py (without the load test), and once per data set today's
reference (the release report by district through ``_RELEASE_SQL`` of
app/accounting/selectors/release.py) with a statement timeout.

Usage: python tests/benchmarks/scale.py [--rebuild] [--releases N] [--runs N]
       [--skip PART ...] [--reference-timeout S]
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")

from tests.benchmarks import run  # noqa: E402 (after the path and settings above)

SCALE_LABEL = "1 M releases"
SEED = 0.2025
REFERENCE_PREFIX = "SYN-SCALE-"
# Where the generated releases fall: inside CHAs, inside SHAs, anywhere in the province.
SHARE_IN_CHA = 0.88
SHARE_IN_SHA = 0.08
# Completed releases per year in the programme's life, relative: few before 2008, the growth of
# the NGOs' clearance, the cluster-munition survey (CMRS) from 2015, its peak, and a dip in 2020.
YEAR_WEIGHTS = {
    2000: 1, 2001: 2, 2002: 2, 2003: 2, 2004: 3, 2005: 3, 2006: 4, 2007: 4, 2008: 5, 2009: 5,
    2010: 6, 2011: 7, 2012: 7, 2013: 8, 2014: 9, 2015: 11, 2016: 13, 2017: 15, 2018: 16,
    2019: 17, 2020: 14, 2021: 13, 2022: 16, 2023: 17, 2024: 16, 2025: 15,
}  # fmt: skip
# Who did the work, as copies in a list drawn from uniformly (npa 7 in 20, mag 5, ...).
ORGANISATION_COPIES = {
    "npa": 7, "mag": 5, "renew": 3, "peacetrees": 2, "golden-west": 1, "military-qt": 2,
}  # fmt: skip

# One place per release, then its outline. ``places`` is filled per source (CHA, SHA, province)
# with seeded random points; the metres-to-degrees factors hold near 17°N. Three statements (a
# server-side bound statement holds one).
_PLACES_SQL = "CREATE TEMPORARY TABLE scale_places (source text, point geometry) ON COMMIT DROP"
_HAZARD_PLACES_SQL = """
INSERT INTO scale_places
SELECT hazards.kind, dumped.geom
FROM (
    SELECT id, kind, geometry,
           floor(%(per_area)s * ST_Area(geometry) * (CASE WHEN kind = 'CHA' THEN %(cha_share)s
                 ELSE %(sha_share)s END) / (CASE WHEN kind = 'CHA' THEN %(cha_area)s
                 ELSE %(sha_area)s END) + random())::int AS releases
    FROM registry_hazardarea
    WHERE status = 'approved' AND deleted_at IS NULL
    ORDER BY id
) AS hazards,
LATERAL ST_Dump(ST_GeneratePoints(hazards.geometry, hazards.releases, hazards.id::int))
    AS dumped
WHERE hazards.releases > 0
"""
_PROVINCE_PLACES_SQL = """
INSERT INTO scale_places
SELECT 'province', dumped.geom
FROM registry_adminunit AS province,
     LATERAL ST_Dump(ST_GeneratePoints(province.geometry, %(anywhere)s, 2025)) AS dumped
WHERE province.level = 'province' AND province.boundary_set = '2019'
"""
_RELEASES_SQL = """
WITH drawn AS (
    SELECT source, point,
           ST_X(point) AS lon, ST_Y(point) AS lat,
           random() AS shape_draw, random() AS method_draw,
           %(years)s::int[] AS years, %(organisations)s::bigint[] AS organisations,
           random() AS year_draw, random() AS day_draw, random() AS organisation_draw,
           random() AS start_draw, random() AS depth_draw,
           25 + 25 * random() AS half_width_m, 25 + 25 * random() AS half_height_m,
           2 * pi() * random() AS turn
    FROM scale_places
    ORDER BY source, ST_GeoHash(point, 8)
),
dated AS (
    SELECT drawn.*,
           make_date(years[1 + floor(year_draw * cardinality(years))::int], 1, 1)
               + floor(day_draw * 365)::int AS completed_on,
           CASE source
               WHEN 'CHA' THEN CASE WHEN method_draw < 0.80 THEN 'cleared'
                                    WHEN method_draw < 0.94 THEN 'reduced'
                                    ELSE 'cancelled' END
               WHEN 'SHA' THEN CASE WHEN method_draw < 0.25 THEN 'cleared'
                                    WHEN method_draw < 0.60 THEN 'reduced'
                                    ELSE 'cancelled' END
               ELSE 'cleared'
           END AS method,
           -- degrees per metre east and north near this latitude
           1 / (111320 * cos(radians(lat))) AS east_deg, 1 / 110574.0 AS north_deg
    FROM drawn
)
INSERT INTO registry_releasearea
    (reference, method, organisation_id, started_on, completed_on, depth_cm, geometry, status)
SELECT %(prefix)s || lpad((row_number() OVER ())::text, 7, '0'),
       method,
       organisations[1 + floor(organisation_draw * cardinality(organisations))::int],
       completed_on - (3 + floor(start_draw * 90))::int,
       completed_on,
       CASE WHEN method = 'cleared' THEN CASE WHEN depth_draw < 0.9 THEN 30 ELSE 50 END END,
       ST_Multi(CASE
           WHEN shape_draw < 0.8 THEN ST_MakeEnvelope(
               lon - half_width_m * east_deg, lat - half_height_m * north_deg,
               lon + half_width_m * east_deg, lat + half_height_m * north_deg, 4326)
           -- an octagon of radius 1, stretched to 40-100 m, turned, moved to its place
           ELSE ST_SetSRID(ST_Affine(ST_Buffer(ST_MakePoint(0, 0), 1, 'quad_segs=2'),
               east_deg * half_width_m * cos(turn), -east_deg * half_height_m * sin(turn),
               north_deg * half_width_m * sin(turn), north_deg * half_height_m * cos(turn),
               lon, lat), 4326)
       END),
       'approved'
FROM dated
"""


def _scale_database_url() -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(run.configured_database_url())
    return urlunsplit(parts._replace(path=f"{parts.path}_bench_scale"))


def _database_exists(url: str) -> bool:
    import psycopg

    admin_url, name = url.rsplit("/", 1)
    with psycopg.connect(admin_url + "/postgres", autocommit=True) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def _generated_releases(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        found = conn.execute("SELECT to_regclass('registry_releasearea')").fetchone()[0]
        if found is None:
            return 0
        return conn.execute(
            "SELECT count(*) FROM registry_releasearea WHERE reference LIKE %s",
            [REFERENCE_PREFIX + "%"],
        ).fetchone()[0]


def _drop_database(url: str) -> None:
    import psycopg

    admin_url, name = url.rsplit("/", 1)
    with psycopg.connect(admin_url + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def insert_releases(conn, *, wanted: int) -> None:
    """Insert ``wanted`` generated releases through ``conn`` (a psycopg connection, in its
    transaction)."""
    organisation_ids = dict(conn.execute("SELECT slug, id FROM registry_organisation"))
    areas = dict(
        conn.execute(
            "SELECT kind, sum(ST_Area(geometry)) FROM registry_hazardarea "
            "WHERE status = 'approved' AND deleted_at IS NULL GROUP BY kind"
        )
    )
    parameters = {
        "per_area": wanted,
        "cha_share": SHARE_IN_CHA,
        "sha_share": SHARE_IN_SHA,
        "cha_area": areas["CHA"],
        "sha_area": areas["SHA"],
        "anywhere": round(wanted * (1 - SHARE_IN_CHA - SHARE_IN_SHA)),
        "years": [year for year, copies in YEAR_WEIGHTS.items() for _ in range(copies)],
        "organisations": [
            organisation_ids[slug]
            for slug, copies in ORGANISATION_COPIES.items()
            for _ in range(copies)
        ],
        "prefix": REFERENCE_PREFIX,
    }
    conn.execute("SELECT setseed(%s)", [SEED])
    conn.execute(_PLACES_SQL)
    for statement in (_HAZARD_PLACES_SQL, _PROVINCE_PLACES_SQL, _RELEASES_SQL):
        names = {name for name in parameters if f"%({name})s" in statement}
        conn.execute(statement, {name: parameters[name] for name in names})


def generate_releases(url: str, *, releases: int) -> dict:
    """Insert releases up to ``releases`` in all, in one transaction with the accounting
    triggers off; returns the counts and seconds."""
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        existing = conn.execute("SELECT count(*) FROM registry_releasearea").fetchone()[0]
        triggers = run.accounting_triggers(conn)
        for table, trigger in triggers:
            conn.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER "{trigger}"')
        insert_releases(conn, wanted=max(0, releases - existing))
        for table, trigger in triggers:
            conn.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER "{trigger}"')
    inserted = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE registry_releasearea")
        conn.execute("ANALYZE registry_recordversion")
        total = conn.execute("SELECT count(*) FROM registry_releasearea").fetchone()[0]
    return {
        "releases": total,
        "generated": total - existing,
        "insert_s": inserted - started,
        "vacuum_s": time.perf_counter() - inserted,
        "triggers_disabled": [name for _table, name in triggers],
    }


def build(url: str, *, releases: int, rebuild: bool) -> dict | None:
    """The data set, built when missing (or ``rebuild``); None when it was reused."""
    if not rebuild and _database_exists(url) and _generated_releases(url):
        print(f"Reusing {url.rsplit('/', 1)[1]} (--rebuild to build it again)", flush=True)
        return None
    if rebuild:
        _drop_database(url)
    started = time.perf_counter()
    print("Building the 1 M data set: demo at scale 10 ...", flush=True)
    run.prepare_database(url, scale=10)
    demo_s = time.perf_counter() - started
    print(f"Generating releases up to {releases:,} in SQL ...", flush=True)
    generated = generate_releases(url, releases=releases)
    generated["demo_s"] = demo_s
    print(
        f"  {generated['generated']:,} releases in {generated['insert_s']:.0f} s "
        f"(+ {generated['vacuum_s']:.0f} s VACUUM ANALYZE)",
        flush=True,
    )
    return generated


def measure_reference(url: str, *, timeout_s: int) -> dict:
    """Today's reference, the release report by district through ``_RELEASE_SQL``, once."""
    completed = subprocess.run(
        [sys.executable, __file__, "--reference-only", "--reference-timeout", str(timeout_s)],
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        capture_output=True,
        text=True,
    )
    return run.last_json(completed.stdout)


def _reference_here(timeout_s: int) -> dict:
    import django

    django.setup()
    from django.db import connection, transaction
    from django.db.utils import OperationalError

    from app.accounting.selectors import release
    from app.accounting.selectors.query import fetch_dicts
    from app.registry.scopes import APPROVED, reading

    params = {
        "boundary_set": "2019",
        "level": "district",
        "unit_code": None,
        "as_of": run.AS_OF,
        "english": False,
    }
    reference_sql = getattr(release, "_RELEASE_SQL", None)
    if reference_sql is None:
        return {"seconds": None, "timeout_s": timeout_s, "error": "no _RELEASE_SQL any more"}
    started = time.perf_counter()
    try:
        with reading(APPROVED), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = %s", [f"{timeout_s}s"])
            rows = fetch_dicts(reference_sql, params)
    except OperationalError as error:
        return {"seconds": None, "timeout_s": timeout_s, "error": str(error).splitlines()[0]}
    return {"seconds": time.perf_counter() - started, "rows": len(rows), "timeout_s": timeout_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="build the data set again")
    parser.add_argument("--releases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--approval-runs", type=int, default=2)
    parser.add_argument(
        "--skip",
        nargs="*",
        default=[],
        choices=sorted(run.PARTS - {"load", "uploads"} | {"reference"}),
        help="parts of the table to leave out",
    )
    parser.add_argument(
        "--reference-timeout",
        type=int,
        default=900,
        help="seconds before today's reference report is given up",
    )
    parser.add_argument("--statement-timeout", type=int, default=600, help=argparse.SUPPRESS)
    parser.add_argument(
        "--as-baseline",
        action="store_true",
        help='also keep these figures as the "before" column (measured before the store)',
    )
    parser.add_argument("--reference-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.reference_only:
        import json

        print(json.dumps(_reference_here(args.reference_timeout), default=str))
        return

    url = _scale_database_url()
    generated = build(url, releases=args.releases, rebuild=args.rebuild)
    parts = (run.PARTS | {"reference"}) - {"load", "uploads"} - set(args.skip)
    # A data set built before the store's migrations gets them now; the rebuild fills the store.
    run.migrate(url)
    rebuild = None
    if "rebuild" in parts:
        # Before anything is measured: the store is built once, the way it must be at this size.
        print("manage.py rebuild_accounting ...", flush=True)
        started = time.perf_counter()
        rebuild = run.measure_rebuild(url, runs=1)
        rebuild_s = time.perf_counter() - started
    result = run.measure_scale(
        url,
        label=SCALE_LABEL,
        runs=args.runs,
        approval_runs=args.approval_runs,
        rebuild_runs=1,
        parts=parts - {"reference", "rebuild"},
        statement_timeout_s=args.statement_timeout,
    )
    if rebuild is not None:
        result["rebuild"] = rebuild
        result["seconds"]["rebuild"] = rebuild_s
    if generated is not None:
        result["generated"] = generated
    else:
        previous = run.read_results(SCALE_LABEL)
        if previous and previous.get("generated"):
            result["generated"] = previous["generated"]
    if "reference" in parts:
        print(f"Today's reference (timeout {args.reference_timeout} s) ...", flush=True)
        result["reference"] = measure_reference(url, timeout_s=args.reference_timeout)
    run.save_results(SCALE_LABEL, result, as_baseline=args.as_baseline)
    run.write_report()


if __name__ == "__main__":
    main()
