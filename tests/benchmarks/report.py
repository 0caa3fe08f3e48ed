"""docs/benchmarks.md from the kept results of `make bench` and `make bench-scale`.

``render({label: (now, before)}, notes=...)``: each data set's table beside issue 9's targets
(met, or missed by how much), the "before" column measured on main before the accounting store,
the growth of each figure from 1x to 1 M, and the hand-written notes (why a target is missed).
Pure formatting: tests.benchmarks.run measures and keeps the results.
"""

from tests.benchmarks.run import (
    APPROVAL_TARGETS,
    LOAD_TARGETS,
    MAP_TARGETS,
    NOTES_END,
    NOTES_START,
    RATIO_TARGET,
    REBUILD_TARGETS,
    SCALE_1,
    SCALE_1M,
    SCALE_10,
    SCALE_TITLES,
    STATS,
    TILE_LAYERS,
    TILE_TARGETS,
)

SCALE_INDEX = {SCALE_1: 0, SCALE_10: 1, SCALE_1M: 2}
NOT_MEASURED = "–"


def _ms(seconds) -> str:
    if seconds is None:
        return NOT_MEASURED
    ms = seconds * 1000
    return f"{ms:,.1f} ms" if ms < 10 else f"{ms:,.0f} ms"


def _kb(size) -> str:
    return NOT_MEASURED if size is None else f"{size / 1024:,.0f} KB"


def _at_most(value, target, show) -> str:
    """'met', or 'missed by <excess> (<n>x the target)'."""
    if value is None:
        return NOT_MEASURED
    if value <= target:
        return "met"
    return f"missed by {show(value - target)} ({value / target:,.1f}x the target)"


def _at_least(value, target, show) -> str:
    if value is None:
        return NOT_MEASURED
    if value >= target:
        return "met"
    return f"missed by {show(target - value)} ({value / target:.2f}x the target)"


def _rate(value) -> str:
    return NOT_MEASURED if value is None else f"{value:,.1f}/s"


def _by_key(rows) -> dict:
    return {row["key"]: row for row in rows or []}


def _value(row, field):
    if row is None or "error" in row or "unavailable" in row:
        return None
    return row.get(field)


def _or_error(row, field, show) -> str:
    if row is None:
        return NOT_MEASURED
    if "unavailable" in row:
        return f"not available: {row['unavailable']}"
    if "error" in row:
        if "gave up" in row["error"]:
            return row["error"]
        return f"failed: {row['error'][:80]}"
    return show(row.get(field))


def _tile_worst(result, layer, field):
    """(seconds, zoom) of the slowest zoom of ``layer``, or a note why there is none."""
    rows = [row for row in (result or {}).get("tiles", {}).get("rows", []) if row["layer"] == layer]
    if not rows:
        return None, None
    unavailable = [row for row in rows if "unavailable" in row]
    if len(unavailable) == len(rows):
        return None, f"not available: {unavailable[0]['unavailable']}"
    measured = [row for row in rows if field in row]
    if not measured:
        return None, f"failed: {rows[0].get('error', '?')[:80]}"
    worst = max(measured, key=lambda row: row[field])
    return worst[field], f"z{worst['z']}"


