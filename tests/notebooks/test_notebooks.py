"""Every analyst notebook runs top to bottom against real PostGIS data.

The notebook's kernel is another process, so it cannot see rows inside a test's transaction: a
small synthetic data set is committed to the test database for this module and removed after.
"""

from pathlib import Path

import nbformat
import pytest
from django.db import connection
from nbclient import NotebookClient

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
def committed_demo(django_db_blocker):
    from app.demo.services import load_demo

    with django_db_blocker.unblock():
        load_demo(seed=11, fraction=0.05)
        yield
        with connection.cursor() as cursor:
            # Back to the session's starting state: admin units only.
            cursor.execute(f"TRUNCATE {', '.join(RECORD_TABLES)} CASCADE")


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def test_there_is_a_notebook():
    assert NOTEBOOKS, "notebooks/ holds no .ipynb"


@pytest.mark.slow
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
    assert "ha of CHA released" in text
