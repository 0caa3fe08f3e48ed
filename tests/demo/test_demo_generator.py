"""The generator without a database: determinism, validity, labels and the scale-up, on a
reduced data set (fraction) so these run in seconds."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import shape

from app.demo.generator import DemoSpec, generate_demo
from gis.areas import geodesic_area_ha

BOUNDARIES = Path(__file__).resolve().parents[2] / "data" / "boundaries"
SMALL = DemoSpec(seed=11, fraction=0.05)


@pytest.fixture(scope="module")
def province_outline():
    collection = json.loads((BOUNDARIES / "quangtri_province.geojson").read_text())
    return shape(collection["features"][0]["geometry"])


@pytest.fixture(scope="module")
def small():
    return generate_demo(SMALL)


def fingerprint(dataset) -> tuple:
    """Every stored value of every feature, geometry as WKB."""
    tasks = dataset.spot_tasks
    return (
        [(v.code, v.name_vi, v.location.wkb, v.nts_completed_on, v.ts_completed_on)
         for v in dataset.villages],
        [(h.reference, h.kind, h.contamination, h.organisation, h.recorded_on, h.geometry.wkb)
         for h in dataset.hazards],
        [(r.reference, r.method, r.organisation, r.started_on, r.completed_on, r.geometry.wkb)
         for r in dataset.releases],
        (tasks.references, tasks.organisations, tasks.completed_on, tasks.lons.tobytes(),
         tasks.lats.tobytes(), tasks.items_destroyed.tobytes()),
        dataset.targets,
    )  # fmt: skip


def test_the_same_seed_gives_the_same_features(small):
    assert fingerprint(generate_demo(SMALL)) == fingerprint(small)


def test_another_seed_gives_other_features(small):
    other = generate_demo(DemoSpec(seed=12, fraction=0.05))
    mine, theirs = fingerprint(small), fingerprint(other)
    assert [h[-1] for h in mine[1]] != [h[-1] for h in theirs[1]]
    assert [r[-1] for r in mine[2]] != [r[-1] for r in theirs[2]]
    assert mine[3] != theirs[3]


def test_every_polygon_is_valid_and_inside_the_former_province(small, province_outline):
    polygons = [h.geometry for h in small.hazards] + [r.geometry for r in small.releases]
    assert polygons
    assert all(polygon.geom_type == "MultiPolygon" for polygon in polygons)
    assert shapely.is_valid(polygons).all()
    assert shapely.covers(province_outline, polygons).all()
    points = shapely.points(small.spot_tasks.lons, small.spot_tasks.lats)
    assert shapely.covers(province_outline, points).all()
    assert all(province_outline.covers(v.location) for v in small.villages)


def test_hazards_do_not_overlap_each_other(small):
    geometries = [h.geometry for h in small.hazards]
    sum_ha = sum(geodesic_area_ha(geometry) for geometry in geometries)
    assert geodesic_area_ha(shapely.union_all(geometries)) == pytest.approx(sum_ha, rel=1e-6)


def test_every_row_is_labelled_synthetic(small):
    assert all(h.reference.startswith("SYN-") for h in small.hazards)
    assert all("Synthetic demo data" in h.notes for h in small.hazards)
    assert all(r.reference.startswith("SYN-") for r in small.releases)
    assert all(reference.startswith("SYN-") for reference in small.spot_tasks.references)
    assert all(v.code.startswith("SYN-") for v in small.villages)
    assert all("(synthetic)" in v.name_vi and "(synthetic)" in v.name_en for v in small.villages)


def test_references_are_unique_per_organisation(small):
    releases = [(r.organisation, r.reference) for r in small.releases]
    assert len(set(releases)) == len(releases)
    assert len(set(small.spot_tasks.references)) == len(small.spot_tasks)
    assert len({h.reference for h in small.hazards}) == len(small.hazards)


def test_releases_follow_the_model_rules(small):
    methods = {r.method for r in small.releases}
    assert methods == {"cancelled", "reduced", "cleared"}
    for release in small.releases:
        assert release.started_on <= release.completed_on
        assert 2016 <= release.completed_on.year <= 2025
        assert release.depth_cm == (30 if release.method == "cleared" else None)
    assert (small.spot_tasks.items_destroyed >= 1).all()


def test_hazards_are_recorded_before_their_releases_start(small):
    recorded = {h.reference: h.recorded_on for h in small.hazards}
    for release in small.releases:
        if release.hazard_reference is not None:
            assert recorded[release.hazard_reference] <= release.started_on


def test_some_clearance_lies_outside_every_hazard_and_some_releases_overlap(small):
    hazards = shapely.union_all([h.geometry for h in small.hazards])
    cleared = [r.geometry for r in small.releases if r.method == "cleared"]
    outside = [g for g in cleared if not shapely.intersects(g, hazards)]
    assert outside
    sum_ha = sum(geodesic_area_ha(g) for g in cleared)
    assert geodesic_area_ha(shapely.union_all(cleared)) < 0.97 * sum_ha


def test_a_scale_up_multiplies_the_features_and_keeps_the_hectares():
    one = generate_demo(DemoSpec(seed=5, fraction=0.02))
    three = generate_demo(DemoSpec(seed=5, scale=3, fraction=0.02))
    assert len(three.chas) == round(1_270 * 3 * 0.02)
    # Villages are rounded per district (nine with villages): each rounding may differ by one.
    assert abs(len(three.villages) - 3 * len(one.villages)) <= 2 * 9
    assert len(three.spot_tasks) == pytest.approx(3 * len(one.spot_tasks), rel=0.01)
    cha_ha = [sum(geodesic_area_ha(h.geometry) for h in data.chas) for data in (one, three)]
    assert cha_ha[1] == pytest.approx(cha_ha[0], rel=1e-3)
    assert np.median([h.area_ha for h in three.chas]) < np.median([h.area_ha for h in one.chas])


@pytest.mark.parametrize("spec", [{"scale": 0}, {"fraction": 0}, {"fraction": 1.5}])
def test_it_rejects_a_bad_scale_or_fraction(spec):
    with pytest.raises(ValueError, match="scale|fraction"):
        DemoSpec(**spec)


DIGEST_SCRIPT = """
import hashlib, sys
from app.demo.generator import DemoSpec, generate_demo
data = generate_demo(DemoSpec(seed=11, fraction=0.02))
digest = hashlib.sha256()
for hazard in data.hazards:
    digest.update(hazard.reference.encode() + hazard.geometry.wkb)
for release in data.releases:
    digest.update(release.reference.encode() + release.geometry.wkb)
digest.update(data.spot_tasks.lons.tobytes() + data.spot_tasks.items_destroyed.tobytes())
print(digest.hexdigest())
"""


def test_the_output_does_not_depend_on_the_process_hash_seed():
    # Set or dict iteration keyed by str hashes would differ between processes.
    digests = {
        subprocess.run(
            [sys.executable, "-c", DIGEST_SCRIPT],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            cwd=Path(__file__).resolve().parents[2],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for hash_seed in ("1", "2")
    }
    assert len(digests) == 1
    assert len(digests.pop()) == 64