def _figures(result: dict | None, label: str) -> list[dict]:
    """The rows of the targets table: what, target, value, how shown, verdict."""
    result = result or {}
    index = SCALE_INDEX[label]
    figures = []
    stats = _by_key(result.get("stats"))

    def target_of(stat) -> float:
        return stat[3][index] / 1000

    for stat in STATS:
        key, what, _url, targets = stat
        row = stats.get(key)
        target = target_of(stat)
        figures.append(
            {
                "key": key,
                "what": what,
                "target": f"≤ {targets[index]} ms",
                "value": _value(row, "endpoint_s"),
                "shown": _or_error(row, "endpoint_s", _ms),
                "sql": _ms(_value(row, "sql_s")),
                "ratio": _ratio(row),
                "statements": str(row["statements"]) if row and "statements" in row else "",
                "verdict": (
                    f"missed: {row['error']}"
                    if row and "gave up" in row.get("error", "")
                    else _at_most(_value(row, "endpoint_s"), target, _ms)
                ),
            }
        )
    reference = result.get("reference") or {}
    release_district = figures[0]
    if release_district["value"] is None and reference.get("seconds") is not None:
        # Not measured through the endpoint (minutes each before the store): today's reference
        # SQL, run once, stands in its row, named as such.
        release_district["value"] = reference["seconds"]
        release_district["shown"] = f"{reference['seconds']:,.0f} s (`_RELEASE_SQL` alone, once)"
        release_district["verdict"] = _at_most(reference["seconds"], target_of(STATS[0]), _ms)
    province = _by_key(result.get("maps")).get("province")
    for field, what, target, show in (
        ("first_s", "province map, first build", MAP_TARGETS["first_s"], _ms),
        ("cached_s", "province map, cached", MAP_TARGETS["cached_s"], _ms),
        ("bytes", "province map, HTML size", MAP_TARGETS["bytes"], _kb),
    ):
        figures.append(
            {
                "key": f"map_{field}",
                "what": what,
                "target": f"≤ {show(target)}" if field != "bytes" else "≤ 1 MB",
                "value": _value(province, field),
                "shown": _or_error(province, field, show),
                "verdict": _at_most(_value(province, field), target, show),
            }
        )
    for layer in TILE_LAYERS:
        cold_s, cold_where = _tile_worst(result, layer, "cold_s")
        cached_s, cached_where = _tile_worst(result, layer, "cached_s")
        if cold_s is None:
            shown, verdict = cold_where or NOT_MEASURED, NOT_MEASURED
        else:
            shown = (
                f"{_ms(cold_s)} ({cold_where}) / {_ms(cached_s)} ({cached_where}), the slowest zoom"
            )
            cold = _at_most(cold_s, TILE_TARGETS["cold_s"], _ms)
            cached = _at_most(cached_s, TILE_TARGETS["cached_s"], _ms)
            verdict = "met" if cold == cached == "met" else f"cold: {cold}; cached: {cached}"
        figures.append(
            {
                "key": f"tile_{layer}",
                "what": f"vector tile `{layer}` z10-z14, cold / cached",
                "target": f"≤ {_ms(TILE_TARGETS['cold_s'])} / ≤ {_ms(TILE_TARGETS['cached_s'])}",
                "value": cold_s,
                "shown": shown,
                "verdict": verdict,
            }
        )
    load = result.get("load")
    statistics_load = (load or {}).get("groups", {}).get("statistics")
    if label != SCALE_1M:
        per_second = statistics_load["per_second"] if statistics_load else None
        p95 = statistics_load["p95_s"] if statistics_load else None
        figures += [
            {
                "key": "load_per_second",
                "what": f"{(load or {}).get('clients', 20)} concurrent clients on the statistics",
                "target": "≥ 100/s",
                "value": per_second,
                "shown": _rate(per_second),
                "verdict": _at_least(per_second, LOAD_TARGETS["per_second"], _rate),
            },
            {
                "key": "load_p95",
                "what": "the same: p95",
                "target": "≤ 300 ms",
                "value": p95,
                "shown": _ms(p95),
                "verdict": _at_most(p95, LOAD_TARGETS["p95_s"], _ms),
            },
        ]
    approval = result.get("approval")
    for batch in (approval or {}).get("batches", []):
        store_s = batch.get("store_s")
        if store_s is not None:
            shown = (
                f"{_ms(store_s)} (approval {_ms(batch['approval_s'])}, "
                f"without the store {_ms(batch['without_store_s'])})"
            )
        else:
            shown = f"no store triggers yet; the approval alone: {_ms(batch['approval_s'])}"
        figures.append(
            {
                "key": f"approval_{batch['key']}",
                "what": f"approving a 1,000-polygon batch ({batch['label']}): store update",
                "target": f"≤ {APPROVAL_TARGETS[label]:.0f} s",
                "value": store_s,
                "shown": shown,
                "verdict": _at_most(store_s, APPROVAL_TARGETS[label], _ms),
            }
        )
    rebuild = result.get("rebuild")
    if rebuild is not None:
        seconds = _value(rebuild, "seconds")
        target = REBUILD_TARGETS.get(label)
        figures.append(
            {
                "key": "rebuild",
                "what": "full rebuild (`manage.py rebuild_accounting`)",
                "target": f"≤ {target / 60:.0f} min" if target else "report it",
                "value": seconds,
                "shown": (
                    f"{seconds:,.1f} s"
                    + (f" (it said: {rebuild['said']})" if rebuild.get("said") else "")
                    if seconds is not None
                    else _or_error(rebuild, "seconds", str)
                ),
                "verdict": _at_most(seconds, target, lambda s: f"{s:,.0f} s") if target else "",
            }
        )
    return figures


