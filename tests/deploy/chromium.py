"""Headless Chromium (tests/devtools.py) loading a page from a live server as a user would, and
listing every request of it that failed.

tests/chromium.py answers Chromium's requests with Django's test client in the test's own
thread, to see a page inside the test's transaction. This one talks to a real server process
(gunicorn in tests/deploy) over the network, so it sets the session cookie and the proxy's
headers itself and follows the Network domain's events to name each failed request.
"""

from __future__ import annotations

import select
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from tests.devtools import DevToolsPipe

FAVICON = "/favicon.ico"


@dataclass
class PageLoad:
    """What loading one page did: the document's status, every request and what failed."""

    url: str
    status: int | None = None
    requested: list[str] = field(default_factory=list)
    # "404 http://…/static/x.js", "net::ERR_CONNECTION_REFUSED http://…"
    failed: list[str] = field(default_factory=list)
    # Uncaught exceptions and messages the browser logged as errors (CSP violations among them).
    errors: list[str] = field(default_factory=list)
    # The value of the expression given to Chromium.load, evaluated once the network is idle.
    probe: Any = None


class Chromium:
    def __init__(self) -> None:
        self._pipe = DevToolsPipe()
        self._next_id = 0
        # Messages read but not handed out yet; events that arrived while a call waited.
        self._pending: list[dict] = []
        self._events: list[dict] = []

    def close(self) -> None:
        self._pipe.close()

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def load(
        self,
        url: str,
        *,
        cookies: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        probe: str = "null",
        patience_s: float = 120,
    ) -> PageLoad:
        """Open ``url`` in a new tab with ``cookies`` and extra request ``headers``, wait until
        its network has been idle for half a second (scripts' own requests included, such as
        the API docs fetching the schema), then evaluate the JavaScript ``probe``."""
        deadline = time.monotonic() + patience_s
        target = self._call("Target.createTarget", {"url": "about:blank"}, deadline)["targetId"]
        session = self._call(
            "Target.attachToTarget", {"targetId": target, "flatten": True}, deadline
        )["sessionId"]
        try:
            for method in ("Network.enable", "Page.enable", "Runtime.enable", "Log.enable"):
                self._call(method, {}, deadline, session)
            self._call("Page.setLifecycleEventsEnabled", {"enabled": True}, deadline, session)
            if headers:
                self._call("Network.setExtraHTTPHeaders", {"headers": headers}, deadline, session)
            for name, value in (cookies or {}).items():
                self._call(
                    "Network.setCookie",
                    {"name": name, "value": value, "url": url},
                    deadline,
                    session,
                )
            page = PageLoad(url=url)
            navigation = self._call("Page.navigate", {"url": url}, deadline, session)
            if "errorText" in navigation:
                page.failed.append(f"{navigation['errorText']} {url}")
                return page
            self._watch(page, session, navigation["loaderId"], deadline)
            evaluated = self._call(
                "Runtime.evaluate", {"expression": probe, "returnByValue": True}, deadline, session
            )
            page.probe = evaluated["result"].get("value")
            return page
        finally:
            self._call("Target.closeTarget", {"targetId": target}, deadline)

    def _watch(self, page: PageLoad, session: str, loader: str, deadline: float) -> None:
        urls: dict[str, str] = {}
        while True:
            event = self._event(deadline)
            if event.get("sessionId") != session:
                continue
            method, params = event["method"], event.get("params", {})
            if method == "Network.requestWillBeSent":
                urls[params["requestId"]] = params["request"]["url"]
                page.requested.append(params["request"]["url"])
            elif method == "Network.responseReceived":
                status = params["response"]["status"]
                if params.get("type") == "Document" and params["loaderId"] == loader:
                    page.status = status
                # The browser's own request for a tab icon, which no page of ours asks for: the
                # site has none, and a 404 there costs the page nothing.
                if status >= 400 and urlsplit(params["response"]["url"]).path != FAVICON:
                    page.failed.append(f"{status} {params['response']['url']}")
            elif method == "Network.loadingFailed":
                reason = params.get("blockedReason") or params["errorText"]
                page.failed.append(f"{reason} {urls.get(params['requestId'], '?')}")
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                description = details.get("exception", {}).get("description", details["text"])
                page.errors.append(description.splitlines()[0])
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                # The network's own entries repeat what `failed` lists (favicon included).
                if params["entry"]["source"] != "network":
                    page.errors.append(params["entry"]["text"])
            elif (
                method == "Page.lifecycleEvent"
                and params["name"] == "networkIdle"
                and params["loaderId"] == loader
            ):
                return

    def _call(
        self, method: str, params: dict, deadline: float, session: str | None = None
    ) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        self._pipe.send(message)
        while True:
            answer = self._read(deadline)
            if answer.get("id") != self._next_id:
                self._events.append(answer)
                continue
            if "error" in answer:
                raise RuntimeError(f"{method}: {answer['error']}")
            return answer["result"]

    def _event(self, deadline: float) -> dict[str, Any]:
        if self._events:
            return self._events.pop(0)
        return self._read(deadline)

    def _read(self, deadline: float) -> dict[str, Any]:
        """The next message from Chromium not yet handed out, waiting until ``deadline``."""
        while not self._pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("Chromium did not answer in time")
            readable, _, _ = select.select([self._pipe], [], [], remaining)
            if readable:
                self._pending += self._pipe.receive()
        return self._pending.pop(0)
