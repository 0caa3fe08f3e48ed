"""Which database answers a read: a PostgreSQL streaming replica or the primary (issue 9).

``DATABASE_REPLICA_URLS`` names hot standbys, the aliases ``replica_1``, ``replica_2``, … of
``settings.DATABASES``. The reads that answer reports, maps, tiles and lists run inside
``app.registry.scopes.reading()``, which asks ``reads_alias()`` for the database of its
transaction once, at the outermost reading, and hands its connection to every query runner
(``scopes.reads_connection()``); ``ReplicaRouter`` sends the ORM's reads of the registry inside
it to the same place. Everything else stays on the primary: writes, services, the upload worker,
sessions, sign-in, rate-limit counters, and every read outside a reading().

A reading goes to a replica only when all of these hold, else to the primary:

- it is not inside a transaction already open on the primary: a service, the review's trial
  approval or a test reads there what it has just written, which no standby has seen yet;
- it does not create temporary tables (``as_recorded``): a standby cannot;
- the client did not write in the last ``read_your_writes_seconds()`` (ReadYourWritesMiddleware);
- the replica is reachable, in recovery, streaming from its primary and at most
  ``DATABASE_REPLICA_MAX_LAG_SECONDS`` behind it, by one query remembered for
  ``HEALTH_CHECK_SECONDS`` in each process. A change of that verdict is logged.

Among the usable replicas one is drawn at random for each outermost reading (one per request).
"""

import logging
import math
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger("landrelease.replicas")

REPLICA_PREFIX = "replica_"
# How long a replica's verdict (usable or not) is trusted in a process: one cheap query per
# replica and process every few seconds, however many requests.
HEALTH_CHECK_SECONDS = 5.0
# The apps whose tables the reports, maps and lists read: their ORM reads follow the reading.
REPLICATED_APPS = frozenset({"registry", "accounting"})

# Lag as PostgreSQL's documentation measures it on a standby: zero when it has replayed all it
# received, else the age of the last transaction it replayed. A standby whose WAL receiver is
# gone (its primary unreachable) has replayed all it received and would look current: the
# receiver's row (visible to any user, pid only) tells it apart.
_STATE_SQL = """
SELECT pg_is_in_recovery(),
       EXISTS (SELECT FROM pg_stat_wal_receiver),
       CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END
"""


@dataclass(frozen=True)
class Verdict:
    usable: bool
    reason: str
    checked_at: float  # time.monotonic()


_verdicts: dict[str, Verdict] = {}
# True while a request of a client who wrote a moment ago is served (ReadYourWritesMiddleware).
_primary_only: ContextVar[bool] = ContextVar("landrelease_primary_only", default=False)
# The database of the reading() around this point (set by app.registry.scopes), None outside.
_reads_alias: ContextVar[str | None] = ContextVar("landrelease_reads_alias", default=None)


def active_reads_alias() -> str | None:
    return _reads_alias.get()


@contextmanager
def reads_on(alias: str) -> Iterator[None]:
    """Mark the reads inside as those of a reading on ``alias`` (app.registry.scopes)."""
    marker = _reads_alias.set(alias)
    try:
        yield
    finally:
        _reads_alias.reset(marker)


def replica_aliases() -> list[str]:
    return [alias for alias in connections if alias.startswith(REPLICA_PREFIX)]


def read_your_writes_seconds() -> float:
    """How long a client reads from the primary after its own write. A replica that answers is
    at most the lag limit behind, checked at most HEALTH_CHECK_SECONDS ago, during which it may
    have fallen behind by as much again: past both, any replica drawn has the write."""
    return settings.DATABASE_REPLICA_MAX_LAG_SECONDS + HEALTH_CHECK_SECONDS


def reads_alias(*, creates_temporary_tables: bool) -> str:
    """The database a reading runs on: that of the reading around it, if any, else chosen."""
    if creates_temporary_tables:
        return DEFAULT_DB_ALIAS
    if (outer := _reads_alias.get()) is not None:
        return outer
    aliases = replica_aliases()
    if not aliases or _primary_only.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    random.shuffle(aliases)
    for alias in aliases:
        if _usable(alias):
            return alias
    return DEFAULT_DB_ALIAS