def _ratio(row) -> str:
    endpoint_s, sql_s = _value(row, "endpoint_s"), _value(row, "sql_s")
    if endpoint_s is None or not sql_s:
        return NOT_MEASURED
    ratio = endpoint_s / sql_s
    verdict = "met" if ratio <= RATIO_TARGET else f"missed by {ratio - RATIO_TARGET:.2f}"
    return f"{ratio:.2f} ({verdict})"


def _counts(result: dict) -> str:
    counts = result.get("counts", {})
    return (
        f"{counts.get('hazards', 0):,} hazards, {counts.get('releases', 0):,} releases, "
        f"{counts.get('spot_tasks', 0):,} spot tasks, {counts.get('villages', 0):,} villages"
    )


def _measured(result: dict) -> str:
    machine = result.get("machine", {})
    seconds = result.get("seconds", {})
    spent = ", ".join(f"{part} {value / 60:.1f} min" for part, value in seconds.items())
    return (
        f"Measured {machine.get('date', '?')} on {machine.get('branch', '?')} at "
        f"{machine.get('commit', '?')} ({machine.get('cpus', '?')} cores, load average "
        f"{machine.get('load_average', '?')} at the start); time spent: {spent or '?'}."
    )


def _targets_table(label: str, now: dict | None, before: dict | None) -> list[str]:
    now_figures = {figure["key"]: figure for figure in _figures(now, label)}
    before_figures = {figure["key"]: figure for figure in _figures(before, label)}
    lines = [
        "| what | target | before the store | now | its bare SQL | endpoint / SQL (≤ 1.2) "
        "| statements | now against the target |",
        "|---|---|---:|---:|---:|---|---:|---|",
    ]
    for key, figure in now_figures.items():
        old = before_figures.get(key, {})
        lines.append(
            f"| {figure['what']} | {figure['target']} | {old.get('shown', NOT_MEASURED)} | "
            f"{figure['shown']} | {figure.get('sql', '')} | {figure.get('ratio', '')} | "
            f"{figure.get('statements', '')} | {figure['verdict']} |"
        )
    return lines


