"""Fixtures of the review tests: two organisations, a field coordinator of each, an analyst and
a planner with API clients, a CHA under the upload test fields, and uploads made as a
coordinator (posted, checked by the worker, committed)."""

import datetime as dt

import pytest
from shapely.geometry import box

from app.uploads.worker import process_waiting_uploads
from tests import factories
from tests.factories import api_client
from tests.uploads.conftest import Uploader
from tests.uploads.files import release_frame

# An approved CHA under every field of tests/uploads/files.FIELDS, so releases move "released".
CHA = box(106.99, 16.79, 107.07, 16.82)
YEAR = 2023
AS_OF = dt.date(2023, 12, 31)


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.UPLOAD_ROOT = tmp_path / "upload-root"
    return settings.UPLOAD_ROOT


@pytest.fixture
def coordinator(db):
    return factories.user("field_coordinator", org="npa", username="coordinator-npa")


@pytest.fixture
def other_coordinator(db):
    return factories.user("field_coordinator", org="mag", username="coordinator-mag")


@pytest.fixture
def planner(db):
    return factories.user("planner", username="planner")


@pytest.fixture
def analyst_api(analyst):
    return api_client(analyst)


@pytest.fixture
def coordinator_api(coordinator):
    return api_client(coordinator)


@pytest.fixture
def other_coordinator_api(other_coordinator):
    return api_client(other_coordinator)


@pytest.fixture
def planner_api(planner):
    return api_client(planner)


@pytest.fixture
def cha(db):
    return factories.hazard(CHA, kind="CHA", org="npa")


class CoordinatorUploads(Uploader):
    """Uploads as a field coordinator sends them: the file, the worker's check, the commit."""

    def committed(self, path, **fields) -> dict:
        upload = self.checked(path, **fields)
        assert upload["status"] == "ready", upload
        committed = self.commit(upload["id"])
        assert committed["status"] == "committed", committed
        return committed


@pytest.fixture
def uploads(coordinator_api):
    return CoordinatorUploads(coordinator_api)


@pytest.fixture
def releases_file(tmp_path):
    """QT-001 cleared, QT-002 reduced, QT-003 cancelled, completed in 2023 (files.FIELDS)."""
    path = tmp_path / "releases.geojson"
    release_frame().to_file(path, driver="GeoJSON")
    return path


@pytest.fixture
def batch(uploads, releases_file, cha) -> dict:
    """The coordinator's release file, committed: three submitted releases."""
    return uploads.committed(releases_file, kind="release", organisation="npa")


def run_worker() -> None:
    process_waiting_uploads()
