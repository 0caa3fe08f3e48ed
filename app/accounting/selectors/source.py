"""Where a report's figures come from: the accounting store, or the reference SQL.

The store (app.accounting.models) holds the approved registry, kept by the database on every
write, so a report of approved records is a sum of stored rows. Other scopes are computed from
the registry by the reference SQL, which defines what is right: pending work
(``include=submitted``) and a past registry (``as_recorded``). ``computed_from_registry()``
forces the reference for what runs inside it: ``manage.py check_accounting`` and the tests that
hold the store against it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from app.registry.scopes import APPROVED, active_scope

_reference_forced: ContextVar[bool] = ContextVar("landrelease_reference_forced", default=False)


def reads_store() -> bool:
    """Whether a report computed here now reads the store: approved records only (the scope
    active, or none, which the query runners make approved), and the reference not forced."""
    if _reference_forced.get():
        return False
    scope = active_scope()
    return scope is None or scope == APPROVED


def store_forced_off() -> bool:
    """Whether the reference is forced (``computed_from_registry``) for what runs here."""
    return _reference_forced.get()


@contextmanager
def computed_from_registry() -> Iterator[None]:
    """Compute the reports inside from the registry with the reference SQL."""
    marker = _reference_forced.set(True)
    try:
        yield
    finally:
        _reference_forced.reset(marker)
