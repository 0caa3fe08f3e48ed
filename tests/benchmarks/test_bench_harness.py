"""The bench's own parts that must be right for its figures to mean anything: the tile it asks
for, the releases bench-scale generates, and the verdicts the report writes. No timing here."""

import pyproj
import pytest
from django.db import connection

from app.demo.services import load_demo
from tests.benchmarks import approval, run, scale
from tests.benchmarks.report import render

# Web mercator's half circumference, metres: the oracle for the tile grid.
MERCATOR_HALF_M = 20037508.342789244


@pytest.mark.parametrize("zoom", [10, 12, 14])
def test_the_tile_asked_for_holds_the_point(zoom):
    lon, lat = 106.9312, 16.8051  # Cam Lộ
    east, north = pyproj.Transformer.from_crs(4326, 3857, always_xy=True).transform(lon, lat)
    tile_m = 2 * MERCATOR_HALF_M / 2**zoom

    x, y = run.tile_of(lon, lat, zoom)

    assert x * tile_m - MERCATOR_HALF_M <= east < (x + 1) * tile_m - MERCATOR_HALF_M
    assert MERCATOR_HALF_M - (y + 1) * tile_m < north <= MERCATOR_HALF_M - y * tile_m


@pytest.mark.django_db
def test_the_scale_generator_writes_approved_survey_boxes_mostly_inside_chas():
    load_demo(seed=3, fraction=0.04)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registry_releasearea")
        before = cursor.fetchone()[0]

    scale.insert_releases(connection.connection, wanted=2_000)

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*),
                   count(*) FILTER (WHERE status = 'approved' AND ST_IsValid(geometry)),
                   count(*) FILTER (WHERE EXISTS (
                       SELECT 1 FROM registry_hazardarea AS cha
                       WHERE cha.kind = 'CHA' AND ST_Intersects(cha.geometry, release.geometry))),
                   min(completed_on), max(completed_on),
                   min(ST_Area(geometry::geography)), max(ST_Area(geometry::geography)),
                   count(DISTINCT method)
            FROM registry_releasearea AS release
            WHERE reference LIKE %s
            """,
            [scale.REFERENCE_PREFIX + "%"],
        )
        count, approved_valid, in_cha, first, last, smallest_m2, largest_m2, methods = (
            cursor.fetchone()
        )
    # Each hazard draws its share rounded at random: the total is near the number asked for.
    assert abs(count - 2_000) < 100
    assert approved_valid == count
    assert in_cha / count > 0.85
    assert first.year >= 2000 and last.year <= 2025
    # 50-100 m boxes and octagons of 40-100 m across: between about 0.1 and 1 ha.
    assert smallest_m2 > 1_000 and largest_m2 < 10_000
    assert methods == 3
    assert before + count == _count("registry_releasearea")


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def test_the_report_says_by_how_much_a_target_is_missed_and_keeps_the_notes():
    measured = {
        "counts": {"hazards": 10, "releases": 20, "spot_tasks": 30, "villages": 4},
        "stats": [
            {
                "key": "release_district",
                "label": "release report by district",
                "url": "/x",
                "endpoint_s": 0.25,
                "sql_s": 0.2,
                "statements": 13,
            },
            {
                "key": "progress",
                "label": "progress",
                "url": "/y",
                "endpoint_s": 0.05,
                "sql_s": 0.05,
                "statements": 12,
            },
        ],
        "tiles": {
            "point": [106.9, 16.8],
            "rows": [
                {"layer": "released", "z": zoom, "url": "/t", "unavailable": 404}
                for zoom in run.TILE_ZOOMS
            ],
        },
    }

    report = render({run.SCALE_1: (measured, None)}, notes="Why: the report is slow.")

    assert (
        "| 250 ms | 200 ms | 1.25 (missed by 0.05) | 13 | missed by 150 ms (2.5x the target) |"
        in (report)
    )
    assert "| 50 ms | 50 ms | 1.00 (met) | 12 | met |" in report
    tiles = "| vector tile `released` z10-z14, cold / cached | ≤ 100 ms / ≤ 10 ms | – |"
    assert f"{tiles} not available: 404 |" in report
    assert "Why: the report is slow." in report


class _TileServer:
    """Answers tiles of one layer (a few bytes each) and 404 for the others."""

    def __init__(self, layer: str):
        self.layer = layer
        self.asked: list[str] = []

    def get(self, url: str):
        from django.http import HttpResponse

        self.asked.append(url)
        if url.startswith(f"/tiles/{self.layer}/"):
            return HttpResponse(b"\x1a\x02mvt", content_type="application/vnd.mapbox-vector-tile")
        return HttpResponse(status=404)


@pytest.mark.django_db
def test_tiles_are_measured_where_they_answer_and_reported_missing_where_they_do_not(
    monkeypatch,
):
    monkeypatch.setattr(run, "_tile_point", lambda: (106.9312, 16.8051))
    server = _TileServer("released")

    measured = run._tiles(server, runs=1)

    by_layer = {}
    for row in measured["rows"]:
        by_layer.setdefault(row["layer"], []).append(row)
    assert [row["z"] for row in by_layer["released"]] == list(run.TILE_ZOOMS)
    assert all(row["bytes"] == 5 and row["cold_s"] >= 0 for row in by_layer["released"])
    assert all(row["unavailable"] == 404 for row in by_layer["hazards"])
    assert f"/tiles/released/12/{run.tile_of(106.9312, 16.8051, 12)[0]}/" in " ".join(server.asked)
    assert all(url.endswith(f"?year={run.YEAR}") for url in server.asked)


def _store_figures() -> list[tuple]:
    """The accounting store's per-unit sums, row by row."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT unit_id, family, day, cleared_ha, cleared_or_reduced_ha, released_ha"
            " FROM accounting_unitseries ORDER BY unit_id, family, day"
        )
        return cursor.fetchall()


@pytest.mark.django_db
def test_the_approval_is_timed_with_and_without_the_store_triggers_and_leaves_nothing(
    settings, tmp_path
):
    """Approved with the accounting store's triggers and with them off, each time rolled back:
    the batch, its upload and its organisation are gone afterwards, the triggers are on again
    and the store holds what it held before."""
    settings.UPLOAD_ROOT = tmp_path / "uploads"
    load_demo(seed=3, fraction=0.04)
    releases_before = _count("registry_releasearea")
    store_before = _store_figures()

    measured = approval.measure_approval(runs=1)

    assert "registry_releasearea_accounting_update" in measured["triggers"]
    assert [batch["key"] for batch in measured["batches"]] == ["clustered", "scattered"]
    for batch in measured["batches"]:
        assert batch["approval_s"] > 0 and batch["without_store_s"] > 0
        assert batch["store_s"] == batch["approval_s"] - batch["without_store_s"]
    assert _count("registry_releasearea") == releases_before
    assert _store_figures() == store_before
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM registry_organisation WHERE slug = %s", [approval.ORGANISATION]
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute(
            "SELECT DISTINCT tgenabled FROM pg_trigger WHERE tgname = ANY (%s)",
            [measured["triggers"]],
        )
        assert cursor.fetchall() == [("O",)]
