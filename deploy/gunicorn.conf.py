"""gunicorn's settings for landrelease: `gunicorn -c deploy/gunicorn.conf.py app.wsgi`.

`make demo`, `make serve` and deploy/landrelease.service all start gunicorn with this file. Its
values come from the environment, like app/settings.py's, and are in the README's
"Configuration" table. Options given on gunicorn's command line (`--bind`) override them.
"""

import os


def _whole_number(name: str, default: int) -> int:
    value = os.getenv(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number; got {value!r}") from None
    if number < 1:
        raise SystemExit(f"{name} must be 1 or more; got {number}")
    return number


bind = os.getenv("GUNICORN_BIND", "127.0.0.1:8000")
# Threads, since a request mostly waits for PostGIS (a statistics report: 1-3 s of SQL); the
# processes are there for the Python work of the maps and the uploads' pages. Each process holds
# 120-220 MB (GDAL, geopandas, a map being built): one per core, not gunicorn's 2n+1.
worker_class = "gthread"
workers = _whole_number("GUNICORN_WORKERS", max(2, os.cpu_count() or 1))
threads = _whole_number("GUNICORN_THREADS", 4)
# Seconds a worker may go silent before it is killed and replaced. With threads this is the
# worker's own heartbeat, not a request's duration; the province map at 10x the demo data takes
# ~30 s, so a proxy in front must wait at least as long (deploy/nginx.conf: proxy_read_timeout).
timeout = _whole_number("GUNICORN_TIMEOUT", 120)
graceful_timeout = 30
# One line per request on stdout: the terminal under `make demo`, the journal under systemd.
# Not with LOG_FORMAT=json, where the app's request log (app.accounts.request_log) already writes
# one JSON line per request: a collector would get every request twice, once as text.
accesslog = None if os.getenv("LOG_FORMAT", "text").strip().lower() == "json" else "-"
# gunicorn 25+ opens a control socket in the user's home by default: two checkouts run by one
# user would fight over it, and the service user has no writable home. Nothing here uses it.
control_socket_disable = True
