"""Every case of the shared upload corpus posted to the upload API and checked by the worker.

The operating area is switched off (the corpus comes from around the world). Each layer is posted
with the kind its geometry suggests: polygons as releases, points as spot tasks, anything else as
releases (which must then be refused feature by feature with a reason). The corpus files carry no
land-release attributes, so ``defaults`` supplies them, as a coordinator would for a team's file.
Nothing is ever committed here: no registry row may appear, whatever the file.
"""

import csv
from pathlib import Path

import pytest
from django.test import override_settings

from app.registry.models import HazardArea, ReleaseArea, SpotTask, Village
from app.uploads.models import StagedFeature
from gis.reading import ReadError
from gis.validation import TargetGeometry
from tests.gis.test_upload_corpus import (
    REJECTED_INSTEAD_OF_ACCEPTED,
    REPAIRED_INSTEAD_OF_REJECTED,
    expected_count,
    read_every_layer,
    target_for,
)

CORPUS = Path(__file__).parents[2] / "../shared/data/upload-corpus"
MANIFEST = CORPUS / "MANIFEST.tsv"

if not MANIFEST.exists():
    pytest.skip(
        f"the shared upload corpus is not beside the repository ({CORPUS.resolve()})",
        allow_module_level=True,
    )

CASES = list(csv.DictReader(MANIFEST.open(encoding="utf-8"), delimiter="\t"))

DEFAULTS = {
    "release": "reference=CORPUS-{n},method=cleared,completed_on=2024-01-31",
    "spot-task": "reference=CORPUS-{n},completed_on=2024-01-31,items_destroyed=1",
}

pytestmark = pytest.mark.django_db


def no_registry_rows() -> bool:
    return not any(model.objects.exists() for model in (HazardArea, ReleaseArea, SpotTask, Village))


def layers_and_kinds(path: Path) -> list[tuple[str | None, str, TargetGeometry | None]]:
    """(layer to name, kind to post, target) per layer; one unnamed layer when unreadable."""
    try:
        reads = read_every_layer(path)
    except ReadError:
        return [(None, "release", None)]
    named = len(reads) > 1
    result = []
    for read in reads:
        target = target_for(read)
        kind = "spot-task" if target is TargetGeometry.POINT else "release"
        result.append((read.layer if named else None, kind, target))
    return result


@override_settings(OPERATING_AREA="none")
@pytest.mark.parametrize("case", CASES, ids=[case["file"][:40] for case in CASES])
def test_the_case_is_checked_through_the_api_as_the_manifest_says(case, uploader, npa):
    path = CORPUS / "cases" / case["file"]
    layers = layers_and_kinds(path)
    accepted_total = 0
    outcomes = []
    for layer, kind, target in layers:
        fields = {"kind": kind, "organisation": "npa", "defaults": DEFAULTS[kind]}
        if layer is not None:
            fields["layer"] = layer
        upload = uploader.checked(path, **fields)
        report = upload["report"]
        assert upload["status"] in ("ready", "rejected"), (upload["status"], upload["error"])
        assert "Traceback" not in str(upload)
        if upload["status"] == "rejected":
            assert len(upload["error"]) > 20, upload["error"]
            assert not StagedFeature.objects.filter(upload_id=upload["id"]).exists()
        if "code" in report:
            # Refused as a file: the reason and what to change.
            assert len(report["error"]) > 30
            assert "landrelease-read-" not in report["error"]
        else:
            for rejected in report["rejected"]:
                assert rejected["reasons"] and all(len(r) > 10 for r in rejected["reasons"])
            assert report["accepted"] + len(report["rejected"]) == report["features_read"]
            if target is None and report["features_read"]:
                # Lines, mixed or unknown geometry: whatever is not a polygon is refused.
                assert report["rejected"], f"{layer}: nothing refused"
            accepted_total += report["accepted"]
        outcomes.append(upload["status"])
    assert no_registry_rows()

    name = case["file"]
    if name in REJECTED_INSTEAD_OF_ACCEPTED:
        assert outcomes == ["rejected"]
    elif name in REPAIRED_INSTEAD_OF_REJECTED:
        count, feature = REPAIRED_INSTEAD_OF_REJECTED[name]
        assert outcomes == ["ready"] and accepted_total == count
        assert [r["feature"] for r in upload["report"]["repaired"]] == [feature]
    elif case["expected"] == "accept" and all(target is not None for *_l, target in layers):
        assert set(outcomes) == {"ready"}
        assert accepted_total == expected_count(case["expected_feature_count_if_known"])
    elif case["expected"] == "reject":
        # Refused whole, or (the API's per-feature policy) some features refused by name.
        assert "rejected" in outcomes or upload["report"].get("rejected"), outcomes
