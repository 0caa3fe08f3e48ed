"""Upload throughput for `make bench`: check + commit through the upload services, beside ogr2ogr.

``measure_upload_throughput(tmpdir)`` writes GeoPackages of 10,000 and 100,000 small release
polygons in UTM 48N (inside Quảng Trị), runs each through ``create_upload``, ``check_upload`` and
``commit_upload`` (the path the worker takes, in this process), then loads the same file with
``ogr2ogr -f PostgreSQL`` (reprojected to WGS 84 like ours) into a scratch table of the same
database. Everything it stores is removed again (revert, scratch tables dropped). Call it after
``django.setup()``, on the database the benchmark runs against.
"""

import shutil
import subprocess
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj
from shapely import box

SIZES = (10_000, 100_000)
ORGANISATION = "bench-uploads"
# South-west corner of the grid: inland Cam Lộ, well inside the province (lon, lat).
ORIGIN = (106.85, 16.72)
SQUARE_M = 30
SPACING_M = 40


def polygons_gpkg(path: Path, count: int) -> Path:
    """``count`` 30 m squares on a 40 m grid, as releases with their attributes, in EPSG:32648."""
    to_utm = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:32648", always_xy=True)
    east0, north0 = to_utm.transform(*ORIGIN)
    side = int(np.ceil(np.sqrt(count)))
    index = np.arange(count)
    east = east0 + (index % side) * SPACING_M
    north = north0 + (index // side) * SPACING_M
    frame = gpd.GeoDataFrame(
        {
            "reference": [f"BENCH-{count}-{i}" for i in index],
            "method": np.where(index % 3 == 0, "cleared", "reduced"),
            "completed_on": "2024-06-30",
        },
        geometry=box(east, north, east + SQUARE_M, north + SQUARE_M),
        crs="EPSG:32648",
    )
    frame.to_file(path, driver="GPKG", layer="releases")
    return path


def measure_upload_throughput(tmpdir) -> dict:
    from django.db import connection

    from app.registry.models import Organisation
    from app.uploads.models import Upload
    from app.uploads.services import check_upload, commit_upload, create_upload, revert_upload

    organisation, _created = Organisation.objects.get_or_create(
        slug=ORGANISATION, defaults={"name": "Benchmark uploads (synthetic)", "kind": "ngo"}
    )
    results = {}
    try:
        for count in SIZES:
            path = polygons_gpkg(Path(tmpdir) / f"releases-{count}.gpkg", count)
            started = time.perf_counter()
            with path.open("rb") as source:
                upload = create_upload(
                    organisation_slug=ORGANISATION,
                    kind="release",
                    filename=path.name,
                    chunks=iter(lambda source=source: source.read(1 << 20), b""),
                    size_bytes=path.stat().st_size,
                )
            upload = check_upload(upload_id=upload.pk)
            checked = time.perf_counter()
            if upload.status != "ready":
                raise RuntimeError(f"benchmark upload {upload.pk} {upload.status}: {upload.error}")
            upload = commit_upload(upload_id=upload.pk)
            committed = time.perf_counter()
            revert_upload(upload_id=upload.pk)
            ogr2ogr_s = _ogr2ogr_seconds(path, count, connection.settings_dict)
            total_s = committed - started
            results[count] = {
                "features": count,
                "stored": upload.stored_count,
                "check_s": round(checked - started, 2),
                "commit_s": round(committed - checked, 2),
                "check_and_commit_s": round(total_s, 2),
                "features_per_s": round(count / total_s),
                "ogr2ogr_s": round(ogr2ogr_s, 2),
                "ogr2ogr_features_per_s": round(count / ogr2ogr_s),
                "slower_than_ogr2ogr": round(total_s / ogr2ogr_s, 1),
            }
    finally:
        for upload in Upload.objects.filter(organisation=organisation):
            shutil.rmtree(upload.folder_path, ignore_errors=True)
        Upload.objects.filter(organisation=organisation).delete()
        organisation.delete()
    return results


def _ogr2ogr_seconds(path: Path, count: int, database: dict) -> float:
    from django.db import connection

    table = f"bench_ogr2ogr_{count}"
    parts = [f"dbname={database['NAME']}", f"user={database['USER'] or 'postgres'}"]
    if database["HOST"]:
        parts.append(f"host={database['HOST']}")
    if database["PORT"]:
        parts.append(f"port={database['PORT']}")
    if database["PASSWORD"]:
        parts.append(f"password={database['PASSWORD']}")
    started = time.perf_counter()
    subprocess.run(
        [
            "ogr2ogr",
            "-f",
            "PostgreSQL",
            "PG:" + " ".join(parts),
            str(path),
            "-nln",
            table,
            "-t_srs",
            "EPSG:4326",
            "-nlt",
            "MULTIPOLYGON",
            "-overwrite",
        ],
        check=True,
        capture_output=True,
    )
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE IF EXISTS "{table}"')
    return elapsed


if __name__ == "__main__":
    import json
    import os
    import sys
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")
    import django

    django.setup()
    with tempfile.TemporaryDirectory() as scratch:
        print(json.dumps(measure_upload_throughput(scratch), indent=2))
