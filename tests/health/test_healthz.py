"""GET /healthz: 200 when the database, the migrations, an upload worker's heartbeat and the
upload disk are all well; else 503 naming what failed. No sign-in, no data."""

import datetime as dt
import socket

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from app.uploads.models import WorkerHeartbeat

PARTS = {"database", "migrations", "worker", "disk"}


@pytest.fixture
def beating(db):
    """A worker that beat just now."""
    now = timezone.now()
    return WorkerHeartbeat.objects.create(host="h", pid=1, started_at=now, beat_at=now)


@pytest.fixture(autouse=True)
def room_enough(settings, tmp_path):
    settings.UPLOAD_ROOT = tmp_path / "uploads"
    settings.HEALTHZ_MIN_FREE_BYTES = 1
    settings.HEALTHZ_WORKER_STALE_SECONDS = 60


def test_all_well_is_200_for_anyone_without_sign_in(anonymous_client, beating):
    response = anonymous_client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["failing"] == []
    assert set(body) == {"status", "failing", *PARTS}
    assert all(body[part]["ok"] for part in PARTS)
    assert body["migrations"]["unapplied"] == 0
    assert 0 <= body["worker"]["heartbeat_age_s"] <= 60
    assert body["disk"]["free_bytes"] > 0
    assert "no-store" in response["Cache-Control"]


def test_no_worker_heartbeat_is_503_naming_the_worker(anonymous_client, db):
    response = anonymous_client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["worker"]
    assert body["worker"] == {"ok": False, "problem": "no_heartbeat", "stale_after_s": 60}


def test_a_heartbeat_older_than_the_setting_is_stale(anonymous_client, beating):
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - dt.timedelta(seconds=90))

    response = anonymous_client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["worker"]
    assert body["worker"]["problem"] == "stale"
    assert body["worker"]["heartbeat_age_s"] >= 90


def test_the_newest_of_several_workers_heartbeats_counts(anonymous_client, beating):
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        host="h", pid=2, started_at=now, beat_at=now - dt.timedelta(hours=3)
    )

    assert anonymous_client.get("/healthz").status_code == 200


def test_an_unapplied_migration_is_503_naming_the_migrations(anonymous_client, beating):
    # As if the code were newer than the database: one migration not recorded as applied.
    MigrationRecorder.Migration.objects.filter(app="uploads").order_by("-name")[:1].get().delete()

    response = anonymous_client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["migrations"]
    assert body["migrations"] == {"ok": False, "problem": "unapplied", "unapplied": 1}


def test_a_database_without_the_heartbeat_table_is_503_not_500(anonymous_client, db):
    # A database not migrated yet (in the test's transaction, rolled back after it).
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE uploads_workerheartbeat")

    response = anonymous_client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["worker"]
    assert body["worker"]["problem"] == "unreadable"


def test_too_little_free_disk_is_503_naming_the_disk(anonymous_client, beating, settings):
    settings.HEALTHZ_MIN_FREE_BYTES = 2**62

    response = anonymous_client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["disk"]
    assert body["disk"]["problem"] == "low"
    assert body["disk"]["min_free_bytes"] == 2**62


def test_an_unreachable_database_is_503_naming_it(anonymous_client, django_db_blocker, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    monkeypatch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
    monkeypatch.setitem(connection.settings_dict, "PORT", closed_port)
    with django_db_blocker.unblock():
        connection.close()
        try:
            response = anonymous_client.get("/healthz")
        finally:
            connection.close()

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["database", "migrations", "worker"]
    assert body["database"] == {"ok": False, "problem": "unreachable", "error": "OperationalError"}


def test_healthz_takes_no_other_method(anonymous_client, beating):
    assert anonymous_client.post("/healthz").status_code == 405
    assert anonymous_client.head("/healthz").status_code == 200
