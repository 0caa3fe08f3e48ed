"""Every analyst notebook runs top to bottom against real PostGIS data.

The notebook's kernel is another process, so it cannot see rows inside a test's transaction: a
small synthetic data set is committed to the test database for this module and removed after.
"""

import datetime as dt
from pathlib import Path

import nbformat
import pytest
from django.db import connection
from nbclient import NotebookClient

from app.accounting.selectors import release_report
from app.registry.scopes import ReadingScope, reading

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
RECORD_TABLES = (
    "registry_hazardarea",
    "registry_releasearea",
    "registry_spottask",
    "registry_village",
    "registry_annualtarget",
    "registry_organisation",
)


@pytest.fixture(scope="module")
def committed_demo(django_db_setup, django_db_blocker):
    """The demo data with a quarter of its releases under review, which the notebook must not
    count; yields the province's released CHA at the notebook's AS_OF, approved records only and
    with the pending work.

    Needs ``django_db_setup``, and the test below its ``django_db`` mark: pytest-django makes the
    test database only for a run that holds a test marked so, and without one a run of this
    module alone loaded into and truncated the development database."""
    from app.demo.services import load_demo

    with django_db_blocker.unblock():
        load_demo(seed=11, fraction=0.05)
        with connection.cursor() as cursor:
            cursor.execute("UPDATE registry_releasearea SET status = 'submitted' WHERE id % 4 = 0")
        yield {
            "approved": released_ha(ReadingScope()),
            "with pending work": released_ha(ReadingScope(include_submitted=True)),
        }
        with connection.cursor() as cursor:
            # Back to the session's starting state: admin units only.
            cursor.execute(f"TRUNCATE {', '.join(RECORD_TABLES)} CASCADE")
            # And their history (TRUNCATE fires no row trigger): versions left open would be a
            # registry that as_recorded still reads in the tests that follow.
            cursor.execute(
                "DELETE FROM registry_recordversion WHERE table_name = ANY(%s)",
                [list(RECORD_TABLES)],
            )


def released_ha(scope: ReadingScope) -> float:
    with reading(scope):
        report = release_report(as_of=dt.date(2023, 12, 31), by="district")
    return report.total.released_ha


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def test_there_is_a_notebook():
    assert NOTEBOOKS, "notebooks/ holds no .ipynb"


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_and_shows_every_district(path, committed_demo, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", _database_url())
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": path.parent}}
    ).execute()
    text = "\n".join(
        output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    )
    assert "districts missing from it: none" in text
    assert "Vĩnh Linh" in text
    released = committed_demo
    assert released["approved"] < released["with pending work"]
    assert "ha of CHA released" in text
    assert f"{released['approved']:,.0f} of" in text
    assert f"{released['with pending work']:,.0f} of" not in text
