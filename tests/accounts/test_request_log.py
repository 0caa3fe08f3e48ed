"""One log line per request with a request id (app.accounts.request_log); JSON with
LOG_FORMAT=json. The id is the incoming X-Request-ID when sane, else a new one, and is echoed."""

import json
import logging
import subprocess
import sys

import pytest
from django.conf import settings

from app.accounts.request_log import JsonFormatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_lines(caplog):
    caplog.set_level(logging.INFO, logger="landrelease.request")
    formatter = JsonFormatter()

    def lines() -> list[dict]:
        return [
            json.loads(formatter.format(record))
            for record in caplog.records
            if record.name == "landrelease.request"
        ]

    return lines


def test_a_request_is_one_json_line_with_its_facts(client, analyst, request_lines):
    response = client.get("/api/v1/auth/me/?secret=not-logged")

    (line,) = request_lines()
    assert line["request_id"] == response["X-Request-ID"]
    assert line["method"] == "GET"
    assert line["path"] == "/api/v1/auth/me/"
    assert line["status"] == 200
    assert line["user_id"] == analyst.pk
    assert line["level"] == "INFO"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["time"].endswith("+00:00")
    assert "not-logged" not in json.dumps(line)


def test_a_sane_incoming_request_id_is_kept_and_echoed(client, request_lines):
    response = client.get("/accounts/profile/", HTTP_X_REQUEST_ID="lb-7f3a.92_b")

    assert response["X-Request-ID"] == "lb-7f3a.92_b"
    assert request_lines()[0]["request_id"] == "lb-7f3a.92_b"


@pytest.mark.parametrize("incoming", ["", "a" * 65, "id with spaces", "id\nforged-line", "ü"])
def test_an_insane_request_id_is_replaced_by_a_new_one(client, request_lines, incoming):
    response = client.get("/accounts/profile/", HTTP_X_REQUEST_ID=incoming)

    assert response["X-Request-ID"] != incoming
    assert len(response["X-Request-ID"]) == 32
    assert request_lines()[0]["request_id"] == response["X-Request-ID"]


def test_anonymous_requests_and_refusals_are_logged_with_no_user(anonymous_client, request_lines):
    anonymous_client.get("/api/v1/hazards/")

    (line,) = request_lines()
    assert line["status"] == 401
    assert line["user_id"] is None


def test_healthz_is_not_logged(client, request_lines):
    client.get("/healthz")

    assert request_lines() == []


def test_log_format_json_configures_the_json_lines(tmp_path):
    # A fresh interpreter: LOGGING is applied once, when Django starts.
    code = (
        "import django, logging; django.setup(); "
        "from django.test import Client; "
        "Client().get('/accounts/login/')"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        env={
            "DJANGO_SETTINGS_MODULE": "app.settings",
            "LOG_FORMAT": "json",
            "DATABASE_URL": _database_url(),
            "PATH": "/usr/bin:/bin",
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )

    lines = [json.loads(line) for line in run.stderr.splitlines() if line.startswith("{")]
    assert run.returncode == 0, run.stderr
    assert [(line["method"], line["path"], line["status"]) for line in lines] == [
        ("GET", "/accounts/login/", 200)
    ]


def test_an_unknown_log_format_is_refused_at_start():
    run = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={"DJANGO_SETTINGS_MODULE": "app.settings", "LOG_FORMAT": "xml", "PATH": "/usr/bin"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert run.returncode != 0
    assert "LOG_FORMAT must be text or json; got 'xml'" in run.stderr


def _database_url() -> str:
    database = settings.DATABASES["default"]
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    return f"postgres://{credentials}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
