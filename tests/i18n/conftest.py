"""The Vietnamese catalogue must be compiled (``make messages``, which ``make test`` runs) before
these tests can read Vietnamese pages; they stop with that instruction rather than pass in
English by accident."""

from pathlib import Path

import pytest

LOCALE = Path(__file__).parents[2] / "app" / "locale" / "vi" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogue():
    if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
        pytest.fail(f"{MO} is missing or older than {PO.name}: run `make messages` first")
