"""The loopback load test of `make bench`: concurrent clients on the statistics, the GeoJSON lists
and the maps for a fixed time, against gunicorn serving the demo data on 127.0.0.1.

Bounded: ``clients`` threads send requests one after another until ``duration_s`` has passed;
a request started before then may finish, within ``REQUEST_TIMEOUT_S``. Then gunicorn is stopped.
Every client is signed in as an analyst, the reader the statistics are for: an API token
(``Authorization: Token``) for the API, a session cookie for the maps, which are pages.

gunicorn is started as deploy/gunicorn.conf.py would (issue 8, "Serving"): threaded workers, one
process per core (at least 2), 4 threads each (``threads`` to try others); ``server="runserver"``
runs Django's development server instead, to compare. The rate limits on these endpoints
(RATE_LIMIT_USER_PER_MINUTE, RATE_LIMIT_ADDRESS_PER_MINUTE: 60 and 300 by default) would answer
most of this load with 429s, since all 20 clients are one user at one address: they are set to 0
(no limit) in gunicorn's environment for the benchmark. The figures are the server's capacity,
not what one user is allowed.

The stdlib's http.client, one keep-alive connection per client, so no dependency is added.
"""

import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
REQUEST_TIMEOUT_S = 180
READY_TIMEOUT_S = 60
ERROR_PAUSE_S = 1

# Each client walks this list from its own starting point, so the groups run side by side.
GROUPS = {
    "statistics": [
        "/api/v1/stats/release/?as_of=2023-12-31&by=district",
        "/api/v1/stats/clearance/?year=2023&by=district",
        "/api/v1/stats/progress/?from=2016&to=2025",
    ],
    "GeoJSON lists": [
        "/api/v1/releases/?limit=1000",
        "/api/v1/hazards/?limit=1000",
        "/api/v1/spot-tasks/?limit=1000&year=2023",
        "/api/v1/villages/",
    ],
    "maps": [
        "/maps/coverage/?year=2023",
        "/maps/districts/464/?year=2023",
    ],
}


@dataclass(frozen=True)
class Sample:
    group: str
    url: str
    seconds: float
    status: int | None  # None: no answer (connection error or timeout)
    finished_at: float
    error: str = ""  # why there was no answer


def _server_environment(database_url: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        # The benchmark measures capacity: no per-user or per-address rate limit (module doc).
        "RATE_LIMIT_USER_PER_MINUTE": "0",
        "RATE_LIMIT_ADDRESS_PER_MINUTE": "0",
        "ALLOWED_HOSTS": HOST,
        "LOG_LEVEL": "ERROR",
    }


