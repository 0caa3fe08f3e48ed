"""Partitioning by province, measured (docs/scaling.md): N synthetic provinces, the registry
partitioned by LIST (province_id) beside the same rows in one table, a province's report and the
national one timed on both, and the storage a province takes.

Each synthetic province is the database's own approved registry (the demo data: load_demo) and
its 2019 admin units, translated by a few degrees in SQL (ST_Translate) and relabelled with a
province_id: the same shapes, overlaps and dates, so each province costs what one province costs
today. Everything lives in the schema ``scaling`` (dropped and made again), beside the registry.

Queries:
- the release report by district is the site's own reference SQL
  (app.accounting.selectors.release), run with a search_path whose ``registry_*`` views are one
  province (partition pruning on the partitioned table; an index on province_id on the flat one)
  or all of them (national, one query);
- "store sum": what a report becomes on an accounting store, per piece of hazard land a series
  of cumulative released hectares at each completion date, summed per unit as of a day. Pieces
  here are the CHAs themselves (the lead's store cuts them by unit and ST_Subdivide: more rows,
  the same query shape); the series come from the releases that meet each CHA.

Usage: DATABASE_URL=... python tests/benchmarks/partitioning.py [--provinces 34] [--runs 3]
       [--national-runs 1]
"""

import argparse
import functools
import math
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")

import django  # noqa: E402

django.setup()

from django.db import OperationalError, connection  # noqa: E402

from app.accounting.selectors.release import _RELEASE_SQL  # noqa: E402

# Provinces side by side, 6 to a row, 2.5° apart (Quảng Trị 2019 spans ~1.3° by ~1°).
STEP_DEG = 2.5
PER_ROW = 6
AS_OF = date(2023, 12, 31)
# The registry tables copied per province, with their geometry column.
TABLES = {
    "adminunit": "geometry",
    "hazardarea": "geometry",
    "releasearea": "geometry",
    "spottask": "location",
    "village": "location",
}
# Admin units are the reference table: one copy, never partitioned (see docs/scaling.md).
PARTITIONED = ("hazardarea", "releasearea", "spottask", "village")