def forget_verdicts() -> None:
    """Check every replica again at its next reading (tests, after starting or stopping one)."""
    _verdicts.clear()


def _usable(alias: str) -> bool:
    previous = verdict = _verdicts.get(alias)
    now = time.monotonic()
    if verdict is None or now - verdict.checked_at >= HEALTH_CHECK_SECONDS:
        verdict = Verdict(*_check(alias), checked_at=now)
        if previous is None or previous.usable != verdict.usable:
            if verdict.usable:
                logger.info("%s: %s; reads go to it", alias, verdict.reason)
            else:
                logger.warning("%s: %s; its reads go to the primary", alias, verdict.reason)
        _verdicts[alias] = verdict
    if not verdict.usable:
        return False
    # Between two checks a replica may have gone, or a kept connection been cut: open it now,
    # before a reading's transaction, so that a refusal still falls back to the primary.
    connection = connections[alias]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError as error:
        _verdicts[alias] = Verdict(False, f"unreachable ({str(error).strip()})", now)
        logger.warning("%s: unreachable (%s); its reads go to the primary", alias, error)
        connection.close()
        return False
    return True


def _check(alias: str) -> tuple[bool, str]:
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute(_STATE_SQL)
            in_recovery, receiving, lag_seconds = cursor.fetchone()
    except DatabaseError as error:
        connection.close()
        return False, f"unreachable ({str(error).strip()})"
    if not in_recovery:
        return False, "not a standby (pg_is_in_recovery() is false)"
    if not receiving:
        return False, "not streaming from its primary (no WAL receiver): its data may be stale"
    limit = settings.DATABASE_REPLICA_MAX_LAG_SECONDS
    if lag_seconds is None or lag_seconds > limit:
        lag = "unknown" if lag_seconds is None else f"{lag_seconds:.1f} s"
        return False, f"{lag} behind its primary, more than {limit} s"
    return True, f"streaming, {lag_seconds:.1f} s behind its primary"


@contextmanager
def primary_only() -> Iterator[None]:
    """Every reading inside runs on the primary."""
    marker = _primary_only.set(True)
    try:
        yield
    finally:
        _primary_only.reset(marker)


class ReadYourWritesMiddleware:
    """Read-your-writes: a client that wrote (any request but GET, HEAD, OPTIONS, TRACE) reads
    from the primary for ``read_your_writes_seconds()`` afterwards, so that an analyst who
    approves a batch and opens the report sees the approval, whatever a replica has replayed.

    The moment is kept in a cookie, as Rails' DatabaseSelector keeps it in the session: it costs
    no query, and a client that forges it only sends itself to the primary, where every read
    went before replicas. API clients that keep cookies (a requests.Session) get the same; others
    may read a replica's state for up to that long after their write.
    """

    COOKIE = "landrelease_primary_until"
    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_aliases():
            return self.get_response(request)
        now, window = time.time(), read_your_writes_seconds()
        try:
            until = float(request.COOKIES.get(self.COOKIE, ""))
        except ValueError:
            until = 0.0
        if now < until <= now + window:
            with primary_only():
                response = self.get_response(request)
        else:
            response = self.get_response(request)
        if request.method not in self.SAFE_METHODS:
            response.set_cookie(
                self.COOKIE,
                f"{now + window:.3f}",
                max_age=math.ceil(window),
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


class ReplicaRouter:
    """The ORM's side of the choice: reads of the registry inside a reading() go to the
    database of that reading, every other read and every write to the primary.

    Named explicitly rather than left to Django: an object read on a replica carries
    ``_state.db`` of that replica, which Django would otherwise use to save it or to follow
    its relations after the reading."""

    def db_for_read(self, model, **hints) -> str:
        if model._meta.app_label in REPLICATED_APPS:
            return _reads_alias.get() or DEFAULT_DB_ALIAS
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # Every alias is the same database, at most a few seconds apart.
        return True

    def allow_migrate(self, db, app_label, **hints) -> bool:
        # A standby replays the primary's migrations; it cannot run them.
        return db == DEFAULT_DB_ALIAS
