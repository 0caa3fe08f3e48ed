"""Pages of the site opened in headless Chromium, answered by Django's test client.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: file
descriptors 3 and 4, JSON messages ended by NUL), so no WebSocket client is needed. Its
requests go to a one-request-at-a-time HTTP server on 127.0.0.1 run in the test's own thread,
which hands each one to a ``serve(path)`` callable (a signed-in test client, static files from
the finders): the pages see the test's database transaction, and the responses carry exactly
the headers the application sets, Content-Security-Policy included. Nothing leaves the machine
(--disable-background-networking; a remote URL a page asks for fails).

Each visit reports the Content-Security-Policy violations the page met (its
``securitypolicyviolation`` events, and the console's "Content Security Policy" messages) and
whether a readiness expression became true within a bounded time.
"""

import contextlib
import json
import mimetypes
import os
import select
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer

from django.contrib.staticfiles import finders

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# The page's listener is installed by DevTools before any of the page's scripts run, so the
# page's own policy does not apply to it.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline')
    + ' at ' + event.sourceFile + ':' + event.lineNumber);
});
"""

Serve = Callable[[str], tuple[int, list[tuple[str, str]], bytes]]


@dataclass
class Visit:
    url: str
    ready: bool
    violations: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def served_by(client) -> Serve:
    """Pages through ``client`` (a signed-in test client), static files from the finders (as
    ``runserver`` serves them), no favicon."""

    def serve(path: str):
        if path.startswith("/static/"):
            found = finders.find(path.removeprefix("/static/").split("?")[0])
            if found is None:
                return 404, [], b""
            with open(found, "rb") as asset:
                kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
                return 200, [("Content-Type", kind)], asset.read()
        if path == "/favicon.ico":
            return 204, [], b""
        response = client.get(path)
        headers = [(name, value) for name, value in response.items() if name != "Content-Length"]
        return response.status_code, headers, response.content

    return serve


class _Handler(BaseHTTPRequestHandler):
    serve: Serve
    requested: list[str]
    # A connection Chromium opens ahead of need must not hold the one thread for long.
    timeout = 2

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.requested.append(self.path)
        status, headers, body = self.serve(self.path)
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Browser:
    """One headless Chromium and one local server; ``visit`` opens a path and waits."""

    def __init__(self, serve: Serve):
        handler = type("Handler", (_Handler,), {"serve": staticmethod(serve), "requested": []})
        self._handler = handler
        self._server = HTTPServer(("127.0.0.1", 0), handler)
        self._server.timeout = 0
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        self._profile = tempfile.mkdtemp(prefix="chromium-")
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()

        def child_pipes():
            os.dup2(to_browser_read, 3)
            os.dup2(from_browser_write, 4)

        self._process = subprocess.Popen(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={self._profile}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),
            preexec_fn=child_pipes,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict] = []
        target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for method in ("Page.enable", "Runtime.enable", "Log.enable"):
            self._call(method, session=True)
        self._call(
            "Page.addScriptToEvaluateOnNewDocument", {"source": COLLECT_VIOLATIONS}, session=True
        )

    def visit(self, path: str, *, ready: str, timeout_seconds: float = 60) -> Visit:
        """Open ``path``, wait (at most ``timeout_seconds``) until the JavaScript ``ready`` is
        true, then report what the page met."""
        self._events.clear()
        self._handler.requested.clear()
        self._call("Page.navigate", {"url": self.base_url + path}, session=True)
        deadline = time.monotonic() + timeout_seconds
        became_ready = False
        while time.monotonic() < deadline:
            self._pump(0.2)
            if self._evaluate(f"Boolean({ready})"):
                became_ready = True
                break
        # Scripts that run after the readiness (tooltips, late fetches) get a moment too.
        self._pump(0.5)
        violations = self._evaluate("window.__cspViolations || []") or []
        console = []
        for event in self._events:
            if event.get("method") == "Log.entryAdded":
                entry = event["params"]["entry"]
                if entry["level"] == "error":
                    console.append(entry["text"])
            elif event.get("method") == "Runtime.exceptionThrown":
                console.append(event["params"]["exceptionDetails"].get("text", "exception"))
        console += [text for text in violations if text not in console]
        return Visit(
            url=path,
            ready=became_ready,
            violations=violations + [text for text in console if "Content Security Policy" in text],
            console_errors=console,
            requests=list(self._handler.requested),
        )

    def close(self) -> None:
        with contextlib.suppress(OSError, RuntimeError):
            self._call("Browser.close")
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
        self._server.server_close()
        shutil.rmtree(self._profile, ignore_errors=True)

    def _evaluate(self, expression: str):
        answer = self._call(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=True
        )
        return answer.get("result", {}).get("value")

    def _call(self, method: str, params: dict | None = None, *, session: bool = False) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self._session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for reply in self._pump(1):
                if reply.get("id") == self._next_id:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return reply.get("result", {})
        raise RuntimeError(f"{method}: Chromium did not answer within 60 s")

    def _pump(self, seconds: float) -> list[dict]:
        """Serve the page's requests and read Chromium's messages for up to ``seconds``."""
        replies = []
        deadline = time.monotonic() + seconds
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return replies
            readable, _, _ = select.select(
                [self._server.socket, self._from_browser], [], [], remaining
            )
            if self._server.socket in readable:
                with contextlib.suppress(ConnectionError, socket.timeout):
                    self._server.handle_request()
            if self._from_browser in readable:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed its DevTools pipe")
                self._buffer += chunk
                *messages, self._buffer = self._buffer.split(b"\0")
                for raw in messages:
                    message = json.loads(raw)
                    if "id" in message:
                        replies.append(message)
                    else:
                        self._events.append(message)
                if replies:
                    return replies
