"""The Makefile: `make help` shows the values it will use, and `make serve` (and `make demo`, the
same recipe) keeps the upload worker running beside the server and stops it with SIGTERM.

The serving test runs the real recipe with stand-ins for .venv's python and gunicorn (BIN=...),
which note what they are sent: no database, no server, only the recipe's process handling.
"""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PATIENCE_S = 30

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
# Under `make test` this module runs inside make: the inner make must not take the outer one's
# flags or job server.
ENV = {
    name: value
    for name, value in os.environ.items()
    if name not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")
}

# Each stand-in writes its pid when it starts and "<name> TERM <pid>" when it gets SIGTERM. The
# worker's pauses are short so that it answers a signal at once (bash runs a trap between
# commands).
FAKE_PYTHON = """#!/bin/bash
case "$*" in
  *upload_worker*)
    echo $$ >> "$FAKE_DIR/workers"
    trap 'echo "worker TERM $$" >> "$FAKE_DIR/signals"; exit 0' TERM
    while :; do sleep 0.05; done ;;
  *) exit 0 ;;
esac
"""
FAKE_GUNICORN = """#!/bin/bash
echo $$ > "$FAKE_DIR/server"
trap 'echo "server TERM $$" >> "$FAKE_DIR/signals"; exit 0' TERM
while :; do sleep 0.05; done
"""


def test_help_shows_the_address_it_will_serve_on():
    result = subprocess.run(
        ["make", "-s", "help", "HOST=0.0.0.0", "PORT=8123"],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=PATIENCE_S,
    )

    assert result.returncode == 0, result.stderr
    assert "serve on http://0.0.0.0:8123/" in result.stdout
    assert "$(" not in result.stdout


def test_serve_restarts_a_dead_worker_and_stops_it_with_sigterm_with_the_server(tmp_path):
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    for name, script in (("python", FAKE_PYTHON), ("gunicorn", FAKE_GUNICORN)):
        (fake_bin / name).write_text(script)
        (fake_bin / name).chmod(0o755)
    make = subprocess.Popen(
        ["make", "-s", "serve", f"BIN={fake_bin}"],
        cwd=ROOT,
        env={**ENV, "FAKE_DIR": str(tmp_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        first = _pids(tmp_path / "workers", at_least=1)[0]
        server = _pids(tmp_path / "server", at_least=1)[0]

        os.kill(first, signal.SIGKILL)
        second = _pids(tmp_path / "workers", at_least=2)[1]

        make.send_signal(signal.SIGTERM)
        make.wait(timeout=PATIENCE_S)
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait()

    signals = (tmp_path / "signals").read_text().splitlines()
    assert sorted(signals) == sorted([f"server TERM {server}", f"worker TERM {second}"])
    assert _pids(tmp_path / "workers", at_least=2) == [first, second]


def _pids(path: Path, *, at_least: int) -> list[int]:
    """The pids written to ``path``, once there are ``at_least`` of them. Polled: the stand-ins
    start when make gets to them, and a dead worker is restarted after a 2 s pause."""
    deadline = time.monotonic() + PATIENCE_S
    while time.monotonic() < deadline:
        pids = [int(line) for line in path.read_text().split()] if path.exists() else []
        if len(pids) >= at_least:
            return pids
        time.sleep(0.1)
    pytest.fail(f"{path.name}: fewer than {at_least} pid(s) within {PATIENCE_S} s")
