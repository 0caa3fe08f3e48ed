"""A live server for the real clients (GDAL's OAPIF driver, OWSLib), inside the test's
transaction.

The server runs in a thread of the test process on the test's own database connection, so it
sees the rows the test made and everything is rolled back after, like any other test: the
bundled boundaries the session loaded once stay (a transactional test would flush them). The
server is single-threaded (one request at a time on the one connection), and Django's
``close_old_connections`` is kept off the request signals meanwhile, as Django's test client
does, since it would close a connection that is inside a transaction.
"""

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections

from app.accounts.services import create_token
from tests import factories
from tests.api.places import square_inside_district

# The square every release of the ``releases`` fixture covers.
RELEASE_SQUARE = square_inside_district("464")


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


@dataclass(frozen=True)
class LiveServer:
    url: str

    @property
    def ogc(self) -> str:
        return f"{self.url}/ogc/"


@pytest.fixture
def live_ogc_server(db, settings) -> Iterator[LiveServer]:
    # GDAL pages quickly: the per-minute limits are not under test here.
    settings.RATE_LIMIT_USER_PER_MINUTE = 0
    settings.RATE_LIMIT_ADDRESS_PER_MINUTE = 0
    connection = connections[DEFAULT_DB_ALIAS]
    connection.inc_thread_sharing()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    server = WSGIServer(("127.0.0.1", 0), _QuietHandler, ipv6=False, allow_reuse_address=False)
    server.set_app(get_wsgi_application())

    def serve():
        connections[DEFAULT_DB_ALIAS] = connection
        server.serve_forever(poll_interval=0.05)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        connection.dec_thread_sharing()


@pytest.fixture
def analyst_token(db) -> str:
    return create_token(user=factories.user("analyst"), name="ogc tests").key


@pytest.fixture
def releases(db) -> dict[str, int]:
    """Two organisations' releases of one square in every review state, and a deleted one."""
    return factories.releases_in_every_state(RELEASE_SQUARE)