def run(sql: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def timed(sql: str, params=None) -> float:
    started = time.perf_counter()
    run(sql, params)
    return time.perf_counter() - started


def columns(table: str) -> list[str]:
    return [
        name
        for (name,) in run(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
            [f"registry_{table}"],
        )
    ]


def build(provinces: int) -> dict[str, float]:
    """The flat and the partitioned copies; the seconds each step took."""
    seconds = {}
    run("DROP SCHEMA IF EXISTS scaling CASCADE")
    for schema in ("scaling_flat_one", "scaling_part_one", "scaling_flat_all", "scaling_part_all"):
        run(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        run(f"CREATE SCHEMA {schema}")
    run("CREATE SCHEMA scaling")
    for table, geometry in TABLES.items():
        names = columns(table)
        select = ", ".join(
            f"ST_Translate(r.{geometry}, ((p - 1) %% {PER_ROW}) * {STEP_DEG},"
            f" ((p - 1) / {PER_ROW}) * {STEP_DEG}) AS {geometry}"
            if name == geometry
            else "r.id + p::bigint * 100000000 AS id"
            if name == "id"
            else f"r.{name}"
            for name in names
        )
        where = (
            "r.boundary_set = '2019' AND r.deleted_at IS NULL"
            if table == "adminunit"
            else "r.status = 'approved' AND r.deleted_at IS NULL"
        )
        started = time.perf_counter()
        run(
            f"CREATE TABLE scaling.{table}_flat AS SELECT p AS province_id, {select}"
            f" FROM public.registry_{table} r, generate_series(1, %s) p WHERE {where}",
            [provinces],
        )
        run(f"CREATE INDEX ON scaling.{table}_flat USING gist ({geometry})")
        run(f"CREATE INDEX ON scaling.{table}_flat (province_id, id)")
        run(f"ANALYZE scaling.{table}_flat")
        seconds[f"{table} flat"] = time.perf_counter() - started
        if table not in PARTITIONED:
            continue
        started = time.perf_counter()
        run(
            f"CREATE TABLE scaling.{table} (LIKE scaling.{table}_flat)"
            " PARTITION BY LIST (province_id)"
        )
        for p in range(1, provinces + 1):
            run(
                f"CREATE TABLE scaling.{table}_p{p} PARTITION OF scaling.{table}"
                f" FOR VALUES IN ({p})"
            )
        run(f"INSERT INTO scaling.{table} SELECT * FROM scaling.{table}_flat")
        run(f"CREATE INDEX ON scaling.{table} USING gist ({geometry})")
        run(f"CREATE INDEX ON scaling.{table} (province_id, id)")
        run(f"ANALYZE scaling.{table}")
        seconds[f"{table} partitioned"] = time.perf_counter() - started
    one = "WHERE province_id = current_setting('scaling.province')::int"
    for table in ("adminunit", "hazardarea", "releasearea"):
        partitioned = f"scaling.{table}" if table in PARTITIONED else f"scaling.{table}_flat"
        flat = f"scaling.{table}_flat"
        run(f"CREATE VIEW scaling_flat_one.registry_{table} AS SELECT * FROM {flat} {one}")
        run(f"CREATE VIEW scaling_part_one.registry_{table} AS SELECT * FROM {partitioned} {one}")
        run(f"CREATE VIEW scaling_flat_all.registry_{table} AS SELECT * FROM scaling.{table}_flat")
        run(f"CREATE VIEW scaling_part_all.registry_{table} AS SELECT * FROM {partitioned}")
    return seconds


def build_store(provinces: int) -> float:
    """Per CHA and completion date, the cumulative hectares of the CHA released by then (the
    union of its releases so far: overlaps count once), for province 1, copied to the others."""
    started = time.perf_counter()
    run(
        """
        CREATE TABLE scaling.store_one AS
        WITH dates AS (
            SELECT DISTINCT h.id AS piece_id, r.completed_on AS on_date
            FROM scaling.hazardarea_p1 h
            JOIN scaling.releasearea_p1 r ON ST_Intersects(h.geometry, r.geometry)
            WHERE h.kind = 'CHA'
        )
        SELECT 1 AS province_id, u.id AS unit_id, d.piece_id, d.on_date,
               ST_Area(ST_Intersection(h.geometry,
                                       ST_UnaryUnion(ST_Collect(r.geometry)))::geography)
                 / 10000 AS released_ha
        FROM dates d
        JOIN scaling.hazardarea_p1 h ON h.id = d.piece_id
        JOIN scaling.adminunit_flat u ON u.province_id = 1 AND u.level = 'district'
             AND ST_Intersects(u.geometry, ST_PointOnSurface(h.geometry))
        JOIN scaling.releasearea_p1 r ON ST_Intersects(h.geometry, r.geometry)
             AND r.completed_on <= d.on_date
        GROUP BY u.id, d.piece_id, d.on_date, h.geometry
        """
    )
    one_province = time.perf_counter() - started
    run(
        "CREATE TABLE scaling.store_flat AS"
        " SELECT p AS province_id, unit_id + (p - 1)::bigint * 100000000 AS unit_id,"
        "        piece_id + (p - 1)::bigint * 100000000 AS piece_id, on_date, released_ha"
        " FROM scaling.store_one, generate_series(1, %s) p",
        [provinces],
    )
    run("CREATE INDEX ON scaling.store_flat (province_id, piece_id, on_date)")
    run("CREATE TABLE scaling.store (LIKE scaling.store_flat) PARTITION BY LIST (province_id)")
    for p in range(1, provinces + 1):
        run(f"CREATE TABLE scaling.store_p{p} PARTITION OF scaling.store FOR VALUES IN ({p})")
    run("INSERT INTO scaling.store SELECT * FROM scaling.store_flat")
    run("CREATE INDEX ON scaling.store (province_id, piece_id, on_date)")
    run("ANALYZE scaling.store_flat")
    run("ANALYZE scaling.store")
    return one_province


STORE_SUM = """
SELECT province_id, unit_id, sum(released_ha)
FROM (
    SELECT DISTINCT ON (province_id, piece_id) province_id, unit_id, released_ha
    FROM {table}
    WHERE on_date <= %(as_of)s {where}
    ORDER BY province_id, piece_id, on_date DESC
) AS last_rows
GROUP BY province_id, unit_id
"""


def report(schema: str, province: int | None, *, timeout_s: int = 0) -> float:
    """Seconds the release report took; infinity when it ran past ``timeout_s`` (0: none)."""
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(f"SET LOCAL statement_timeout = '{timeout_s}s'")
        cursor.execute(
            "SELECT set_config('search_path', %s, true), set_config('scaling.province', %s, true)",
            [f"{schema}, public", str(province or 0)],
        )
        started = time.perf_counter()
        try:
            cursor.execute(
                _RELEASE_SQL,
                {
                    "boundary_set": "2019",
                    "level": "district",
                    "unit_code": None,
                    "as_of": AS_OF,
                    "english": False,
                },
            )
        except OperationalError:  # the statement timeout
            cursor.execute("ROLLBACK")
            return math.inf
        rows = cursor.fetchall()
        elapsed = time.perf_counter() - started
        cursor.execute("ROLLBACK")
    assert rows
    return elapsed


def median_ms(samples: list[float]) -> str:
    median = statistics.median(samples)
    return "over the timeout" if math.isinf(median) else f"{median * 1000:,.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-build", action="store_true", help="reuse the schema scaling")
    parser.add_argument(
        "--national-timeout", type=int, default=600, help="seconds; the one-query national report"
    )
    # 0: leave out the national report in one query (over 34 provinces: several minutes).
    parser.add_argument("--national-runs", type=int, default=1)
    args = parser.parse_args()
    connection.ensure_connection()
    connection.connection.autocommit = True

    if not args.skip_build:
        build_seconds = build(args.provinces)
        for step, took in build_seconds.items():
            print(f"build {step}: {took:.1f} s")
        store_one_s = build_store(args.provinces)
        print(f"store of one province (naive, per CHA and date): {store_one_s:.1f} s")

    print("\n| what | rows | flat table | partitioned |")
    print("|---|---|---|---|")
    for table in (*TABLES, "store"):
        ((count, flat_bytes),) = run(
            f"SELECT count(*), pg_total_relation_size('scaling.{table}_flat')"
            f" FROM scaling.{table}_flat"
        )
        part_bytes = None
        if table in (*PARTITIONED, "store"):
            (part_bytes,) = run(
                "SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits"
                " WHERE inhparent = %s::regclass",
                [f"scaling.{table}"],
            )[0]
        per_province = (part_bytes or flat_bytes) / args.provinces
        print(
            f"| {table} | {count:,} | {flat_bytes / 2**20:,.1f} MB |"
            f" {'' if part_bytes is None else f'{part_bytes / 2**20:,.1f} MB'}"
            f" ({per_province / 2**20:,.2f} MB a province) |"
        )

    print("\n| query | flat table | partitioned |")
    print("|---|---|---|")
    today = [report("scope_approved", None) for _ in range(args.runs)]
    print(f"| release by district, the registry itself (one province) | {median_ms(today)} | |")
    provinces = [1, args.provinces // 2 or 1, args.provinces]
    flat = [report("scaling_flat_one", p) for p in provinces for _ in range(args.runs)]
    part = [report("scaling_part_one", p) for p in provinces for _ in range(args.runs)]
    print(f"| release by district, one province | {median_ms(flat)} | {median_ms(part)} |")
    national = functools.partial(report, province=None, timeout_s=args.national_timeout)
    flat_all = [national("scaling_flat_all") for _ in range(args.national_runs)] or [0]
    part_all = [national("scaling_part_all") for _ in range(args.national_runs)] or [0]
    print(
        f"| release by district, all {args.provinces} provinces in one query |"
        f" {median_ms(flat_all)} | {median_ms(part_all)} |"
    )
    flat_each = sum(report("scaling_flat_one", p) for p in range(1, args.provinces + 1))
    part_each = sum(report("scaling_part_one", p) for p in range(1, args.provinces + 1))
    print(
        f"| release by district, all {args.provinces} provinces as one query each, in a row |"
        f" {flat_each * 1000:,.0f} ms | {part_each * 1000:,.0f} ms |"
    )
    for scope, where, params in [
        ("one province", "AND province_id = %(province)s", {"province": args.provinces // 2 or 1}),
        (f"all {args.provinces} provinces", "", {}),
    ]:
        samples = {}
        for table in ("scaling.store_flat", "scaling.store"):
            query = STORE_SUM.format(table=table, where=where)
            samples[table] = [
                timed(query, {"as_of": AS_OF, **params}) for _ in range(max(args.runs, 5))
            ]
        print(
            f"| store sum as of {AS_OF}, {scope} | {median_ms(samples['scaling.store_flat'])} |"
            f" {median_ms(samples['scaling.store'])} |"
        )


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)
    main()