def _start_server(
    server: str, database_url: str, port: int, workers: int, threads: int, log
) -> subprocess.Popen:
    """gunicorn as deploy/gunicorn.conf.py runs it, or (``runserver``, for comparison with the
    development server the figures of issue 8 were measured on) Django's threaded one."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "app.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--worker-class",
        "gthread",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        str(REQUEST_TIMEOUT_S),
        # gunicorn 25+ opens a control socket in the user's home: two checkouts would share it.
        "--no-control-socket",
    ]
    if server == "runserver":
        command = [sys.executable, "manage.py", "runserver", f"{HOST}:{port}", "--noreload"]
    return subprocess.Popen(
        command,
        cwd=REPO,
        env=_server_environment(database_url, port),
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
    )


def _get(connection: http.client.HTTPConnection, url: str, credentials: dict) -> int:
    connection.request("GET", url, headers={**credentials, "Accept-Encoding": "gzip"})
    response = connection.getresponse()
    response.read()
    return response.status


def _wait_until_ready(port: int, credentials: dict, server: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            raise SystemExit(f"the server exited at start:\n{log.read()}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=10)
            if _get(connection, "/api/v1/auth/me/", credentials) == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.5)
    raise SystemExit(f"the server did not answer on {HOST}:{port} within {READY_TIMEOUT_S} s")


def _client(
    number: int, port: int, credentials: dict, deadline: float, samples: list, groups: tuple
) -> None:
    urls = [(group, url) for group in groups for url in GROUPS[group]]
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
    step = number
    while time.monotonic() < deadline:
        group, url = urls[step % len(urls)]
        step += 1
        started = time.perf_counter()
        error = ""
        try:
            status = _get(connection, url, credentials)
        except (OSError, http.client.HTTPException) as failure:
            status = None
            error = f" ({type(failure).__name__}: {failure})"
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
        seconds = time.perf_counter() - started
        samples.append(Sample(group, url, seconds, status, time.monotonic(), error))
        if status is None:
            # A refused or dropped connection: an error counted once, not a busy loop of them.
            time.sleep(ERROR_PAUSE_S)
    connection.close()


def _percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def _summary(samples: list[Sample], elapsed_s: float) -> dict:
    seconds = [sample.seconds for sample in samples]
    return {
        "requests": len(samples),
        "errors": sum(1 for sample in samples if sample.status != 200),
        "per_second": len(samples) / elapsed_s,
        "p50_s": statistics.median(seconds) if seconds else None,
        "p95_s": _percentile(seconds, 0.95) if seconds else None,
        "p99_s": _percentile(seconds, 0.99) if seconds else None,
    }


def _run_clients(
    process: subprocess.Popen,
    log,
    *,
    port: int,
    credentials: dict,
    clients: int,
    duration_s: float,
    groups: tuple,
) -> tuple[list[Sample], float, list[float]]:
    """Warm up, then the clients until the deadline; the server is stopped however this ends."""
    try:
        _wait_until_ready(port, credentials, process, log)
        # Warm-up: one request to each URL (plans, file cache, each worker's imports).
        warm = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
        for group in groups:
            for url in GROUPS[group]:
                _get(warm, url, credentials)
        warm.close()
        samples: list[Sample] = []
        load_average_before = os.getloadavg()[0]
        started = time.monotonic()
        deadline = started + duration_s
        threads = [
            threading.Thread(target=_client, args=(n, port, credentials, deadline, samples, groups))
            for n in range(clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(duration_s + REQUEST_TIMEOUT_S + 30)
        elapsed_s = max((s.finished_at for s in samples), default=time.monotonic()) - started
        load_average_after = os.getloadavg()[0]
        return samples, elapsed_s, [load_average_before, load_average_after]
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def measure_load(
    *,
    database_url: str,
    token: str,
    session_cookie: str,
    port: int,
    clients: int,
    duration_s: float,
    server: str = "gunicorn",
    threads: int = 4,
    groups: tuple = tuple(GROUPS),
) -> dict:
    """Run the load test once against a server started here (gunicorn, or runserver to
    compare); stop it after. ``token`` signs the API requests in, ``session_cookie``
    (``name=value``) the pages. ``groups`` (names of GROUPS) are the URLs the clients walk:
    issue 9's target is on the statistics alone."""
    credentials = {"Authorization": f"Token {token}", "Cookie": session_cookie}
    workers = max(2, os.cpu_count() or 1)
    # A file, not a pipe: runserver logs every request, and a pipe nobody reads fills and stops it.
    with tempfile.TemporaryFile(mode="w+") as log:
        process = _start_server(server, database_url, port, workers, threads, log)
        samples, elapsed_s, load_averages = _run_clients(
            process,
            log,
            port=port,
            credentials=credentials,
            clients=clients,
            duration_s=duration_s,
            groups=groups,
        )
    by_group = {
        group: _summary([s for s in samples if s.group == group], elapsed_s) for group in groups
    }
    errors = [
        f"{sample.status} {sample.url}{sample.error}" for sample in samples if sample.status != 200
    ]
    return {
        "server": server,
        "clients": clients,
        "duration_s": duration_s,
        "elapsed_s": elapsed_s,
        "workers": workers,
        "threads": threads,
        # The machine's 1-minute load average: how much else was running (a shared machine).
        "load_average": [round(average, 1) for average in load_averages],
        "cpus": os.cpu_count(),
        "groups": by_group,
        "total": _summary(samples, elapsed_s),
        "error_examples": errors[:10],
    }
