"""Fixtures of the upload API tests: a private upload folder, an organisation, post and process."""

import psycopg
import pytest
from rest_framework.test import APIClient

from app.registry.models import Organisation
from app.uploads.models import Upload
from app.uploads.worker import process_waiting_uploads
from tests.uploads import processes


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.UPLOAD_ROOT = tmp_path / "upload-root"
    return settings.UPLOAD_ROOT


@pytest.fixture
def npa(db):
    return Organisation.objects.create(slug="npa", name="Norwegian People's Aid", kind="ngo")


@pytest.fixture
def api(analyst):
    client = APIClient()
    client.force_authenticate(analyst)
    return client


class Uploader:
    """Posts files to the API as a field coordinator would, and runs the worker in-process."""

    def __init__(self, api: APIClient) -> None:
        self.api = api

    def post(self, path, **fields):
        with open(path, "rb") as handle:
            return self.api.post("/api/v1/uploads/", {"file": handle, **fields}, format="multipart")

    def checked(self, path, **fields) -> dict:
        response = self.post(path, **fields)
        assert response.status_code == 202, response.json()
        process_waiting_uploads()
        return self.get(response.json()["id"])

    def get(self, upload_id: int) -> dict:
        response = self.api.get(f"/api/v1/uploads/{upload_id}/")
        assert response.status_code == 200
        return response.json()

    def commit(self, upload_id: int, **body) -> dict:
        response = self.api.post(f"/api/v1/uploads/{upload_id}/commit/", body, format="json")
        assert response.status_code == 202, response.json()
        assert response.json()["status"] == "committing"
        process_waiting_uploads()
        return self.get(upload_id)

    def revert(self, upload_id: int) -> dict:
        response = self.api.post(f"/api/v1/uploads/{upload_id}/revert/")
        assert response.status_code == 200, response.json()
        return response.json()


@pytest.fixture
def uploader(api, db):
    return Uploader(api)


def upload_count() -> int:
    return Upload.objects.count()


@pytest.fixture
def worker_database(db):
    """(conninfo, an autocommit connection) to the test database for tests that run workers as
    processes, with an organisation ``processes.ORGANISATION`` whose uploads, records and the
    workers' heartbeats are removed afterwards."""
    from django.db import connection

    conninfo = processes.conninfo_of(connection.settings_dict)
    with psycopg.connect(**conninfo, autocommit=True) as admin:
        organisation_id = admin.execute(
            "INSERT INTO registry_organisation (slug, name, kind) "
            "VALUES (%s, 'Worker process test', 'ngo') RETURNING id",
            [processes.ORGANISATION],
        ).fetchone()[0]
        try:
            yield conninfo, admin
        finally:
            uploads = "SELECT id FROM uploads_upload WHERE organisation_id = %s"
            for table in ("registry_releasearea", "uploads_stagedfeature"):
                admin.execute(
                    f"DELETE FROM {table} WHERE upload_id IN ({uploads})", [organisation_id]
                )
            admin.execute(
                "DELETE FROM uploads_upload WHERE organisation_id = %s", [organisation_id]
            )
            admin.execute("DELETE FROM registry_organisation WHERE id = %s", [organisation_id])
            admin.execute("DELETE FROM uploads_workerheartbeat")
