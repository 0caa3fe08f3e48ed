"""Rate limits on the expensive endpoints: statistics, maps, GeoJSON lists and new uploads.

Each such request counts against its signed-in user (RATE_LIMIT_USER_PER_MINUTE) and against
its client address (RATE_LIMIT_ADDRESS_PER_MINUTE; CLIENT_ADDRESS_HEADER behind a proxy), in
minutes of the clock; past either limit it is answered 429 with ``Retry-After`` (the seconds
to the next minute). A release report or a province map takes seconds of PostGIS, so one
script in a loop would otherwise hold the server for everyone. 0 turns a limit off.

The API's views take ``ExpensiveEndpointThrottle`` (rest_framework's throttling, after the
authentication: a token's user is counted), the map pages ``@rate_limited``. The counters live
in the database (``RateCounter``), so that every server process counts the same requests.
"""

import functools
import math
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework.throttling import BaseThrottle

from app.accounts.models import RateCounter
from app.accounts.throttle import client_address

WINDOW_SECONDS = 60

# The answer past a limit, for the OpenAPI schema of the endpoints limited here.
RATE_LIMITED_RESPONSE = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Past the user's or the address's requests a minute to the expensive endpoints "
    '(RATE_LIMIT_USER_PER_MINUTE, RATE_LIMIT_ADDRESS_PER_MINUTE): {"error": "..."}, and '
    "Retry-After in seconds.",
)


def now() -> datetime:
    """The counters' clock; the tests stop it (tests/accounts/test_rate_limits.py)."""
    return timezone.now()


def _limits(kind: str) -> tuple[int, int]:
    """The (user, address) requests a minute of this kind of request."""
    if kind == "tiles":
        return (
            settings.RATE_LIMIT_TILES_USER_PER_MINUTE,
            settings.RATE_LIMIT_TILES_ADDRESS_PER_MINUTE,
        )
    if kind == "features":
        return (
            settings.RATE_LIMIT_FEATURES_USER_PER_MINUTE,
            settings.RATE_LIMIT_FEATURES_ADDRESS_PER_MINUTE,
        )
    return settings.RATE_LIMIT_USER_PER_MINUTE, settings.RATE_LIMIT_ADDRESS_PER_MINUTE


def count_request(request, *, kind: str = "") -> int | None:
    """Count ``request`` against its user and its address: the seconds to wait when either is
    past its limit, else None. Kinds with counters and limits of their own: ``"tiles"``, the
    vector tiles (RATE_LIMIT_TILES_*: a map asks for dozens at each pan or zoom), and
    ``"features"``, the OGC items pages (RATE_LIMIT_FEATURES_*: GDAL and QGIS walk a layer page
    by page, 10 features a page unless told otherwise)."""
    user_limit, address_limit = _limits(kind)
    prefix = f"{kind} " if kind else ""
    moment = now()
    window_start = datetime.fromtimestamp(
        moment.timestamp() // WINDOW_SECONDS * WINDOW_SECONDS, tz=moment.tzinfo
    )
    limits = []
    user = getattr(request, "user", None)
    if user_limit and user is not None and user.is_authenticated:
        limits.append((f"{prefix}user {user.pk}", user_limit))
    address = client_address(request)
    if address_limit and address is not None:
        limits.append((f"{prefix}address {address}", address_limit))
    if not limits:
        return None
    hits = _hit([key for key, _limit in limits], window_start)
    if all(hits[key] <= limit for key, limit in limits):
        return None
    elapsed = (moment - window_start).total_seconds()
    return max(1, math.ceil(WINDOW_SECONDS - elapsed))


def _hit(keys: list[str], window_start: datetime) -> dict[str, int]:
    """Count one request against each of ``keys`` in this window, in one statement (it runs on
    every limited request); each key's hits so far, this one included."""
    table = RateCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, window_start, hits) "
            "SELECT key, %s, 1 FROM unnest(%s::text[]) AS key "
            f"ON CONFLICT (key, window_start) DO UPDATE SET hits = {table}.hits + 1 "
            "RETURNING key, hits",
            [window_start, keys],
        )
        hits = dict(cursor.fetchall())
    # A key's first request in a window clears its earlier windows.
    fresh = [key for key, count in hits.items() if count == 1]
    if fresh:
        RateCounter.objects.filter(key__in=fresh, window_start__lt=window_start).delete()
    return hits


class ExpensiveEndpointThrottle(BaseThrottle):
    """rest_framework's 429 with Retry-After, from the counters above."""

    def allow_request(self, request, view) -> bool:
        self.wait_seconds = count_request(request)
        return self.wait_seconds is None

    def wait(self) -> int | None:
        return self.wait_seconds


class FeaturePagesThrottle(ExpensiveEndpointThrottle):
    """OGC items pages: a desktop client reading one layer asks for hundreds of small pages, each
    an indexed query, so they are counted apart from the reports (RATE_LIMIT_FEATURES_*)."""

    def allow_request(self, request, view) -> bool:
        self.wait_seconds = count_request(request, kind="features")
        return self.wait_seconds is None


class UploadCreationThrottle(ExpensiveEndpointThrottle):
    """New uploads only: reading one's uploads and their state costs little."""

    def allow_request(self, request, view) -> bool:
        if request.method != "POST":
            return True
        return super().allow_request(request, view)


def rate_limited(view):
    """The same limits on a page (the maps): a 429 page saying when to try again."""

    @functools.wraps(view)
    def limited(request, *args, **kwargs):
        wait_seconds = count_request(request)
        if wait_seconds is None:
            return view(request, *args, **kwargs)
        response = render(
            request,
            "accounts/rate_limited.html",
            {
                "message": _(
                    "Too many requests for maps and statistics: try again in %(seconds)s s."
                )
                % {"seconds": wait_seconds}
            },
            status=429,
        )
        response["Retry-After"] = str(wait_seconds)
        return response

    return limited