def _other_tables(result: dict) -> list[str]:
    lines = []
    if result.get("other"):
        lines += [
            "",
            "Other endpoints (no target of their own):",
            "",
            "| endpoint | median | its bare SQL | endpoint / SQL | statements |",
            "|---|---:|---:|---:|---:|",
        ]
        for row in result["other"]:
            lines.append(
                f"| {row['label']} (`{row['url']}`) | {_or_error(row, 'endpoint_s', _ms)} | "
                f"{_ms(_value(row, 'sql_s'))} | {_ratio(row)} | {row.get('statements', '')} |"
            )
    if result.get("maps"):
        lines += [
            "",
            "| map | first build | cached | HTML size |",
            "|---|---:|---:|---:|",
        ]
        for row in result["maps"]:
            lines.append(
                f"| {row['label']} (`{row['url']}`) | {_or_error(row, 'first_s', _ms)} | "
                f"{_ms(_value(row, 'cached_s'))} | {_kb(_value(row, 'bytes'))} |"
            )
    tiles = result.get("tiles")
    if tiles and any("cold_s" in row for row in tiles["rows"]):
        lon, lat = tiles["point"]
        lines += [
            "",
            f"Vector tiles on the tile holding ({lon:.4f}, {lat:.4f}), a point of the largest CHA:",
            "",
            "| tile | cold | cached | size |",
            "|---|---:|---:|---:|",
        ]
        for row in tiles["rows"]:
            lines.append(
                f"| `{row['url']}` | {_or_error(row, 'cold_s', _ms)} | "
                f"{_ms(_value(row, 'cached_s'))} | {_kb(_value(row, 'bytes'))} |"
            )
    load = result.get("load")
    if load:
        lines += [
            "",
            f"Load test: {load['clients']} clients for {load['duration_s']:.0f} s on "
            + ", ".join(load["groups"])
            + f" under gunicorn ({load['workers']} processes x {load['threads']} threads), "
            f"the last answer {load['elapsed_s']:.0f} s after the start; load average "
            f"{load['load_average'][0]} before, {load['load_average'][1]} after.",
            "",
            "| group | answers | answers/s | p50 | p95 | p99 | errors |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for group, row in load["groups"].items():
            if not row["requests"]:
                lines.append(f"| {group} | 0 | 0 | - | - | - | 0 |")
                continue
            lines.append(
                f"| {group} | {row['requests']:,} | {row['per_second']:.2f} | {_ms(row['p50_s'])} "
                f"| {_ms(row['p95_s'])} | {_ms(row['p99_s'])} | {row['errors']} |"
            )
    if result.get("uploads"):
        lines += [
            "",
            "Uploads: a GeoPackage of release polygons in UTM 48N, checked and committed",
            "through the upload services, beside `ogr2ogr -f PostgreSQL` loading the same file",
            "(reprojected to WGS 84) into the same database:",
            "",
            "| polygons | check (s) | commit (s) | features/s | ogr2ogr (s) | ogr2ogr features/s "
            "| ours / ogr2ogr |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in result["uploads"]:
            lines.append(
                f"| {row['features']:,} | {row['check_s']} | {row['commit_s']} | "
                f"{row['features_per_s']:,} | {row['ogr2ogr_s']} | "
                f"{row['ogr2ogr_features_per_s']:,} | {row['slower_than_ogr2ogr']} |"
            )
    if result.get("exports"):
        lines += [
            "",
            "Exports of every approved release (`/api/v1/releases/?format=...`), each in a",
            "process of its own; memory is the peak resident set above the process's before the",
            "export, which follows the rows per batch (one batch held at a time), not the count"
            + (
                f" (measured on {result['exports'][0]['measured']})"
                if result["exports"][0].get("measured")
                else ""
            )
            + ":",
            "",
            "| format | features | rows per batch | file | time | peak memory growth |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for row in result["exports"]:
            lines.append(
                f"| {row['format']} | {row['features']:,} | {row.get('batch_size', 5000):,} | "
                f"{_kb(row['bytes'])} | {_ms(row['seconds'])} | {row['rss_growth_mb']:.1f} MB |"
            )
    generated = result.get("generated")
    if generated:
        lines += [
            "",
            f"The data set: the demo at scale 10 ({generated['demo_s']:.0f} s), then "
            f"{generated['generated']:,} releases generated in SQL in "
            f"{generated['insert_s']:.0f} s (+ {generated['vacuum_s']:.0f} s VACUUM ANALYZE), with "
            + (
                f"the store's triggers off ({len(generated['triggers_disabled'])})"
                if generated["triggers_disabled"]
                else "no store triggers to turn off (before the store)"
            )
            + ".",
        ]
    reference = result.get("reference")
    if reference:
        if reference.get("seconds") is not None:
            said = f"{reference['seconds']:,.1f} s"
        else:
            said = f"given up after {reference['timeout_s']} s ({reference.get('error', '')})"
        lines += [
            "",
            "Today's reference (the release report by district through `_RELEASE_SQL`, "
            f"app/accounting/selectors/release.py), once: {said}.",
        ]
    return lines


def _statement_listing(results: dict) -> list[str]:
    for label in (SCALE_1, SCALE_10, SCALE_1M):
        now, _before = results.get(label, (None, None))
        row = _by_key((now or {}).get("stats")).get("release_district")
        if row and row.get("statement_list"):
            lines = [
                "## The statements of one statistics request",
                "",
                f"The release report by district (`{row['url']}`) at {label}, as recorded under "
                f"`connection.execute_wrapper`: {len(row['statement_list'])} statements.",
                "",
            ]
            lines += [f"{n}. `{sql}`" for n, sql in enumerate(row["statement_list"], start=1)]
            return lines + [""]
    return []


def _growth(results: dict) -> list[str]:
    figures = {
        label: {figure["key"]: figure for figure in _figures(results.get(label, (None,))[0], label)}
        for label in (SCALE_1, SCALE_10, SCALE_1M)
    }
    lines = [
        "## Growth from 1x to 1 M",
        "",
        'Now (the "before" figures are in each table above).',
        "",
        "| what | 1x | 10x | 1 M | 10x / 1x | 1 M / 1x |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, figure in figures[SCALE_1].items():
        values = [figures[label].get(key, {}) for label in (SCALE_1, SCALE_10, SCALE_1M)]
        shown = [value.get("shown", NOT_MEASURED) for value in values]
        numbers = [value.get("value") for value in values]

        def growth(later, first=numbers[0]):
            return f"{later / first:,.1f}x" if later is not None and first else NOT_MEASURED

        lines.append(
            f"| {figure['what']} | {shown[0]} | {shown[1]} | {shown[2]} | "
            f"{growth(numbers[1])} | {growth(numbers[2])} |"
        )
    return lines + [""]


def _missed(results: dict) -> list[str]:
    lines = []
    for label in (SCALE_1, SCALE_10, SCALE_1M):
        now = results.get(label, (None,))[0]
        if not now:
            continue
        for figure in _figures(now, label):
            if figure["verdict"].startswith("missed:"):
                lines.append(f"- {label}, {figure['what']}: {figure['verdict']}.")
            elif "missed" in figure["verdict"]:
                lines.append(
                    f"- {label}, {figure['what']}: {figure['shown']}, {figure['verdict']}."
                )
            if "missed" in figure.get("ratio", ""):
                lines.append(f"- {label}, {figure['what']}, endpoint / SQL: {figure['ratio']}.")
    return lines


def render(results: dict, *, notes: str = "") -> str:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (1x and 10x: tests/benchmarks/run.py) and `make bench-scale`",
        "(about 1,000,000 releases: tests/benchmarks/scale.py), from the results kept in",
        "docs/benchmark-results/. Medians of several runs on a shared 2-core machine (a figure",
        "slower than 10 s is one run). Each statistics endpoint is measured through Django's test",
        "Client signed in as an analyst, beside the bare replay of every SQL statement it ran",
        '(session, permissions, scope included). "Before the store" is main before issue 9\'s',
        "accounting store, kept as the baseline (`run.py --as-baseline`). Targets: issue 9.",
        "",
    ]
    for label in (SCALE_1, SCALE_10, SCALE_1M):
        now, before = results.get(label, (None, None))
        if not now and not before:
            continue
        shown = now or before
        lines += [f"## {SCALE_TITLES[label]}: {_counts(shown)}", "", _measured(shown), ""]
        lines += _targets_table(label, now or before, before)
        lines += _other_tables(shown)
        lines.append("")
    lines += _growth(results)
    missed = _missed(results)
    lines += ["## Targets missed", ""]
    lines += missed or ["None."]
    lines += ["", NOTES_START, notes, NOTES_END, ""]
    lines += _statement_listing(results)
    return "\n".join(lines).rstrip("\n") + "\n"
