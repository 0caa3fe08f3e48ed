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
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone


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

    def describe(self) -> dict:
        """What a report says of the records it counted, beside its figures."""
        if self.as_recorded is not None:
            return {"records": "approved", "as_recorded": self.as_recorded.isoformat()}
        return {"records": "approved and submitted" if self.include_submitted else "approved"}


APPROVED = ReadingScope()


def end_of_day(day: dt.date) -> dt.datetime:
    """``as_recorded=D``: the registry as it stood when day D ended, in the site's time zone."""
    next_midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    return timezone.make_aware(next_midnight) - dt.timedelta(microseconds=1)


@contextmanager
def reading(scope: ReadingScope = APPROVED) -> Iterator[None]:
    """Run the reads inside in one transaction that sees the records ``scope`` allows."""
    organisations = (
        "*" if scope.submitted_by is None else ",".join(str(i) for i in sorted(scope.submitted_by))
    )
    moment = scope.as_recorded.isoformat() if scope.as_recorded else ""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('search_path')")
        (before,) = cursor.fetchone()
        cursor.execute(
            "SELECT set_config('search_path', %s, true),"
            " set_config('landrelease.pending_organisations', %s, true),"
            " set_config('landrelease.as_recorded', %s, true)",
            [f"{scope.schema}, public", organisations, moment],
        )
        yield
        # Inside a longer transaction (a test, a service) later queries must see the tables
        # again; after an error the rollback of this block's savepoint undoes the setting.
        cursor.execute("SELECT set_config('search_path', %s, true)", [before])
