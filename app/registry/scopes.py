"""Which records a read counts: approved ones, pending ones too, or the registry of a past day.

Every read of statistics, maps and lists runs inside ``reading(scope)``. It points the
transaction's ``search_path`` at a schema of views that carry the tables' own names
(``scope_approved.registry_hazardarea`` and so on, made by ``create_scope_views``), so that every
SQL statement and ORM query inside it, however it names the tables, sees only the records the
scope allows. The views are simple filters the planner inlines: the tables' indexes still serve.

- ``scope_approved``: approved records, deleted ones left out (the default of every report);
- ``scope_pending``: approved plus submitted (``?include=submitted``), limited to the
  organisations in ``landrelease.pending_organisations`` (``*``: all);
- ``scope_recorded``: the versions of ``RecordVersion`` open at ``landrelease.as_recorded``
  that were approved then (``?as_recorded=YYYY-MM-DD``).

A read that runs outside any ``reading(...)`` (the notebook, ``manage.py stats`` and
``render_map`` call the selectors directly) must not see the tables' pending work either: the
query runners of the accounting, the maps and the lists wrap themselves in ``scoped_reads()``,
which keeps the scope that is active and enters ``reading(APPROVED)`` when there is none.

A reading may run on a streaming replica (app.registry.replicas chooses, once per outermost
reading): every query inside takes its cursor from ``reads_connection()``, never from
``django.db.connection``, which is the primary's and would not see the scope's settings.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.translation import gettext

from app.registry import replicas
from app.registry.models.history import VERSIONED_TABLES


@dataclass(frozen=True)
class ReadingScope:
    include_submitted: bool = False
    # Whose submitted records count with include_submitted; None: every organisation's.
    submitted_by: frozenset[int] | None = None
    # The moment whose approved registry to read; None: now.
    as_recorded: dt.datetime | None = None

    def __post_init__(self):
        if self.include_submitted and self.as_recorded is not None:
            raise ValueError("a past registry holds approved records only")

    @property
    def schema(self) -> str:
        if self.as_recorded is not None:
            return "scope_recorded"
        return "scope_pending" if self.include_submitted else "scope_approved"

    @property
    def search_path(self) -> str:
        # A past registry is read from temporary tables (see _materialise_recorded), found
        # first; every other scope lists pg_temp last, so that no temporary table shadows it.
        if self.as_recorded is not None:
            return "pg_temp, public"
        return f"{self.schema}, public, pg_temp"

    def describe(self) -> dict:
        """What a report says of the records it counted, beside its figures (the ``scope`` of
        the stats JSON): ``records`` and ``includes_submitted`` always; with pending work, whose
        (``submitted_by``: organisation slugs, or null for every organisation's) and a ``label``
        to show beside the figures; for a past registry, ``as_recorded``."""
        if self.as_recorded is not None:
            return {
                "records": "approved",
                "includes_submitted": False,
                "as_recorded": self.as_recorded.isoformat(),
            }
        if not self.include_submitted:
            return {"records": "approved", "includes_submitted": False}
        return {
            "records": "approved and submitted",
            "includes_submitted": True,
            "submitted_by": self._submitting_organisations(),
            "label": gettext("includes submitted work not yet approved"),
        }

    def _submitting_organisations(self) -> list[str] | None:
        if self.submitted_by is None:
            return None
        from app.registry.models import Organisation

        slugs = Organisation.objects.filter(pk__in=self.submitted_by).values_list("slug", flat=True)
        return sorted(slugs)


APPROVED = ReadingScope()

# The scope whose views the connection's transaction reads now; None outside every reading().
# Per thread and per task, like Django's connection itself.
_active: ContextVar[ReadingScope | None] = ContextVar("landrelease_reading_scope", default=None)


def active_scope() -> ReadingScope | None:
    """The scope of the innermost ``reading()`` around this point, None outside any."""
    return _active.get()


def end_of_day(day: dt.date) -> dt.datetime:
    """``as_recorded=D``: the registry as it stood when day D ended, in the site's time zone."""
    next_midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    return timezone.make_aware(next_midnight) - dt.timedelta(microseconds=1)


def reads_connection() -> BaseDatabaseWrapper:
    """The connection of the active reading(): a replica's or the primary's (see
    app.registry.replicas); the primary's outside every reading. The one place the query
    runners of the accounting, the maps and the lists take their cursor from."""
    return connections[replicas.active_reads_alias() or DEFAULT_DB_ALIAS]


@contextmanager
def reading(scope: ReadingScope = APPROVED) -> Iterator[None]:
    """Run the reads inside in one transaction that sees the records ``scope`` allows, on the
    database app.registry.replicas chooses (``reads_connection()``)."""
    alias = replicas.reads_alias(creates_temporary_tables=scope.as_recorded is not None)
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute("SELECT current_setting('search_path')")
        (before,) = cursor.fetchone()
        outer = active_scope()
        _configure(cursor, search_path=scope.search_path, scope=scope)
        if scope.as_recorded is not None:
            _check_recorded(cursor, scope.as_recorded)
            _materialise_recorded(cursor)
        marker = _active.set(scope)
        try:
            with replicas.reads_on(alias):
                yield
        finally:
            _active.reset(marker)
        if scope.as_recorded is not None:
            for table in VERSIONED_TABLES:
                cursor.execute(f"DROP TABLE pg_temp.{table}")
        # Inside a longer transaction (a test, a service) later queries must see the tables
        # again, and an outer reading() its own scope; after an error the rollback of this
        # block's savepoint undoes the settings instead.
        _configure(cursor, search_path=before, scope=outer)


class BeforeHistory(ValueError):
    """``as_recorded`` names a moment before the history began. The report would be empty,
    which reads as "nothing was there" rather than "nothing was recorded yet"; the API makes it
    a 400 naming the parameter."""

    parameter = "as_recorded"

    def __init__(self, first_day: dt.date):
        self.message = gettext(
            "the history begins on %(day)s (when the admin units were first loaded); "
            "choose that day or later"
        ) % {"day": first_day.isoformat()}
        super().__init__(self.message)


def _check_recorded(cursor, moment: dt.datetime) -> None:
    # The admin units are the first thing any registry holds, and every report needs them.
    cursor.execute(
        "SELECT min(valid_from) FROM registry_recordversion WHERE table_name = %s",
        ["registry_adminunit"],
    )
    (first,) = cursor.fetchone()
    if first is None or moment < first:
        raise BeforeHistory(timezone.localtime(first or timezone.now()).date())


def _materialise_recorded(cursor) -> None:
    """Copy the versions open at the scope's moment into temporary tables named like the
    registry's, with the indexes the accounting joins use, and analyse them.

    Read through the scope_recorded views directly, every column comes out of jsonb and the
    planner, which cannot estimate such filters, chose nested loops: a release report took
    97 s on the demo data. On these copies it runs the plans of the live tables.
    """
    for table, geometry_column in VERSIONED_TABLES.items():
        cursor.execute(
            f"CREATE TEMPORARY TABLE {table} ON COMMIT DROP AS SELECT * FROM scope_recorded.{table}"
        )
        cursor.execute(f"CREATE INDEX ON pg_temp.{table} (id)")
        if geometry_column:
            cursor.execute(f"CREATE INDEX ON pg_temp.{table} USING gist ({geometry_column})")
        cursor.execute(f"ANALYZE pg_temp.{table}")


def _configure(cursor, *, search_path: str, scope: ReadingScope | None) -> None:
    """Point the transaction at a schema, with the settings the scope views read."""
    organisations, moment = "", ""
    if scope is not None:
        organisations = (
            "*"
            if scope.submitted_by is None
            else ",".join(str(i) for i in sorted(scope.submitted_by))
        )
        moment = scope.as_recorded.isoformat() if scope.as_recorded else ""
    cursor.execute(
        "SELECT set_config('search_path', %s, true),"
        " set_config('landrelease.pending_organisations', %s, true),"
        " set_config('landrelease.as_recorded', %s, true)",
        [search_path, organisations, moment],
    )


@contextmanager
def scoped_reads() -> Iterator[None]:
    """Reads inside see the active scope, or approved records only when none is active.

    The one query runner of each reader (accounting, maps, lists) enters this, so that a
    selector called directly (a notebook, a command) counts what a report counts by default,
    and one called inside ``reading(scope)`` by a view counts what the view chose. Also a
    decorator (``@scoped_reads()``) for a selector that reads through the ORM.
    """
    if active_scope() is not None:
        yield
    else:
        with reading(APPROVED):
            yield
