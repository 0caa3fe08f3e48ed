"""The writers hold one batch at a time: what 1,000,000 features need is what 5,000 need.

Measured without timing: each batch is watched by a weak reference, and the batches still
alive when the next one is made are counted (a writer that kept them, or the rows made of
them, would keep them all); for the GDAL formats, the bytes Arrow holds at that moment too
(a writer that kept the Arrow batches would hold them all). ``make bench`` measures the whole
export's peak memory at 1x and 10x (tests/benchmarks/run.py).
"""

import weakref

import pyarrow as pa
import pytest
import shapely

from gis.exports import FORMATS, write_export
from gis.exports.features import FeatureBatch
from tests.gis.exports.conftest import FIELDS, POLYGONS, ROWS, release_layer

BATCHES = 40
BATCH_SIZE = 500


def watched_batches(alive_counts: list[int], arrow_bytes: list[int]):
    references: list[weakref.ref] = []
    wkb = [shapely.to_wkb(POLYGONS[i % len(POLYGONS)]) for i in range(BATCH_SIZE)]
    for _number in range(BATCHES):
        alive_counts.append(sum(1 for ref in references if ref() is not None))
        arrow_bytes.append(pa.total_allocated_bytes())
        batch = FeatureBatch(
            geometries_wkb=list(wkb),
            columns={
                f.name: [ROWS[i % len(ROWS)][f.name] for i in range(BATCH_SIZE)] for f in FIELDS
            },
            centroid_lon=[106.7] * BATCH_SIZE,
            centroid_lat=[16.6] * BATCH_SIZE,
        )
        references.append(weakref.ref(batch))
        yield batch
        del batch


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_a_writer_keeps_no_more_than_the_batch_in_hand(tmp_path, format_name):
    alive_counts: list[int] = []
    arrow_bytes: list[int] = []
    path = tmp_path / f"releases{FORMATS[format_name].extension}"

    written = write_export(
        format_name,
        watched_batches(alive_counts, arrow_bytes),
        layer=release_layer(),
        destination=path,
    )

    assert written == BATCHES * BATCH_SIZE
    assert max(alive_counts) <= 1
    # Arrow's memory when the last batch is asked for is what the first few needed, not 40x.
    assert arrow_bytes[-1] <= max(arrow_bytes[:5]) + 1024
