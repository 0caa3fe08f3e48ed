"""Vector tile latency (issue 9, §5: a tile at z10-z14 cold <= 100 ms, cached <= 10 ms), on the
database of DATABASE_URL (the demo data, or a `<name>_bench10` database of tests/benchmarks/run.py).

For each zoom, the tiles holding the most CHAs (the worst case: where the unions are largest)
are built cold (app.maps.tiles.tile_mvt, the SQL alone, never the cache; also below the
zoom a layer is served from) and then fetched through the whole Django stack with the cache
filled (the tile view: session, permissions,
scope, cache lookup). Medians of several runs per tile, then the median and the worst tile of
each zoom; these machines are shared and noisy.

Then the size of the maps that carry the tiles' URLs, built and cached.

Usage: python tests/benchmarks/tiles.py [--runs 5] [--tiles 3] [--zooms 8-14]
       [--layers remaining-cha,released]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")
os.environ.setdefault("RATE_LIMIT_TILES_USER_PER_MINUTE", "0")
os.environ.setdefault("RATE_LIMIT_TILES_ADDRESS_PER_MINUTE", "0")

# The densest tiles of a zoom: the XYZ tile of each CHA's point on surface, counted.
DENSEST_TILES = """
SELECT x, y FROM (
    SELECT floor((ST_X(p) + 180) / 360 * 2 ^ %(z)s)::int AS x,
           floor((1 - asinh(tan(radians(ST_Y(p)))) / pi()) / 2 * 2 ^ %(z)s)::int AS y
    FROM (SELECT ST_PointOnSurface(geometry) AS p FROM registry_hazardarea
          WHERE kind = 'CHA' AND status = 'approved') AS points
) AS tiles
GROUP BY x, y ORDER BY count(*) DESC, x, y LIMIT %(tiles)s
"""


MAPS = [
    ("province map (2019 districts), 2023", "/maps/coverage/?year=2023"),
    ("province map (2025 communes), 2025", "/maps/coverage/?year=2025&boundary_set=2025"),
    ("district map Vĩnh Linh (464), 2023", "/maps/districts/464/?year=2023"),
]


def _median_ms(call, runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tiles", type=int, default=3)
    parser.add_argument("--zooms", default="8-14")
    parser.add_argument("--layers", default="remaining-cha,released")
    parser.add_argument("--year", type=int, default=2023)
    args = parser.parse_args()

    import django

    django.setup()
    from datetime import date

    from django.db import connection
    from django.test import Client

    from app.maps import tiles
    from app.maps.models import CachedProvinceMap, CachedTile
    from tests.benchmarks.run import _bench_analyst

    client = Client()
    client.force_login(_bench_analyst())
    first, last = (int(z) for z in args.zooms.split("-"))
    as_of = date(args.year, 12, 31)
    print(
        f"{'layer':14} {'z':>2} {'tiles':>5} {'cold median':>12} {'cold worst':>11} "
        f"{'cached median':>14} {'bytes worst':>12}"
    )
    for layer in args.layers.split(","):
        for z in range(first, last + 1):
            with connection.cursor() as cursor:
                cursor.execute(DENSEST_TILES, {"z": z, "tiles": args.tiles})
                addresses = [tiles.TileAddress(z=z, x=x, y=y) for x, y in cursor.fetchall()]
            cold, cached, sizes = [], [], []
            for address in addresses:
                tiles.tile_mvt(layer=layer, tile=address, as_of=as_of)  # warm the file cache
                cold.append(
                    _median_ms(
                        lambda a=address, lay=layer: tiles.tile_mvt(layer=lay, tile=a, as_of=as_of),
                        args.runs,
                    )
                )
                sizes.append(len(tiles.tile_mvt(layer=layer, tile=address, as_of=as_of)))
                if z < tiles.min_zoom(layer):
                    continue  # not served: no cache to read
                url = f"/tiles/{layer}/{z}/{address.x}/{address.y}.mvt?year={args.year}"
                response = client.get(url)
                assert response.status_code == 200, response.content
                cached.append(_median_ms(lambda u=url: client.get(u), args.runs))
            print(
                f"{layer:14} {z:>2} {len(addresses):>5} {statistics.median(cold):>10.1f}ms "
                f"{max(cold):>9.1f}ms "
                + (f"{statistics.median(cached):>12.1f}ms" if cached else f"{'not served':>14}")
                + f" {max(sizes):>12}"
            )
    CachedTile.objects.all().delete()
    # The pages that carry the tiles' URLs: their size (issue 9: under 1 MB at any scale), built
    # (cache emptied) and cached.
    print(f"\n{'map':44} {'bytes':>9} {'built':>9} {'cached':>9}")
    for name, url in MAPS:
        CachedProvinceMap.objects.all().delete()
        started = time.perf_counter()
        response = client.get(url)
        built_ms = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        cached_ms = _median_ms(lambda u=url: client.get(u), args.runs)
        print(f"{name:44} {len(response.content):>9} {built_ms:>7.0f}ms {cached_ms:>7.0f}ms")


if __name__ == "__main__":
    main()
