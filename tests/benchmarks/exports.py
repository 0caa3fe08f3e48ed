"""`make bench`'s exports part: every release of the data set exported as GeoPackage and as CSV
(``/api/v1/releases/?format=gpkg``, through ``app.exports.responses.export_response``), each in
a process of its own, with its time, its file size and its peak memory.

Peak memory is the process's peak resident set (``ru_maxrss``) above what it held before the
export began (Django, GDAL, Arrow and openpyxl loaded, signed in). A writer holds one batch at a
time (app.exports.selectors, gis.exports), so the growth follows the batch size, not the feature
count: with batches of 1,000 it is about the same at 1x (4 batches) and 10x (36).

Usage (by run.py, in the data set's process): ``measure_exports()``; by hand:
``DATABASE_URL=... python tests/benchmarks/exports.py gpkg 5000``.
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
# The source's batch (app.exports.selectors.BATCH_SIZE, 5,000) and a smaller one: at 1x the
# releases are less than one batch of 5,000, so only the smaller shows the same number of rows
# held at 1x and 10x, with many more batches at 10x.
BATCH_SIZES = (5_000, 1_000)


def measure_exports() -> list[dict]:
    """One fresh process per format and batch size, on the database of ``DATABASE_URL``."""
    rows = []
    for fmt in FORMATS_MEASURED:
        for batch_size in BATCH_SIZES:
            completed = subprocess.run(
                [sys.executable, __file__, fmt, str(batch_size)],
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


def _revision() -> str:
    """The branch and commit measured, said beside the figures (the rest of the table may have
    been measured on another revision: results are kept per part)."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(REPO), *args], capture_output=True, text=True
        ).stdout.strip()

    return f"{git('rev-parse', '--abbrev-ref', 'HEAD')} at {git('rev-parse', '--short', 'HEAD')}"


def export_here(fmt: str, batch_size: int) -> dict:
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")
    import django

    django.setup()
    from app.api.selectors import layers
    from app.api.selectors.features import FeatureFilters
    from app.exports import selectors
    from app.exports.responses import export_response
    from app.registry.models import ReleaseArea
    from app.registry.scopes import APPROVED
    from tests.benchmarks.run import _bench_analyst

    selectors.BATCH_SIZE = batch_size
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
        "measured": _revision(),
        "format": fmt,
        "features": features,
        "batch_size": batch_size,
        "bytes": size,
        "seconds": round(seconds, 2),
        "rss_before_mb": round(before_mb, 1),
        "rss_peak_mb": round(peak_mb, 1),
        "rss_growth_mb": round(peak_mb - before_mb, 1),
    }


if __name__ == "__main__":
    print(json.dumps(export_here(sys.argv[1], int(sys.argv[2]))))
