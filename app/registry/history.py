"""Writing with a name on it: who changes the registry, from which upload, and why.

The history trigger (migrations/registry/0004_history) reads these transaction-local settings
for each version it writes; ``recording`` sets them around the writes of one service call and
puts back what was there before, so nested services do not leak their names to later writes.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

SETTINGS = ("user_id", "upload_id", "reason", "action")


@contextmanager
def recording(
    *, user=None, upload_id: int | None = None, reason: str = "", action: str = ""
) -> Iterator[None]:
    """One transaction whose registry writes are recorded as done by ``user`` (a User or None),
    from ``upload_id``, for ``reason``; ``action`` overrides the inferred one (``restored``)."""
    values = {
        "user_id": str(user.pk) if user is not None and user.pk else "",
        "upload_id": str(upload_id) if upload_id else "",
        "reason": reason or "",
        "action": action or "",
    }
    with transaction.atomic(), connection.cursor() as cursor:
        names = [f"landrelease.{name}" for name in SETTINGS]
        cursor.execute(
            "SELECT " + ", ".join("coalesce(current_setting(%s, true), '')" for _ in names), names
        )
        before = cursor.fetchone()
        _set(cursor, names, [values[name] for name in SETTINGS])
        yield
        _set(cursor, names, list(before))


def _set(cursor, names: list[str], values: list[str]) -> None:
    cursor.execute(
        "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in names),
        [item for pair in zip(names, values, strict=True) for item in pair],
    )
