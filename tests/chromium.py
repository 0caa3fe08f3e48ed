"""Pages of the site opened in headless Chromium, answered by Django's test client.

Chromium is driven over the DevTools protocol on a pipe (tests/devtools.py). Its requests go to
a one-request-at-a-time HTTP server on 127.0.0.1 run in the test's own thread, which hands each
one to a ``serve(path)`` callable (a signed-in test client, static files from the finders): the
pages see the test's database transaction, and the responses carry exactly the headers the
application sets, Content-Security-Policy included. Nothing leaves the machine
(--disable-background-networking; a remote URL a page asks for fails).

Each visit reports the Content-Security-Policy violations the page met (its
``securitypolicyviolation`` events, and the console's "Content Security Policy" messages) and
whether a readiness expression became true within a bounded time.
"""

import contextlib
import mimetypes
import select
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer

from django.contrib.staticfiles import finders

from tests.devtools import DevToolsPipe, executable

CHROMIUM = executable()

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
    # Every URL the page asked for, as Chromium saw it (its Network domain): also those that
    # never reached the local server.
    browser_requests: list[str] = field(default_factory=list)


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
        self._pipe = DevToolsPipe()
        self._next_id = 0
        self._events: list[dict] = []
        target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for method in ("Page.enable", "Runtime.enable", "Log.enable", "Network.enable"):
            self._call(method, session=True)
        self._call(
            "Page.addScriptToEvaluateOnNewDocument", {"source": COLLECT_VIOLATIONS}, session=True
        )

    def resize(self, *, width: int, height: int) -> None:
        """Lay the next pages out in a window of ``width`` × ``height`` CSS pixels (headless
        Chromium's own is 800 × 600), as a laptop's or a phone's."""
        self._call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session=True,
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
            browser_requests=[
                event["params"]["request"]["url"]
                for event in self._events
                if event.get("method") == "Network.requestWillBeSent"
            ],
        )

    def close(self) -> None:
        self._pipe.close()
        self._server.server_close()

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
        self._pipe.send(message)
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
            readable, _, _ = select.select([self._server.socket, self._pipe], [], [], remaining)
            if self._server.socket in readable:
                with contextlib.suppress(ConnectionError, socket.timeout):
                    self._server.handle_request()
            if self._pipe in readable:
                for message in self._pipe.receive():
                    if "id" in message:
                        replies.append(message)
                    else:
                        self._events.append(message)
                if replies:
                    return replies
