"""While the worker checks a file, the progress a poller reads moves step by step to 100."""

import geopandas as gpd
import pytest
import shapely

from app.uploads import progress
from app.uploads.models import Upload
from app.uploads.progress import CheckStep
from tests.uploads.files import release_frame

pytestmark = pytest.mark.django_db


@pytest.fixture
def steps(monkeypatch):
    """The steps the check records, each with the progress stored once it was recorded."""
    recorded = []
    write = progress.record

    def record(upload_id, step):
        write(upload_id, step)
        recorded.append((step, Upload.objects.get(pk=upload_id).progress))

    monkeypatch.setattr(progress, "record", record)
    return recorded


def test_a_release_check_records_every_step_in_increasing_order(tmp_path, uploader, npa, steps):
    path = tmp_path / "releases.geojson"
    release_frame().to_file(path, driver="GeoJSON")

    upload = uploader.checked(path, kind="release", organisation="npa")

    assert (upload["status"], upload["progress"]) == ("ready", 100)
    assert [step for step, _stored in steps] == [
        CheckStep.READING,
        CheckStep.READ,
        CheckStep.CONFLICTS_FOUND,
        CheckStep.STAGED,
        CheckStep.ANALYSED,
        CheckStep.OUTSIDE_AREA_REJECTED,
        CheckStep.HECTARES,
        CheckStep.ADMIN_UNITS,
        CheckStep.YEARS,
        CheckStep.DUPLICATES,
        CheckStep.OVERLAPS,
        CheckStep.OUTSIDE_CHA,
    ]
    stored = [value for _step, value in steps]
    assert stored == [int(step) for step, _value in steps], "each step is written as it happens"
    assert all(a < b for a, b in zip(stored, stored[1:], strict=False))
    assert stored[0] > CheckStep.CLAIMED and stored[-1] < 100, "100 is written with the report"


def test_a_village_check_skips_the_steps_of_areas_and_dates_and_still_increases(
    tmp_path, uploader, npa, steps
):
    frame = gpd.GeoDataFrame(
        {"code": ["V-1", "V-2"], "name_vi": ["Dốc Miếu", "Cồn Tiên"], "name_en": ["A", "B"]},
        geometry=shapely.points([(107.0, 16.8), (107.05, 16.85)]),
        crs="EPSG:4326",
    )
    path = tmp_path / "villages.geojson"
    frame.to_file(path, driver="GeoJSON")

    upload = uploader.checked(path, kind="village", organisation="npa")

    assert (upload["status"], upload["progress"]) == ("ready", 100)
    recorded = [step for step, _stored in steps]
    assert CheckStep.HECTARES not in recorded and CheckStep.YEARS not in recorded
    assert CheckStep.OUTSIDE_CHA not in recorded
    assert len(recorded) >= 8
    assert all(a < b for a, b in zip(recorded, recorded[1:], strict=False))
