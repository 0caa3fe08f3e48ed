"""Simulating the passing of time in the history.

Every write of one test happens within moments, in one transaction. ``backdate_history`` moves
every version written so far, of every table (the admin units loaded at session start too),
``days`` into the past, as if they had been written then; the writes that follow are stamped
"now" again. The test's transaction rolls it back with everything else.
"""

import datetime as dt

from django.db import connection


def backdate_history(days: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_recordversion SET valid_from = valid_from - %(shift)s, "
            "valid_to = valid_to - %(shift)s",
            {"shift": dt.timedelta(days=days)},
        )


def transaction_now() -> dt.datetime:
    """The start of this transaction: a moment before any version it writes."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        return cursor.fetchone()[0]
