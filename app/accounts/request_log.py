"""One log line per request, and a request id to find it by (issue 8).

Every answer carries ``X-Request-ID``: the incoming one when it is sane (1–64 letters, digits,
``-``, ``_``, ``.``, as proxies and load balancers make them), else a new one, so a line in the
server's log can be matched with what a user or a proxy saw. With ``LOG_FORMAT=json`` the
``landrelease.request`` logger's lines, and every other log record, are JSON objects, one a
line: time, level, request id, method, path, status, duration in ms, user id (null when
anonymous). Paths only, never query strings: a query can carry a reason or a name typed by a
user. ``/healthz`` is not logged (the supervisor asks it every few seconds).
"""

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
NOT_LOGGED = ("/healthz",)

logger = logging.getLogger("landrelease.request")
current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)


def request_id_of(request) -> str:
    """The incoming X-Request-ID if it is sane, else a new random one."""
    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    if _SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestLogMiddleware:
    """First in MIDDLEWARE: its duration covers every other middleware and the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") in NOT_LOGGED:
            return self.get_response(request)
        request_id = request_id_of(request)
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        response[REQUEST_ID_HEADER] = request_id
        user = getattr(request, "user", None)
        logger.info(
            "%s %s %s %.1f ms",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            extra={
                "request_id": request_id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response


REQUEST_FIELDS = ("request_id", "method", "path", "status", "duration_ms", "user_id")


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON; a request's fields when it has them."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in REQUEST_FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if "request_id" not in line and current_request_id.get() is not None:
            line["request_id"] = current_request_id.get()
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
