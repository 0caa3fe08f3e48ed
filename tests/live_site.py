"""Live servers for tests with real HTTP clients (urllib, GDAL, notebook kernels, Chromium).

Two kinds, by what the client needs:

- ``live_site`` (a fixture): pytest-django's live server, a thread of the test process, over
  committed rows. pytest-django's ``live_server`` flushes every table after the test
  (``transactional_db``), admin units included, which the session loads once for every other
  test (tests/conftest.py); ``live_site`` puts them back after the flush: its fixtures are set
  up in the order that makes its own teardown run last. Import both fixtures into a test module
  (``from tests.live_site import _admin_units_restored, live_site``).
- ``gunicorn(env, log)``: the site served by gunicorn, as users run it, in another process over
  the test database (``server_environment``). It sees only what is committed: a module using it
  commits its data with ``django_db_blocker.unblock()`` and removes it after.

(tests/ogc/conftest.py has a third: a server thread on the test's own connection, inside its
transaction, for clients that make one request at a time.)
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from pytest_django.live_server_helper import LiveServer

ROOT = Path(__file__).resolve().parents[1]
PATIENCE_S = 120


def database_url() -> str:
    """The test database, as the server process's DATABASE_URL."""
    database = connection.settings_dict
    return (
        f"postgres://{quote(database['USER'] or 'postgres')}:{quote(database['PASSWORD'] or '')}"
        f"@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    )


def server_environment(**settings: str) -> dict[str, str]:
    """This process's environment without the settings a test run may have set for itself,
    pointed at the test database, with ``settings`` on top."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SECURE_", "CSRF_", "SESSION_", "GUNICORN_"))
        and name not in ("DJANGO_SETTINGS_MODULE", "PUBLIC_SUMMARY")
    }
    return env | {"DATABASE_URL": database_url(), "GUNICORN_WORKERS": "2"} | settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], log: Path) -> Iterator[str]:
    """gunicorn with the project's configuration on a free port of 127.0.0.1; yields its base
    URL and stops it on leaving."""
    port = free_port()
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"]
            + ["--bind", f"127.0.0.1:{port}", "app.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_listening(port, server, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=PATIENCE_S)


def _wait_until_listening(port: int, server: subprocess.Popen, log: Path) -> None:
    """Polled: gunicorn says nothing to us when it is ready (bounded by PATIENCE_S)."""
    deadline = time.monotonic() + PATIENCE_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited ({server.returncode}):\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not listen on {port} within {PATIENCE_S} s:\n{log.read_text()}")


@pytest.fixture
def _admin_units_restored(django_db_blocker):
    yield
    from app.registry.services.admin_units import load_admin_units

    with django_db_blocker.unblock():
        load_admin_units()


@pytest.fixture
def live_site(_admin_units_restored, transactional_db):
    """The site on 127.0.0.1 at a free port: its base URL, without a trailing slash."""
    server = LiveServer("127.0.0.1:0")
    server._live_server_modified_settings.enable()
    try:
        yield server.url
    finally:
        server._live_server_modified_settings.disable()
        server.stop()
