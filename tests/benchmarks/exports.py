"""`make bench`'s exports part: every release of the data set exported as GeoPackage and as CSV
(``/api/v1/releases/?format=gpkg``, through ``app.exports.responses.export_response``), each in
a process of its own, with its time, its file size and its peak memory.

Peak memory is the process's peak resident set (``ru_maxrss``) above what it held before the
export began (Django, GDAL, Arrow and openpyxl loaded, signed in): at 1x the releases fit in one
batch of 5,000, at 10x they take eight, and the growth should be about the same, since a writer
holds one batch at a time (app.exports.selectors, gis.exports).

Usage (by run.py, in the data set's process): ``measure_exports()``; by hand:
``DATABASE_URL=... python tests/benchmarks/exports.py gpkg``.
"""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FORMATS_MEASURED = ("gpkg", "csv")


def measure_exports() -> list[dict]:
    """One fresh process per format, on the database of ``DATABASE_URL``."""
    rows = []
    for fmt in FORMATS_MEASURED:
        completed = subprocess.run(
            [sys.executable, __file__, fmt],
            env=os.environ.copy(),
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        rows.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    return rows


def _peak_mb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def export_here(fmt: str) -> dict:
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")
    import django

    django.setup()
    from app.api.selectors import layers
    from app.api.selectors.features import FeatureFilters
    from app.exports.responses import export_response
    from app.registry.models import ReleaseArea
    from app.registry.scopes import APPROVED
    from tests.benchmarks.run import _bench_analyst

    analyst = _bench_analyst()
    features = ReleaseArea.objects.filter(status="approved", deleted_at__isnull=True).count()
    before_mb = _peak_mb()
    started = time.perf_counter()
    response = export_response(
        layer=layers.RELEASES, filters=FeatureFilters(), fmt=fmt, scope=APPROVED, user=analyst
    )
    size = sum(len(chunk) for chunk in response.streaming_content)
    response.close()
    seconds = time.perf_counter() - started
    peak_mb = _peak_mb()
    return {
        "format": fmt,
        "features": features,
        "bytes": size,
        "seconds": round(seconds, 2),
        "rss_before_mb": round(before_mb, 1),
        "rss_peak_mb": round(peak_mb, 1),
        "rss_growth_mb": round(peak_mb - before_mb, 1),
    }


if __name__ == "__main__":
    print(json.dumps(export_here(sys.argv[1])))
